"""Data drift: does a recent batch of inputs still look like the data the model was trained on?

Each feature is tested on its own against the training split: the two-sample Kolmogorov-Smirnov
test for numeric columns, a chi-square test of the category counts for categorical ones. A
feature whose p-value falls below `monitoring.p_value` in `params.yaml` has drifted. With several
features, a lower threshold keeps the chance of a false alarm on any one of them small.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from scipy import stats

from ..config import Settings
from ..data import DataValidationError, load_csv, validate_features
from ..features import FeaturesConfig


@dataclass(frozen=True)
class FeatureDrift:
    """The outcome of one feature's test."""

    feature: str
    test: str
    statistic: float
    p_value: float
    drifted: bool


def numeric_drift(feature: str, reference: pd.Series, batch: pd.Series, p_value: float) -> FeatureDrift:
    """Two-sample Kolmogorov-Smirnov test: do both samples come from one distribution?"""
    result = stats.ks_2samp(reference.to_numpy(dtype=float), batch.to_numpy(dtype=float))
    observed = float(result.pvalue)
    return FeatureDrift(feature, "ks", float(result.statistic), observed, observed < p_value)


def categorical_drift(feature: str, reference: pd.Series, batch: pd.Series, p_value: float) -> FeatureDrift:
    """Chi-square test of the category counts; a category unseen in training counts as well."""
    counts = pd.concat(
        {"reference": reference.astype(str).value_counts(), "batch": batch.astype(str).value_counts()},
        axis=1,
    ).fillna(0)
    if len(counts) < 2:
        # One category on both sides: the two samples cannot differ.
        return FeatureDrift(feature, "chi-square", 0.0, 1.0, False)
    result = stats.chi2_contingency(counts.T.to_numpy())
    observed = float(result.pvalue)
    return FeatureDrift(feature, "chi-square", float(result.statistic), observed, observed < p_value)


def detect_drift(
    reference: pd.DataFrame, batch: pd.DataFrame, features: FeaturesConfig, p_value: float
) -> list[FeatureDrift]:
    """One result per feature, numeric features first, in `params.yaml` order."""
    problems = validate_features(batch, features)
    if batch.empty:
        problems.append("the batch has no rows")
    if problems:
        raise DataValidationError("cannot check this batch for drift: " + "; ".join(problems))
    numeric = [numeric_drift(name, reference[name], batch[name], p_value) for name in features.numeric]
    categorical = [
        categorical_drift(name, reference[name], batch[name], p_value) for name in features.categorical
    ]
    return numeric + categorical


def check_drift(settings: Settings, batch_path: Path) -> list[FeatureDrift]:
    """Compare a CSV batch with the training split the pipeline prepared."""
    reference = load_csv(settings.paths.train_data)
    return detect_drift(reference, load_csv(batch_path), settings.features, settings.monitoring.p_value)


def format_table(results: list[FeatureDrift], p_value: float) -> str:
    """A plain-text table, one feature a line, and a closing verdict."""
    width = max([len("feature"), *(len(result.feature) for result in results)])
    lines = [f"{'feature':<{width}}  {'test':<10}  {'statistic':>9}  {'p-value':>8}  drift"]
    for result in results:
        lines.append(
            f"{result.feature:<{width}}  {result.test:<10}  {result.statistic:>9.4f}  "
            f"{result.p_value:>8.4f}  {'yes' if result.drifted else 'no'}"
        )
    # The verdict names the threshold as one, so that it does not read as an observed p-value.
    threshold = f"threshold: a p-value below monitoring.p_value = {p_value}"
    drifted = [result.feature for result in results if result.drifted]
    if not drifted:
        return "\n".join([*lines, f"no drift in {len(results)} features ({threshold})"])
    summary = f"drift in {len(drifted)} of {len(results)} features ({threshold})"
    return "\n".join([*lines, f"{summary}: {', '.join(drifted)}"])

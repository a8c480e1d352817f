"""Load the raw data, check it against the expected schema, and split it for training.

Raw data are immutable: this module reads `data/raw/` and writes only to `data/processed/`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from .config import Settings
from .features import FeaturesConfig
from .params import DataConfig


class DataValidationError(ValueError):
    """The data do not have the columns, types or values the model expects."""


def load_csv(path: Path) -> pd.DataFrame:
    """Read a CSV file, with a clear error when it is missing or empty."""
    try:
        return pd.read_csv(path)
    except FileNotFoundError as error:
        raise DataValidationError(f"{path} not found (in a fresh clone, run `dvc pull`)") from error
    except pd.errors.EmptyDataError as error:
        raise DataValidationError(f"{path} is empty") from error


def validate_features(frame: pd.DataFrame, features: FeaturesConfig) -> list[str]:
    """Problems with the feature columns, as sentences; empty when the frame is usable."""
    missing = [column for column in features.columns if column not in frame.columns]
    if missing:
        return [f"missing columns: {', '.join(missing)}"]
    problems = []
    for column in features.numeric:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            problems.append(f"column '{column}' must be numeric, found {frame[column].dtype}")
    for column in features.columns:
        nulls = int(frame[column].isna().sum())
        if nulls:
            problems.append(f"column '{column}' has {nulls} missing value(s)")
    return problems


def validate_labelled_data(
    frame: pd.DataFrame, data: DataConfig, features: FeaturesConfig, *, min_rows: int
) -> None:
    """Raise DataValidationError listing every problem that would make training or scoring meaningless."""
    problems = validate_features(frame, features)
    if data.target not in frame.columns:
        problems.append(f"missing target column '{data.target}'")
    else:
        labels = set(frame[data.target].dropna().unique().tolist())
        if not labels <= {0, 1}:
            problems.append(
                f"target '{data.target}' must hold only 0 and 1, found {sorted(map(str, labels))}"
            )
        elif len(labels) < 2:
            problems.append(f"target '{data.target}' needs both classes, found only {sorted(labels)}")
        if frame[data.target].isna().any():
            problems.append(f"target '{data.target}' has missing values")
    if len(frame) < min_rows:
        problems.append(f"{len(frame)} rows, fewer than the {min_rows} required")
    if problems:
        raise DataValidationError("invalid labelled data: " + "; ".join(problems))


def validate_training_data(frame: pd.DataFrame, data: DataConfig, features: FeaturesConfig) -> None:
    """Raise DataValidationError unless the frame can train a model (data.min_rows rows at least)."""
    validate_labelled_data(frame, data, features, min_rows=data.min_rows)


def split(frame: pd.DataFrame, data: DataConfig, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified train/test split, reproducible for a given seed."""
    train, test = train_test_split(
        frame, test_size=data.test_size, random_state=seed, stratify=frame[data.target]
    )
    return pd.DataFrame(train), pd.DataFrame(test)


def prepare(settings: Settings) -> tuple[int, int]:
    """Pipeline stage: validate the raw data and write the train and test sets."""
    frame = load_csv(settings.paths.raw_data)
    validate_training_data(frame, settings.data, settings.features)
    columns = [*settings.features.columns, settings.data.target]
    train, test = split(frame[columns], settings.data, settings.seed)
    for part, path in ((train, settings.paths.train_data), (test, settings.paths.test_data)):
        path.parent.mkdir(parents=True, exist_ok=True)
        part.to_csv(path, index=False)
    return len(train), len(test)

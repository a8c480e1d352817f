"""What the neural-network models share: the fitted preprocessor, saved beside the network (which
takes its encoded output), and the weight of the positive class in their loss."""

from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd
from sklearn.compose import ColumnTransformer

from .artifacts import require_file

PREPROCESSOR_FILE = "preprocessor.joblib"


def save_preprocessor(preprocessor: ColumnTransformer, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(preprocessor, directory / PREPROCESSOR_FILE)


def load_preprocessor(directory: Path) -> ColumnTransformer:
    loaded = joblib.load(require_file(directory / PREPROCESSOR_FILE))
    if not isinstance(loaded, ColumnTransformer):
        raise TypeError(f"{directory / PREPROCESSOR_FILE} does not hold a fitted ColumnTransformer")
    return loaded


def positive_weight(labels: pd.Series, class_weight: str | None) -> float:
    """Weight of a positive example so that both classes count equally when "balanced"."""
    positives = int(labels.sum())
    if class_weight != "balanced" or positives in (0, len(labels)):
        return 1.0
    return (len(labels) - positives) / positives

"""Score new rows with the trained model: a frame, or a CSV file into another.

`load_trained_model` (trained_model.py) loads the model from where MODEL_SOURCE says.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .artifacts import Classifier
from .data import DataValidationError, load_csv, validate_features
from .features import FeaturesConfig


def predict(
    model: Classifier, frame: pd.DataFrame, features: FeaturesConfig, threshold: float
) -> pd.DataFrame:
    """Class probability and decision per row; the input's own columns are kept alongside."""
    problems = validate_features(frame, features)
    if problems:
        raise DataValidationError("cannot score these rows: " + "; ".join(problems))
    probabilities = model.predict_proba(frame)
    scored = frame.copy()
    scored["probability"] = probabilities.round(6)
    scored["prediction"] = (probabilities >= threshold).astype(int)
    return scored


def predict_file(
    model: Classifier, input_path: Path, output_path: Path, features: FeaturesConfig, threshold: float
) -> int:
    """Score a CSV file into another; returns the number of rows scored."""
    scored = predict(model, load_csv(input_path), features, threshold)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    scored.to_csv(output_path, index=False)
    return len(scored)

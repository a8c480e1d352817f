"""Score new rows with the trained model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.pipeline import Pipeline

from .config import FeaturesConfig, Settings
from .data import DataValidationError, load_csv, validate_features
from .model import load_model


def load_trained_model(settings: Settings) -> Pipeline:
    """The model the pipeline trained, for serving and scoring.

    Raises ModelNotFoundError, saying how to train one, while there is none yet.
    """
    return load_model(settings.paths.model)


def predict(model: Pipeline, frame: pd.DataFrame, features: FeaturesConfig, threshold: float) -> pd.DataFrame:
    """Class probability and decision per row; the input's own columns are kept alongside."""
    problems = validate_features(frame, features)
    if problems:
        raise DataValidationError("cannot score these rows: " + "; ".join(problems))
    probabilities = model.predict_proba(frame[list(features.columns)])[:, 1]
    scored = frame.copy()
    scored["probability"] = probabilities.round(6)
    scored["prediction"] = (probabilities >= threshold).astype(int)
    return scored


def predict_file(
    model: Pipeline, input_path: Path, output_path: Path, features: FeaturesConfig, threshold: float
) -> int:
    """Score a CSV file into another; returns the number of rows scored."""
    scored = predict(model, load_csv(input_path), features, threshold)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    scored.to_csv(output_path, index=False)
    return len(scored)

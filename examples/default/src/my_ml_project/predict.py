"""Score new rows with the trained model: a frame, or a CSV file into another.

The model comes from where MODEL_SOURCE says (see model_source.py). The serving app loads its model
through serve/model.py instead, which needs neither pandas nor scikit-learn where the model is
exported to ONNX.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .artifacts import Classifier
from .config import Settings
from .data import DataValidationError, load_csv, validate_features
from .features import FeaturesConfig
from .model import load_model
from .model_source import model_source


def load_trained_model(settings: Settings) -> Classifier:
    """The trained model, from the source MODEL_SOURCE names."""
    if model_source() == "registry":
        # Imported here: MLflow takes seconds to import, and the file source never needs it.
        from .tracking import load_champion  # noqa: PLC0415

        return load_champion(settings)
    return load_model(settings.paths.model, settings.features)


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

"""The model: preprocessing and a classifier in one scikit-learn pipeline, saved as one file."""

from __future__ import annotations

from pathlib import Path

import joblib
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .config import FeaturesConfig, ModelConfig
from .features import build_preprocessor


class ModelNotFoundError(FileNotFoundError):
    """No trained model at the expected path."""


def build_model(features: FeaturesConfig, model: ModelConfig, seed: int) -> Pipeline:
    classifier = LogisticRegression(
        C=model.regularization,
        max_iter=model.max_iter,
        class_weight=model.class_weight,
        random_state=seed,
    )
    return Pipeline([("features", build_preprocessor(features)), ("classifier", classifier)])


def save_model(model: Pipeline, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)


def load_model(path: Path) -> Pipeline:
    if not path.exists():
        raise ModelNotFoundError(f"no model at {path}: run `make pipeline` (or `dvc pull`) first")
    loaded = joblib.load(path)
    if not isinstance(loaded, Pipeline):
        raise TypeError(f"{path} does not hold a scikit-learn Pipeline")
    return loaded

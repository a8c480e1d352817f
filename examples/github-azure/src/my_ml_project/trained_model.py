"""The trained model to score with, from the source MODEL_SOURCE names (see model_source.py)."""

from __future__ import annotations

from .artifacts import Classifier
from .config import Settings
from .model import load_model
from .model_source import model_source


def load_trained_model(settings: Settings) -> Classifier:
    """The model the train stage saved, the only source without a model registry."""
    model_source()  # refuses a source this project does not have
    return load_model(settings.paths.model, settings.features)

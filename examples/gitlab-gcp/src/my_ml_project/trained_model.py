"""The trained model to score with, from the source MODEL_SOURCE names (see model_source.py)."""

from __future__ import annotations

from .artifacts import Classifier
from .config import Settings
from .model import load_model
from .model_source import model_source


def load_trained_model(settings: Settings) -> Classifier:
    """The registry's champion, or the model the train stage saved."""
    if model_source() == "registry":
        # Imported here: MLflow takes seconds to import, and the file source never needs it.
        from .tracking import load_champion  # noqa: PLC0415

        return load_champion(settings)
    return load_model(settings.paths.model, settings.features)

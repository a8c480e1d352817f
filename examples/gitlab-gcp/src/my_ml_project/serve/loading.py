"""Where the app's model comes from: PyTorch loads its native model, from the source
MODEL_SOURCE names, as batch scoring does (see trained_model.py)."""

from __future__ import annotations

from ..config import Settings
from ..trained_model import load_trained_model
from .model import NativeModel, ServingModel


def load_serving_model(settings: Settings) -> ServingModel:
    """The trained model, from the source MODEL_SOURCE names (see model_source.py)."""
    return NativeModel(load_trained_model(settings))

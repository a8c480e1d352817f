"""Pipeline stage: fit the model on the training set, save it and log the run to MLflow."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .data import load_csv, validate_training_data
from .model import build_model
from .tracking import log_training


def train(settings: Settings) -> Path:
    frame = load_csv(settings.paths.train_data)
    validate_training_data(frame, settings.data, settings.features)
    model = build_model(settings.features, settings.model, settings.seed)
    metrics = model.fit(frame, frame[settings.data.target])
    model.save(settings.paths.model)
    log_training(settings, model, frame, metrics)
    return settings.paths.model

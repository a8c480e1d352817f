"""Pipeline stage: score the held-out test set with the trained model; write metrics, plot data
and the model card (reports.py)."""

from __future__ import annotations

from .config import Settings
from .data import load_csv, validate_labelled_data
from .model import load_model
from .predict import predict
from .reports import write_reports


def evaluate(settings: Settings) -> dict[str, float]:
    test = load_csv(settings.paths.test_data)
    # Both classes must be present for ROC AUC; the training minimum does not apply here.
    validate_labelled_data(test, settings.data, settings.features, min_rows=2)
    model = load_model(settings.paths.model, settings.features)
    scored = predict(model, test, settings.features, settings.evaluate.threshold)
    return write_reports(settings, test, scored)

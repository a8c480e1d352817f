"""Pipeline stage: score the held-out test set with the model this run trained; write metrics,
plot data and the model card (reports.py), and register the model when it beats the champion."""

from __future__ import annotations

import logging

from .config import Settings
from .data import load_csv, validate_labelled_data
from .model import load_model
from .predict import predict
from .reports import write_reports
from .tracking import record_evaluation

logger = logging.getLogger(__name__)


def evaluate(settings: Settings) -> dict[str, float]:
    test = load_csv(settings.paths.test_data)
    # Both classes must be present for ROC AUC; the training minimum does not apply here.
    validate_labelled_data(test, settings.data, settings.features, min_rows=2)
    # The model this pipeline run trained, which is not necessarily the registered one.
    model = load_model(settings.paths.model, settings.features)
    scored = predict(model, test, settings.features, settings.evaluate.threshold)
    metrics = write_reports(settings, test, scored)
    logger.info(record_evaluation(settings, metrics).describe(settings.registry))
    return metrics

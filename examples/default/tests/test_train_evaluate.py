from __future__ import annotations

import json

import pandas as pd
import pytest

from my_ml_project.config import Settings
from my_ml_project.data import prepare
from my_ml_project.evaluate import evaluate
from my_ml_project.model import FRAMEWORK, load_model
from my_ml_project.reports import compute_metrics
from my_ml_project.train import train
from my_ml_project.trained_model import load_trained_model

from .session import SessionTraining


def test_the_session_trains_on_the_project_params(session_training: SessionTraining) -> None:
    """The one failure when the project's params.yaml makes the session's training fail or warn:
    the tests that need its model, or that fail with the same error, are skipped naming it."""
    session_training.fail_with_the_cause()


def test_train_saves_a_fitted_model(settings: Settings) -> None:
    prepare(settings)

    path = train(settings)

    assert path == settings.paths.model
    train_rows = pd.read_csv(settings.paths.train_data)
    assert load_model(path, settings.features).predict_proba(train_rows).shape == (len(train_rows),)


def test_evaluate_writes_metrics_and_plot_data(trained: Settings) -> None:
    metrics = json.loads(trained.paths.metrics.read_text())

    assert set(metrics) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    assert metrics["roc_auc"] > 0.8
    roc = pd.read_csv(trained.paths.roc_curve)
    assert list(roc.columns) == ["fpr", "tpr"]
    assert roc["fpr"].is_monotonic_increasing
    confusion = pd.read_csv(trained.paths.confusion_matrix)
    assert len(confusion) == len(pd.read_csv(trained.paths.test_data))


def test_evaluate_fills_the_model_card(trained: Settings) -> None:
    metrics = json.loads(trained.paths.metrics.read_text())

    card = trained.paths.model_card.read_text()
    assert f"| roc_auc | {metrics['roc_auc']:.4f} |" in card
    assert f"- Framework: {FRAMEWORK}" in card
    assert f"- {trained.model_card.intended_use[0]}" in card
    assert f"- {trained.model_card.limitations[0]}" in card
    assert f"Training rows: {len(pd.read_csv(trained.paths.train_data))}" in card


def test_the_evaluated_model_is_the_one_served(trained: Settings) -> None:
    rows = pd.read_csv(trained.paths.test_data)

    served = load_trained_model(trained).predict_proba(rows)

    assert served == pytest.approx(
        load_model(trained.paths.model, trained.features).predict_proba(rows), abs=1e-6
    )


def test_the_same_data_trains_to_the_same_metrics(settings: Settings, trained: Settings) -> None:
    """The session's workspace was trained on the same customers, with the same seed."""
    prepare(settings)
    train(settings)

    metrics = evaluate(settings)

    assert json.loads(settings.paths.metrics.read_text()) == metrics
    assert metrics == json.loads(trained.paths.metrics.read_text())


def test_metrics_of_a_perfect_and_a_useless_classifier() -> None:
    labels = pd.Series([0, 0, 1, 1])

    perfect = compute_metrics(labels, pd.Series([0.1, 0.2, 0.8, 0.9]), labels)
    useless = compute_metrics(labels, pd.Series([0.5] * 4), pd.Series([0] * 4))

    assert perfect == {"accuracy": 1.0, "precision": 1.0, "recall": 1.0, "f1": 1.0, "roc_auc": 1.0}
    assert useless["roc_auc"] == pytest.approx(0.5)
    assert useless["precision"] == 0.0

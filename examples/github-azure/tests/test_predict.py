from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.artifacts import Classifier, ModelNotFoundError
from my_ml_project.config import MODEL_SOURCES, Settings
from my_ml_project.data import DataValidationError
from my_ml_project.model import load_model
from my_ml_project.model_source import model_source
from my_ml_project.params import ConfigError
from my_ml_project.predict import predict, predict_file
from my_ml_project.trained_model import load_trained_model


def _model(settings: Settings) -> Classifier:
    return load_model(settings.paths.model, settings.features)


def test_predict_adds_probability_and_decision(trained: Settings, customers: pd.DataFrame) -> None:
    rows = customers.drop(columns="churned").head(5)

    scored = predict(_model(trained), rows, trained.features, threshold=0.5)

    assert list(scored.columns) == [*rows.columns, "probability", "prediction"]
    assert scored["probability"].between(0, 1).all()
    assert (scored["prediction"] == (scored["probability"] >= 0.5)).all()


def test_threshold_moves_the_decision(trained: Settings, customers: pd.DataFrame) -> None:
    model = _model(trained)

    strict = predict(model, customers, trained.features, threshold=0.99)
    lenient = predict(model, customers, trained.features, threshold=0.01)

    assert strict["prediction"].sum() < lenient["prediction"].sum()


def test_rows_without_features_are_refused(trained: Settings, customers: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="missing columns: tenure_months"):
        predict(_model(trained), customers.drop(columns="tenure_months"), trained.features, 0.5)


def test_predict_file_scores_a_csv(trained: Settings, customers: pd.DataFrame, tmp_path: Path) -> None:
    source = tmp_path / "incoming.csv"
    customers.drop(columns="churned").head(12).to_csv(source, index=False)

    rows = predict_file(_model(trained), source, tmp_path / "out" / "scored.csv", trained.features, 0.5)

    assert rows == 12
    assert len(pd.read_csv(tmp_path / "out" / "scored.csv")) == 12


def test_load_trained_model_before_training_says_what_to_run(settings: Settings) -> None:
    with pytest.raises(ModelNotFoundError, match="make pipeline"):
        load_trained_model(settings)


def test_the_model_source_has_a_default_and_refuses_others() -> None:
    assert model_source({}) == MODEL_SOURCES[0]
    assert model_source({"MODEL_SOURCE": "file"}) == "file"
    with pytest.raises(
        ConfigError, match=f"MODEL_SOURCE must be one of {', '.join(MODEL_SOURCES)}, got 'File'"
    ):
        model_source({"MODEL_SOURCE": "File"})


def test_the_file_source_loads_what_the_train_stage_saved(
    trained: Settings, customers: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODEL_SOURCE", "file")
    rows = customers.drop(columns="churned").head(5)

    assert list(load_trained_model(trained).predict_proba(rows)) == list(_model(trained).predict_proba(rows))

"""Tracking and the registry against a real MLflow store in each test's workspace."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import mlflow
import numpy as np
import pytest
from mlflow import MlflowClient
from mlflow.types import DataType

from my_ml_project.artifacts import ModelNotFoundError
from my_ml_project.config import Settings, load_settings
from my_ml_project.data import prepare
from my_ml_project.evaluate import evaluate
from my_ml_project.params import ConfigError
from my_ml_project.tracking import (
    MODEL_PACKAGES,
    RUN_FILE,
    champion,
    record_evaluation,
    tracking_uri,
)
from my_ml_project.train import train
from my_ml_project.trained_model import load_trained_model


@pytest.fixture
def client(trained: Settings) -> MlflowClient:
    """The tracking store of the session's trained workspace, to read."""
    uri = tracking_uri(trained.registry)
    mlflow.set_tracking_uri(uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def test_the_local_store_is_a_sqlite_file_in_the_project(settings: Settings) -> None:
    assert tracking_uri(settings.registry) == f"sqlite:///{settings.registry.local_store / 'mlflow.db'}"


def test_a_team_server_replaces_the_local_store(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")

    assert tracking_uri(settings.registry) == "http://127.0.0.1:5000"


def test_training_logs_params_metrics_and_the_model_with_its_signature_and_requirements(
    trained: Settings, client: MlflowClient
) -> None:
    run_id = json.loads((trained.paths.model / RUN_FILE).read_text())["run_id"]
    run = client.get_run(run_id)
    assert run.data.params["seed"] == str(trained.seed)
    assert any(name.startswith("model.") for name in run.data.params)
    assert any(name.startswith("train_") for name in run.data.metrics)
    info = mlflow.models.get_model_info(f"runs:/{run_id}/model")
    assert info.signature is not None
    assert info.signature.inputs is not None
    assert info.signature.outputs is not None
    # No integer input column, which MLflow warns could not hold a missing value; the answer is
    # stated in floats (MLflow's own inference would score the class labels, integers).
    columns = [kind for kind in info.signature.inputs.input_types() if isinstance(kind, DataType)]
    assert DataType.integer not in columns
    assert DataType.long not in columns
    answers = info.signature.outputs.input_types()
    assert all(isinstance(kind, np.dtype) and np.issubdtype(kind, np.floating) for kind in answers)
    # What loading the model needs, and nothing of the serving or pipeline stack.
    requirements = Path(mlflow.artifacts.download_artifacts(f"runs:/{run_id}/model/requirements.txt"))
    lines = requirements.read_text().splitlines()
    names = {re.split(r"[<>=!~;\s]", line, maxsplit=1)[0] for line in lines if line}
    assert names - {"mlflow"} == MODEL_PACKAGES


def test_the_first_evaluation_registers_the_champion(trained: Settings, client: MlflowClient) -> None:
    metrics = json.loads(trained.paths.metrics.read_text())

    version = champion(trained.registry)

    assert version is not None
    assert str(version.version) == "1"
    logged = client.get_run(str(version.run_id)).data.metrics
    assert logged[f"test_{trained.registry.primary_metric}"] == metrics[trained.registry.primary_metric]


def test_a_worse_model_does_not_replace_the_champion(settings: Settings) -> None:
    prepare(settings)
    train(settings)
    metrics = evaluate(settings)
    train(settings)

    worse = record_evaluation(settings, {**metrics, "roc_auc": metrics["roc_auc"] - 0.1})

    assert not worse.promoted
    assert worse.version == "1"
    assert "does not beat" in worse.describe(settings.registry)
    current = champion(settings.registry)
    assert current is not None
    assert str(current.version) == "1"


def test_a_better_model_becomes_the_champion(settings: Settings) -> None:
    prepare(settings)
    train(settings)
    metrics = evaluate(settings)
    train(settings)

    better = record_evaluation(settings, {**metrics, "roc_auc": min(1.0, metrics["roc_auc"] + 0.01)})

    assert better.promoted
    assert better.version == "2"
    assert "registered version 2" in better.describe(settings.registry)
    current = champion(settings.registry)
    assert current is not None
    assert str(current.version) == "2"


def test_the_same_model_evaluated_again_is_not_registered_twice(settings: Settings) -> None:
    prepare(settings)
    train(settings)
    evaluate(settings)

    again = record_evaluation(settings, json.loads(settings.paths.metrics.read_text()))

    assert not again.promoted


def test_serving_without_a_registered_model_says_what_to_run(settings: Settings) -> None:
    with pytest.raises(ModelNotFoundError, match=r"no model is registered as .*@champion.*make pipeline"):
        load_trained_model(settings)


def test_evaluating_without_a_training_run_says_what_to_run(settings: Settings) -> None:
    with pytest.raises(ModelNotFoundError, match="make pipeline"):
        record_evaluation(settings, {"roc_auc": 0.9})


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"primary_metric": "loss"}, "registry.primary_metric"),
        ({"alias": "latest"}, "registry.alias"),
        ({"model_name": " "}, "must not be empty"),
    ],
)
def test_bad_registry_settings_are_refused(
    workspace: Path, settings: Settings, edit: dict[str, str], message: str
) -> None:
    params = workspace / "params.yaml"
    text = params.read_text()
    for key, value in edit.items():
        current = getattr(settings.registry, key)
        text = text.replace(f"  {key}: {current}\n", f"  {key}: '{value}'\n")
    params.write_text(text)

    with pytest.raises(ConfigError, match=message):
        load_settings(params)


def test_other_aliases_are_allowed(settings: Settings) -> None:
    assert replace(settings.registry, alias="staging").problems() == []

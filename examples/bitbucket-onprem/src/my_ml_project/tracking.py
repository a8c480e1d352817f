"""Experiment tracking and the model registry, with MLflow.

By default everything stays on this machine in `mlruns/` (git-ignored): a SQLite database for
runs and the registry, and a folder for artifacts, so no server is needed. Setting
`MLFLOW_TRACKING_URI` points the same code at a team's tracking server.

Training logs its parameters, metrics and the model (the framework's own MLflow flavour, with an
input example and the signature of the model's answer to it). Evaluation logs the test metrics
and registers the model only when it beats the model behind the champion alias on the primary
metric.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.entities.model_registry import ModelVersion
from mlflow.environment_variables import MLFLOW_UV_AUTO_DETECT
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature

from . import DISTRIBUTION
from . import model as framework
from .artifacts import Classifier, ModelNotFoundError, require_file
from .config import RegistryConfig, Settings

TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI"
RUN_FILE = "mlflow-run.json"
COMPANIONS = "companions"


@dataclass(frozen=True)
class Promotion:
    """What evaluation did in the registry."""

    promoted: bool
    version: str | None
    score: float
    champion_score: float | None

    def describe(self, config: RegistryConfig) -> str:
        reference = f"{config.model_name}@{config.alias}"
        if self.promoted:
            return f"registered version {self.version} as {reference} ({config.primary_metric} {self.score})"
        return (
            f"kept {reference} (version {self.version}): {config.primary_metric} {self.score} "
            f"does not beat {self.champion_score}"
        )


def tracking_uri(config: RegistryConfig) -> str:
    """The team server when MLFLOW_TRACKING_URI is set, else the SQLite file in the local store."""
    return os.environ.get(TRACKING_URI_VARIABLE) or config.local_tracking_uri


def _client(config: RegistryConfig) -> MlflowClient:
    uri = tracking_uri(config)
    mlflow.set_tracking_uri(uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _experiment_id(client: MlflowClient, config: RegistryConfig) -> str:
    experiment = client.get_experiment_by_name(config.experiment)
    if experiment is not None:
        return str(experiment.experiment_id)
    # A server chooses its own artifact store; the local default keeps artifacts beside the database.
    local = TRACKING_URI_VARIABLE not in os.environ
    config.local_store.mkdir(parents=True, exist_ok=True)
    location = (config.local_store / "artifacts").as_uri() if local else None
    return str(client.create_experiment(config.experiment, artifact_location=location))


def training_params(settings: Settings) -> dict[str, Any]:
    """Every parameter that shapes the model, flat, as the experiment log records them."""
    return {
        "seed": settings.seed,
        "test_size": settings.data.test_size,
        "numeric_features": ",".join(settings.features.numeric),
        "categorical_features": ",".join(settings.features.categorical),
        **{f"model.{name}": value for name, value in asdict(settings.model).items()},
    }


# The runtime dependencies that loading the logged model needs: not the serving, pipeline or
# tracking stack, which MLflow would otherwise check one by one at every log.
MODEL_PACKAGES = frozenset(
    {
        "numpy",
        "pandas",
        "scikit-learn",
        "joblib",
        "scipy",
        "tensorflow",
        "mlflow-skinny",
    }
)


def model_requirements() -> list[str] | None:
    """The project's requirements (MODEL_PACKAGES) that loading the logged model needs.

    Stated rather than inferred: MLflow's inference loads the model in a subprocess, which
    costs seconds per run. Read from the installed metadata, or from pyproject.toml when the
    package runs from a checkout without being installed; None lets MLflow infer them.
    """
    try:
        declared = requires(DISTRIBUTION) or []
    except PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        if not pyproject.is_file():
            return None
        declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return [
        str(requirement)
        for requirement in declared
        if _distribution(requirement) in MODEL_PACKAGES and "extra ==" not in requirement
    ]


def _distribution(requirement: str) -> str:
    """The distribution a PEP 508 requirement names, as this project's metadata spells it."""
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]


def model_environment() -> dict[str, Any] | None:
    """The conda environment the logged model states: this Python, pip and model_requirements().

    Stated whole because MLflow, given requirements only, pins pip to the installed version and
    warns where the environment has none (uv's); None lets MLflow infer it.
    """
    requirements = model_requirements()
    if requirements is None:
        return None
    return {
        "name": "mlflow-env",
        "channels": ["conda-forge"],
        "dependencies": [f"python={platform.python_version()}", "pip", {"pip": requirements}],
    }


def log_training(
    settings: Settings, model: Classifier, frame: pd.DataFrame, metrics: Mapping[str, float]
) -> str:
    """Log one training run with its model; the run is remembered beside the saved model."""
    config = settings.registry
    client = _client(config)
    flavour = importlib.import_module(f"mlflow.{framework.FLAVOUR}")
    # The environment is stated (model_environment): MLflow's search for a uv project in the
    # working directory would find nothing to use and only log that it looked.
    os.environ.setdefault(MLFLOW_UV_AUTO_DETECT.name, "false")
    with mlflow.start_run(experiment_id=_experiment_id(client, config)) as run:
        mlflow.log_params(training_params(settings))
        mlflow.log_metrics(dict(metrics))
        # The signature is stated: MLflow's own scores the example with the flavour's `predict`,
        # whatever the logged model is set to answer with (framework.LOG_OPTIONS).
        example = model.native_input(frame.head(5))
        info = flavour.log_model(
            model.native,
            name="model",
            input_example=example,
            signature=infer_signature(example, model.native_output(example)),
            conda_env=model_environment(),
            **framework.LOG_OPTIONS,
        )
        with tempfile.TemporaryDirectory() as companions:
            model.save_companions(Path(companions))
            if any(Path(companions).iterdir()):
                mlflow.log_artifacts(companions, COMPANIONS)
    record = {"run_id": run.info.run_id, "model_uri": info.model_uri}
    (settings.paths.model / RUN_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return str(run.info.run_id)


def champion(config: RegistryConfig) -> ModelVersion | None:
    """The version behind the alias, or None while there is none."""
    try:
        return _client(config).get_model_version_by_alias(config.model_name, config.alias)
    except MlflowException as error:
        if error.error_code in {"RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"}:
            return None
        raise


def record_evaluation(settings: Settings, metrics: Mapping[str, float]) -> Promotion:
    """Log the test metrics to the training run; promote its model if it beats the champion."""
    config = settings.registry
    run = json.loads(require_file(settings.paths.model / RUN_FILE).read_text(encoding="utf-8"))
    client = _client(config)
    for name, value in metrics.items():
        client.log_metric(run["run_id"], f"test_{name}", value)
    score = metrics[config.primary_metric]
    current = champion(config)
    if current is not None:
        best = client.get_run(str(current.run_id)).data.metrics.get(f"test_{config.primary_metric}")
        if best is not None and score <= best:
            return Promotion(promoted=False, version=str(current.version), score=score, champion_score=best)
    else:
        best = None
    version = mlflow.register_model(run["model_uri"], config.model_name)
    client.set_registered_model_alias(config.model_name, config.alias, str(version.version))
    return Promotion(promoted=True, version=str(version.version), score=score, champion_score=best)


def load_champion(settings: Settings) -> Classifier:
    """The registered model behind the alias, ready to score."""
    config = settings.registry
    current = champion(config)
    if current is None:
        raise ModelNotFoundError(
            f"no model is registered as {config.model_name}@{config.alias} in {tracking_uri(config)} "
            "yet: run `make pipeline` first"
        )
    flavour = importlib.import_module(f"mlflow.{framework.FLAVOUR}")
    native = flavour.load_model(f"models:/{config.model_name}@{config.alias}")
    client = _client(config)
    with tempfile.TemporaryDirectory() as empty:
        companions = Path(empty)
        if client.list_artifacts(str(current.run_id), COMPANIONS):
            companions = Path(
                mlflow.artifacts.download_artifacts(run_id=str(current.run_id), artifact_path=COMPANIONS)
            )
        return framework.from_native(native, companions, settings.features)

"""Typed settings read from `params.yaml`, the single source of every pipeline parameter.

DVC reads the same file to decide which stages are stale, so a value changed here re-runs
exactly the stages that depend on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Light modules only: serving reads these settings too, in an image without the training stack.
from .data_schema import DataSchema, FeaturesConfig
from .model_config import ModelConfig

DEFAULT_PARAMS = Path("params.yaml")


class ConfigError(ValueError):
    """`params.yaml` is missing, malformed, or holds a value out of range."""


# The registry's settings live here rather than in tracking.py so that reading params.yaml never
# imports MLflow: the serving image loads its model from a file and has no use for it.

# Metrics where higher is better; evaluate.py writes all of them.
RANKABLE_METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc")
# MLflow refuses aliases like "latest" or "v3", which would clash with version references.
ALIAS_PATTERN = re.compile(r"(?!latest$)(?!v\d+$)[A-Za-z0-9_-]{1,255}")


@dataclass(frozen=True)
class RegistryConfig:
    """The `registry:` section of params.yaml."""

    experiment: str
    model_name: str
    alias: str
    primary_metric: str
    local_store: Path

    @classmethod
    def from_params(cls, raw: Mapping[str, Any], root: Path) -> RegistryConfig:
        return cls(
            experiment=str(raw["experiment"]),
            model_name=str(raw["model_name"]),
            alias=str(raw["alias"]),
            primary_metric=str(raw["primary_metric"]),
            local_store=root / str(raw["local_store"]),
        )

    @property
    def local_tracking_uri(self) -> str:
        """The SQLite database in `local_store`, as MLflow (and `make mlflow-ui`) opens it."""
        return f"sqlite:///{self.local_store / 'mlflow.db'}"

    def problems(self) -> list[str]:
        problems = []
        if self.primary_metric not in RANKABLE_METRICS:
            problems.append(
                f"primary_metric must be one of {', '.join(RANKABLE_METRICS)}, got {self.primary_metric}"
            )
        if not ALIAS_PATTERN.fullmatch(self.alias):
            problems.append(
                f"alias must be letters, digits, '_' or '-' (not 'latest' or 'vN'), got {self.alias}"
            )
        if not self.experiment.strip() or not self.model_name.strip():
            problems.append("experiment and model_name must not be empty")
        return problems


@dataclass(frozen=True)
class Paths:
    raw_data: Path
    train_data: Path
    test_data: Path
    model: Path
    metrics: Path
    roc_curve: Path
    confusion_matrix: Path
    model_card: Path


@dataclass(frozen=True)
class DataConfig:
    target: str
    test_size: float
    min_rows: int


@dataclass(frozen=True)
class EvaluateConfig:
    threshold: float


@dataclass(frozen=True)
class MonitoringConfig:
    # A feature has drifted when its test's p-value is below this.
    p_value: float


@dataclass(frozen=True)
class ModelCardConfig:
    """The team's own words for the model card; the pipeline adds data and metrics."""

    intended_use: tuple[str, ...]
    limitations: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    seed: int
    paths: Paths
    data: DataConfig
    features: FeaturesConfig
    schema: DataSchema
    model: ModelConfig
    evaluate: EvaluateConfig
    monitoring: MonitoringConfig
    model_card: ModelCardConfig
    registry: RegistryConfig


def load_settings(params_file: Path = DEFAULT_PARAMS) -> Settings:
    """Read and check `params.yaml`; relative paths resolve against its folder."""
    try:
        raw = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"{params_file} not found: run from the project root or pass --params") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{params_file} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise ConfigError(f"{params_file} must hold a mapping of sections")
    try:
        return _parse(raw, params_file.resolve().parent)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ConfigError):
            raise
        raise ConfigError(f"{params_file}: missing or malformed value ({error!r})") from error


def _parse(raw: dict[str, Any], root: Path) -> Settings:
    paths = Paths(**{name: root / str(value) for name, value in raw["paths"].items()})
    data = DataConfig(
        target=str(raw["data"]["target"]),
        test_size=float(raw["data"]["test_size"]),
        min_rows=int(raw["data"]["min_rows"]),
    )
    features = FeaturesConfig(
        numeric=tuple(str(name) for name in raw["features"]["numeric"]),
        categorical=tuple(str(name) for name in raw["features"]["categorical"]),
    )
    model = ModelConfig.from_params(raw["model"])
    evaluate = EvaluateConfig(threshold=float(raw["evaluate"]["threshold"]))
    monitoring = MonitoringConfig(p_value=float(raw["monitoring"]["p_value"]))
    settings = Settings(
        seed=int(raw["seed"]),
        paths=paths,
        data=data,
        features=features,
        schema=DataSchema.from_params(raw["schema"]),
        model=model,
        evaluate=evaluate,
        monitoring=monitoring,
        model_card=ModelCardConfig(
            intended_use=tuple(str(line) for line in raw["model_card"]["intended_use"]),
            limitations=tuple(str(line) for line in raw["model_card"]["limitations"]),
        ),
        registry=RegistryConfig.from_params(raw["registry"], root),
    )
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    problems = []
    if not 0.0 < settings.data.test_size < 1.0:
        problems.append(f"data.test_size must be between 0 and 1, got {settings.data.test_size}")
    if settings.data.min_rows < 2:
        problems.append(f"data.min_rows must be at least 2, got {settings.data.min_rows}")
    if not settings.features.columns:
        problems.append("features must list at least one numeric or categorical column")
    if settings.data.target in settings.features.columns:
        problems.append(f"the target '{settings.data.target}' must not also be a feature")
    problems.extend(f"schema: {problem}" for problem in settings.schema.problems(settings.features))
    problems.extend(f"model.{problem}" for problem in settings.model.problems())
    problems.extend(f"registry.{problem}" for problem in settings.registry.problems())
    if not 0.0 < settings.evaluate.threshold < 1.0:
        problems.append(f"evaluate.threshold must be between 0 and 1, got {settings.evaluate.threshold}")
    if not 0.0 < settings.monitoring.p_value < 1.0:
        problems.append(f"monitoring.p_value must be between 0 and 1, got {settings.monitoring.p_value}")
    if problems:
        raise ConfigError("; ".join(problems))

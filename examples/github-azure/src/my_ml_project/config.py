"""Typed settings read from `params.yaml`, the single source of every pipeline parameter.

DVC reads the same file to decide which stages are stale, so a value changed here re-runs
exactly the stages that depend on it.
"""

from __future__ import annotations

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
    if not 0.0 < settings.evaluate.threshold < 1.0:
        problems.append(f"evaluate.threshold must be between 0 and 1, got {settings.evaluate.threshold}")
    if not 0.0 < settings.monitoring.p_value < 1.0:
        problems.append(f"monitoring.p_value must be between 0 and 1, got {settings.monitoring.p_value}")
    if problems:
        raise ConfigError("; ".join(problems))

"""Typed settings read from `params.yaml`, the single source of every pipeline parameter.

DVC reads the same file to decide which stages are stale, so a value changed here re-runs
exactly the stages that depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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


@dataclass(frozen=True)
class DataConfig:
    target: str
    test_size: float
    min_rows: int


@dataclass(frozen=True)
class FeaturesConfig:
    numeric: tuple[str, ...]
    categorical: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numeric + self.categorical


@dataclass(frozen=True)
class ModelConfig:
    regularization: float
    max_iter: int
    class_weight: str | None


@dataclass(frozen=True)
class EvaluateConfig:
    threshold: float


@dataclass(frozen=True)
class MonitoringConfig:
    # A feature has drifted when its test's p-value is below this.
    p_value: float


@dataclass(frozen=True)
class Settings:
    seed: int
    paths: Paths
    data: DataConfig
    features: FeaturesConfig
    model: ModelConfig
    evaluate: EvaluateConfig
    monitoring: MonitoringConfig


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
    model_raw = raw["model"]
    model = ModelConfig(
        regularization=float(model_raw["regularization"]),
        max_iter=int(model_raw["max_iter"]),
        class_weight=None if model_raw.get("class_weight") is None else str(model_raw["class_weight"]),
    )
    evaluate = EvaluateConfig(threshold=float(raw["evaluate"]["threshold"]))
    monitoring = MonitoringConfig(p_value=float(raw["monitoring"]["p_value"]))
    settings = Settings(
        seed=int(raw["seed"]),
        paths=paths,
        data=data,
        features=features,
        model=model,
        evaluate=evaluate,
        monitoring=monitoring,
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
    if settings.model.regularization <= 0.0:
        problems.append(f"model.regularization must be positive, got {settings.model.regularization}")
    if settings.model.max_iter < 1:
        problems.append(f"model.max_iter must be at least 1, got {settings.model.max_iter}")
    if not 0.0 < settings.evaluate.threshold < 1.0:
        problems.append(f"evaluate.threshold must be between 0 and 1, got {settings.evaluate.threshold}")
    if not 0.0 < settings.monitoring.p_value < 1.0:
        problems.append(f"monitoring.p_value must be between 0 and 1, got {settings.monitoring.p_value}")
    if problems:
        raise ConfigError("; ".join(problems))

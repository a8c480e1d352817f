"""The sections of `params.yaml` that every project's pipeline reads, and how the file is read
and checked; config.py makes them this project's `Settings`.

DVC reads the same file to decide which stages are stale, so a value changed here re-runs
exactly the stages that depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import yaml

# Light modules only: serving reads these settings too, in an image without the training stack.
from .data_schema import DataSchema, FeaturesConfig
from .model_config import ModelConfig

DEFAULT_PARAMS = Path("params.yaml")
# libyaml's safe loader where PyYAML has it (its wheels do): about eight times faster than the
# pure-Python one, and a test run reads params.yaml over a hundred times.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
class PipelineSettings:
    """The sections every pipeline reads."""

    seed: int
    paths: Paths
    data: DataConfig
    features: FeaturesConfig
    schema: DataSchema
    model: ModelConfig
    evaluate: EvaluateConfig
    monitoring: MonitoringConfig
    model_card: ModelCardConfig

    @classmethod
    def read(cls, params_file: Path) -> Self:
        """Read and check `params_file`; relative paths resolve against its folder."""
        try:
            raw = yaml.load(params_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except FileNotFoundError as error:
            message = f"{params_file} not found: run from the project root or pass --params"
            raise ConfigError(message) from error
        except yaml.YAMLError as error:
            raise ConfigError(f"{params_file} is not valid YAML: {error}") from error
        if not isinstance(raw, dict):
            raise ConfigError(f"{params_file} must hold a mapping of sections")
        try:
            settings = cls.from_params(cls.resolved(raw, params_file.resolve().parent))
            problems = settings.problems()
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"{params_file}: missing or malformed value ({error!r})") from error
        if problems:
            raise ConfigError("; ".join(problems))
        return settings

    @classmethod
    def resolved(cls, raw: Mapping[str, Any], root: Path) -> dict[str, Any]:
        """params.yaml's values with each relative path made absolute under `root`."""
        return {**raw, "paths": {name: str(root / str(value)) for name, value in raw["paths"].items()}}

    @classmethod
    def from_params(cls, raw: Mapping[str, Any]) -> Self:
        """The settings of params.yaml's values, their paths resolved."""
        return cls(**cls.sections(raw))

    @staticmethod
    def sections(raw: Mapping[str, Any]) -> dict[str, Any]:
        """The fields above, from params.yaml's values."""
        return {
            "seed": int(raw["seed"]),
            "paths": Paths(**{name: Path(value) for name, value in raw["paths"].items()}),
            "data": DataConfig(
                target=str(raw["data"]["target"]),
                test_size=float(raw["data"]["test_size"]),
                min_rows=int(raw["data"]["min_rows"]),
            ),
            "features": FeaturesConfig(
                numeric=tuple(str(name) for name in raw["features"]["numeric"]),
                categorical=tuple(str(name) for name in raw["features"]["categorical"]),
            ),
            "schema": DataSchema.from_params(raw["schema"]),
            "model": ModelConfig.from_params(raw["model"]),
            "evaluate": EvaluateConfig(threshold=float(raw["evaluate"]["threshold"])),
            "monitoring": MonitoringConfig(p_value=float(raw["monitoring"]["p_value"])),
            "model_card": ModelCardConfig(
                intended_use=tuple(str(line) for line in raw["model_card"]["intended_use"]),
                limitations=tuple(str(line) for line in raw["model_card"]["limitations"]),
            ),
        }

    def problems(self) -> list[str]:
        problems = []
        if not 0.0 < self.data.test_size < 1.0:
            problems.append(f"data.test_size must be between 0 and 1, got {self.data.test_size}")
        if self.data.min_rows < 2:
            problems.append(f"data.min_rows must be at least 2, got {self.data.min_rows}")
        if not self.features.columns:
            problems.append("features must list at least one numeric or categorical column")
        if self.data.target in self.features.columns:
            problems.append(f"the target '{self.data.target}' must not also be a feature")
        problems.extend(f"schema: {problem}" for problem in self.schema.problems(self.features))
        problems.extend(f"model.{problem}" for problem in self.model.problems())
        if not 0.0 < self.evaluate.threshold < 1.0:
            problems.append(f"evaluate.threshold must be between 0 and 1, got {self.evaluate.threshold}")
        if not 0.0 < self.monitoring.p_value < 1.0:
            problems.append(f"monitoring.p_value must be between 0 and 1, got {self.monitoring.p_value}")
        return problems

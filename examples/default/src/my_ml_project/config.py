"""Typed settings read from `params.yaml`, the single source of every pipeline parameter: the
sections of params.py and the MLflow model registry's.

The registry's settings live here rather than in tracking.py so that reading params.yaml never
imports MLflow: the serving image loads its model from a file and has no use for it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from .params import DEFAULT_PARAMS, PipelineSettings

# The environment variable that says where the model comes from (model_source.py), and the
# sources this project has, the default first: the model behind the registry's champion alias,
# or the one the train stage saved under `paths.model`.
MODEL_SOURCE_VARIABLE = "MODEL_SOURCE"
MODEL_SOURCES = ("registry", "file")
# A team's tracking server, which replaces the registry's local store.
TRACKING_URI_VARIABLE = "MLFLOW_TRACKING_URI"
# Every environment variable the project reads.
ENVIRONMENT_VARIABLES = (MODEL_SOURCE_VARIABLE, TRACKING_URI_VARIABLE)

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
    def from_params(cls, raw: Mapping[str, Any]) -> RegistryConfig:
        return cls(
            experiment=str(raw["experiment"]),
            model_name=str(raw["model_name"]),
            alias=str(raw["alias"]),
            primary_metric=str(raw["primary_metric"]),
            local_store=Path(raw["local_store"]),
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
class Settings(PipelineSettings):
    """Every section of params.yaml."""

    registry: RegistryConfig

    @classmethod
    def resolved(cls, raw: Mapping[str, Any], root: Path) -> dict[str, Any]:
        values = super().resolved(raw, root)
        registry = raw["registry"]
        values["registry"] = {**registry, "local_store": str(root / str(registry["local_store"]))}
        return values

    @classmethod
    def from_params(cls, raw: Mapping[str, Any]) -> Self:
        return cls(**cls.sections(raw), registry=RegistryConfig.from_params(raw["registry"]))

    def problems(self) -> list[str]:
        return [*super().problems(), *(f"registry.{problem}" for problem in self.registry.problems())]


def load_settings(params_file: Path = DEFAULT_PARAMS) -> Settings:
    """Read and check `params.yaml`; relative paths resolve against its folder."""
    return Settings.read(params_file)

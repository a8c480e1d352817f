"""Typed settings read from `params.yaml`, the single source of every pipeline parameter: the
sections of params.py, which are all this project reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .params import DEFAULT_PARAMS, PipelineSettings

# The environment variable that says where the model comes from (model_source.py), and the
# sources this project has: the model the train stage saved under `paths.model`.
MODEL_SOURCE_VARIABLE = "MODEL_SOURCE"
MODEL_SOURCES = ("file",)
# Every environment variable the project reads.
ENVIRONMENT_VARIABLES = (MODEL_SOURCE_VARIABLE,)


@dataclass(frozen=True)
class Settings(PipelineSettings):
    """Every section of params.yaml."""


def load_settings(params_file: Path = DEFAULT_PARAMS) -> Settings:
    """Read and check `params.yaml`; relative paths resolve against its folder."""
    return Settings.read(params_file)

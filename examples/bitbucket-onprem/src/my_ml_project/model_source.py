"""Where the served or batch-scored model comes from: the environment variable MODEL_SOURCE, one
of MODEL_SOURCES (config.py). The `file` source is the model the pipeline's train stage saved
under `paths.model` (what the serving image carries).

A module of its own, free of heavy imports: serving reads it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .config import MODEL_SOURCE_VARIABLE, MODEL_SOURCES
from .params import ConfigError


def model_source(environ: Mapping[str, str] = os.environ) -> str:
    """MODEL_SOURCE when it is set, else the default (the first); a value not in MODEL_SOURCES is refused."""
    source = environ.get(MODEL_SOURCE_VARIABLE) or MODEL_SOURCES[0]
    if source not in MODEL_SOURCES:
        raise ConfigError(
            f"{MODEL_SOURCE_VARIABLE} must be one of {', '.join(MODEL_SOURCES)}, got {source!r}"
        )
    return source

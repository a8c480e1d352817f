"""The fitted pipeline on disk: one joblib file in the model folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
from sklearn.pipeline import Pipeline

from .artifacts import require_file

MODEL_FILE = "model.joblib"


def save_pipeline(pipeline: Pipeline, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, directory / MODEL_FILE)


def load_pipeline(directory: Path) -> Any:
    """What the joblib file holds (model.py checks that it is a pipeline)."""
    return joblib.load(require_file(directory / MODEL_FILE))

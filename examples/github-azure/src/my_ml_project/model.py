"""The scikit-learn model: preprocessing and logistic regression in one pipeline.

The pipeline takes the raw feature columns, so its MLflow `sklearn` flavour is self-contained.
pipeline_files.py saves and loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .features import FeaturesConfig, build_preprocessor
from .model_config import ModelConfig
from .pipeline_files import load_pipeline, save_pipeline

FRAMEWORK: Final = f"scikit-learn {sklearn.__version__}"
# The MLflow flavour (module `mlflow.<FLAVOUR>`) that logs and loads `Model.native`.
FLAVOUR: Final = "sklearn"
# The logged model answers as this one scores, with probabilities (floats), not the flavour's
# default class labels, whose integer column MLflow's signature would warn about.
LOG_OPTIONS: Final = {"pyfunc_predict_fn": "predict_proba"}


class Model:
    """A scikit-learn pipeline behind the framework-neutral `Classifier` contract."""

    def __init__(self, pipeline: Pipeline, features: FeaturesConfig) -> None:
        self.pipeline = pipeline
        self.features = features

    def fit(self, frame: pd.DataFrame, labels: pd.Series) -> dict[str, float]:
        """Fit on the rows; returns training metrics for the experiment log."""
        self.pipeline.fit(self.native_input(frame), labels)
        return {"train_accuracy": round(float(self.pipeline.score(self.native_input(frame), labels)), 4)}

    def predict_proba(self, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
        probabilities: npt.NDArray[np.float64] = self.pipeline.predict_proba(self.native_input(frame))[:, 1]
        return probabilities

    @property
    def native(self) -> Pipeline:
        return self.pipeline

    def native_input(self, frame: pd.DataFrame) -> pd.DataFrame:
        # Numbers as floats: an integer column could not hold a missing value at serving time,
        # and the signature MLflow infers from these rows would refuse one.
        return frame[list(self.features.columns)].astype(dict.fromkeys(self.features.numeric, "float64"))

    def native_output(self, inputs: pd.DataFrame) -> npt.NDArray[np.float64]:
        # Each class's probability, which LOG_OPTIONS has the logged model answer.
        probabilities: npt.NDArray[np.float64] = self.pipeline.predict_proba(inputs)
        return probabilities

    def save(self, directory: Path) -> None:
        save_pipeline(self.pipeline, directory)

    def save_companions(self, directory: Path) -> None:
        """The pipeline holds its own preprocessing: nothing to add."""


def build_model(features: FeaturesConfig, config: ModelConfig, seed: int) -> Model:
    classifier = LogisticRegression(
        C=config.regularization,
        max_iter=config.max_iter,
        class_weight=config.class_weight,
        random_state=seed,
    )
    return Model(Pipeline([("features", build_preprocessor(features)), ("classifier", classifier)]), features)


def load_model(directory: Path, features: FeaturesConfig) -> Model:
    return from_native(load_pipeline(directory), directory, features)


def from_native(native: Any, companions: Path, features: FeaturesConfig) -> Model:
    """The model around a native object loaded from files or from MLflow."""
    if not isinstance(native, Pipeline):
        raise TypeError(f"expected a scikit-learn Pipeline, got {type(native).__name__}")
    return Model(native, features)

"""The scikit-learn model: preprocessing and logistic regression in one pipeline.

The pipeline takes the raw feature columns, so its MLflow `sklearn` flavour is self-contained.
Saving it also exports it to ONNX, which the serving app runs with onnxruntime alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import joblib
import numpy as np
import numpy.typing as npt
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .artifacts import ONNX_FILE, require_file
from .features import FeaturesConfig, build_preprocessor
from .model_config import ModelConfig

FRAMEWORK: Final = f"scikit-learn {sklearn.__version__}"
# The MLflow flavour (module `mlflow.<FLAVOUR>`) that logs and loads `Model.native`.
FLAVOUR: Final = "sklearn"
MODEL_FILE = "model.joblib"


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

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.pipeline, directory / MODEL_FILE)
        (directory / ONNX_FILE).write_bytes(export_onnx(self.pipeline, self.features))

    def save_companions(self, directory: Path) -> None:
        """The pipeline holds its own preprocessing: nothing to add."""


def export_onnx(pipeline: Pipeline, features: FeaturesConfig) -> bytes:
    """The pipeline as an ONNX graph: one input per feature column (float64 numbers, so that its
    probabilities equal the pipeline's; string categories), class probabilities as a matrix."""
    # Imported here: skl2onnx imports onnx, which only saving needs.
    from skl2onnx import convert_sklearn  # noqa: PLC0415
    from skl2onnx.common.data_types import DoubleTensorType, StringTensorType  # noqa: PLC0415

    inputs = [(name, DoubleTensorType([None, 1])) for name in features.numeric]
    inputs += [(name, StringTensorType([None, 1])) for name in features.categorical]
    # No ZipMap: probabilities as one matrix, not a dictionary per row.
    options = {LogisticRegression: {"zipmap": False}}
    exported = convert_sklearn(pipeline, initial_types=inputs, options=options)
    return bytes(exported.SerializeToString())


def build_model(features: FeaturesConfig, config: ModelConfig, seed: int) -> Model:
    classifier = LogisticRegression(
        C=config.regularization,
        max_iter=config.max_iter,
        class_weight=config.class_weight,
        random_state=seed,
    )
    return Model(Pipeline([("features", build_preprocessor(features)), ("classifier", classifier)]), features)


def load_model(directory: Path, features: FeaturesConfig) -> Model:
    return from_native(joblib.load(require_file(directory / MODEL_FILE)), directory, features)


def from_native(native: Any, companions: Path, features: FeaturesConfig) -> Model:
    """The model around a native object loaded from files or from MLflow."""
    if not isinstance(native, Pipeline):
        raise TypeError(f"expected a scikit-learn Pipeline, got {type(native).__name__}")
    return Model(native, features)

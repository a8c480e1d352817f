"""The TensorFlow model: the shared preprocessing, then a small Keras network.

Training is deterministic for a given seed: Keras seeds every random source and TensorFlow is
asked for deterministic ops. TensorFlow uses a GPU by itself when its CUDA build is installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import keras
import numpy as np
import numpy.typing as npt
import pandas as pd
import tensorflow as tf
from sklearn.compose import ColumnTransformer

from .artifacts import require_file
from .features import FeaturesConfig, build_preprocessor
from .model_config import ModelConfig
from .network import load_preprocessor, positive_weight, save_preprocessor

FRAMEWORK: Final = f"TensorFlow {tf.__version__}"
# The MLflow flavour (module `mlflow.<FLAVOUR>`) that logs and loads `Model.native`.
FLAVOUR: Final = "tensorflow"
# What `log_model` is told besides the model: nothing, the flavour's pyfunc already answers scores.
LOG_OPTIONS: Final[dict[str, str]] = {}
NETWORK_FILE = "network.keras"


def build_network(inputs: int, hidden_units: int, learning_rate: float) -> keras.Model:
    network = keras.Sequential(
        [
            keras.Input(shape=(inputs,)),
            keras.layers.Dense(hidden_units, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    network.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
    return network


class Model:
    """The preprocessor and the network behind the framework-neutral `Classifier` contract."""

    def __init__(
        self,
        preprocessor: ColumnTransformer,
        network: keras.Model | None,
        features: FeaturesConfig,
        config: ModelConfig | None = None,
        seed: int = 0,
    ) -> None:
        self.preprocessor = preprocessor
        self.network = network
        self.features = features
        self.config = config
        self.seed = seed

    def fit(self, frame: pd.DataFrame, labels: pd.Series) -> dict[str, float]:
        """Fit the preprocessor and train the network; returns the last epoch's loss."""
        if self.config is None:
            raise ValueError("a loaded model has no training configuration; build one with build_model")
        config = self.config
        keras.utils.set_random_seed(self.seed)
        tf.config.experimental.enable_op_determinism()
        self.preprocessor.fit(frame[list(self.features.columns)])
        inputs = self.native_input(frame)
        network = build_network(inputs.shape[1], config.hidden_units, config.learning_rate)
        weight = positive_weight(labels, config.class_weight)
        history = network.fit(
            inputs,
            labels.to_numpy(dtype=np.float32),
            epochs=config.epochs,
            batch_size=config.batch_size,
            shuffle=True,
            class_weight={0: 1.0, 1: weight},
            verbose=0,
        )
        self.network = network
        return {"train_loss": round(float(history.history["loss"][-1]), 4)}

    def predict_proba(self, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
        network = self._fitted_network()
        scores = network.predict(self.native_input(frame), verbose=0)
        return np.asarray(scores, dtype=np.float64).reshape(-1)

    @property
    def native(self) -> keras.Model:
        return self._fitted_network()

    def native_input(self, frame: pd.DataFrame) -> npt.NDArray[np.float32]:
        encoded: npt.NDArray[Any] = self.preprocessor.transform(frame[list(self.features.columns)])
        return encoded.astype(np.float32)

    def native_output(self, inputs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        # The sigmoid's scores, as MLflow's tensorflow flavour answers.
        scores: npt.NDArray[np.float32] = np.asarray(self._fitted_network().predict(inputs, verbose=0))
        return scores

    def save(self, directory: Path) -> None:
        network = self._fitted_network()
        self.save_companions(directory)
        network.save(directory / NETWORK_FILE)

    def save_companions(self, directory: Path) -> None:
        save_preprocessor(self.preprocessor, directory)

    def _fitted_network(self) -> keras.Model:
        if self.network is None:
            raise ValueError("the model is not trained yet: call fit first")
        return self.network


def build_model(features: FeaturesConfig, config: ModelConfig, seed: int) -> Model:
    return Model(build_preprocessor(features), None, features, config, seed)


def load_model(directory: Path, features: FeaturesConfig) -> Model:
    return from_native(keras.models.load_model(require_file(directory / NETWORK_FILE)), directory, features)


def from_native(native: Any, companions: Path, features: FeaturesConfig) -> Model:
    """The model around a network loaded from files or from MLflow, with its preprocessor."""
    if not isinstance(native, keras.Model):
        raise TypeError(f"expected a Keras model, got {type(native).__name__}")
    return Model(load_preprocessor(companions), native, features)

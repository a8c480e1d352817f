"""The PyTorch model: the shared preprocessing, then a small feed-forward network.

Training is deterministic for a given seed: every random source is seeded and PyTorch is asked
for deterministic kernels. It runs on a GPU when one is available (`device: auto`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import torch
from sklearn.compose import ColumnTransformer
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from .artifacts import require_file
from .features import FeaturesConfig, build_preprocessor
from .model_config import ModelConfig
from .network import load_preprocessor, positive_weight, save_preprocessor

FRAMEWORK: Final = f"PyTorch {torch.__version__}"
# The MLflow flavour (module `mlflow.<FLAVOUR>`) that logs and loads `Model.native`.
FLAVOUR: Final = "pytorch"
# What `log_model` is told besides the model: nothing, the flavour's pyfunc already answers scores.
LOG_OPTIONS: Final[dict[str, str]] = {}
WEIGHTS_FILE = "network.pt"
SHAPE_FILE = "network.json"


class Network(nn.Module):
    """One hidden layer; returns logits (the sigmoid is applied when scoring)."""

    def __init__(self, inputs: int, hidden_units: int) -> None:
        super().__init__()
        self.inputs = inputs
        self.hidden_units = hidden_units
        self.layers = nn.Sequential(nn.Linear(inputs, hidden_units), nn.ReLU(), nn.Linear(hidden_units, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.layers(features).squeeze(-1)
        return logits


def select_device(preference: str) -> torch.device:
    if preference == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(preference)


class Model:
    """The preprocessor and the network behind the framework-neutral `Classifier` contract."""

    def __init__(
        self,
        preprocessor: ColumnTransformer,
        network: nn.Module | None,
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
        """Fit the preprocessor and train the network; returns the last epoch's mean loss."""
        if self.config is None:
            raise ValueError("a loaded model has no training configuration; build one with build_model")
        config = self.config
        torch.manual_seed(self.seed)
        torch.use_deterministic_algorithms(True)
        if config.threads:
            torch.set_num_threads(config.threads)
        device = select_device(config.device)
        self.preprocessor.fit(frame[list(self.features.columns)])
        inputs = torch.from_numpy(self.native_input(frame))
        targets = torch.tensor(labels.to_numpy(), dtype=torch.float32)
        network = Network(inputs.shape[1], config.hidden_units).to(device)
        loss_function = nn.BCEWithLogitsLoss(
            pos_weight=torch.tensor(positive_weight(labels, config.class_weight), device=device)
        )
        optimizer = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
        batches = DataLoader(
            TensorDataset(inputs, targets),
            batch_size=config.batch_size,
            shuffle=True,
            generator=torch.Generator().manual_seed(self.seed),
        )
        epoch_loss = 0.0
        network.train()
        for _ in range(config.epochs):
            total = 0.0
            for batch_inputs, batch_targets in batches:
                optimizer.zero_grad()
                loss = loss_function(network(batch_inputs.to(device)), batch_targets.to(device))
                loss.backward()
                optimizer.step()
                total += float(loss.item()) * len(batch_targets)
            epoch_loss = total / len(targets)
        self.network = network.eval().cpu()
        return {"train_loss": round(epoch_loss, 4)}

    def predict_proba(self, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
        network = self._fitted_network()
        with torch.no_grad():
            logits = network(torch.from_numpy(self.native_input(frame)))
        return torch.sigmoid(logits).numpy().astype(np.float64)

    @property
    def native(self) -> nn.Module:
        return self._fitted_network()

    def native_input(self, frame: pd.DataFrame) -> npt.NDArray[np.float32]:
        encoded: npt.NDArray[Any] = self.preprocessor.transform(frame[list(self.features.columns)])
        return encoded.astype(np.float32)

    def native_output(self, inputs: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        # The logits, as MLflow's pytorch flavour answers.
        with torch.no_grad():
            logits: npt.NDArray[np.float32] = self._fitted_network()(torch.from_numpy(inputs)).numpy()
        return logits

    def save(self, directory: Path) -> None:
        network = self._fitted_network()
        if not isinstance(network, Network):
            raise TypeError("only a network trained here can be saved; a registered one stays in MLflow")
        self.save_companions(directory)
        torch.save(network.state_dict(), directory / WEIGHTS_FILE)
        shape = {"inputs": network.inputs, "hidden_units": network.hidden_units}
        (directory / SHAPE_FILE).write_text(json.dumps(shape) + "\n", encoding="utf-8")

    def save_companions(self, directory: Path) -> None:
        save_preprocessor(self.preprocessor, directory)

    def _fitted_network(self) -> nn.Module:
        if self.network is None:
            raise ValueError("the model is not trained yet: call fit first")
        return self.network


def build_model(features: FeaturesConfig, config: ModelConfig, seed: int) -> Model:
    return Model(build_preprocessor(features), None, features, config, seed)


def load_model(directory: Path, features: FeaturesConfig) -> Model:
    shape = json.loads(require_file(directory / SHAPE_FILE).read_text(encoding="utf-8"))
    network = Network(int(shape["inputs"]), int(shape["hidden_units"]))
    network.load_state_dict(torch.load(require_file(directory / WEIGHTS_FILE), weights_only=True))
    return from_native(network.eval(), directory, features)


def from_native(native: Any, companions: Path, features: FeaturesConfig) -> Model:
    """The model around a network loaded from files or from MLflow, with its preprocessor.

    MLflow stores the network as an exported graph (`torch.export`, no pickle), which loads as
    a module of another class that computes the same logits.
    """
    if not isinstance(native, nn.Module):
        raise TypeError(f"expected a PyTorch module, got {type(native).__name__}")
    return Model(load_preprocessor(companions), native, features)

"""The model as serving sees it: columns of plain values in, one probability per row out.

Whatever the framework, the app scores through `ServingModel`, so that it imports neither pandas
nor the framework itself where it can do without them.

From a file (MODEL_SOURCE=file, as in the serving image), the scikit-learn pipeline runs as the
ONNX graph that training exports beside it, with onnxruntime: the image carries neither pandas,
scikit-learn nor SciPy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

from ..artifacts import ONNX_FILE, Classifier, require_file
from ..config import Settings
from ..data_schema import FeaturesConfig
from ..model_source import model_source

if TYPE_CHECKING:
    import onnxruntime

# One value per row, for each feature column.
Columns = Mapping[str, Sequence[float | str]]


class ServingModel(Protocol):
    """A trained binary classifier, as the app calls it."""

    def probabilities(self, columns: Columns) -> npt.NDArray[np.float64]:
        """Probability of the positive class, one per row."""
        ...


class NativeModel:
    """The framework's own model (`Classifier`), which takes a pandas frame."""

    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier

    def probabilities(self, columns: Columns) -> npt.NDArray[np.float64]:
        # Imported here: pandas comes with the framework's model, not with the app.
        import pandas as pd  # noqa: PLC0415

        return self.classifier.predict_proba(pd.DataFrame(columns))


class OnnxModel:
    """The exported pipeline: one input per feature column (numbers as float64, categories as
    strings, each a column vector), and the class probabilities as an output."""

    def __init__(self, session: onnxruntime.InferenceSession, features: FeaturesConfig) -> None:
        self.session = session
        self.features = features

    def probabilities(self, columns: Columns) -> npt.NDArray[np.float64]:
        numeric, categorical = self.features.numeric, self.features.categorical
        feeds = {name: np.asarray(columns[name], dtype=np.float64).reshape(-1, 1) for name in numeric}
        feeds.update({name: np.asarray(columns[name], dtype=object).reshape(-1, 1) for name in categorical})
        (probabilities,) = self.session.run(["probabilities"], feeds)
        return np.asarray(probabilities, dtype=np.float64)[:, 1]


def load_serving_model(settings: Settings) -> ServingModel:
    """The trained model, from the source MODEL_SOURCE names (see model_source.py)."""
    if model_source() == "registry":
        # Imported here: MLflow takes seconds to import, and the file source never needs it.
        from ..tracking import load_champion  # noqa: PLC0415

        return NativeModel(load_champion(settings))
    path = require_file(settings.paths.model / ONNX_FILE)
    # onnxruntime sends usage telemetry unless told not to (and, on a read-only root filesystem,
    # warns that it cannot store a device ID): off, before its first import.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime  # noqa: PLC0415

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: its warnings are about graph optimisations
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return OnnxModel(session, settings.features)

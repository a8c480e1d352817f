"""Where the app's model comes from.

From a file (MODEL_SOURCE=file, as in the serving image), the scikit-learn pipeline runs as the
ONNX graph that training exports beside it, with onnxruntime: the image carries neither pandas,
scikit-learn nor SciPy. Any other source gives the native model, as batch scoring loads it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from ..artifacts import require_file
from ..config import Settings
from ..data_schema import FeaturesConfig
from ..model_source import model_source
from ..pipeline_files import ONNX_FILE
from .model import Columns, NativeModel, ServingModel

if TYPE_CHECKING:
    import onnxruntime


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
    if model_source() != "file":
        # Imported here: the native model needs pandas and scikit-learn, which the file source does not.
        from ..trained_model import load_trained_model  # noqa: PLC0415

        return NativeModel(load_trained_model(settings))
    path = require_file(settings.paths.model / ONNX_FILE)
    # onnxruntime sends usage telemetry unless told not to (and, on a read-only root filesystem,
    # warns that it cannot store a device ID): off, before its first import.
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime  # noqa: PLC0415

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: its warnings are about graph optimisations
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return OnnxModel(session, settings.features)

"""The fitted pipeline on disk: a joblib file, and its ONNX export beside it, which the serving app
runs with onnxruntime alone.

Serving imports this module for ONNX_FILE in an image without joblib or scikit-learn: they are
imported where they are used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .artifacts import require_file

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

MODEL_FILE = "model.joblib"
ONNX_FILE = "model.onnx"


def save_pipeline(pipeline: Pipeline, directory: Path) -> None:
    import joblib  # noqa: PLC0415

    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(pipeline, directory / MODEL_FILE)
    (directory / ONNX_FILE).write_bytes(export_onnx(pipeline))


def load_pipeline(directory: Path) -> Any:
    """What the joblib file holds (model.py checks that it is a pipeline)."""
    import joblib  # noqa: PLC0415

    return joblib.load(require_file(directory / MODEL_FILE))


def export_onnx(pipeline: Pipeline) -> bytes:
    """The pipeline as an ONNX graph: one input per feature column (float64 numbers, so that its
    probabilities equal the pipeline's; string categories), class probabilities as a matrix."""
    # Imported here: skl2onnx imports onnx, which only saving needs.
    from skl2onnx import convert_sklearn  # noqa: PLC0415
    from skl2onnx.common.data_types import DoubleTensorType, StringTensorType  # noqa: PLC0415
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    # The columns that each step of the preprocessor (features.py) takes.
    columns = {step: list(names) for step, _, names in pipeline.named_steps["features"].transformers}
    inputs = [(name, DoubleTensorType([None, 1])) for name in columns["numeric"]]
    inputs += [(name, StringTensorType([None, 1])) for name in columns["categorical"]]
    # No ZipMap: probabilities as one matrix, not a dictionary per row.
    options = {LogisticRegression: {"zipmap": False}}
    exported = convert_sklearn(pipeline, initial_types=inputs, options=options)
    return bytes(exported.SerializeToString())

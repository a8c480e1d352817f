"""What every framework's model provides, and how its files are kept.

`model.py` differs per framework; the pipeline, prediction, tracking and serving code use only
this contract, so they are the same whichever framework the project was started with.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

# Serving imports this module for ModelNotFoundError in an image without pandas or scikit-learn:
# they are imported where they are used.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    from sklearn.compose import ColumnTransformer

PREPROCESSOR_FILE = "preprocessor.joblib"
# The model exported for serving where the framework has an exporter (scikit-learn): onnxruntime
# runs it without the framework.
ONNX_FILE = "model.onnx"


class ModelNotFoundError(FileNotFoundError):
    """No trained or registered model where one was expected."""


class Classifier(Protocol):
    """A fitted binary classifier over the feature columns of `params.yaml`."""

    def predict_proba(self, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Probability of the positive class, one per row."""
        ...

    @property
    def native(self) -> Any:
        """The framework's own model object, as its MLflow flavour logs it."""
        ...

    def native_input(self, frame: pd.DataFrame) -> Any:
        """What `native` takes as input for these rows (for the MLflow signature)."""
        ...

    def save(self, directory: Path) -> None:
        """Write every file needed to load the model again."""
        ...

    def save_companions(self, directory: Path) -> None:
        """Write the files beside the native model that loading it needs (may be none)."""
        ...


def require_file(path: Path) -> Path:
    """The path itself, or a clear error saying how to produce it."""
    if not path.is_file():
        raise ModelNotFoundError(
            f"no trained model at {path.parent}: run `make pipeline` (or `dvc pull`) first"
        )
    return path


def save_preprocessor(preprocessor: ColumnTransformer, directory: Path) -> None:
    import joblib  # noqa: PLC0415

    directory.mkdir(parents=True, exist_ok=True)
    joblib.dump(preprocessor, directory / PREPROCESSOR_FILE)


def load_preprocessor(directory: Path) -> ColumnTransformer:
    import joblib  # noqa: PLC0415
    from sklearn.compose import ColumnTransformer  # noqa: PLC0415

    loaded = joblib.load(require_file(directory / PREPROCESSOR_FILE))
    if not isinstance(loaded, ColumnTransformer):
        raise TypeError(f"{directory / PREPROCESSOR_FILE} does not hold a fitted ColumnTransformer")
    return loaded


def positive_weight(labels: pd.Series, class_weight: str | None) -> float:
    """Weight of a positive example so that both classes count equally when "balanced"."""
    positives = int(labels.sum())
    if class_weight != "balanced" or positives in (0, len(labels)):
        return 1.0
    return (len(labels) - positives) / positives

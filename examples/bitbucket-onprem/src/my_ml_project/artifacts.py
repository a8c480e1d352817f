"""What every framework's model provides, and how its files are kept.

`model.py` differs per framework; the pipeline, prediction, tracking and serving code use only
this contract, so they are the same whichever framework the project was started with.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

# Serving imports this module for ModelNotFoundError in an image without pandas: types only.
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd


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

    def native_output(self, inputs: Any) -> Any:
        """What the logged model answers for `native_input`'s rows (for the MLflow signature)."""
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

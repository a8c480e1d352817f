"""The model as serving sees it: columns of plain values in, one probability per row out.

Whatever the framework, the app scores through `ServingModel`, so that it imports neither pandas
nor the framework itself where it can do without them; loading.py loads the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..artifacts import Classifier

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

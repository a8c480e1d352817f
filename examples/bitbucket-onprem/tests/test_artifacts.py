from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd
import pytest

from my_ml_project.artifacts import (
    PREPROCESSOR_FILE,
    ModelNotFoundError,
    load_preprocessor,
    save_preprocessor,
)
from my_ml_project.config import Settings
from my_ml_project.features import build_preprocessor


def test_preprocessor_round_trip(customers: pd.DataFrame, settings: Settings, tmp_path: Path) -> None:
    fitted = build_preprocessor(settings.features).fit(customers)
    save_preprocessor(fitted, tmp_path / "model")

    reloaded = load_preprocessor(tmp_path / "model")

    assert (reloaded.transform(customers) == fitted.transform(customers)).all()


def test_a_missing_preprocessor_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make pipeline"):
        load_preprocessor(tmp_path)


def test_something_else_is_not_taken_for_a_preprocessor(tmp_path: Path) -> None:
    joblib.dump({"not": "a preprocessor"}, tmp_path / PREPROCESSOR_FILE)

    with pytest.raises(TypeError, match="ColumnTransformer"):
        load_preprocessor(tmp_path)

"""What only the neural-network models have: a training configuration, and the preprocessor and
class weight of network.py."""

from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd
import pytest

from my_ml_project.artifacts import ModelNotFoundError
from my_ml_project.config import Settings
from my_ml_project.features import build_preprocessor
from my_ml_project.model import build_model, load_model
from my_ml_project.network import (
    PREPROCESSOR_FILE,
    load_preprocessor,
    positive_weight,
    save_preprocessor,
)


def test_a_loaded_model_cannot_be_trained_again(
    customers: pd.DataFrame, settings: Settings, tmp_path: Path
) -> None:
    model = build_model(settings.features, settings.model, settings.seed)
    model.fit(customers, customers["churned"])
    model.save(tmp_path)

    with pytest.raises(ValueError, match="training configuration"):
        load_model(tmp_path, settings.features).fit(customers, customers["churned"])


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


@pytest.mark.parametrize(
    ("labels", "class_weight", "expected"),
    [
        ([0, 0, 0, 1], "balanced", 3.0),
        ([0, 0, 0, 1], None, 1.0),
        ([1, 1], "balanced", 1.0),
    ],
)
def test_positive_weight_balances_the_classes(
    labels: list[int], class_weight: str | None, expected: float
) -> None:
    assert positive_weight(pd.Series(labels), class_weight) == expected

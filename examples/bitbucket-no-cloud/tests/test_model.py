from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from my_ml_project.artifacts import ModelNotFoundError
from my_ml_project.config import Settings
from my_ml_project.features import build_preprocessor
from my_ml_project.model import Model, build_model, from_native, load_model


@pytest.fixture
def fitted(customers: pd.DataFrame, settings: Settings) -> Model:
    model = build_model(settings.features, settings.model, settings.seed)
    model.fit(customers, customers["churned"])
    return model


def test_preprocessor_scales_numbers_and_encodes_categories(
    customers: pd.DataFrame, settings: Settings
) -> None:
    encoded = build_preprocessor(settings.features).fit(customers)

    names = list(encoded.get_feature_names_out())
    assert names[:3] == list(settings.features.numeric)
    assert "contract_two-year" in names
    assert encoded.transform(customers).shape == (len(customers), len(names))


def test_unseen_categories_do_not_break_scoring(customers: pd.DataFrame, settings: Settings) -> None:
    preprocessor = build_preprocessor(settings.features).fit(customers)
    unseen = customers.head(1).assign(contract="lifetime")

    assert preprocessor.transform(unseen).shape[0] == 1


def test_fit_reports_training_metrics(customers: pd.DataFrame, settings: Settings) -> None:
    model = build_model(settings.features, settings.model, settings.seed)

    metrics = model.fit(customers, customers["churned"])

    assert metrics
    assert all(isinstance(value, float) for value in metrics.values())


def test_model_learns_the_signal(fitted: Model, customers: pd.DataFrame) -> None:
    probabilities = fitted.predict_proba(customers)

    assert probabilities.shape == (len(customers),)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert roc_auc_score(customers["churned"], probabilities) > 0.8


def test_training_is_deterministic_for_a_seed(
    fitted: Model, customers: pd.DataFrame, settings: Settings
) -> None:
    again = build_model(settings.features, settings.model, settings.seed)
    again.fit(customers, customers["churned"])

    np.testing.assert_allclose(again.predict_proba(customers), fitted.predict_proba(customers), atol=1e-6)


def test_save_and_load_round_trip(
    fitted: Model, customers: pd.DataFrame, settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "nested" / "model"
    fitted.save(directory)

    reloaded = load_model(directory, settings.features)
    np.testing.assert_allclose(reloaded.predict_proba(customers), fitted.predict_proba(customers), atol=1e-6)


def test_native_model_and_companions_rebuild_the_model(
    fitted: Model, customers: pd.DataFrame, settings: Settings, tmp_path: Path
) -> None:
    fitted.save_companions(tmp_path)

    rebuilt = from_native(fitted.native, tmp_path, settings.features)

    np.testing.assert_allclose(rebuilt.predict_proba(customers), fitted.predict_proba(customers), atol=1e-6)
    assert fitted.native_input(customers.head(3)).shape[0] == 3


def test_something_else_is_not_taken_for_a_model(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="expected"):
        from_native({"not": "a model"}, tmp_path, settings.features)


def test_an_untrained_model_refuses_to_score(customers: pd.DataFrame, settings: Settings) -> None:
    untrained = build_model(settings.features, settings.model, settings.seed)

    with pytest.raises(ValueError, match="fit"):
        untrained.predict_proba(customers)


def test_loading_a_missing_model_says_how_to_make_one(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make pipeline"):
        load_model(tmp_path / "model", settings.features)

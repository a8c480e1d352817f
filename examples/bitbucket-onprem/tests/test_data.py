from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.config import Settings
from my_ml_project.data import (
    DataValidationError,
    load_csv,
    prepare,
    split,
    validate_features,
    validate_training_data,
)


def test_valid_data_passes(customers: pd.DataFrame, settings: Settings) -> None:
    validate_training_data(customers, settings.data, settings.features)


def test_missing_columns_are_listed(customers: pd.DataFrame, settings: Settings) -> None:
    broken = customers.drop(columns=["contract", "support_calls"])

    with pytest.raises(DataValidationError, match="missing columns: support_calls, contract"):
        validate_training_data(broken, settings.data, settings.features)


def test_text_in_a_numeric_column_is_refused(customers: pd.DataFrame, settings: Settings) -> None:
    broken = customers.assign(monthly_charges="expensive")

    with pytest.raises(DataValidationError, match="'monthly_charges' must be numeric"):
        validate_training_data(broken, settings.data, settings.features)


def test_missing_feature_values_are_counted(customers: pd.DataFrame, settings: Settings) -> None:
    broken = customers.copy()
    broken.loc[:2, "tenure_months"] = None

    assert validate_features(broken, settings.features) == ["column 'tenure_months' has 3 missing value(s)"]


def test_target_must_be_binary(customers: pd.DataFrame, settings: Settings) -> None:
    broken = customers.assign(churned=customers["churned"] * 2)

    with pytest.raises(DataValidationError, match="only 0 and 1"):
        validate_training_data(broken, settings.data, settings.features)


def test_target_needs_both_classes(customers: pd.DataFrame, settings: Settings) -> None:
    with pytest.raises(DataValidationError, match="needs both classes"):
        validate_training_data(customers.assign(churned=0), settings.data, settings.features)


def test_missing_target_column_and_missing_labels(customers: pd.DataFrame, settings: Settings) -> None:
    with pytest.raises(DataValidationError, match="missing target column 'churned'"):
        validate_training_data(customers.drop(columns="churned"), settings.data, settings.features)
    with_gap = customers.astype({"churned": "float"})
    with_gap.loc[0, "churned"] = None
    with pytest.raises(DataValidationError, match="target 'churned' has missing values"):
        validate_training_data(with_gap, settings.data, settings.features)


def test_too_few_rows(customers: pd.DataFrame, settings: Settings) -> None:
    with pytest.raises(DataValidationError, match="fewer than the 100 required"):
        validate_training_data(customers.head(10), settings.data, settings.features)


def test_split_is_stratified_and_reproducible(customers: pd.DataFrame, settings: Settings) -> None:
    train, test = split(customers, settings.data, seed=7)
    again, _ = split(customers, settings.data, seed=7)

    # scikit-learn rounds the test split up: the team's `test_size` in params.yaml holds here too.
    assert len(test) == math.ceil(len(customers) * settings.data.test_size)
    assert train.index.equals(again.index)
    assert abs(train["churned"].mean() - test["churned"].mean()) < 0.05


def test_load_csv_explains_a_missing_or_empty_file(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="dvc pull"):
        load_csv(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(DataValidationError, match="is empty"):
        load_csv(empty)


def test_prepare_writes_only_the_declared_columns(customers: pd.DataFrame, settings: Settings) -> None:
    train_rows, test_rows = prepare(settings)

    train = pd.read_csv(settings.paths.train_data)
    assert (train_rows, test_rows) == (
        len(customers) - math.ceil(len(customers) * settings.data.test_size),
        math.ceil(len(customers) * settings.data.test_size),
    )
    assert list(train.columns) == [*settings.features.columns, settings.data.target]
    assert len(pd.read_csv(settings.paths.test_data)) == test_rows

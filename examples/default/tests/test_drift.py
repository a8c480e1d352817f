from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.cli import DRIFT_FOUND, main
from my_ml_project.config import Settings
from my_ml_project.data import DataValidationError, prepare
from my_ml_project.monitoring.drift import (
    categorical_drift,
    check_drift,
    detect_drift,
    format_table,
    numeric_drift,
)

from .workspace import make_customers


def test_a_batch_from_the_same_population_does_not_drift(settings: Settings) -> None:
    reference, batch = make_customers(400, seed=1), make_customers(200, seed=2)

    results = detect_drift(reference, batch, settings.features, p_value=0.01)

    assert [result.feature for result in results] == list(settings.features.columns)
    assert not any(result.drifted for result in results)


def test_a_shifted_numeric_feature_drifts_alone(settings: Settings) -> None:
    reference = make_customers(400, seed=1)
    batch = make_customers(200, seed=2).assign(monthly_charges=lambda frame: frame["monthly_charges"] + 40)

    results = detect_drift(reference, batch, settings.features, p_value=0.01)

    assert [result.feature for result in results if result.drifted] == ["monthly_charges"]


def test_a_changed_category_mix_drifts(settings: Settings) -> None:
    reference = make_customers(400, seed=1)
    batch = make_customers(200, seed=2).assign(contract="month-to-month")

    result = categorical_drift("contract", reference["contract"], batch["contract"], p_value=0.01)

    assert result.drifted
    assert result.test == "chi-square"


def test_a_category_unseen_in_training_counts_as_drift() -> None:
    reference = pd.Series(["a", "b"] * 100)
    batch = pd.Series(["a", "b", "c", "c"] * 25)

    assert categorical_drift("plan", reference, batch, p_value=0.01).drifted


def test_a_single_category_on_both_sides_cannot_drift() -> None:
    result = categorical_drift("plan", pd.Series(["a"] * 50), pd.Series(["a"] * 10), p_value=0.01)

    assert (result.p_value, result.drifted) == (1.0, False)


def test_numeric_test_reports_the_ks_statistic() -> None:
    result = numeric_drift("x", pd.Series(range(100)), pd.Series(range(100, 200)), p_value=0.01)

    assert result.test == "ks"
    assert result.statistic == pytest.approx(1.0)
    assert result.drifted


def test_a_batch_without_rows_or_columns_is_refused(settings: Settings) -> None:
    reference = make_customers(100)

    with pytest.raises(DataValidationError, match="no rows"):
        detect_drift(reference, reference.head(0), settings.features, p_value=0.01)
    with pytest.raises(DataValidationError, match="missing columns: contract"):
        detect_drift(reference, reference.drop(columns="contract"), settings.features, p_value=0.01)


def test_table_names_each_feature_and_the_verdict(settings: Settings) -> None:
    reference = make_customers(400, seed=1)
    results = detect_drift(reference, reference.assign(support_calls=9), settings.features, p_value=0.01)

    table = format_table(results, p_value=0.01)

    assert table.splitlines()[0].split() == ["feature", "test", "statistic", "p-value", "drift"]
    assert len(table.splitlines()) == len(settings.features.columns) + 2
    assert table.splitlines()[-1] == (
        "drift in 1 of 5 features (threshold: a p-value below monitoring.p_value = 0.01): support_calls"
    )


def test_the_held_out_split_does_not_drift_from_the_training_split(settings: Settings) -> None:
    prepare(settings)

    results = check_drift(settings, settings.paths.test_data)

    assert len(results) == len(settings.features.columns)
    assert not any(result.drifted for result in results)


def test_drift_command_exits_non_zero_on_drift(
    settings: Settings, workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prepare(settings)
    params = str(workspace / "params.yaml")
    steady, shifted = settings.paths.test_data, tmp_path / "shifted.csv"
    pd.read_csv(steady).assign(tenure_months=1).to_csv(shifted, index=False)

    assert main(["--params", params, "drift", "--batch", str(steady)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "no drift in 5 features (threshold: a p-value below monitoring.p_value = 0.01)"
    )
    assert main(["--params", params, "drift", "--batch", str(shifted)]) == DRIFT_FOUND
    assert "tenure_months" in capsys.readouterr().out.splitlines()[-1]
    assert main(["--params", params, "drift", "--batch", str(tmp_path / "absent.csv")]) == 1

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from my_ml_project.config import load_settings
from my_ml_project.params import ConfigError


def _write_params(tmp_path: Path, edit: dict[str, object]) -> Path:
    params = yaml.safe_load((Path(__file__).resolve().parent.parent / "params.yaml").read_text())
    for dotted, value in edit.items():
        section, key = dotted.split(".")
        params[section][key] = value
    target = tmp_path / "params.yaml"
    target.write_text(yaml.safe_dump(params))
    return target


def test_project_params_load_with_paths_resolved_against_their_folder(workspace: Path) -> None:
    settings = load_settings(workspace / "params.yaml")

    assert settings.paths.raw_data == workspace / "data" / "raw" / "customers.csv"
    assert settings.features.columns == settings.features.numeric + settings.features.categorical


def test_missing_file_says_where_to_run_from(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "params.yaml")


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("seed: [unclosed\n")

    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(params)


def test_a_scalar_file_is_refused(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("42\n")

    with pytest.raises(ConfigError, match="mapping"):
        load_settings(params)


def test_missing_section_is_named(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("seed: 1\n")

    with pytest.raises(ConfigError, match="paths"):
        load_settings(params)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"data.test_size": 1.5}, "test_size"),
        ({"data.min_rows": 1}, "min_rows"),
        ({"data.target": "tenure_months"}, "must not also be a feature"),
        ({"model.class_weight": "sometimes"}, "model.class_weight"),
        ({"evaluate.threshold": 1}, "threshold"),
        ({"monitoring.p_value": 0}, "p_value"),
        ({"features.numeric": [], "features.categorical": []}, "at least one"),
        (
            {"features.categorical": ["contract", "region"]},
            r"schema: no categorical entry for the features \['region'\]",
        ),
        (
            {"schema.region": ["north"]},
            r"categorical entries for columns that are not categorical features: \['region'\]",
        ),
        ({"schema.contract": []}, "contract: list at least one category"),
        ({"schema.tenure_months": {"min": 10, "max": 1}}, "tenure_months: min 10.0 is above max 1.0"),
        (
            {"schema.monthly_charges": {"min": 0, "max": float("inf")}},
            "monthly_charges: min and max must be finite",
        ),
        (
            {"schema.support_calls": {"min": 0, "max": 2**64, "integer": True}},
            "support_calls: .* fit in 64 bits",
        ),
    ],
)
def test_out_of_range_values_are_refused(tmp_path: Path, edit: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(_write_params(tmp_path, edit))


def test_class_weight_may_be_unset(tmp_path: Path) -> None:
    settings = load_settings(_write_params(tmp_path, {"model.class_weight": None}))

    assert settings.model.class_weight is None


@pytest.mark.parametrize(
    "name",
    [
        name
        for name, value in yaml.safe_load(
            (Path(__file__).resolve().parent.parent / "params.yaml").read_text()
        )["model"].items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ],
)
def test_every_numeric_model_parameter_refuses_negatives(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match=f"model.{name}"):
        load_settings(_write_params(tmp_path, {f"model.{name}": -1}))

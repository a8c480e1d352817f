from __future__ import annotations

import json
import runpy
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from my_ml_project import DISTRIBUTION
from my_ml_project.cli import main

from .workspace import PACKAGE, PROJECT_ROOT


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])

    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("prepare", "train", "evaluate", "predict", "drift"):
        assert command in out


def test_usage_names_the_command_pyproject_installs(capsys: pytest.CaptureFixture[str]) -> None:
    scripts = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    (command,) = [name for name, target in scripts.items() if target == f"{PACKAGE}.cli:main"]

    with pytest.raises(SystemExit):
        main(["--help"])

    assert capsys.readouterr().out.startswith(f"usage: {command} ")


def test_module_entry_point_runs_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.argv", [PACKAGE, "--version"])

    with pytest.raises(SystemExit):
        runpy.run_module(PACKAGE, run_name="__main__")

    assert capsys.readouterr().out.startswith(f"{DISTRIBUTION} ")


def test_stages_then_predict(
    workspace: Path, customers: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    params = str(workspace / "params.yaml")
    for stage in ("prepare", "train", "evaluate"):
        assert main(["--params", params, stage]) == 0
    metrics = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert metrics["roc_auc"] > 0.8

    source = workspace / "incoming.csv"
    customers.drop(columns="churned").head(3).to_csv(source, index=False)
    assert main(["--params", params, "predict", str(source), str(workspace / "scored.csv")]) == 0
    assert "scored 3 rows" in capsys.readouterr().out


def test_errors_are_one_line_and_exit_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--params", str(tmp_path / "absent.yaml"), "train"]) == 1

    assert capsys.readouterr().err.startswith("error: ")


def test_predict_before_training_explains_what_to_run(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--params", str(workspace / "params.yaml"), "predict", "in.csv", "out.csv"])

    assert code == 1
    assert "make pipeline" in capsys.readouterr().err

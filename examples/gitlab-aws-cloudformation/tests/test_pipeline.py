"""Smoke test of the DVC pipeline definition against the code it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from my_ml_project.config import load_settings

from .workspace import PACKAGE, PROJECT_ROOT


# Each stage starts a Python process that imports the whole stack: `make check-all` and CI run it.
@pytest.mark.e2e
def test_every_stage_command_runs_in_order(workspace: Path) -> None:
    stages = yaml.safe_load((PROJECT_ROOT / "dvc.yaml").read_text())["stages"]

    for name, stage in stages.items():
        command = stage["cmd"].split()
        assert command[:3] == ["python", "-m", PACKAGE], name
        subprocess.run([sys.executable, *command[1:]], cwd=workspace, check=True)

    settings = load_settings(workspace / "params.yaml")
    assert settings.paths.metrics.exists()
    assert settings.paths.model.exists()


def test_stage_outputs_match_params_paths() -> None:
    stages = yaml.safe_load((PROJECT_ROOT / "dvc.yaml").read_text())["stages"]
    paths = yaml.safe_load((PROJECT_ROOT / "params.yaml").read_text())["paths"]

    declared = {
        out if isinstance(out, str) else next(iter(out))
        for stage in stages.values()
        for kind in ("outs", "metrics", "plots")
        for out in stage.get(kind, [])
    }
    assert declared == {"${paths." + name + "}" for name in paths if name != "raw_data"}

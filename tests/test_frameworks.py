"""Tier 3 (slow): each framework x tracking choice trains end to end and passes the whole gate.

scikit-learn with MLflow is the default, which test_project.py installs with each package
manager. Every project installs with uv and `make install`, as its users would; with the sandbox
switch on (helpers.SANDBOX_SWITCH), the PyTorch projects install with pip from the machine's CPU
wheel of torch instead, as the PyTorch index the project configures is out of its reach.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from tests.combinations import framework_rows
from tests.helpers import champion_in_registry, install_project, render, run, tool_env

pytestmark = pytest.mark.project


def _render_and_install(
    copie: Copie, framework: str, tracking: str
) -> tuple[Path, list[str], dict[str, str]]:
    """The rendered project, the `make` arguments that run its tools, and their environment."""
    # Python 3.11 for PyTorch: the sandbox's local torch wheel is built for it (helpers.install_project).
    python = {"python_version": "3.11"} if framework == "pytorch" else {}
    answers = {"ml_framework": framework, "experiment_tracking": tracking, "package_manager": "uv", **python}
    project = render(copie, **answers)
    make_args, env = install_project(project)
    return project, make_args, env


# PyTorch installs for minutes, and without MLflow the frameworks add little to what the matrix
# tier runs (each project's own tests, training included): CI's run leaves them out.
EXTENDED = {("pytorch", "mlflow"), ("pytorch", "none"), ("tensorflow", "none"), ("scikit-learn", "none")}
FRAMEWORK_TRACKING = [
    pytest.param(
        framework,
        tracking,
        id=f"{framework}-{tracking}",
        marks=[pytest.mark.extended] if (framework, tracking) in EXTENDED else [],
    )
    for framework, tracking in ((row["ml_framework"], row["experiment_tracking"]) for row in framework_rows())
]


@pytest.mark.parametrize(("framework", "tracking"), FRAMEWORK_TRACKING)
def test_trains_reproducibly_and_passes_the_gate(copie: Copie, framework: str, tracking: str) -> None:
    project, make_args, env = _render_and_install(copie, framework, tracking)

    run(["make", "check", *make_args], cwd=project, env=env)
    run(["make", "pipeline", *make_args], cwd=project, env=env)
    first = json.loads((project / "reports" / "metrics.json").read_text())
    assert first["roc_auc"] > 0.75
    card = (project / "reports" / "model-card.md").read_text()
    assert f"| roc_auc | {first['roc_auc']:.4f} |" in card

    # Same params, same data, same seed: a forced second run gives the same metrics.
    run(["dvc", "repro", "--force"], cwd=project, env=_project_tools_first(project, env))
    assert json.loads((project / "reports" / "metrics.json").read_text()) == first

    assert (project / "mlruns").exists() == (tracking == "mlflow")
    if tracking == "mlflow":
        registry = champion_in_registry(project, [str(project / ".venv" / "bin" / "python")], env)
        # The first run registered the champion; the equal second run did not replace it.
        assert registry["version"] == "1"
        assert registry["versions"] == 1
        assert registry["metrics"]["test_roc_auc"] == first["roc_auc"]
        assert registry["params"]["seed"] == "42"


def _project_tools_first(project: Path, env: dict[str, str]) -> dict[str, str]:
    """The environment with the project's own tools (dvc) first on PATH."""
    return {**env, "PATH": f"{project / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.extended
def test_mlflow_ui_serves_the_local_store(copie: Copie) -> None:
    project = render(copie, package_manager="uv")
    env = tool_env()
    run(["make", "install"], cwd=project, env=env)
    run(["make", "pipeline"], cwd=project, env=env)
    port = _free_port()

    server = subprocess.Popen(
        ["make", "mlflow-ui", f"MLFLOW_UI_PORT={port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        experiments = _wait_for_json(
            f"http://127.0.0.1:{port}/api/2.0/mlflow/experiments/search?max_results=10", server, 600
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)

    assert "my-ml-project" in [experiment["name"] for experiment in experiments["experiments"]]


def _wait_for_json(
    url: str, server: subprocess.Popen[bytes], timeout: float
) -> dict[str, list[dict[str, str]]]:
    """Poll the UI (it installs MLflow first) until it answers; fail if the make target dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "make mlflow-ui exited"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                payload: dict[str, list[dict[str, str]]] = json.loads(response.read())
                return payload
        except OSError:
            time.sleep(2)
    pytest.fail(f"no answer from {url} within {timeout} s")

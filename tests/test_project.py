"""Tier 3 (slow): rendered projects install with their own package manager and pass the gate.

One combination per package manager, together covering every Python version.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from extensions.package_managers import PACKAGE_MANAGERS
from tests.combinations import manager_rows
from tests.helpers import (
    champion_in_registry,
    git,
    render,
    run,
    tool_env,
    use_simple_index_for_poetry,
    warning_lines,
)
from tests.local_http import free_port, status_of, wait_until_answering

pytestmark = pytest.mark.project

# Each package manager, together covering every Python version (tests/combinations.py).
MANAGER_PYTHON = [(row["package_manager"], row["python_version"]) for row in manager_rows()]
# A team member's commit, through the hooks `make install` installed.
TEAM_COMMIT = ("git", "-c", "user.name=Team", "-c", "user.email=team@example.com", "commit", "-m")


def assert_the_gate_ran_schemathesis_and_the_stages(project: Path, manager: str) -> None:
    """Schemathesis (against the serving app) is in `make check`; the tests that start Python
    processes of their own (the stages, serving from a file) are the only ones it leaves to
    `make check-all` and CI."""
    collect = [*PACKAGE_MANAGERS[manager].run.split(), "pytest", "--collect-only", "-q", "--no-cov"]
    assert "tests/test_serve.py::test_the_api_keeps_its_openapi_contract" in run(
        [*collect, "-m", "not e2e"], cwd=project
    )
    end_to_end = [line for line in run([*collect, "-m", "e2e"], cwd=project).splitlines() if "::" in line]
    assert "tests/test_pipeline.py::test_every_stage_command_runs_in_order" in end_to_end
    # Serving from a file imports neither the training stack (ONNX) nor MLflow: one process each.
    serving = [test for test in end_to_end if test.startswith("tests/test_serve")]
    assert sorted(test.split("::")[1] for test in serving) == [
        "test_the_file_source_imports_no_mlflow",
        "test_the_file_source_imports_no_training_stack",
    ]
    assert len(end_to_end) == 3, end_to_end


def assert_a_training_warning_fails_one_test(project: Path, manager: str) -> None:
    """A params.yaml whose training warns (the pytest settings make warnings errors) fails one test
    with the warning's text; the tests that need the session's model, or train the same way, skip
    naming it: one cause, one failure, no error at the session's fixture."""
    params = project / "params.yaml"
    team = params.read_text()
    params.write_text(team.replace("  max_iter: 1000\n", "  max_iter: 7\n", 1))
    run_prefix = PACKAGE_MANAGERS[manager].run.split()
    tests = [*run_prefix, "pytest", "-m", "not e2e", "--no-cov", "-p", "no:cacheprovider", "-rfEs"]
    ran = subprocess.run(tests, cwd=project, capture_output=True, text=True, check=False, env=tool_env())
    params.write_text(team)

    summary = ran.stdout.splitlines()[-1]
    assert ran.returncode == 1, ran.stdout[-3000:]
    assert " 1 failed, " in summary, summary
    assert "error" not in summary, summary
    assert "FAILED tests/test_train_evaluate.py::test_the_session_trains_on_the_project_params" in ran.stdout
    assert "ConvergenceWarning: lbfgs failed to converge" in ran.stdout
    skips = [line for line in ran.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips, ran.stdout[-3000:]
    assert all("ConvergenceWarning" in line for line in skips), skips


def assert_compiled_for(project: Path, python_version: str) -> None:
    """The environment's packages carry bytecode for its own Python, which is not always the one
    the package manager runs on."""
    site_packages = project / ".venv" / "lib" / f"python{python_version}" / "site-packages"
    tag = f"cpython-{python_version.replace('.', '')}"
    assert (site_packages / "yaml" / "__pycache__" / f"__init__.{tag}.pyc").is_file()


def git_add_hint(output: str) -> set[str]:
    """The files DVC's closing hint ("To track the changes with git, run: git add ...") names."""
    commands = [line.split() for line in output.splitlines() if line.strip().startswith("git add ")]
    return {name for command in commands for name in command[2:]}


def assert_the_pipeline_trains_registers_and_documents(project: Path, manager: str) -> str:
    """`make pipeline` trains once, quietly, registers the champion, and the card reaches the docs
    site; returns what `make docs` printed."""
    first_run = run(["make", "pipeline"], cwd=project)
    assert warning_lines(first_run) == [], first_run
    # The model states its environment: MLflow does not go looking for a uv project.
    assert "Detected uv project" not in first_run
    # DVC names what to commit: only the dvc.lock the run wrote, not the sample's unchanged .dvc file.
    assert git_add_hint(first_run) == {"dvc.lock"}, first_run
    metrics = json.loads((project / "reports" / "metrics.json").read_text())
    assert metrics["roc_auc"] > 0.75
    assert (project / "dvc.lock").is_file()
    assert "Data and pipelines are up to date" in run(["make", "pipeline"], cwd=project)
    # As the experiments page shows it; its page stays out of the commit below (.gitignore).
    run([*PACKAGE_MANAGERS[manager].run.split(), "dvc", "plots", "diff"], cwd=project)
    assert (project / "dvc_plots" / "index.html").is_file()
    registry = champion_in_registry(project, [*PACKAGE_MANAGERS[manager].run.split(), "python"])
    assert registry["version"] == "1"
    assert registry["metrics"]["test_roc_auc"] == metrics["roc_auc"]
    # The bundled sample is the population the training split was drawn from: no drift.
    assert "no drift in 5 features" in run(["make", "drift"], cwd=project)
    # The docs site builds strictly and shows the card the pipeline just wrote.
    docs = run(["make", "docs"], cwd=project)
    card = (project / "site" / "model-card" / "index.html").read_text(encoding="utf-8")
    assert f"{metrics['roc_auc']:.4f}" in card
    assert "No model card yet" not in card
    return docs


def assert_serves_quietly(project: Path) -> None:
    """`make serve` answers /health with the model the pipeline trained and prints no warning
    from its start to its stop (Ctrl-C, as a person stops it)."""
    url = f"http://127.0.0.1:{(port := free_port())}/health"
    server = subprocess.Popen(
        ["make", "serve", f"PORT={port}"],
        cwd=project,
        env=tool_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_until_answering(url, lambda: server.poll() is None)
        answered = server.poll() is None and status_of(url) == 200
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=60)
    assert answered, output
    assert warning_lines(output) == [], output


def assert_committed_through_every_hook_unchanged(project: Path, manager: str, lock_file: str) -> None:
    """What a team commits after `make install` and `make pipeline` passes every hook; the
    rendered code is already formatted, so the formatter and the hooks change nothing."""
    git(project, "add", "--all")
    run([*TEAM_COMMIT, "build: lock and train"], cwd=project)
    run(["make", "format"], cwd=project)
    run([*PACKAGE_MANAGERS[manager].run.split(), "pre-commit", "run", "--all-files"], cwd=project)
    assert git(project, "status", "--porcelain") == ""
    tracked = git(project, "ls-files").split()
    assert "reports/metrics.json" in tracked
    assert not any(path.startswith(("models/", "data/processed/", "dvc_plots/")) for path in tracked)
    assert lock_file in tracked


def assert_a_stale_lock_is_named_and_refreshed(project: Path, manager: str, lock_file: str) -> None:
    """A new dependency (the team's, or a template update's) makes the lock stale: CI's first
    step names the fix, `make install` refreshes the lock, and the commit passes every hook."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace("dependencies = [\n", 'dependencies = [\n    "tomli-w>=1.0,<2",\n', 1)
    )
    stale = subprocess.run(
        ["make", "lock-check"], cwd=project, capture_output=True, text=True, check=False, env=tool_env()
    )
    assert stale.returncode != 0
    assert f"run 'make install', then commit {lock_file}" in stale.stderr
    run(["make", "install"], cwd=project)
    run(["make", "lock-check"], cwd=project)
    assert "tomli-w" in (project / lock_file).read_text()
    run([*PACKAGE_MANAGERS[manager].run.split(), "python", "-c", "import tomli_w"], cwd=project)
    git(project, "add", "--all")
    # The commit-msg hook holds the message convention; the other hooks pass the change.
    refused = subprocess.run(
        [*TEAM_COMMIT, "Add tomli-w"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=tool_env(),
    )
    assert refused.returncode != 0
    assert "does not start with a type" in refused.stderr + refused.stdout
    run([*TEAM_COMMIT, "build: add tomli-w"], cwd=project)
    assert git(project, "log", "-1", "--format=%s").strip() == "build: add tomli-w"


@pytest.mark.parametrize(("manager", "python_version"), MANAGER_PYTHON)
def test_installs_and_passes_the_whole_gate(copie: Copie, manager: str, python_version: str) -> None:
    project = render(copie, package_manager=manager, python_version=python_version)
    if manager == "poetry":
        use_simple_index_for_poetry(project)
    lock_file = PACKAGE_MANAGERS[manager].lock_file

    # The install compiles bytecode by itself (tool_env asks uv to, so this run does not): an
    # import on a read-only filesystem, or under PYTHONDONTWRITEBYTECODE, never compiles again.
    run(["make", "install"], cwd=project, env=tool_env({"UV_COMPILE_BYTECODE": "0"}))
    assert (project / lock_file).is_file()
    assert (project / ".git" / "hooks" / "pre-commit").is_file()
    assert_compiled_for(project, python_version)

    # The gate as CI runs it: `make check` with the end-to-end tests, with no warning.
    gate = run(["make", "check-all"], cwd=project)
    assert warning_lines(gate) == [], gate
    assert_the_gate_ran_schemathesis_and_the_stages(project, manager)
    assert_a_training_warning_fails_one_test(project, manager)
    docs = assert_the_pipeline_trains_registers_and_documents(project, manager)
    # No warning from the docs engine either (Material for MkDocs printed its end-of-life box).
    assert warning_lines(docs) == [], docs
    assert_serves_quietly(project)
    assert_committed_through_every_hook_unchanged(project, manager, lock_file)
    # CI installs exactly the committed lock.
    run(["make", "install-locked"], cwd=project)
    assert_a_stale_lock_is_named_and_refreshed(project, manager, lock_file)

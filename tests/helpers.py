"""Shared helpers: rendering, running commands in a rendered project, reading its files."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from pytest_copie.plugin import Copie

from extensions.dependencies import dependency_specs
from scripts import examples
from tests.tool_venvs import tool_venv

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
TOOLS_BIN = Path(sys.executable).parent
# Files whose bytes are data, not text to parse or scan for Jinja leftovers.
BINARY_SUFFIXES = frozenset({".joblib", ".png", ".pkl"})
PRUNED_DIRS = frozenset(
    {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis", ".dvc"}
)


def render(copie: Copie, **answers: Any) -> Path:
    """Render the template with these answers (defaults for the rest); fail loudly if it breaks."""
    result = copie.copy(extra_answers=answers)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    assert result.project_dir is not None
    return Path(result.project_dir)


def tool_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for commands in a rendered project: this venv's tools first on PATH."""
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = f"{TOOLS_BIN}{os.pathsep}{env.get('PATH', '')}"
    # Bytecode is compiled at install time: without it every import recompiles (the machines set
    # PYTHONDONTWRITEBYTECODE), which makes the project's own tests several times slower.
    env["UV_COMPILE_BYTECODE"] = "1"
    env["PIPENV_VERBOSITY"] = "-1"
    env["PIPENV_YES"] = "1"
    env["PIPENV_NOSPIN"] = "1"
    env["POETRY_VIRTUALENVS_IN_PROJECT"] = "true"
    env["PIPENV_VENV_IN_PROJECT"] = "1"
    env.update(extra or {})
    return env


def run(args: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 900) -> str:
    """Run a command; on failure the assertion shows its whole output."""
    completed = subprocess.run(
        args,
        cwd=cwd,
        env=dict(env) if env is not None else tool_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, f"`{' '.join(args)}` failed in {cwd}:\n{output}"
    return output


def warning_lines(output: str) -> list[str]:
    """The lines of a command's output that say "warning" in any case: Python's warnings, logged
    WARNINGs, a tool's own."""
    return [line for line in output.splitlines() if "warning" in line.lower()]


def checkov(project: Path, target: str, *frameworks: str) -> dict[str, dict[str, Any]]:
    """Run checkov's checks of `frameworks` on a file or folder of a project, offline, in one
    process (it takes seconds to start); assert that each framework parsed everything, passed
    something and failed nothing, and that every skip says why. Returns the summary of each
    framework: the one way the tiers run checkov."""
    checkov_bin = tool_venv("checkov") / "checkov"
    option = "-d" if (project / target).is_dir() else "-f"
    completed = subprocess.run(
        [str(checkov_bin), "--skip-download", "--framework", *frameworks, option, target, "-o", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "LOG_LEVEL": "ERROR"},
    )
    # Exit code 1 means failed checks: the assertions below show which.
    assert completed.returncode in {0, 1}, completed.stderr
    found: dict[str, Any] | list[dict[str, Any]] = json.loads(completed.stdout)
    reports = {report["check_type"]: report for report in ([found] if isinstance(found, dict) else found)}
    assert set(reports) == set(frameworks), f"checkov checked {sorted(reports)}, not {sorted(frameworks)}"
    for framework, report in reports.items():
        summary = report["summary"]
        failed = [
            f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}"
            for check in report["results"]["failed_checks"]
        ]
        assert failed == [], f"{framework}:\n" + "\n".join(failed)
        assert summary["parsing_errors"] == 0, (framework, summary)
        assert summary["passed"] > 0, (framework, summary)
        for check in report["results"]["skipped_checks"]:
            assert check["check_result"]["suppress_comment"].strip(), (framework, check["check_id"])
    return {framework: report["summary"] for framework, report in reports.items()}


def git(project: Path, *args: str) -> str:
    return run(["git", *args], cwd=project)


def project_files(project: Path) -> Iterator[Path]:
    """Every file of a rendered project, relative to it, without VCS, caches and environments."""
    for directory, subdirs, files in os.walk(project):
        subdirs[:] = sorted(name for name in subdirs if name not in PRUNED_DIRS)
        for name in sorted(files):
            yield (Path(directory) / name).relative_to(project)
    dvc_dir = project / ".dvc"
    if dvc_dir.is_dir():
        for path in sorted(dvc_dir.iterdir()):
            if path.is_file():
                yield path.relative_to(project)


def text_files(project: Path) -> Iterator[Path]:
    for relative in project_files(project):
        if relative.suffix not in BINARY_SUFFIXES:
            yield relative


def parsed_files(project: Path) -> dict[str, Any]:
    """Every TOML, YAML and JSON file of a rendered project, parsed, by relative path; a file
    that does not parse raises its parser's error."""
    parsers: dict[str, Callable[[str], Any]] = {
        ".toml": tomllib.loads,
        ".yml": yaml.safe_load,
        ".yaml": yaml.safe_load,
        ".dvc": yaml.safe_load,
        ".json": json.loads,
        ".ipynb": json.loads,
    }
    parsed: dict[str, Any] = {}
    for relative in text_files(project):
        parser = tomllib.loads if relative.name == "Pipfile" else parsers.get(relative.suffix)
        if parser is not None:
            parsed[relative.as_posix()] = parser((project / relative).read_text(encoding="utf-8"))
    return parsed


def project_dev_requirements(project: Path) -> dict[str, Requirement]:
    """The development tools a rendered project pins, by name, read from its own files: the `dev`
    group of pyproject.toml, or the dev-packages of its Pipfile."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    if "dev" in pyproject.get("dependency-groups", {}):
        found = [Requirement(entry) for entry in pyproject["dependency-groups"]["dev"]]
    else:
        pipfile = tomllib.loads((project / "Pipfile").read_text(encoding="utf-8"))
        found = [
            Requirement(f"{name}{entry if isinstance(entry, str) else entry['version']}")
            for name, entry in pipfile["dev-packages"].items()
        ]
    return {requirement.name: requirement for requirement in found}


def pinned_tool(project: Path, command: str, *companions: str) -> Path:
    """The path of `command` at the release range the rendered project pins for it (with the
    packages it loads as plugins, `companions`), not the template's own: a release of the tool
    outside the project's range neither breaks nor silently passes the check."""
    pins = project_dev_requirements(project)
    return _tool_environment(tuple(str(pins[name]) for name in (command, *companions))) / command


@cache
def _tool_environment(requirements: tuple[str, ...]) -> Path:
    """A venv with these requirements, once per test process; returns its bin directory."""
    root = Path(tempfile.mkdtemp(prefix="pinned-tools-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    uv = str(TOOLS_BIN / "uv")
    run([uv, "venv", "--quiet", "--python", sys.executable, str(root)], cwd=root)
    run([uv, "pip", "install", "--quiet", "--python", str(root), *requirements], cwd=root)
    return root / "bin"


# The one switch for a test machine whose network cannot reach the PyTorch CPU index or Poetry's
# per-release JSON pages (README, Tests; .ci/run turns it on for the machine it runs on): with
# ML_TEMPLATE_SANDBOX=1 the functions below work around the two. Off, the default, they do
# nothing and every project installs as its team's would, with `make install`.
SANDBOX_SWITCH = "ML_TEMPLATE_SANDBOX"


def in_sandbox() -> bool:
    return os.environ.get(SANDBOX_SWITCH, "") == "1"


def use_simple_index_for_poetry(project: Path) -> None:
    """In the sandbox, point a rendered Poetry project at the package index's simple API; the
    URL is pip's own default, so the tests name no index themselves. Outside it, nothing."""
    if not in_sandbox():
        return
    from pip._internal.models.index import PyPI  # noqa: PLC0415 - pip is only needed here

    run(["poetry", "source", "add", "--priority=primary", "simple-index", PyPI.simple_url], cwd=project)


# The CPU build of torch on the sandbox machine's disk, for Python 3.11.
LOCAL_TORCH = "torch==2.13.0"


def install_local_torch(python: Path, *pip_options: str) -> bool:
    """In the sandbox, install the local torch wheel with pip into the environment of `python`
    (which then satisfies the project's torch pin); returns whether it did."""
    if not in_sandbox():
        return False
    run([str(python), "-m", "pip", "install", "--quiet", *pip_options, LOCAL_TORCH], cwd=python.parent)
    return True


def project_answers(project: Path) -> dict[str, str]:
    """A rendered project's answers, from its answers file (Copier's own keys left out)."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    return {name: str(value) for name, value in answers.items() if not name.startswith("_")}


def install_project(project: Path, timeout: float = 900) -> tuple[list[str], dict[str, str]]:
    """Install a rendered project as its team would, with `make install`; returns the arguments
    `make` then needs and the environment that runs the project's tools.

    In the sandbox a Poetry project reads the simple API first, and a PyTorch project gets a
    Python 3.11 venv in `.venv` with the local torch wheel, the project (editable) and its
    development tools, put first on PATH (`make RUN=` runs them from there)."""
    answers = project_answers(project)
    if answers.get("package_manager") == "poetry":
        use_simple_index_for_poetry(project)
    venv = project / ".venv"
    if answers.get("ml_framework") == "pytorch" and in_sandbox():
        run(["python3.11", "-m", "venv", str(venv)], cwd=project)
        install_local_torch(venv / "bin" / "python")
        dev = [spec for spec in dependency_specs(**answers)["dev"] if Requirement(spec).name != "torch"]
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e", ".", *dev], cwd=project)
        path = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
        return ["RUN="], tool_env({"PATH": path, "VIRTUAL_ENV": str(venv)})
    env = tool_env()
    run(["make", "install"], cwd=project, env=env, timeout=timeout)
    return [], env


# Printed by the project's own environment: the champion and its run, through MLflow's client.
REGISTRY_PROBE = """
import json
from mlflow import MlflowClient
from {package}.config import load_settings
from {package}.tracking import tracking_uri
config = load_settings().registry
client = MlflowClient(tracking_uri=tracking_uri(config), registry_uri=tracking_uri(config))
version = client.get_model_version_by_alias(config.model_name, config.alias)
run = client.get_run(version.run_id)
print(json.dumps({{"version": str(version.version), "metrics": run.data.metrics, "params": run.data.params,
                  "versions": len(client.search_model_versions(f"name='{{config.model_name}}'"))}}))
"""


def champion_in_registry(
    project: Path, python: list[str], env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The champion's version, its run's metrics and params, and the number of registered
    versions, read through MLflow's client in the project's own environment."""
    package = next((project / "src").iterdir()).name
    output = run([*python, "-c", REGISTRY_PROBE.format(package=package)], cwd=project, env=env)
    # Frameworks may log while they load: the probe's line is the one that starts the JSON.
    found: dict[str, Any] = json.loads(
        next(line for line in output.splitlines() if line.startswith('{"version"'))
    )
    return found


def commit_all(repo: Path, message: str) -> None:
    """Commit everything with a fixed identity (CI machines may have none) and without hooks,
    which the project tier runs on purpose instead."""
    git(repo, "add", "--all")
    identity = ["-c", "user.name=Template CI", "-c", "user.email=ci@example.com"]
    git(repo, *identity, "commit", "--quiet", "--no-verify", "-m", message)


def snapshot_template(destination: Path) -> Path:
    """A git repository holding the template as it is in the working tree, committed once."""
    examples.template_snapshot(destination)
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "template snapshot")
    return destination

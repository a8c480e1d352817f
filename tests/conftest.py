"""Fixtures shared by the tiers. The default render is made once per session."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from pytest_copie.plugin import Copie

from extensions.dependencies import dependency_specs
from tests.expectations import expected
from tests.helpers import TOOLS_BIN, render, run, tool_env

RenderRow = Callable[[Mapping[str, Any]], Path]


@pytest.fixture(scope="session")
def default_project(copie_session: Copie) -> Path:
    """The project as `copier copy --defaults` renders it. Tests must not modify it."""
    return render(copie_session)


@pytest.fixture(scope="session")
def render_row(copie_session: Copie) -> RenderRow:
    """The render of a row of tests/combinations.py, made once per session (per worker) and shared
    by every module that tests it: the tests only read it or run tools on it."""
    made: dict[tuple[tuple[str, str], ...], Path] = {}

    def rendered(row: Mapping[str, Any]) -> Path:
        key = tuple(sorted((name, str(value)) for name, value in row.items()))
        if key not in made:
            made[key] = render(copie_session, init_git=False, **row)
        return made[key]

    return rendered


# Heavy tools the fast gates do not call; the project tier installs them for real.
NOT_NEEDED_FOR_FAST_GATES = frozenset(
    {"dvc", "pre-commit", "pre-commit-hooks", "nbstripout"}
    | {facts["dvc_extra"] for facts in expected("cloud_provider").values()}
)


@pytest.fixture(scope="session")
def gate_environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A Python 3.12 environment with the rendered project's runtime and development tools: the
    matrix tier runs the fast gates in it (test_matrix.py), and the Kubeflow pipeline (test_kubeflow.py).
    Every orchestrator's packages are in it: `dependency_specs` keeps what no answer given here rules out."""
    root = tmp_path_factory.mktemp("gates")
    requirements = [
        requirement
        for group in dependency_specs(ml_framework="scikit-learn", experiment_tracking="mlflow").values()
        for requirement in group
        if Requirement(requirement).name not in NOT_NEEDED_FOR_FAST_GATES
    ]
    # pyenv resolves `python3.12` from a .python-version file, as it does in a rendered project.
    (root / ".python-version").write_text("3.12\n")
    uv = str(TOOLS_BIN / "uv")
    run([uv, "venv", "--quiet", "--python", "3.12", str(root / "venv")], cwd=root)
    run([uv, "pip", "install", "--quiet", "--python", str(root / "venv"), *requirements], cwd=root)
    venv_bin = root / "venv" / "bin"
    return tool_env(
        {
            "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(root / "venv"),
            # One mypy cache for every combination: the stubs of pandas and numpy are checked once.
            "MYPY_CACHE_DIR": str(root / "mypy-cache"),
        }
    )

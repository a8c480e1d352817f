"""Tier 0: the workarounds for the sandbox machine's network apply behind its switch alone.

Off (the default), the tests install every project as its team would; only ML_TEMPLATE_SANDBOX=1
(.ci/run on the machine that needs it) brings in the local torch wheel and Poetry's simple-API
source, and nothing outside tests/helpers.py applies them by itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests import helpers
from tests.helpers import SANDBOX_SWITCH, TEMPLATE_ROOT

pytestmark = pytest.mark.static

# What applying a workaround takes: the local wheel's pin, the simple API's URL, a Poetry source.
WORKAROUND_MARKS = ("LOCAL_TORCH", "simple_url", '"source", "add"')
CODE_DIRS = ("tests", "benchmarks", "scripts", "extensions")


def pytorch_project(root: Path, manager: str = "uv") -> Path:
    (root / ".copier-answers.yml").write_text(
        f"_commit: v1\nml_framework: pytorch\npackage_manager: {manager}\nexperiment_tracking: none\n"
    )
    return root


def recorded_commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Stand in for helpers.run: the commands are recorded, not run."""
    commands: list[list[str]] = []

    def record(args: list[str], *_: object, **__: object) -> str:
        commands.append(list(args))
        return ""

    monkeypatch.setattr(helpers, "run", record)
    return commands


@pytest.mark.parametrize("manager", ["uv", "poetry"])
def test_off_by_default_a_project_installs_with_make_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, manager: str
) -> None:
    monkeypatch.delenv(SANDBOX_SWITCH, raising=False)
    commands = recorded_commands(monkeypatch)

    make_args, _ = helpers.install_project(pytorch_project(tmp_path, manager))

    assert commands == [["make", "install"]]
    assert make_args == []
    assert not helpers.install_local_torch(tmp_path / "python")
    helpers.use_simple_index_for_poetry(tmp_path)
    assert commands == [["make", "install"]]


def test_on_the_switch_brings_in_both_workarounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SANDBOX_SWITCH, "1")
    commands = recorded_commands(monkeypatch)

    make_args, env = helpers.install_project(pytorch_project(tmp_path, "poetry"))

    assert ["make", "install"] not in commands
    assert make_args == ["RUN="]
    assert env["VIRTUAL_ENV"] == str(tmp_path / ".venv")
    assert commands[0][:3] == ["poetry", "source", "add"]
    assert [command for command in commands if command[-1] == helpers.LOCAL_TORCH]


def test_only_the_switched_helpers_apply_a_workaround() -> None:
    """Every function that applies one asks the switch first, and only helpers.py has them."""
    for directory in CODE_DIRS:
        for path in sorted((TEMPLATE_ROOT / directory).rglob("*.py")):
            if path.name in {"helpers.py", Path(__file__).name}:
                continue
            text = path.read_text(encoding="utf-8")
            assert not [mark for mark in WORKAROUND_MARKS if mark in text], path

    source = (TEMPLATE_ROOT / "tests" / "helpers.py").read_text(encoding="utf-8")
    applying = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef)
        and any(mark in (ast.get_source_segment(source, node) or "") for mark in WORKAROUND_MARKS)
    ]
    assert {node.name for node in applying} >= {"use_simple_index_for_poetry", "install_local_torch"}
    for node in applying:
        asks = [
            call
            for call in ast.walk(node)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "in_sandbox"
        ]
        assert asks, f"{node.name} applies a workaround without asking in_sandbox()"

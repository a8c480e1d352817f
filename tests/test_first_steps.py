"""Tier 1: what a newcomer meets first: the after-copy message, the README, `make install`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extensions.package_managers import PACKAGE_MANAGERS
from tests.helpers import TOOLS_BIN, run, snapshot_template

pytestmark = pytest.mark.render

PYTHON_VERSION = "3.11"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template"))


@pytest.mark.parametrize("manager", sorted(PACKAGE_MANAGERS))
def test_prerequisites_are_listed_and_a_missing_manager_is_named_with_its_install_command(
    template: Path, manager: str, tmp_path: Path
) -> None:
    pm = PACKAGE_MANAGERS[manager]
    project = tmp_path / "project"
    message = run(
        [
            str(TOOLS_BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--data=init_git=false",
            f"--data=package_manager={manager}",
            f"--data=python_version={PYTHON_VERSION}",
            str(template),
            str(project),
        ],
        cwd=tmp_path,
    )
    readme = (project / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    for text in (message, quick_start):
        # One sentence, ending in make: "You need Python 3.11, uv (pipx install uv), git and make".
        needs = re.search(r"You need (.*?), git and make\b", text, flags=re.DOTALL)
        assert needs is not None, text
        for prerequisite in (f"Python {PYTHON_VERSION}", pm.label, pm.install_hint):
            assert prerequisite in needs.group(1), (prerequisite, needs.group(0))

    # A PATH with python3 alone (the conflict scan `make install` runs first needs it, as the
    # README's prerequisites say): make runs recipes with /bin/sh, whose `command` and `echo` are
    # built in.
    make = shutil.which("make")
    assert make is not None
    only_python = tmp_path / "only-python"
    only_python.mkdir()
    (only_python / "python3").symlink_to(sys.executable)
    completed = subprocess.run(
        [make, "install"],
        cwd=project,
        env={"PATH": str(only_python)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert f"make install needs {pm.label}, which is not on PATH" in completed.stderr
    assert f"  {pm.install_hint}\n" in completed.stderr

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
# The Python these tests run on, and a version of the template's choices that the PATHs they
# build lack.
PRESENT = f"{sys.version_info.major}.{sys.version_info.minor}"
MISSING = "3.13" if PRESENT == "3.12" else "3.12"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template"))


def copy(template: Path, tmp_path: Path, manager: str, python_version: str) -> tuple[Path, str]:
    """A project rendered with Copier's command line; returns it and what Copier printed."""
    project = tmp_path / "project"
    message = run(
        [
            str(TOOLS_BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--data=init_git=false",
            f"--data=package_manager={manager}",
            f"--data=python_version={python_version}",
            str(template),
            str(project),
        ],
        cwd=tmp_path,
    )
    return project, message


@pytest.mark.parametrize("manager", sorted(PACKAGE_MANAGERS))
def test_prerequisites_are_listed_and_a_missing_manager_is_named_with_its_install_command(
    template: Path, manager: str, tmp_path: Path
) -> None:
    pm = PACKAGE_MANAGERS[manager]
    project, message = copy(template, tmp_path, manager, PYTHON_VERSION)
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


# The package manager on the PATH below: it logs its arguments, runs its lookups of a Python
# (`uv python ...`, `poetry python ...`) and stops at anything else, where the install would start.
MANAGER_STAND_IN = """#!/bin/sh
printf '%s\\n' "$*" >> {log}
case "$1" in python) exec {manager} "$@";; esac
exit 1
"""


@pytest.mark.parametrize("manager", sorted(PACKAGE_MANAGERS))
def test_a_missing_python_is_named_with_the_ways_to_get_it_before_the_manager_starts(
    template: Path, manager: str, tmp_path: Path
) -> None:
    pm = PACKAGE_MANAGERS[manager]
    project, _ = copy(template, tmp_path, manager, MISSING)
    make = shutil.which("make")
    assert make is not None
    # python3 (the conflict scan's) is the PRESENT version; grep reads Poetry's lookup.
    path = tmp_path / "path"
    path.mkdir()
    for name, target in {
        "python3": sys.executable,
        f"python{PRESENT}": sys.executable,
        "grep": "/bin/grep",
    }.items():
        (path / name).symlink_to(target)
    log = tmp_path / "manager.log"
    stand_in = path / manager
    stand_in.write_text(MANAGER_STAND_IN.format(log=log, manager=TOOLS_BIN / manager), encoding="utf-8")
    stand_in.chmod(0o755)
    # A home of its own: no pyenv, uv or Poetry Pythons of this machine's, and no downloads.
    env = {"PATH": str(path), "HOME": str(tmp_path / "home"), "UV_PYTHON_DOWNLOADS": "never"}

    def install(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [make, "install", *args], cwd=project, env=env, capture_output=True, text=True, check=False
        )

    missing = install()
    assert missing.returncode != 0
    assert f"make install needs Python {MISSING}, which {pm.label} does not find." in missing.stderr
    for way in (
        f"  pyenv install {MISSING}\n",
        f"  uv python install {MISSING}\n",
        f"package: python{MISSING} ",
    ):
        assert way in missing.stderr, way
    lookups = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert [line for line in lookups if not line.startswith("python ")] == []
    assert not (project / ".venv").exists()

    # With the version on PATH the check lets the manager start its install.
    present = install(f"PYTHON_VERSION={PRESENT}")
    assert "make install needs Python" not in present.stderr
    assert [line for line in log.read_text(encoding="utf-8").splitlines() if not line.startswith("python ")]

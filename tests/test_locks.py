"""Tier 0: the locks `make setup` installs agree with the ranges of pyproject.toml's groups.

pyproject.toml says which releases of the template's tools may be used; requirements/*.lock
(written by `make lock`) says which ones are. A range changed without `make lock` would leave the
lock installing what the range no longer allows, or lacking a tool the group gained.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.helpers import TEMPLATE_ROOT

pytestmark = pytest.mark.static

GROUPS = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
# One lock per venv of the Makefile, named after the group it installs.
LOCKED_GROUPS = ("dev", "render", "checkov", "ansible")
# `name==version`, then a marker, a backslash and the hashes on the lines below.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][\w.-]*)==(?P<version>[^\s;\\]+)")


def group_requirements(name: str) -> list[Requirement]:
    """The requirements of a dependency group, with the groups it includes expanded."""
    requirements: list[Requirement] = []
    for entry in GROUPS[name]:
        if isinstance(entry, dict):
            requirements.extend(group_requirements(entry["include-group"]))
        else:
            requirements.append(Requirement(entry))
    return requirements


def locked_versions(lock: Path) -> dict[str, list[Version]]:
    """Every pinned release of a lock by package (a universal lock may pin two releases of one
    package, for different Pythons)."""
    pins: dict[str, list[Version]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match["name"])
            pins.setdefault(name, []).append(Version(match["version"]))
    return pins


def lock_of(group: str) -> Path:
    return TEMPLATE_ROOT / "requirements" / f"{group}.lock"


@pytest.mark.parametrize("group", LOCKED_GROUPS)
def test_every_tool_of_the_group_is_locked_within_its_range(group: str) -> None:
    pins = locked_versions(lock_of(group))
    for requirement in group_requirements(group):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in the {group} group but not in {lock_of(group).name}: make lock"
        outside = [str(version) for version in pins[name] if version not in requirement.specifier]
        assert not outside, f"{lock_of(group).name} pins {name}=={outside}, outside {requirement}: make lock"


@pytest.mark.parametrize("group", LOCKED_GROUPS)
def test_every_locked_release_carries_its_hashes(group: str) -> None:
    """pip installs a lock with --require-hashes: every pin must be followed by its hashes."""
    text = lock_of(group).read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert entries
    unhashed = [entry.split()[0] for entry in entries if "--hash=sha256:" not in entry]
    assert not unhashed


def test_the_makefile_installs_the_locks_with_hashes() -> None:
    makefile = (TEMPLATE_ROOT / "Makefile").read_text(encoding="utf-8")
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    locks: dict[str, Any] = {"DEV_LOCK": "dev", "RENDER_LOCK": "render", "CHECKOV_LOCK": "checkov"}
    locks["ANSIBLE_LOCK"] = "ansible"
    assert installs
    # .venv reads the dev lock; every other venv is .venv-<group>, made by the one rule that reads
    # requirements/<group>.lock (`$<`).
    assert ".venv-%/.installed: requirements/%.lock\n" in makefile
    for line in installs:
        assert "--require-hashes" in line, line
        assert "-r $(DEV_LOCK)" in line or line.endswith("-r $<"), line
    for variable, group in locks.items():
        assert f"{variable} := requirements/{group}.lock" in makefile
        assert f"--group {group} -o $({variable})" in makefile
        assert group == "dev" or f"_VENV := .venv-{group}\n" in makefile, group

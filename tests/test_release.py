"""The template's releases, statically: CHANGELOG.md's format, the version in pyproject.toml, and
`make release`'s wiring. test_release_script.py runs scripts/release.py on a throwaway copy.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from packaging.version import Version

from scripts import changelog
from scripts.release import DEFAULT_TEST_COMMAND, parse_args
from scripts.template_version import VersionError, read_version
from tests.helpers import TEMPLATE_ROOT

VERSION = read_version(TEMPLATE_ROOT)
WELL_FORMED = """# Changelog

## Unreleased

### What projects get

- a thing

### What a team must do

- nothing

### Migrations

None.

## 1.0.0 - 2026-01-31

### What projects get

- the first thing

### What a team must do

- copy

### Migrations

None.
"""


@pytest.mark.static
def test_changelog_is_well_formed() -> None:
    assert changelog.problems(changelog.read(TEMPLATE_ROOT)) == []


@pytest.mark.static
def test_changelog_top_is_the_version_or_what_releases_it() -> None:
    sections = changelog.read(TEMPLATE_ROOT)
    newest = changelog.newest_release(sections)

    if sections[0].is_unreleased:
        # `make release` dates Unreleased as this version, which must then be the newest.
        assert newest is None or (newest.version is not None and newest.version < VERSION)
    else:
        assert sections[0].version == VERSION, "pyproject.toml's version has no changelog section"


@pytest.mark.static
def test_make_release_runs_the_script_and_its_default_tests_exist() -> None:
    makefile = (TEMPLATE_ROOT / "Makefile").read_text(encoding="utf-8")

    release = r"^release: \$\(BIN\)/\.installed  ## .+\n\t\$\(BIN\)/python -m scripts\.release "
    assert re.search(release, makefile, re.M)
    assert parse_args([]).test_command == shlex.split(DEFAULT_TEST_COMMAND)
    target = shlex.split(DEFAULT_TEST_COMMAND)[-1]
    assert re.search(rf"^{target}: .*  ## ", makefile, re.M), f"the Makefile has no {target} target"


@pytest.mark.static
def test_format_rules_accept_a_well_formed_changelog() -> None:
    sections = changelog.parse(WELL_FORMED)

    assert changelog.problems(sections) == []
    assert changelog.release_section(sections, Version("1.1.0")).is_unreleased
    assert changelog.release_section(sections[1:], Version("1.0.0")).title == "1.0.0 - 2026-01-31"


@pytest.mark.static
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("## 1.0.0 - 2026-01-31", "## 1.0.0"), "is neither `## Unreleased` nor"),
        (("## 1.0.0 - 2026-01-31", "## one - 2026-01-31"), "'one' is not a PEP 440 version"),
        (("## 1.0.0 - 2026-01-31", "## 1.0.0 - 2026-02-30"), "'2026-02-30' is not a date"),
        (("## 1.0.0 - 2026-01-31", "## Unreleased"), "must be the first section, and only one"),
        (("## Unreleased", "## 0.9.0 - 2026-02-01"), "releases go newest first"),
        (("### Migrations\n\nNone.\n\n## 1.0.0", "## 1.0.0"), "must have exactly the subsections"),
        (("### What a team must do\n\n- nothing", "### What a team must do\n"), "is empty"),
    ],
)
def test_format_rules_name_each_problem(edit: tuple[str, str], message: str) -> None:
    old, new = edit
    assert old in WELL_FORMED
    found = changelog.problems(changelog.parse(WELL_FORMED.replace(old, new, 1)))

    assert any(message in problem for problem in found), found


@pytest.mark.static
@pytest.mark.parametrize(
    ("written", "message"),
    [("one", "is not a PEP 440 version"), ("1.0.0-rc1", "write [project] version as '1.0.0rc1'")],
)
def test_version_must_be_pep_440_in_its_normal_form(tmp_path: Path, written: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "t"\nversion = "{written}"\n')

    with pytest.raises(VersionError, match=re.escape(message)):
        read_version(tmp_path)

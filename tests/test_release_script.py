"""Tier 4: scripts/release.py on a throwaway git copy of the template (the snapshot plus
CHANGELOG.md and pyproject.toml), with a stand-in for the fast tiers: what it refuses, what a
release commits and tags, and a project copied from the tag the release made.
"""

from __future__ import annotations

import datetime
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.version import Version

from scripts import changelog
from scripts.release import ReleaseError, ReleaseOptions, release
from scripts.template_version import read_version
from tests.helpers import TEMPLATE_ROOT, commit_all, git, run, snapshot_template
from tests.update_helpers import tag_version

VERSION = read_version(TEMPLATE_ROOT)
PASSING_TESTS = [sys.executable, "-c", "pass"]
RELEASE_FILES = ("CHANGELOG.md", "pyproject.toml")


@pytest.fixture(scope="module")
def template_with_changelog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = snapshot_template(tmp_path_factory.mktemp("template-origin"))
    for name in RELEASE_FILES:
        shutil.copy2(TEMPLATE_ROOT / name, repo / name)
    commit_all(repo, "changelog and version")
    return repo


def _maintainer_clone(origin: Path, workspace: Path) -> Path:
    """A fresh clone on main, with the identity a maintainer's git has (commits and tags need it)."""
    clone = workspace / "template"
    git(workspace, "clone", "--quiet", str(origin), str(clone))
    git(clone, "config", "user.name", "Template Maintainer")
    git(clone, "config", "user.email", "maintainer@example.com")
    return clone


@pytest.fixture
def repo(template_with_changelog: Path, tmp_path: Path) -> Path:
    return _maintainer_clone(template_with_changelog, tmp_path)


def _release(repo: Path, *, dry_run: bool = False, tests: list[str] = PASSING_TESTS) -> str:
    return release(ReleaseOptions(repo=repo, test_command=tests, dry_run=dry_run))


def _edit_changelog(repo: Path, old: str, new: str) -> None:
    path = repo / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    commit_all(repo, "edit the changelog")


def _top_section(repo: Path) -> changelog.Section:
    return changelog.read(repo)[0]


def _as_unreleased(repo: Path) -> None:
    top = _top_section(repo)
    if not top.is_unreleased:
        _edit_changelog(repo, top.heading, f"## {changelog.UNRELEASED}")


def _as_dated(repo: Path, day: str) -> None:
    top = _top_section(repo)
    _edit_changelog(repo, top.heading, f"## {VERSION} - {day}")


@pytest.mark.update
def test_refuses_a_dirty_tree(repo: Path) -> None:
    (repo / "notes.txt").write_text("not committed\n")

    with pytest.raises(ReleaseError, match=r"the working tree is not clean(.|\n)*notes\.txt"):
        _release(repo)


@pytest.mark.update
def test_refuses_a_branch_other_than_main(repo: Path) -> None:
    git(repo, "switch", "--quiet", "--create", "feature")

    with pytest.raises(ReleaseError, match="releases are tagged on main, this is 'feature'"):
        _release(repo)


@pytest.mark.update
def test_refuses_a_changelog_without_a_section_for_the_version(repo: Path) -> None:
    _as_dated(repo, "2026-01-01")
    raised = Version(f"{VERSION.major + 1}.0.0")
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(f'version = "{VERSION}"', f'version = "{raised}"', 1))
    commit_all(repo, f"raise the version to {raised}")
    assert read_version(repo) == raised

    with pytest.raises(ReleaseError, match=f"there is no section for {re.escape(str(raised))}"):
        _release(repo)


@pytest.mark.update
def test_refuses_an_empty_subsection(repo: Path) -> None:
    top = _top_section(repo)
    migrations = dict(top.subsections())["Migrations"]
    _edit_changelog(repo, f"### Migrations\n\n{migrations}", "### Migrations\n")

    with pytest.raises(ReleaseError, match=r"`### Migrations` is empty"):
        _release(repo)


@pytest.mark.update
def test_refuses_a_version_not_above_the_last_tag(repo: Path) -> None:
    tag_version(repo, f"v{VERSION.major + 1}.0.0")

    with pytest.raises(
        ReleaseError, match=f"is not above the latest release \\(tag v{VERSION.major + 1}.0.0\\)"
    ):
        _release(repo)


@pytest.mark.update
def test_refuses_an_existing_tag(repo: Path) -> None:
    tag_version(repo, f"v{VERSION}")

    with pytest.raises(ReleaseError, match=f"version {re.escape(str(VERSION))} is released already \\(tag v"):
        _release(repo)


@pytest.mark.update
def test_refuses_failing_tests_and_tags_nothing(repo: Path) -> None:
    with pytest.raises(ReleaseError, match=r"the tests failed .* exited 3"):
        _release(repo, tests=[sys.executable, "-c", "raise SystemExit(3)"])

    assert git(repo, "tag", "--list") == ""


@pytest.mark.update
def test_dry_run_checks_and_changes_nothing(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")

    assert _release(repo, dry_run=True) == f"v{VERSION}"

    assert git(repo, "tag", "--list") == ""
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.update
def test_refuses_a_version_the_changelog_dates_already(repo: Path) -> None:
    """A clone without tags still knows its releases: the changelog dates them."""
    _as_dated(repo, "2026-01-01")

    with pytest.raises(ReleaseError, match=f"{re.escape(str(VERSION))} is released already .*make tags"):
        _release(repo)

    assert git(repo, "tag", "--list") == ""


@dataclass(frozen=True)
class Released:
    repo: Path
    output: str
    tests_ran: bool


@pytest.fixture(scope="module")
def released(template_with_changelog: Path, tmp_path_factory: pytest.TempPathFactory) -> Released:
    """`python -m scripts.release` run once, as `make release` runs it, on a fresh clone."""
    workspace = tmp_path_factory.mktemp("released")
    clone = _maintainer_clone(template_with_changelog, workspace)
    # The release that dates `## Unreleased`, whichever state the real changelog is in.
    _as_unreleased(clone)
    marker = workspace / "tests-ran"
    stand_in = shlex.join([sys.executable, "-c", f"import pathlib; pathlib.Path({str(marker)!r}).touch()"])
    output = run(
        [sys.executable, "-m", "scripts.release", "--repo", str(clone), "--test-command", stand_in],
        cwd=TEMPLATE_ROOT,
    )
    return Released(clone, output, marker.is_file())


@pytest.mark.update
def test_release_tags_the_version_with_its_changelog_section(released: Released) -> None:
    tag = f"v{VERSION}"
    sections = changelog.read(released.repo)
    section = changelog.release_section(sections, VERSION)

    assert released.tests_ran
    assert "git push origin main\n" in released.output
    assert git(released.repo, "cat-file", "-t", tag).strip() == "tag", "the tag must be annotated"
    assert git(released.repo, "tag", "--list", "--format=%(contents)", tag).strip() == section.text.strip()
    assert sections[0] is section or sections[0].version == VERSION
    assert section.title.startswith(f"{VERSION} - ")
    assert changelog.problems(sections) == []
    assert git(released.repo, "status", "--porcelain") == ""
    assert git(released.repo, "describe", "--exact-match", "HEAD").strip() == tag


@pytest.mark.update
def test_release_dates_the_unreleased_section_today(released: Released) -> None:
    today = datetime.date.today().isoformat()
    assert _top_section(released.repo).heading == f"## {VERSION} - {today}"
    assert git(released.repo, "log", "-1", "--format=%s").startswith(f"Release {VERSION}")


@pytest.mark.update
def test_copy_from_the_release_tag_records_it(released: Released, tmp_path: Path) -> None:
    tag = f"v{VERSION}"
    project = tmp_path / "project"

    run(
        [
            "copier",
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--vcs-ref",
            tag,
            str(released.repo),
            str(project),
        ],
        cwd=tmp_path,
    )

    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert f"_commit: {tag}\n" in answers

"""Releases reach every clone: `make tags` on a clone of main with no tags, then a project's life.

The clone is of this repository's own committed history, as a user's `git clone --no-tags`, a
mirror or a CI checkout has it. From the release commits alone (the commits that dated their
CHANGELOG.md sections), `make tags` must make every release tag; a project copied from the first
release records it, and an update to the next release runs that release's migrations.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from scripts import changelog
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, commit_all, git, run

pytestmark = pytest.mark.update


def _released_versions() -> list[str]:
    """The versions the committed CHANGELOG.md dates, oldest first."""
    text = git(TEMPLATE_ROOT, "show", "HEAD:CHANGELOG.md")
    dated = [changelog.RELEASE_TITLE.match(section.title) for section in changelog.parse(text)]
    return [match["version"] for match in reversed(dated) if match is not None]


def _make_tags(clone: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "tags"], cwd=clone, capture_output=True, text=True, check=False
    )


def _tags(clone: Path) -> dict[str, str]:
    """Each v* tag and the tag object it names."""
    listed = git(clone, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/tags/v*")
    return dict(line.split() for line in listed.splitlines())


@pytest.fixture(scope="module")
def tagless_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clone = tmp_path_factory.mktemp("clone") / "template"
    git(TEMPLATE_ROOT, "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(clone))
    assert git(clone, "tag", "--list") == ""
    return clone


@pytest.fixture(scope="module")
def tagged_clone(tagless_clone: Path) -> Path:
    made = _make_tags(tagless_clone)
    assert made.returncode == 0, made.stdout + made.stderr
    return tagless_clone


def test_make_tags_tags_each_release_commit_of_main(tagged_clone: Path) -> None:
    versions = _released_versions()
    assert len(versions) >= 2, "the changelog dates fewer than two releases"
    assert set(_tags(tagged_clone)) == {f"v{version}" for version in versions}

    for version in versions:
        tag = f"v{version}"
        commit = git(tagged_clone, "rev-parse", f"{tag}^{{commit}}").strip()
        heading = next(
            s.heading for s in changelog.parse(git(tagged_clone, "show", f"{commit}:CHANGELOG.md"))
        )
        before = changelog.parse(git(tagged_clone, "show", f"{commit}^:CHANGELOG.md"))
        # The tagged commit is the one that dated the section, with its own version.
        assert heading.startswith(f"## {version} - ")
        assert heading not in {section.heading for section in before}
        assert f'version = "{version}"' in git(tagged_clone, "show", f"{commit}:pyproject.toml")
        assert git(tagged_clone, "merge-base", "--is-ancestor", commit, "HEAD") == ""
        assert git(tagged_clone, "cat-file", "-t", tag).strip() == "tag"
        assert git(tagged_clone, "tag", "--list", "--format=%(contents:subject)", tag).strip() == heading


def test_make_tags_again_changes_nothing_and_every_clone_makes_the_same_tags(
    tagged_clone: Path, tmp_path: Path
) -> None:
    before = _tags(tagged_clone)

    again = _make_tags(tagged_clone)

    assert again.returncode == 0, again.stderr
    assert "every release of the changelog has its tag" in again.stdout
    assert _tags(tagged_clone) == before
    other = tmp_path / "other"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(other))
    assert _make_tags(other).returncode == 0
    # The same tag objects: a push from either clone agrees with the other.
    assert _tags(other) == before


def test_make_tags_refuses_a_tag_on_another_commit_and_makes_none(tmp_path: Path) -> None:
    clone = tmp_path / "template"
    git(tmp_path, "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(clone))
    first, *later = (f"v{version}" for version in _released_versions())
    git(clone, "tag", first, "HEAD~1")

    refused = _make_tags(clone)

    assert refused.returncode != 0
    assert f"{first} points at" in refused.stderr
    assert "a pushed tag is never moved" in refused.stderr
    assert set(_tags(clone)) == {first}, "nothing may be tagged while one tag is wrong"
    assert later


def _copier(*args: str, cwd: Path) -> str:
    return run([str(TOOLS_BIN / "copier"), *args], cwd=cwd)


def test_a_project_starts_from_the_first_release_and_updates_to_the_next(
    tagged_clone: Path, tmp_path: Path
) -> None:
    first, second = (f"v{version}" for version in _released_versions()[:2])
    project = tmp_path / "project"

    _copier(
        "copy",
        "--trust",
        "--defaults",
        "--quiet",
        "--vcs-ref",
        first,
        str(tagged_clone),
        str(project),
        cwd=tmp_path,
    )

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["_commit"] == first
    params = project / "params.yaml"
    params.write_text(params.read_text(encoding="utf-8") + "# the team's note\n", encoding="utf-8")
    commit_all(project, "the team's edit")

    _copier("update", "--trust", "--defaults", "--quiet", "--vcs-ref", second, cwd=project)

    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["_commit"] == second
    assert params.read_text(encoding="utf-8").endswith("# the team's note\n")
    # The report is a migration of the release updated to: it ran, between these two releases.
    report_file = project / git(project, "rev-parse", "--git-path", "template-update-report.json").strip()
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert (report["version_from"].lstrip("v"), report["version_to"].lstrip("v")) == (
        first.lstrip("v"),
        second.lstrip("v"),
    )


def _readme_release_commands() -> list[str]:
    """The shell lines of the README's Releases block, continuation lines joined."""
    readme = (TEMPLATE_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Releases\n", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.replace("\\\n", " ").splitlines()]


def test_the_readme_commands_start_a_project_from_a_release_that_it_can_update_from(
    tmp_path: Path,
) -> None:
    """The README's Releases block as a user runs it on a fresh clone (answers by default: a
    test has no one to answer the prompts), then an update from inside the project."""
    commands = _readme_release_commands()
    assert commands[0] == "git clone <template> ml-template"
    script = "\n".join(
        [f"git clone --quiet --no-tags {TEMPLATE_ROOT} ml-template"]
        + [command.replace(" copier copy ", " copier copy --defaults --quiet ") for command in commands[1:]]
    )

    run(["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path)

    project = tmp_path / "my-project"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["_commit"] in {f"v{version}" for version in _released_versions()}
    # The recorded source works from inside the project: an update to the same release is a no-op.
    _copier("update", "--trust", "--defaults", "--quiet", "--vcs-ref", answers["_commit"], cwd=project)
    assert git(project, "status", "--porcelain") == ""

"""Tier 4: a project of the newest release updates to the release the working tree makes, with no
team edit lost, even in the files that release no longer renders.

The template is this repository: a `--no-tags` clone gets its release tags from `make tags`, then
the working tree's template on top, tagged as `pyproject.toml`'s version. Each project is an
example's answers (examples/), copied from the newest release before that version.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from packaging.version import Version

from scripts import examples
from scripts.template_version import read_version
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, commit_all, git, run
from tests.update_helpers import update_project

pytestmark = pytest.mark.update

# Examples whose files the next release moves or deletes: the default (AWS, scikit-learn), Azure,
# and PyTorch (whose tests of the preprocessor move).
EXAMPLES = ("default", "github-azure", "gitlab-gcp")
TEAM_LINE = "# team note: kept across updates"
# What a team edits in every file a release stops rendering (JSON has no comments: left out).
EDITABLE = (".tf", ".py", ".yml", ".yaml", ".toml", ".md", ".cfg")


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The template clone, the newest release before the working tree's version, and that version."""
    clone = tmp_path_factory.mktemp("releases") / "template"
    git(TEMPLATE_ROOT, "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(clone))
    run(["make", "--no-print-directory", "tags"], cwd=clone)
    target = f"v{read_version(TEMPLATE_ROOT)}"
    older = sorted(
        (tag for tag in git(clone, "tag", "--list", "v*").split() if Version(tag) < Version(target)),
        key=Version,
    )
    if git(clone, "tag", "--list", target).strip() == "":
        examples.template_snapshot(clone)
        if git(clone, "status", "--porcelain"):
            commit_all(clone, f"release {target}")
        git(clone, "tag", target)
    return clone, older[-1], target


def copy_example(template: Path, tag: str, name: str, destination: Path) -> Path:
    """An example's project as the release `tag` rendered it, committed as a team's first commit."""
    answers = destination.parent / f"{name}-answers.yml"
    answers.write_text(yaml.safe_dump(examples.answers(name)), encoding="utf-8")
    run(
        [
            str(TOOLS_BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--quiet",
            "--vcs-ref",
            tag,
            "--data-file",
            str(answers),
            "-d",
            "init_git=true",
            str(template),
            str(destination),
        ],
        cwd=destination.parent,
    )
    return destination


def rendered(project: Path) -> set[str]:
    return set(git(project, "ls-files").split())


def texts(project: Path) -> list[str]:
    """Every file of the project but git's own, as text."""
    return [
        path.read_text(encoding="utf-8", errors="replace")
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    ]


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_team_edit_is_lost_in_the_files_the_release_stops_rendering(
    releases: tuple[Path, str, str], name: str, tmp_path: Path
) -> None:
    template, base, target = releases
    project = copy_example(template, base, name, tmp_path / "project")
    # The target's files are the example's: tests/test_examples.py holds it to a fresh render.
    gone = sorted(
        path
        for path in rendered(project) - examples.files(examples.EXAMPLES / name)
        if path.endswith(EDITABLE)
    )
    for path in gone:
        with (project / path).open("a", encoding="utf-8") as file:
            file.write(f"{TEAM_LINE} ({path})\n")
    commit_all(project, "team edits")

    _, report = update_project(project, target)

    kept = texts(project)
    lost = [path for path in gone if not any(f"{TEAM_LINE} ({path})" in text for text in kept)]
    # A file whose content went nowhere is deleted; the report names it with the command that
    # restores the team's version.
    assert set(lost) <= set(report["deleted_edited"]), f"{base} -> {target} lost the team's edits of {lost}"
    # Nothing the release stopped rendering lingers unless the team's edit is still in it.
    lingering = [path for path in gone if (project / path).is_file()]
    assert all(TEAM_LINE in (project / path).read_text(encoding="utf-8") for path in lingering)
    # Only what the team edited can conflict: every other file takes the release as it is.
    edited = set(gone) | {new for old, new in report["moved"] if old in gone}
    assert set(report["conflicts"]) <= edited, set(report["conflicts"]) - edited

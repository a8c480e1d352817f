"""Tier 4: the report of `copier recopy`, which runs copy tasks and no migration: it names the
files whose committed version the recopy overwrote, and a fresh copy reports nothing.

A throwaway git copy of the template is released twice (v2.0.0 renames `features.py`, so a
recopy to it overwrites the modules that import it). Copies and recopies run through Copier's
command line, as a team runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from extensions.update_project import ANSWERS_FILE
from tests.helpers import TOOLS_BIN, commit_all, git, run, snapshot_template
from tests.update_helpers import (
    PACKAGE,
    append,
    copier_outcome,
    copy_release,
    rename_features,
    tag_version,
    update_report_file,
)

pytestmark = pytest.mark.update

V1, V2 = "v1.0.0", "v2.0.0"


@pytest.fixture(scope="module")
def rename_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 as it is; v2.0.0 renames features.py to featurize.py."""
    repo = snapshot_template(tmp_path_factory.mktemp("rename-repo"))
    tag_version(repo, V1)
    rename_features(repo, V2)
    tag_version(repo, V2)
    return repo


def test_recopy_names_the_team_edits_it_overwrote(copie: Copie, rename_repo: Path) -> None:
    project = copy_release(copie, rename_repo, V1)
    edited = ["README.md", "params.yaml"]
    for name in edited:
        append(project / name, "# the team's edit\n")
    (project / "src" / PACKAGE / "alerts.py").write_text('"""Team-owned module."""\n', encoding="utf-8")
    commit_all(project, "team edits")

    recopy = copier_outcome(project, "recopy", V1, "--overwrite")

    assert recopy.report["operation"] == "recopy"
    assert recopy.report["overwritten"] == edited
    assert recopy.report["to_resolve"] == len(edited)
    for name in edited:
        assert f"git checkout HEAD -- {name}" in recopy.output
        assert not (project / name).read_text(encoding="utf-8").endswith("# the team's edit\n")
    assert "git diff" in recopy.markdown
    assert recopy.markdown.startswith(f"Template recopy {V1} -> {V1}:")
    assert git(project, "rev-list", "--count", "HEAD").strip() == "2"

    again = copier_outcome(project, "recopy", V1, "--overwrite")

    assert again.report == recopy.report
    git(project, "checkout", "HEAD", "--", "README.md")
    assert (project / "README.md").read_text(encoding="utf-8").endswith("# the team's edit\n")

    newer = copier_outcome(project, "recopy", V2, "--overwrite")

    # Copier's own record changed version: no edit of the team's to report.
    assert newer.markdown.startswith(f"Template recopy {V1} -> {V2}:")
    assert f"src/{PACKAGE}/data.py" in newer.report["overwritten"]
    assert ANSWERS_FILE not in newer.report["overwritten"]


def _copy_from_the_command_line(template: Path, project: Path, *data: str) -> str:
    """`copier copy` of v1 as a person types it, with `-d name=value` answers."""
    options = [option for answer in data for option in ("-d", answer)]
    command = [str(TOOLS_BIN / "copier"), "copy", "--trust", "--defaults", "--vcs-ref", V1, *options]
    return run([*command, str(template), str(project)], cwd=project.parent)


def test_a_fresh_copy_makes_no_recopy_report(tmp_path: Path, rename_repo: Path) -> None:
    project = tmp_path / "fresh"

    output = _copy_from_the_command_line(rename_repo, project, "package_manager=uv")

    assert "Template recopy" not in output
    assert not update_report_file(project, ".json").exists()
    assert not update_report_file(project, ".md").exists()
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"


@pytest.mark.update
def test_a_copy_into_a_folder_of_another_repository_makes_no_recopy_report(
    tmp_path: Path, rename_repo: Path
) -> None:
    """`init_git=false` into a monorepo's folder: the monorepo's history is not the project's."""
    monorepo = tmp_path / "monorepo"
    monorepo.mkdir()
    git(monorepo, "init", "--quiet")
    (monorepo / "notes.txt").write_text("the monorepo's own file\n", encoding="utf-8")
    commit_all(monorepo, "monorepo")
    project = monorepo / "services" / "model"
    project.parent.mkdir()

    output = _copy_from_the_command_line(rename_repo, project, "init_git=false")

    assert "Template recopy" not in output
    assert not update_report_file(monorepo, ".json").exists()

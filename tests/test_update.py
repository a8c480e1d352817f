"""Tier 4: `copier update` from one tagged template version to the next keeps the team's edits.

A throwaway git copy of the template is tagged twice, as a release would be: v1.0.0 as it is,
v1.1.0 with one change to a file the template owns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from copier import run_update
from pytest_copie.plugin import Copie

from tests.helpers import commit_all, git, run, snapshot_template, tag_version

pytestmark = pytest.mark.update

EDITORCONFIG_ADDITION = "\n[*.md]\ntrim_trailing_whitespace = false\n"
TEAM_README_SECTION = "\n## Team notes\n\nOn-call rota lives in the wiki.\n"


@dataclass(frozen=True)
class TemplateRepo:
    path: Path
    first: str
    second: str


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepo:
    repo = snapshot_template(tmp_path_factory.mktemp("template-repo"))
    tag_version(repo, "v1.0.0")
    editorconfig = repo / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text() + EDITORCONFIG_ADDITION)
    tag_version(repo, "v1.1.0")
    return TemplateRepo(repo, "v1.0.0", "v1.1.0")


def _copy(copie: Copie, repo: TemplateRepo) -> Path:
    result = copie.copy(template_dir=repo.path, vcs_ref=repo.first)
    assert result.exception is None, result.exception
    assert result.project_dir is not None
    return Path(result.project_dir)


def _update(project: Path, vcs_ref: str, **answers: str) -> None:
    """`copier update --defaults`, with `--data` for the answers to change (pytest-copie's
    update passes answers as user defaults, which the recorded answers take precedence over)."""
    run_update(
        str(project), data=answers, defaults=True, overwrite=True, unsafe=True, quiet=True, vcs_ref=vcs_ref
    )


def _assert_clean_merge(project: Path) -> None:
    assert list(project.rglob("*.rej")) == []
    for path in project.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.suffix != ".csv":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "<<<<<<<" not in text, path
            assert ">>>>>>>" not in text, path


def test_update_lands_the_template_change_and_keeps_team_edits(
    copie: Copie, template_repo: TemplateRepo
) -> None:
    project = _copy(copie, template_repo)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + TEAM_README_SECTION)
    params = project / "params.yaml"
    params.write_text(params.read_text().replace("regularization: 1.0", "regularization: 0.5"))
    (project / "src" / "my_ml_project" / "drift.py").write_text('"""Team-owned module."""\n')
    commit_all(project, "team edits")

    _update(project, template_repo.second)

    _assert_clean_merge(project)
    assert (project / ".editorconfig").read_text().endswith(EDITORCONFIG_ADDITION)
    assert readme.read_text().endswith(TEAM_README_SECTION)
    assert "regularization: 0.5" in params.read_text()
    assert (project / "src" / "my_ml_project" / "drift.py").is_file()
    changed = sorted(line[3:] for line in git(project, "status", "--porcelain").splitlines())
    assert changed == [".copier-answers.yml", ".editorconfig"]
    assert f"_commit: {template_repo.second}" in (project / ".copier-answers.yml").read_text()

    commit_all(project, "update template")
    _update(project, template_repo.second)

    assert git(project, "status", "--porcelain") == ""


def test_changing_an_answer_adds_and_removes_files(copie: Copie, template_repo: TemplateRepo) -> None:
    project = _copy(copie, template_repo)

    _update(project, template_repo.second, package_manager="pipenv")

    assert (project / "Pipfile").is_file()
    assert "RUN := pipenv run" in (project / "Makefile").read_text()
    commit_all(project, "switch to pipenv")

    _update(project, template_repo.second, package_manager="uv")

    assert not (project / "Pipfile").exists()
    assert "RUN := uv run" in (project / "Makefile").read_text()
    _assert_clean_merge(project)


def test_copy_twice_into_the_same_folder_is_idempotent(copie: Copie, template_repo: TemplateRepo) -> None:
    project = _copy(copie, template_repo)
    run(
        [
            "copier",
            "copy",
            "--trust",
            "--defaults",
            "--overwrite",
            "--quiet",
            "--vcs-ref",
            template_repo.first,
            str(template_repo.path),
            str(project),
        ],
        cwd=project,
    )

    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"

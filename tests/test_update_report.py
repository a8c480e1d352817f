"""Tier 4: the update report says what happened, checked against what did happen.

Throwaway git copies of the template, released twice or three times:
- a rename release: `features.py` becomes `featurize.py`, whose docstring changes, with the
  `move` migration of docs/updating.md; the report says for each move whether the team had edits
  to carry and how they merged, and a rename onto a file the team already had nests no markers;
- Pipenv releases: one narrows a runtime range that the lock still meets, one adds a package to
  the Pipfile's `serve` category; the report asks for a refresh exactly when `make lock-check`
  fails;
- `copier recopy`, which runs copy tasks and no migration: it names the files whose committed
  version it overwrote, and a fresh copy reports nothing.

Updates and recopies run through Copier's command line, as a team runs them.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pytest_copie.plugin import Copie

from extensions import updates
from tests.helpers import (
    TOOLS_BIN,
    commit_all,
    copy_release,
    git,
    run,
    snapshot_template,
    tag_version,
    tool_env,
    update_project,
    update_report_file,
    write_pipenv_lock,
)

pytestmark = pytest.mark.update

V1, V2, V3 = "v1.0.0", "v2.0.0", "v3.0.0"
PACKAGE = "my_ml_project"
OLD, NEW = f"src/{PACKAGE}/features.py", f"src/{PACKAGE}/featurize.py"
OLD_DOCSTRING = '"""Feature engineering, fitted as part of the model'
NEW_DOCSTRING = '"""Featurization, fitted as part of the model'
TEAM_DOCSTRING = '"""Our features, fitted as part of the model'
TEAM_FEATURE = '\n\ndef team_feature() -> int:\n    """The team\'s own feature."""\n    return 42\n'
TEAM_OWN_NEW = '"""The team\'s own featurize module."""\n\nTEAM_SCALE = 2.0\n'
RENAME_MIGRATION = """_migrations:
  - version: v2.0.0
    command:
      - "{{ _copier_python }}"
      - "{{ _copier_conf.src_path }}/extensions/updates.py"
      - move
      - src/{package_name}/features.py
      - src/{package_name}/featurize.py
"""
PIPFILE_TEMPLATE = "template/{% if package_manager == 'pipenv' %}Pipfile{% endif %}.jinja"
SERVE_LOOP_END = "{{ entry }}\n{%- endfor %}\n{%- endif %}"
SERVE_ONLY_PACKAGE = 'orjson = ">=3.10,<4"'


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def rename_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 as it is; v2.0.0 renames features.py to featurize.py and rewords its docstring."""
    repo = snapshot_template(tmp_path_factory.mktemp("rename-repo"))
    tag_version(repo, V1)
    package = repo / "template" / "src" / "{{package_name}}"
    git(repo, "mv", str(package / "features.py"), str(package / "featurize.py"))
    _replace(package / "featurize.py", OLD_DOCSTRING, NEW_DOCSTRING)
    for module in package.rglob("*"):
        if module.is_file() and "features import" in module.read_text(encoding="utf-8"):
            _replace(module, "features import", "featurize import")
    _replace(repo / "copier.yml", "_migrations:\n", RENAME_MIGRATION)
    tag_version(repo, V2)
    return repo


@pytest.fixture(scope="module")
def pipenv_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 as it is; v2.0.0 narrows pandas' range to one the lock still meets; v3.0.0 adds a
    package to the Pipfile's `serve` category alone."""
    repo = snapshot_template(tmp_path_factory.mktemp("pipenv-repo"))
    tag_version(repo, V1)
    _replace(repo / "extensions" / "dependencies.yml", '    spec: ">=2.2,<4"\n', '    spec: ">=2.2,<3"\n')
    tag_version(repo, V2)
    _replace(
        repo / PIPFILE_TEMPLATE,
        SERVE_LOOP_END,
        SERVE_LOOP_END.replace("{%- endif %}", f"{SERVE_ONLY_PACKAGE}\n{{%- endif %}}"),
    )
    tag_version(repo, V3)
    return repo


@dataclass(frozen=True)
class Outcome:
    """What one `copier update` or `copier recopy` printed and reported."""

    output: str
    report: dict[str, Any]
    markdown: str


def _copier(project: Path, command: str, version: str, *options: str) -> Outcome:
    output, report = update_project(project, version, *options, command=command)
    return Outcome(output, report, update_report_file(project, ".md").read_text(encoding="utf-8"))


def _copy(copie: Copie, repo: Path, version: str = V1, **answers: str) -> Path:
    return copy_release(copie, repo, version, **answers)


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _marker_depth(text: str) -> int:
    """How deep conflict markers nest: 1 for ordinary conflicts, 2 for a conflict inside one."""
    depth = deepest = 0
    for line in text.splitlines():
        if line.startswith("<<<<<<< "):
            depth += 1
            deepest = max(deepest, depth)
        elif line.startswith(">>>>>>> "):
            depth -= 1
    return deepest


# ---- Renames ------------------------------------------------------------------------------------


def test_a_rename_without_team_edits_says_there_were_none(copie: Copie, rename_repo: Path) -> None:
    project = _copy(copie, rename_repo)

    update = _copier(project, "update", V2)

    assert update.report["moved"] == [[OLD, NEW]]
    assert update.report["moved_edits"] == {OLD: "none"}
    assert "no edits of yours to carry" in update.markdown
    assert "with your edits" not in update.markdown
    assert (project / NEW).read_text(encoding="utf-8").startswith(NEW_DOCSTRING)
    assert not (project / OLD).exists()


def test_a_rename_says_how_the_team_edits_merged(copie: Copie, rename_repo: Path) -> None:
    clean = _copy(copie, rename_repo)
    _append(clean / OLD, TEAM_FEATURE)
    commit_all(clean, "team edits")
    conflicting = _copy(copie, rename_repo)
    _replace(conflicting / OLD, OLD_DOCSTRING, TEAM_DOCSTRING)
    commit_all(conflicting, "team edits")

    merged = _copier(clean, "update", V2)
    conflicted = _copier(conflicting, "update", V2)

    assert merged.report["moved_edits"] == {OLD: "carried"}
    assert "with your edits" in merged.markdown
    assert (clean / NEW).read_text(encoding="utf-8").endswith(TEAM_FEATURE)
    assert conflicted.report["moved_edits"] == {OLD: "conflicts"}
    assert conflicted.report["conflicts"] == [NEW]
    assert "conflict" in conflicted.markdown.split("with your edits", 1)[1].split("\n", 1)[0]
    text = (conflicting / NEW).read_text(encoding="utf-8")
    assert TEAM_DOCSTRING in text
    assert NEW_DOCSTRING in text
    assert _marker_depth(text) == 1


def test_a_rename_onto_a_file_the_team_already_had_nests_no_markers(copie: Copie, rename_repo: Path) -> None:
    project = _copy(copie, rename_repo)
    _append(project / OLD, TEAM_FEATURE)
    (project / NEW).write_text(TEAM_OWN_NEW, encoding="utf-8")
    commit_all(project, "team edits")

    update = _copier(project, "update", V2)

    text = (project / NEW).read_text(encoding="utf-8")
    assert _marker_depth(text) == 1
    assert TEAM_OWN_NEW.splitlines()[0] in text
    assert NEW_DOCSTRING in text
    # The team's edits of the old file are not guessed into the new one: they stay where they
    # were, for a person to merge, and the report says so and counts it.
    assert (project / OLD).read_text(encoding="utf-8").endswith(TEAM_FEATURE)
    assert update.report["moved_edits"] == {OLD: "kept"}
    assert update.report["conflicts"] == [NEW]
    assert f"`{OLD}` -> `{NEW}`" in update.markdown
    assert "by hand" in update.markdown
    assert update.report["to_resolve"] == 3  # the conflict, the move to merge, the missing lock
    assert "3 left to resolve" in update.output


# ---- Versions -----------------------------------------------------------------------------------


def test_the_report_names_both_versions_as_the_answers_file_records_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "--quiet", "--initial-branch=main")
    answers = project / updates.ANSWERS_FILE
    answers.write_text("_commit: v0.2.0\n_src_path: gh:example/template\n", encoding="utf-8")
    commit_all(project, "start")
    answers.write_text("_commit: v0.4.0\n_src_path: gh:example/template\n", encoding="utf-8")
    # The forms the finding saw: the tag on one side, the PEP 440 version on the other.
    monkeypatch.setenv("VERSION_FROM", "v0.2.0")
    monkeypatch.setenv("VERSION_TO", "0.4.0")
    monkeypatch.chdir(project)

    assert updates.main(["report", "--lock-file=uv.lock"]) == 0

    markdown = update_report_file(project, ".md").read_text(encoding="utf-8")
    assert markdown.startswith("Template update v0.2.0 -> v0.4.0:")
    # What the after-update message passes: `_copier_answers._commit`.
    assert updates.read_report(project, "v0.4.0") is not None


def test_an_update_prints_both_versions_as_tags(copie: Copie, rename_repo: Path) -> None:
    project = _copy(copie, rename_repo)

    update = _copier(project, "update", V2)

    assert (update.report["version_from"], update.report["version_to"]) == (V1, V2)
    assert f"Template update {V1} -> {V2}:" in update.output
    assert f"took template {V2}; 1 left to resolve" in update.output


# ---- Lock files ---------------------------------------------------------------------------------


def _lock_check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "lock-check"], cwd=project, capture_output=True, text=True, check=False, env=tool_env()
    )


def test_with_pipenv_the_report_asks_for_a_refresh_exactly_when_lock_check_fails(
    copie: Copie, pipenv_repo: Path
) -> None:
    project = _copy(copie, pipenv_repo, package_manager="pipenv")
    write_pipenv_lock(project)
    commit_all(project, "build: lock the dependencies")
    assert _lock_check(project).returncode == 0, _lock_check(project).stderr

    narrowed = _copier(project, "update", V2)

    # pandas' new range still holds the locked version: Pipenv's check and the project's pass.
    check = _lock_check(project)
    assert check.returncode == 0, check.stderr
    assert narrowed.report["lock_refresh"] is False, narrowed.report["lock_reason"]
    assert narrowed.report["clean"] is True
    commit_all(project, f"template {V2}")

    served = _copier(project, "update", V3)

    assert SERVE_ONLY_PACKAGE in (project / "Pipfile").read_text(encoding="utf-8")
    check = _lock_check(project)
    assert check.returncode != 0
    assert served.report["lock_refresh"] is True
    assert "Pipfile" in served.report["lock_reason"]


# ---- Recopy -------------------------------------------------------------------------------------


def test_recopy_names_the_team_edits_it_overwrote(copie: Copie, rename_repo: Path) -> None:
    project = _copy(copie, rename_repo)
    edited = ["README.md", "params.yaml"]
    for name in edited:
        _append(project / name, "# the team's edit\n")
    (project / "src" / PACKAGE / "alerts.py").write_text('"""Team-owned module."""\n', encoding="utf-8")
    commit_all(project, "team edits")

    recopy = _copier(project, "recopy", V1, "--overwrite")

    assert recopy.report["operation"] == "recopy"
    assert recopy.report["overwritten"] == edited
    assert recopy.report["to_resolve"] == len(edited)
    for name in edited:
        assert f"git checkout HEAD -- {name}" in recopy.output
        assert not (project / name).read_text(encoding="utf-8").endswith("# the team's edit\n")
    assert "git diff" in recopy.markdown
    assert recopy.markdown.startswith(f"Template recopy {V1} -> {V1}:")
    assert git(project, "rev-list", "--count", "HEAD").strip() == "2"

    again = _copier(project, "recopy", V1, "--overwrite")

    assert again.report == recopy.report
    git(project, "checkout", "HEAD", "--", "README.md")
    assert (project / "README.md").read_text(encoding="utf-8").endswith("# the team's edit\n")

    newer = _copier(project, "recopy", V2, "--overwrite")

    # Copier's own record changed version: no edit of the team's to report.
    assert newer.markdown.startswith(f"Template recopy {V1} -> {V2}:")
    assert f"src/{PACKAGE}/data.py" in newer.report["overwritten"]
    assert updates.ANSWERS_FILE not in newer.report["overwritten"]


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

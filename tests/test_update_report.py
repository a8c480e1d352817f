"""Tier 4: the update report says what happened, checked against what did happen.

Throwaway git copies of the template, released twice or three times:
- a rename release: `features.py` becomes `featurize.py`, whose docstring changes, with the
  `move` migration of docs/updating.md; the report says for each move whether the team had edits
  to carry and how they merged, and a rename onto a file the team already had nests no markers;
- Pipenv releases: one narrows a runtime range that the lock still meets, one adds a package to
  the Pipfile's `serve` category; the report asks for a refresh exactly when `make lock-check`
  fails.

Updates run through Copier's command line, as a team runs them; test_recopy_report.py checks
the report of `copier recopy`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from extensions import update_report, updates
from extensions.update_project import ANSWERS_FILE
from tests.helpers import commit_all, git, snapshot_template, tool_env
from tests.update_helpers import (
    PACKAGE,
    TEAM_FEATURE,
    append,
    copier_outcome,
    copy_release,
    rename_features,
    replace_once,
    tag_version,
    update_report_file,
    write_pipenv_lock,
)

pytestmark = pytest.mark.update

V1, V2, V3 = "v1.0.0", "v2.0.0", "v3.0.0"
OLD, NEW = f"src/{PACKAGE}/features.py", f"src/{PACKAGE}/featurize.py"
OLD_DOCSTRING = '"""Feature engineering, fitted as part of the model'
NEW_DOCSTRING = '"""Featurization, fitted as part of the model'
TEAM_DOCSTRING = '"""Our features, fitted as part of the model'
TEAM_OWN_NEW = '"""The team\'s own featurize module."""\n\nTEAM_SCALE = 2.0\n'
PIPFILE_TEMPLATE = "template/{% if package_manager == 'pipenv' %}Pipfile{% endif %}.jinja"
SERVE_LOOP_END = "{{ entry }}\n{%- endfor %}\n{%- endif %}"
SERVE_ONLY_PACKAGE = 'orjson = ">=3.10,<4"'


@pytest.fixture(scope="module")
def rename_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 as it is; v2.0.0 renames features.py to featurize.py and rewords its docstring."""
    repo = snapshot_template(tmp_path_factory.mktemp("rename-repo"))
    tag_version(repo, V1)
    rename_features(repo, V2)
    replace_once(
        repo / "template" / "src" / "{{package_name}}" / "featurize.py", OLD_DOCSTRING, NEW_DOCSTRING
    )
    tag_version(repo, V2)
    return repo


@pytest.fixture(scope="module")
def pipenv_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v1.0.0 as it is; v2.0.0 narrows pandas' range to one the lock still meets; v3.0.0 adds a
    package to the Pipfile's `serve` category alone."""
    repo = snapshot_template(tmp_path_factory.mktemp("pipenv-repo"))
    tag_version(repo, V1)
    replace_once(repo / "extensions" / "dependencies.yml", '    spec: ">=2.2,<4"\n', '    spec: ">=2.2,<3"\n')
    tag_version(repo, V2)
    replace_once(
        repo / PIPFILE_TEMPLATE,
        SERVE_LOOP_END,
        SERVE_LOOP_END.replace("{%- endif %}", f"{SERVE_ONLY_PACKAGE}\n{{%- endif %}}"),
    )
    tag_version(repo, V3)
    return repo


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
    project = copy_release(copie, rename_repo, V1)

    update = copier_outcome(project, "update", V2)

    assert update.report["moved"] == [[OLD, NEW]]
    assert update.report["moved_edits"] == {OLD: "none"}
    assert "no edits of yours to carry" in update.markdown
    assert "with your edits" not in update.markdown
    assert (project / NEW).read_text(encoding="utf-8").startswith(NEW_DOCSTRING)
    assert not (project / OLD).exists()


def test_a_rename_says_how_the_team_edits_merged(copie: Copie, rename_repo: Path) -> None:
    clean = copy_release(copie, rename_repo, V1)
    append(clean / OLD, TEAM_FEATURE)
    commit_all(clean, "team edits")
    conflicting = copy_release(copie, rename_repo, V1)
    replace_once(conflicting / OLD, OLD_DOCSTRING, TEAM_DOCSTRING)
    commit_all(conflicting, "team edits")

    merged = copier_outcome(clean, "update", V2)
    conflicted = copier_outcome(conflicting, "update", V2)

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
    project = copy_release(copie, rename_repo, V1)
    append(project / OLD, TEAM_FEATURE)
    (project / NEW).write_text(TEAM_OWN_NEW, encoding="utf-8")
    commit_all(project, "team edits")

    update = copier_outcome(project, "update", V2)

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
    answers = project / ANSWERS_FILE
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
    assert update_report.read_report(project, "v0.4.0") is not None


def test_an_update_prints_both_versions_as_tags(copie: Copie, rename_repo: Path) -> None:
    project = copy_release(copie, rename_repo, V1)

    update = copier_outcome(project, "update", V2)

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
    project = copy_release(copie, pipenv_repo, V1, package_manager="pipenv")
    write_pipenv_lock(project)
    commit_all(project, "build: lock the dependencies")
    assert _lock_check(project).returncode == 0, _lock_check(project).stderr

    narrowed = copier_outcome(project, "update", V2)

    # pandas' new range still holds the locked version: Pipenv's check and the project's pass.
    check = _lock_check(project)
    assert check.returncode == 0, check.stderr
    assert narrowed.report["lock_refresh"] is False, narrowed.report["lock_reason"]
    assert narrowed.report["clean"] is True
    commit_all(project, f"template {V2}")

    served = copier_outcome(project, "update", V3)

    assert SERVE_ONLY_PACKAGE in (project / "Pipfile").read_text(encoding="utf-8")
    check = _lock_check(project)
    assert check.returncode != 0
    assert served.report["lock_refresh"] is True
    assert "Pipfile" in served.report["lock_reason"]

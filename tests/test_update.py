"""Tier 4: `copier update` across three tagged template versions, the way a team lives it.

A throwaway git copy of the template is released three times:
- v1.0.0 as it is;
- v2.0.0 changes a README line the team also changed (a conflict) and `.editorconfig`, which the
  team did not touch (a clean merge), adds a runtime dependency and a question with a default;
- v3.0.0 renames `features.py` to `featurize.py`, with a migration that carries the team's edits.

The project uses uv, whose lock the tests can write in seconds, and commits its lock as the
after-copy message says. Updates run through Copier's command line, as a team runs them.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from pytest_copie.plugin import Copie

from tests.helpers import TOOLS_BIN, commit_all, git, run, snapshot_template, tool_env
from tests.update_helpers import (
    PACKAGE,
    TEAM_FEATURE,
    Outcome,
    commit_with_hooks,
    copier_outcome,
    copy_release,
    keep_team_side,
    rename_features,
    replace_once,
    tag_version,
)

pytestmark = pytest.mark.update

V1, V2, V3 = "v1.0.0", "v2.0.0", "v3.0.0"
CHECK_LINE = "make check      # ruff, ruff format --check, mypy --strict, pytest with coverage"
TEMPLATE_CHECK_LINE = "make check      # conflicts, ruff, ruff format --check, mypy --strict, pytest"
TEAM_CHECK_LINE = "make check      # the whole gate: run it before every push"
EDITORCONFIG_ADDITION = "\n[*.md]\ntrim_trailing_whitespace = false\n"
TEAM_README_SECTION = "\n## Team notes\n\nOn-call rota lives in the wiki.\n"
NOTEBOOK = "notebooks/01-explore-sample-data.ipynb"
DRIFT_WORKFLOW = ".github/workflows/drift.yml"


def release_v2(repo: Path) -> None:
    readme = repo / "template" / "README.md.jinja"
    replace_once(readme, CHECK_LINE, TEMPLATE_CHECK_LINE)
    replace_once(readme, "{{ description }}\n", "{{ description }}\n\nTeam chat: {{ team_chat }}\n")
    editorconfig = repo / "template" / ".editorconfig"
    editorconfig.write_text(editorconfig.read_text(encoding="utf-8") + EDITORCONFIG_ADDITION)
    replace_once(
        repo / "extensions" / "dependencies.yml",
        "  - {name: pyyaml,",
        '  - {name: tomli-w, spec: ">=1.0,<2", imports: [tomli_w]}\n  - {name: pyyaml,',
    )
    copier_yml = repo / "copier.yml"
    copier_yml.write_text(
        copier_yml.read_text(encoding="utf-8")
        + '\nteam_chat:\n  type: str\n  help: Where the team talks\n  default: "#ml-team"\n'
    )
    tag_version(repo, V2)


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = snapshot_template(tmp_path_factory.mktemp("template-repo"))
    tag_version(repo, V1)
    release_v2(repo)
    rename_features(repo, V3)
    tag_version(repo, V3)
    return repo


def _update(project: Path, version: str, *options: str) -> Outcome:
    """`copier update` from the command line; `-d name=value` options change answers."""
    return copier_outcome(project, "update", version, *options)


def _lock(project: Path) -> None:
    """What `make install` does to uv.lock, without building the environment."""
    run([str(TOOLS_BIN / "uv"), "lock", "--quiet"], cwd=project)


def _make_conflicts(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "conflicts"], cwd=project, capture_output=True, text=True, check=False, env=tool_env()
    )


def team_edits(project: Path) -> None:
    """Edits a team makes in its first weeks, committed with the lock file."""
    readme = project / "README.md"
    replace_once(readme, CHECK_LINE, TEAM_CHECK_LINE)
    readme.write_text(readme.read_text(encoding="utf-8") + TEAM_README_SECTION, encoding="utf-8")
    features = project / "src" / PACKAGE / "features.py"
    features.write_text(features.read_text(encoding="utf-8") + TEAM_FEATURE, encoding="utf-8")
    (project / "src" / PACKAGE / "alerts.py").write_text('"""Team-owned module."""\n', encoding="utf-8")
    replace_once(project / "pyproject.toml", "dependencies = [\n", 'dependencies = [\n    "rich>=13,<15",\n')
    replace_once(project / "params.yaml", "regularization: 1.0", "regularization: 0.5")
    git(project, "rm", "--quiet", NOTEBOOK, DRIFT_WORKFLOW)
    _lock(project)
    commit_all(project, "team edits")


def _assert_v2_reports_the_conflict_and_the_stale_lock(v2: Outcome) -> None:
    assert v2.report["conflicts"] == ["README.md"]
    assert v2.report["rejects"] == []
    assert v2.report["deleted_edited"] == []
    assert v2.report["lock_refresh"] is True
    assert "dependencies in pyproject.toml" in v2.report["lock_reason"]
    assert "`README.md`" in v2.output
    assert "up to date" not in v2.output
    assert "left to resolve" in v2.output


def _assert_the_conflict_blocks_make_and_commit(project: Path) -> None:
    """`make conflicts` (so `make check`) and a commit with the hooks active both refuse it."""
    blocked = _make_conflicts(project)
    assert blocked.returncode != 0
    assert "README.md" in blocked.stderr
    refused = commit_with_hooks(project)
    assert refused.returncode != 0
    assert "README.md" in refused.stdout + refused.stderr


def _assert_v2_merged_the_readme(readme: str) -> None:
    """Both sides of the conflict, the new question's line and the team's own section."""
    assert TEAM_CHECK_LINE in readme
    assert TEMPLATE_CHECK_LINE in readme
    assert "Team chat: #ml-team" in readme
    assert readme.endswith(TEAM_README_SECTION)


def _assert_v2_merged_and_kept_the_team_edits(project: Path) -> None:
    """What the team did not touch merged; every team edit survived; deleted files stay deleted."""
    _assert_v2_merged_the_readme((project / "README.md").read_text(encoding="utf-8"))
    assert (project / ".editorconfig").read_text(encoding="utf-8").endswith(EDITORCONFIG_ADDITION)
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert '"rich>=13,<15"' in pyproject
    assert '"tomli-w>=1.0,<2"' in pyproject
    assert "regularization: 0.5" in (project / "params.yaml").read_text(encoding="utf-8")
    assert (project / "src" / PACKAGE / "features.py").read_text(encoding="utf-8").endswith(TEAM_FEATURE)
    assert (project / "src" / PACKAGE / "alerts.py").is_file()
    assert not (project / NOTEBOOK).exists()
    assert not (project / DRIFT_WORKFLOW).exists()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["_commit"] == V2
    assert answers["team_chat"] == "#ml-team"


def _resolve_and_relock(project: Path) -> None:
    """What the team does after the v2 update: keep its side of the conflict, lock, commit."""
    keep_team_side(project / "README.md")  # as a person would
    assert _make_conflicts(project).returncode == 0
    _lock(project)
    assert "tomli-w" in (project / "uv.lock").read_text(encoding="utf-8")
    commit_all(project, f"template {V2}")


def _assert_v3_carried_the_rename_cleanly(project: Path, v3: Outcome) -> None:
    featurize = project / "src" / PACKAGE / "featurize.py"
    assert not (project / "src" / PACKAGE / "features.py").exists()
    assert featurize.read_text(encoding="utf-8").endswith(TEAM_FEATURE)
    assert "from .featurize import" in (project / "src" / PACKAGE / "data.py").read_text(encoding="utf-8")
    assert v3.report["moved"] == [[f"src/{PACKAGE}/features.py", f"src/{PACKAGE}/featurize.py"]]
    assert v3.report["clean"] is True, v3.report
    assert "is up to date with template v3.0.0" in v3.output
    assert TEAM_CHECK_LINE in (project / "README.md").read_text(encoding="utf-8")
    assert not (project / NOTEBOOK).exists()
    assert not (project / DRIFT_WORKFLOW).exists()


def test_three_releases_keep_the_team_edits_and_report_what_to_resolve(
    copie: Copie, template_repo: Path
) -> None:
    project = copy_release(copie, template_repo, V1)
    team_edits(project)

    v2 = _update(project, V2)

    _assert_v2_reports_the_conflict_and_the_stale_lock(v2)
    _assert_the_conflict_blocks_make_and_commit(project)
    _assert_v2_merged_and_kept_the_team_edits(project)
    _resolve_and_relock(project)

    v3 = _update(project, V3)

    _assert_v3_carried_the_rename_cleanly(project, v3)
    commit_all(project, f"template {V3}")

    again = _update(project, V3)

    assert git(project, "status", "--porcelain") == ""
    assert again.report["clean"] is True
    assert "is up to date with template v3.0.0" in again.output


def test_conflict_rej_keeps_the_template_version_and_puts_the_team_edit_in_a_rej_file(
    copie: Copie, template_repo: Path
) -> None:
    project = copy_release(copie, template_repo, V1)
    replace_once(project / "README.md", CHECK_LINE, TEAM_CHECK_LINE)
    commit_all(project, "team edits")

    update = _update(project, V2, "--conflict", "rej")

    readme = (project / "README.md").read_text(encoding="utf-8")
    rejected = (project / "README.md.rej").read_text(encoding="utf-8")
    assert TEMPLATE_CHECK_LINE in readme
    assert TEAM_CHECK_LINE not in readme
    assert f"+{TEAM_CHECK_LINE}" in rejected
    assert update.report["rejects"] == ["README.md.rej"]
    assert update.report["conflicts"] == []
    blocked = _make_conflicts(project)
    assert blocked.returncode != 0
    assert "README.md.rej" in blocked.stderr


def test_answer_changes_report_the_team_files_they_remove(copie: Copie, template_repo: Path) -> None:
    project = copy_release(copie, template_repo, V3)
    edited = [".github/workflows/ci.yml", f"src/{PACKAGE}/serve/app.py", "infra/terraform/main.tf"]
    for name in edited:
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + "# the team's edit\n", encoding="utf-8")
    team_files = [".github/workflows/release-notes.yml", f"src/{PACKAGE}/serve/auth.py"]
    for name in team_files:
        (project / name).write_text("# the team's own file\n", encoding="utf-8")
    commit_all(project, "team edits")

    update = _update(
        project, V3, "-d", "ci_provider=gitlab", "-d", "serving=none", "-d", "cloud_provider=none"
    )

    assert update.report["deleted_edited"] == sorted(edited)
    assert update.report["left_behind"] == sorted(team_files)
    assert (project / ".gitlab-ci.yml").is_file()
    for name in edited:
        assert f"git checkout HEAD -- {name}" in update.output
    git(project, "checkout", "HEAD", "--", edited[0])
    assert (project / edited[0]).read_text(encoding="utf-8").endswith("# the team's edit\n")


def test_changing_the_package_manager_adds_and_removes_files(copie: Copie, template_repo: Path) -> None:
    project = copy_release(copie, template_repo, V3)

    _update(project, V3, "-d", "package_manager=pipenv")

    assert (project / "Pipfile").is_file()
    assert "RUN := pipenv run" in (project / "Makefile").read_text(encoding="utf-8")
    commit_all(project, "switch to pipenv")

    update = _update(project, V3, "-d", "package_manager=uv")

    assert not (project / "Pipfile").exists()
    assert "RUN := uv run" in (project / "Makefile").read_text(encoding="utf-8")
    assert update.report["conflicts"] == []
    assert update.report["rejects"] == []
    assert update.report["lock_refresh"] is True


def test_copy_twice_into_the_same_folder_is_idempotent(copie: Copie, template_repo: Path) -> None:
    project = copy_release(copie, template_repo, V1)
    run(
        [
            str(TOOLS_BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--overwrite",
            "--quiet",
            "--vcs-ref",
            V1,
            "-d",
            "package_manager=uv",
            str(template_repo),
            str(project),
        ],
        cwd=project,
    )

    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-list", "--count", "HEAD").strip() == "1"

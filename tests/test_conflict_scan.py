"""One conflict scan that nothing hides and nothing breaks (template/scripts/check_conflicts.py).

The scan backs `make conflicts` (and `make check`, `make install`, the lock checks), the
`conflicts` pre-commit hook, CI's first step and the update report. Unit tests run it on small
folders; update-tier tests run a team's update whose conflicts land in `params.yaml`, the
Makefile and pyproject.toml, inline and as `.rej` files the team's `.gitignore` hides.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from extensions import update_report
from tests.helpers import TOOLS_BIN, commit_all, git, run, snapshot_template, tool_env
from tests.update_helpers import commit_with_hooks, copy_release, keep_team_side, tag_version, update_project

V1, V2 = "v1.0.0", "v2.0.0"
SCAN = update_report.conflict_scan()
CONFLICT = "<<<<<<< before updating\nours\n=======\ntheirs\n>>>>>>> after updating\n"
GIT_CONFLICT = "<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> feature\n"
# (file of the template, the line v1 renders, what v2 renders, what the team writes)
EDITS = {
    "params.yaml": ("  test_size: 0.25\n", "  test_size: 0.2\n", "  test_size: 0.3\n"),
    "Makefile": (
        "BATCH ?= $(SAMPLE)\n",
        "BATCH ?= data/raw/batch.csv\n",
        "BATCH ?= data/live.csv\n",
    ),
    "pyproject.toml": ("branch = true\n", "branch = true\nparallel = true\n", "branch = false\n"),
}


def _scan(root: Path) -> tuple[list[str], list[str]]:
    findings = SCAN.scan(root)
    return findings.conflicts, findings.rejects


# ----------------------------------------------------------------------------------------------
# The scan on small folders
# ----------------------------------------------------------------------------------------------
@pytest.mark.static
def test_markers_and_rej_files_are_found_wherever_git_would_not_look(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet")
    (tmp_path / ".gitignore").write_text("*.rej\nbuild/\n", encoding="utf-8")
    (tmp_path / "params.yaml.rej").write_text("@@ -1 +1 @@\n", encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "config.yml").write_text(CONFLICT, encoding="utf-8")
    (tmp_path / "Makefile").write_text(f"all:\n\ttrue\n{CONFLICT}", encoding="utf-8")

    assert _scan(tmp_path) == (["Makefile", "build/config.yml"], ["params.yaml.rej"])


@pytest.mark.static
def test_environments_caches_binaries_and_ignored_patterns_are_not_read(tmp_path: Path) -> None:
    for folder in (".venv/lib", ".git/x", ".dvc/cache/files", "node_modules/a", ".mypy_cache"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "conflict.txt").write_text(CONFLICT, encoding="utf-8")
    (tmp_path / "model.bin").write_bytes(b"\0" + CONFLICT.encode())
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "fixture.txt").write_text(CONFLICT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.check-conflicts]\nignore = ["tests/fixture.txt"]\n', encoding="utf-8"
    )

    assert _scan(tmp_path) == ([], [])


@pytest.mark.static
def test_markdown_quotes_markers_in_a_fence_but_not_outside_one(tmp_path: Path) -> None:
    quoted = (
        f"# Resolving\n\nA conflict looks like this:\n\n````text\n{GIT_CONFLICT}```\nstill fenced\n````\n"
    )
    (tmp_path / "guide.md").write_text(quoted, encoding="utf-8")
    (tmp_path / "tilde.md").write_text(f"~~~\n{GIT_CONFLICT}~~~\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text(f"# Notes\n\n{GIT_CONFLICT}", encoding="utf-8")
    # Copier's own labels: an update's conflict, which a scheduled job commits for a person.
    (tmp_path / "README.md").write_text(f"```bash\n{CONFLICT}```\n", encoding="utf-8")
    # Not Markdown: a fence means nothing there.
    (tmp_path / "notes.txt").write_text(f"```\n{GIT_CONFLICT}```\n", encoding="utf-8")

    assert _scan(tmp_path) == (["README.md", "notes.md", "notes.txt"], [])


@pytest.mark.static
def test_a_fenced_conflict_of_a_merge_counts_even_once_staged(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    page = tmp_path / "guide.md"
    page.write_text("```bash\nmake check\n```\n", encoding="utf-8")
    commit_all(tmp_path, "page")
    git(tmp_path, "switch", "--quiet", "--create", "other")
    page.write_text("```bash\nmake check-all\n```\n", encoding="utf-8")
    commit_all(tmp_path, "other")
    git(tmp_path, "switch", "--quiet", "main")
    page.write_text("```bash\nmake test\n```\n", encoding="utf-8")
    commit_all(tmp_path, "main")
    merge = subprocess.run(["git", "merge", "other"], cwd=tmp_path, capture_output=True, check=False)
    assert merge.returncode != 0

    assert _scan(tmp_path) == (["guide.md"], [])
    # Staged, it is no longer unmerged; the stopped merge's message still names it.
    git(tmp_path, "add", "guide.md")
    assert _scan(tmp_path) == (["guide.md"], [])


# ----------------------------------------------------------------------------------------------
# A team's update
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = snapshot_template(tmp_path_factory.mktemp("template-repo"))
    tag_version(repo, V1)
    for name, (v1, v2, _) in EDITS.items():
        source = repo / "template" / f"{name}.jinja"
        text = source.read_text(encoding="utf-8")
        assert text.count(v1) == 1, (name, v1)
        source.write_text(text.replace(v1, v2), encoding="utf-8")
    tag_version(repo, V2)
    return repo


def _team_project(copie: Copie, repo: Path, ignore_rej: bool) -> Path:
    project = copy_release(copie, repo, V1)
    for name, (v1, _, team) in EDITS.items():
        path = project / name
        path.write_text(path.read_text(encoding="utf-8").replace(v1, team), encoding="utf-8")
    if ignore_rej:
        gitignore = project / ".gitignore"
        gitignore.write_text(gitignore.read_text(encoding="utf-8") + "*.rej\n", encoding="utf-8")
    run([str(TOOLS_BIN / "uv"), "lock", "--quiet"], cwd=project)
    commit_all(project, "team edits")
    return project


def _update(project: Path, *options: str) -> str:
    output, _ = update_project(project, V2, *options)
    return output


def _make(project: Path, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=tool_env(),
    )


@pytest.mark.update
def test_rej_files_the_team_ignores_are_reported_and_block_the_commit(
    copie: Copie, template_repo: Path
) -> None:
    project = _team_project(copie, template_repo, ignore_rej=True)

    output = _update(project, "--conflict", "rej")

    rejects = sorted(f"{name}.rej" for name in EDITS)
    assert all((project / name).is_file() for name in rejects)
    assert git(project, "status", "--porcelain", "--", *rejects) == "", "the team's .gitignore hides them"
    assert "nothing to resolve" not in output
    for name in rejects:
        assert f"`{name}`" in output
    blocked = _make(project, "conflicts")
    assert blocked.returncode != 0
    assert all(name in blocked.stderr for name in rejects)
    refused = commit_with_hooks(project)
    assert refused.returncode != 0
    assert "params.yaml.rej" in refused.stdout + refused.stderr


@pytest.mark.update
def test_markers_in_the_makefile_and_pyproject_are_named_by_every_guard(
    copie: Copie, template_repo: Path
) -> None:
    project = _team_project(copie, template_repo, ignore_rej=False)

    output = _update(project)

    for name in EDITS:
        assert f"`{name}`" in output, name
    for target in ("conflicts", "check", "lock-check", "install"):
        refused = _make(project, target)
        assert refused.returncode != 0, target
        assert "missing separator" not in refused.stderr, target
        for name in EDITS:
            assert f"  {name}\n" in refused.stderr, (target, name, refused.stderr)
        # Conflicts first: no advice about the lock while pyproject.toml cannot be read.
        assert "does not match" not in refused.stderr, target
    hook = commit_with_hooks(project)
    assert hook.returncode != 0
    assert all(f"  {name}\n" in hook.stdout + hook.stderr for name in EDITS)

    # With the Makefile mended, make's own targets still look for conflicts before the lock.
    keep_team_side(project / "Makefile")
    for target in ("lock-check", "install", "install-locked"):
        refused = _make(project, target)
        assert refused.returncode != 0, target
        assert "  pyproject.toml\n" in refused.stderr, (target, refused.stderr)
        assert "  Makefile\n" not in refused.stderr
        assert "does not match" not in refused.stderr, target


@pytest.mark.static
def test_a_fenced_conflict_an_update_reported_counts_until_its_markers_are_gone(tmp_path: Path) -> None:
    git(tmp_path, "init", "--quiet")
    page = tmp_path / "README.md"
    page.write_text(f"```bash\n{GIT_CONFLICT}```\n", encoding="utf-8")
    report = tmp_path / git(tmp_path, "rev-parse", "--git-path", SCAN.UPDATE_REPORT).strip()
    report.write_text('{"conflicts": ["README.md"]}', encoding="utf-8")

    assert _scan(tmp_path) == (["README.md"], [])

    page.write_text("```bash\nmake check\n```\n", encoding="utf-8")
    assert _scan(tmp_path) == ([], [])


@pytest.mark.static
def test_the_scan_reads_the_report_the_update_writes() -> None:
    assert f"{update_report.REPORT_NAME}.json" == SCAN.UPDATE_REPORT


@pytest.mark.static
def test_the_message_names_the_way_out_only_for_markers() -> None:
    only_rejects = SCAN.describe(SCAN.Findings(rejects=["Makefile.rej"]))
    markers = SCAN.describe(SCAN.Findings(conflicts=["docs/merging.md"]))

    assert "  Makefile.rej" in only_rejects
    assert "[tool.check-conflicts]" not in only_rejects
    assert "  docs/merging.md" in markers
    assert "[tool.check-conflicts] ignore" in markers

"""Tier 1: Scientific Python's repo-review on the default project, as a reviewer would run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from repo_review.processor import process

pytestmark = pytest.mark.render

# The hooks are `repo: local` (language: system): they run the tools of the locked environment,
# at the lock's versions, with no network. repo-review recognises a hook by its remote repository.
LOCAL_HOOK = "satisfied by a local pre-commit hook, which repo-review cannot recognise: "
# pre-commit.ci builds the environment of each remote hook; it cannot run local hooks.
NO_PRE_COMMIT_CI = "configures pre-commit.ci, which cannot run the project's local hooks; CI runs them"

# Every check of the default project that does not pass, and why it does not apply. A check that
# is not here must pass; one that is here must not, so the list cannot go stale.
NOT_APPLICABLE: dict[str, str] = {
    "PY007": "make is the task runner: every task runs in the package manager's environment",
    "PP004": (
        "an application, not a library: the lock and the images are made for one Python "
        "(.python-version), and an open range would make the lock solve for Pythons the ML "
        "framework has no wheels for"
    ),
    "PC100": LOCAL_HOOK + "pre-commit-hooks' own tools (end-of-file-fixer, check-yaml, ...)",
    "PC110": LOCAL_HOOK + "ruff format",
    "PC111": "needs PC110's remote ruff-format hook; no hook formats the code blocks of the Markdown docs",
    "PC140": LOCAL_HOOK + "mypy --strict",
    "PC190": LOCAL_HOOK + "ruff check",
    "PC191": "needs PC190's remote ruff hook; the local hook runs `ruff check --fix`",
    "PC192": "needs PC190's remote ruff hook; the local hook already runs `ruff check`",
    "PC160": (
        "no spell checker: the code and docs are full of column names and domain terms, and a "
        "local one would not be recognised either"
    ),
    "PC170": "pygrep hooks guard reStructuredText; the project has none (docs are Markdown)",
    "PC180": "no Markdown formatter: properdocs build --strict checks the docs, which are hand-wrapped",
    "PC901": NO_PRE_COMMIT_CI,
    "PC902": NO_PRE_COMMIT_CI,
    "PC903": NO_PRE_COMMIT_CI,
}


def test_every_check_that_applies_to_an_application_passes(default_project: Path) -> None:
    _, results = process(default_project)
    outcomes = {result.name: result for result in results}
    # The plugin really ran: each family a reviewer reads is there.
    assert {"PY", "PP", "MY", "PC", "GH", "RF", "SEC"} <= {name.rstrip("0123456789") for name in outcomes}

    failing = {
        name: result.err_msg.strip().splitlines()[0] if result.err_msg else result.skip_reason
        for name, result in outcomes.items()
        if result.result is not True and name not in NOT_APPLICABLE
    }
    now_passing = sorted(name for name in NOT_APPLICABLE if outcomes[name].result is True)

    assert not failing, failing
    assert not now_passing, f"these pass now: delete them from NOT_APPLICABLE and the docs: {now_passing}"


def test_the_docs_list_every_check_that_does_not_apply() -> None:
    conventions = (Path(__file__).resolve().parent.parent / "docs" / "conventions.md").read_text()
    section = conventions.split("## What repo-review reports", 1)[1].split("\n## ", 1)[0]

    listed = [
        code
        for line in section.splitlines()
        if line.startswith("| `")
        for code in re.findall(r"`([A-Z]+\d+)`", line.split("|")[1])
    ]

    assert sorted(listed) == sorted(NOT_APPLICABLE)

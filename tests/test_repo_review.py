"""Tier 1: Scientific Python's repo-review on the examples, as a reviewer would run it from inside
the project: every check passes or is skipped with the reason the project's pyproject.toml gives.

The examples hold every value of every question (tests/test_examples.py), so each answer that
changes what repo-review reports (docs, package_manager, ci_provider, license) is here; the
static tier holds each example to a fresh render."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
from repo_review.processor import Result, collect_all, process

from scripts import examples

pytestmark = pytest.mark.render


def ignore_table(project: Path) -> dict[str, str]:
    """The project's own `[tool.repo-review]` ignore table: check (or family) -> reason."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, str] = pyproject["tool"]["repo-review"]["ignore"]
    return table


def covered(name: str, code: str) -> bool:
    """Whether the ignore entry `code` (a check, or a family without digits) names check `name`."""
    return code in (name, name.rstrip("0123456789"))


def results_without_ignores(project: Path) -> dict[str, Result]:
    """What repo-review reports with the project's ignore table taken out."""
    collected = collect_all(project)
    pyproject: dict[str, Any] = copy.deepcopy(collected.fixtures["pyproject"])
    del pyproject["tool"]["repo-review"]
    fixtures = {**collected.fixtures, "pyproject": pyproject}
    _, results = process(project, collected=collected._replace(fixtures=fixtures))
    return {result.name: result for result in results}


@pytest.fixture(params=examples.names())
def example(request: pytest.FixtureRequest) -> Path:
    name: str = request.param
    return examples.EXAMPLES / name


def test_every_check_passes_or_says_why_it_does_not_apply(example: Path) -> None:
    _, results = process(example)
    # The plugin really ran: each family a reviewer reads is there.
    assert {"PY", "PP", "MY", "PC", "GH", "RF", "SEC"} <= {
        result.name.rstrip("0123456789") for result in results
    }

    unexplained = {
        result.name: (result.err_msg.strip().splitlines() or ["skipped"])[0]
        for result in results
        if result.result is not True and not result.skip_reason
    }

    assert not unexplained, unexplained


def test_every_ignored_check_would_not_pass(example: Path) -> None:
    """An entry of the table ignores at least one check, and none that would pass without it:
    so a check the project comes to pass is not kept skipped (extensions/repo_review.yml)."""
    outcomes = results_without_ignores(example)

    for code in ignore_table(example):
        named = [name for name in outcomes if covered(name, code)]
        assert named, f"{code} names no check of repo-review"
        passing = [name for name in named if outcomes[name].result is True]
        assert not passing, f"{example.name} passes {passing}: drop {code} from extensions/repo_review.yml"

"""What repo-review may skip in a project: the checks it does not pass, each with why.

The entries are repo_review.yml's; pyproject.toml's `[tool.repo-review]` lists those whose
answers apply, so `repo-review .` reports no failure and says why it skipped each check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from . import data

REPO_REVIEW_FILE = Path(__file__).with_name("repo_review.yml")


@dataclass(frozen=True)
class IgnoredCheck:
    """A repo-review check (or family, a code without digits) a project does not pass."""

    check: str
    reason: str
    # The answers it fails with, by question; none for every project.
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def applies(self, answers: Mapping[str, str]) -> bool:
        """Whether a project with these answers fails the check."""
        return all(answers[question] in values for question, values in self.when.items())


@cache
def ignored_checks() -> tuple[IgnoredCheck, ...]:
    """Every entry of repo_review.yml, in its order."""
    where = REPO_REVIEW_FILE.name
    return tuple(
        data.build(IgnoredCheck, entry, f"{where}: {index}")
        for index, entry in enumerate(data.load_yaml(REPO_REVIEW_FILE))
    )


@dataclass(frozen=True)
class ReviewValues:
    """The context's names for the reviewers a project is ready for."""

    # pyproject.toml's `[tool.repo-review]` ignore table: (check, reason), in repo_review.yml's order.
    repo_review_ignore: tuple[tuple[str, str], ...]


def review_values(answers: Mapping[str, str]) -> ReviewValues:
    """The repo-review checks a project with these answers skips, with their reasons."""
    return ReviewValues(
        repo_review_ignore=tuple(
            (entry.check, entry.reason) for entry in ignored_checks() if entry.applies(answers)
        )
    )

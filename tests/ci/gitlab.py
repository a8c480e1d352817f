"""GitLab CI: .gitlab-ci.yml, whose hidden keys and settings are not jobs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.ci import load


def jobs(project: Path) -> dict[str, dict[str, Any]]:
    config = load(project / ".gitlab-ci.yml")
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


def request_jobs(project: Path) -> set[str]:
    found = jobs(project)
    return {
        name
        for name, job in found.items()
        if ".gate" in job.get("extends", []) or "merge_request_event" in str(job.get("rules", ""))
    }


def gated_branches(project: Path) -> set[str]:
    rules = load(project / ".gitlab-ci.yml")[".gate"]["rules"]
    named = {match for rule in rules for match in re.findall(r'\$CI_COMMIT_BRANCH == "([\w-]+)"', rule["if"])}
    # The default branch is `$CI_DEFAULT_BRANCH`, main.
    return named | {"main"}


def bot_base(project: Path) -> str:
    base = str(load(project / ".gitlab-ci.yml")["template-update"]["variables"]["BASE"])
    return "main" if base == "$CI_DEFAULT_BRANCH" else base

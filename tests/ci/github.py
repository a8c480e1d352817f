"""GitHub Actions: the workflows under .github/workflows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ci import load


def jobs(project: Path) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for workflow in sorted((project / ".github" / "workflows").glob("*.yml")):
        found.update(load(workflow)["jobs"])
    return found


def request_jobs(project: Path) -> set[str]:
    ci = load(project / ".github" / "workflows" / "ci.yml")
    return {name for name, job in ci["jobs"].items() if "'push'" not in str(job.get("if", ""))}


def gated_branches(project: Path) -> set[str]:
    # PyYAML reads the key `on` as True.
    return set(load(project / ".github" / "workflows" / "ci.yml")[True]["push"]["branches"])


def bot_base(project: Path) -> str:
    dependabot = load(project / ".github" / "dependabot.yml")
    (base,) = {update.get("target-branch", "main") for update in dependabot["updates"]}
    return str(base)

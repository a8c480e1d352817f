"""Bitbucket Pipelines: the steps of bitbucket-pipelines.yml, under whichever pipelines run them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.ci import load


def steps(pipelines: Any) -> dict[str, dict[str, Any]]:
    """The steps by name in a part of `pipelines:` (all of it, or e.g. `pull-requests`)."""
    found: dict[str, dict[str, Any]] = {}
    pending = [pipelines]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if isinstance(node.get("step"), dict):
                found[node["step"]["name"]] = node["step"]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def _pipelines(project: Path) -> dict[str, Any]:
    pipelines: dict[str, Any] = load(project / "bitbucket-pipelines.yml")["pipelines"]
    return pipelines


def jobs(project: Path) -> dict[str, dict[str, Any]]:
    return steps(_pipelines(project))


def request_jobs(project: Path) -> set[str]:
    return set(steps(_pipelines(project)["pull-requests"]))


def gated_branches(project: Path) -> set[str]:
    return set(_pipelines(project)["branches"])


def bot_base(project: Path) -> str:
    script = "\n".join(jobs(project)["template-update"]["script"])
    match = re.search(r"^BASE=(\S+)$", script, flags=re.MULTILINE)
    assert match is not None, "the template-update step sets no BASE"
    return match.group(1)

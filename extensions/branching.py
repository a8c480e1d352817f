"""Branching models: where work starts and lands, which branches are protected."""

from __future__ import annotations

from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class Branching:
    """Where work starts and lands under one branching model: CI triggers, branch protection,
    automated pull requests and the release flow all read these."""

    label: str
    # Feature branches start from and merge into this branch; bots open their pull requests here.
    integration: str
    # Protected as code, and the branches whose pushes run the CI gate.
    protected: tuple[str, ...]
    # Prefixes of the short-lived branches a person opens.
    work_prefixes: tuple[str, ...]
    # Whether merges keep both parents: GitFlow merges main back into develop, which a squash or
    # a rebase would turn into a copy that diverges from main on every release.
    merge_commits: bool


BRANCHING_MODELS = data.records("branching_model", Branching)

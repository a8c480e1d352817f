"""How the tests read each CI service's files: one module per `ci_provider` value, named after
it, each with the functions of `CiFiles` (test_combinations.py checks there is one per value).

The docs-site tests ask these what the pages may name and what the branch protection must
require, so adding a CI service adds its module here and changes none of those tests.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol, cast

import yaml


class CiFiles(Protocol):
    def jobs(self, project: Path) -> dict[str, dict[str, Any]]:
        """Every job by name, wherever the CI files run it."""

    def request_jobs(self, project: Path) -> set[str]:
        """The jobs that run on every pull or merge request."""

    def gated_branches(self, project: Path) -> set[str]:
        """The branches whose pushes run the gate."""

    def bot_base(self, project: Path) -> str:
        """The branch the template update (and other bots) propose their changes to."""


def ci_files(provider: str) -> CiFiles:
    return cast(CiFiles, importlib.import_module(f"tests.ci.{provider}"))


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))

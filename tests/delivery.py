"""The pairwise rows the matrix tier's delivery tests share (tests/combinations.py), each rendered
once per session: the answers, the project, and what the context hook derives for it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from extensions.ci_providers import CI_PROVIDERS, CiProvider
from extensions.iac_tools import IAC_TOOLS
from extensions.infrastructure import CLOUDS
from extensions.repository import RepositoryValues, repository_values
from tests.combinations import VALIDATOR_TEXT, params, validator_rows
from tests.conftest import RenderRow
from tests.helpers import TOOLS_BIN

# Every valid pair of answers (tests/combinations.py), with a mixed-case owner and two code owners.
ROWS = validator_rows()
CODE_OWNERS = VALIDATOR_TEXT["code_owners"]
ORGANIZATION = VALIDATOR_TEXT["organization"]


@dataclass(frozen=True)
class Delivery:
    answers: dict[str, str]
    project: Path

    @property
    def ci(self) -> CiProvider:
        return CI_PROVIDERS[self.answers["ci_provider"]]

    @property
    def kubernetes(self) -> bool:
        return self.answers["deployment"] == "kubernetes"

    @property
    def repository(self) -> RepositoryValues:
        """The repository's URL and default image, as the context hook derives them."""
        context = {"organization": ORGANIZATION, "project_slug": "my-ml-project"}
        return repository_values(self.answers, context)


def iac_job(answers: dict[str, str]) -> set[str]:
    """The CI job that checks infra/ on pull requests: the iac_tool's, with a cloud."""
    return {IAC_TOOLS[answers["iac_tool"]].ci_job} if answers["cloud_provider"] in CLOUDS else set()


def _where(**wanted: str) -> list[Any]:
    """The rows whose answers match, as parameters named after their answers."""
    return params(row for row in ROWS if all(row[key] == value for key, value in wanted.items()))


ALL = params(ROWS)
GITHUB = _where(ci_provider="github")
GITLAB = _where(ci_provider="gitlab")
BITBUCKET = _where(ci_provider="bitbucket")
KUBERNETES = _where(deployment="kubernetes")


def delivery_of(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    """The `delivery` fixture of each test module: its row's answers and render."""
    return Delivery(request.param, render_row(request.param))


def tool(name: str) -> str:
    return str(TOOLS_BIN / name)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))

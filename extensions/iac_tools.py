"""Which tool creates a cloud project's infrastructure: Terraform (infra/terraform, every cloud)
or AWS CloudFormation (infra/cloudformation, AWS only). The records are
choices/iac_tool/<value>.yml; folder names read the derived `iac` value, not the answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import data
from .infrastructure import CLOUDS


@dataclass(frozen=True)
class IacTool:
    """An iac_tool choice."""

    label: str
    # The cloud_provider values it can create resources on; empty for every one (the prompt
    # refuses the others).
    clouds: tuple[str, ...]
    # The folder of the rendered project that holds its files, and the CI job that checks them
    # on pull requests (a required check).
    folder: str
    # The command that creates the staging resources, which .dvc/config's cloud remote needs.
    apply: str
    ci_identity: str
    ci_job: str


IAC_TOOLS = data.records("iac_tool", IacTool)


def iac_values(answers: dict[str, str]) -> dict[str, Any]:
    """`iac`: the tool's name and record, and one flag per tool, all off without a cloud (none, or
    the team's own servers): the question is not asked then, and its default creates nothing."""
    tool = answers["iac_tool"] if answers["cloud_provider"] in CLOUDS else None
    record = IAC_TOOLS[tool] if tool else None
    return {
        "iac": {
            "tool": tool,
            "label": record.label if record else None,
            "folder": record.folder if record else None,
            "ci_job": record.ci_job if record else None,
            "apply": record.apply if record else None,
            "ci_identity": record.ci_identity if record else None,
            **{name: name == tool for name in IAC_TOOLS},
            # What `make cfn-lint` and the CI job install (dependencies.yml's ci_tools).
            "cfn_lint": " ".join(data.dependencies()["ci_tools"]["cfn-lint"]),
        }
    }

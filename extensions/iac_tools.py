"""Which tool creates a cloud project's infrastructure: Terraform or AWS CloudFormation.

Which tool creates a cloud project's infrastructure: Terraform (infra/terraform, every cloud)
or AWS CloudFormation (infra/cloudformation, AWS only). The records are
choices/iac_tool/<value>.yml; folder names read the derived `iac` value, not the answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import data
from .clouds import has_cloud


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
    # What the job does, for the contributing guide: a format of `{request}` ("pull request").
    ci_check: str
    # Whether that job plans, signed in as a read-only plan identity whose CI variables the
    # infrastructure publishes besides the CI identity's.
    plans: bool


IAC_TOOLS = data.records("iac_tool", IacTool)


@dataclass(frozen=True)
class IacFacts:
    """The context's `iac`: the tool's name and record, and one flag per tool, all off without a
    cloud (none, or the team's own servers): the question is not asked then, and its default
    creates nothing."""

    tool: str | None
    label: str | None
    folder: str | None
    apply: str | None
    ci_identity: str | None
    # One flag per value of iac_tool: a new tool without its flag fails at the first render.
    terraform: bool
    cloudformation: bool
    # What `make cfn-lint` and the CI job install (dependencies.yml's ci_tools).
    cfn_lint: str


@dataclass(frozen=True)
class IacValues:
    """The context's names for the infrastructure-as-code tool."""

    iac: IacFacts


def chosen_tool(answers: Mapping[str, str]) -> str | None:
    """The iac_tool answer where it applies: with a cloud."""
    return answers["iac_tool"] if has_cloud(answers["cloud_provider"]) else None


def iac_values(answers: Mapping[str, str]) -> IacValues:
    """`iac`: the chosen tool's facts, None without a cloud."""
    tool = chosen_tool(answers)
    record = IAC_TOOLS[tool] if tool else None
    return IacValues(
        IacFacts(
            tool=tool,
            label=record.label if record else None,
            folder=record.folder if record else None,
            apply=record.apply if record else None,
            ci_identity=record.ci_identity if record else None,
            cfn_lint=" ".join(data.dependencies()["ci_tools"]["cfn-lint"]),
            **{name: name == tool for name in IAC_TOOLS},
        )
    )

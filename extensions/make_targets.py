"""The Makefile's answer-dependent lines: `.PHONY` targets, variables, what `make clean` removes.

The Makefile's answer-dependent lines: its `.PHONY` targets, the variables the optional targets
read, and the outputs `make clean` removes. The recipes themselves are Makefile text: the
template's, or a choice's `makefile.jinja` snippet (extensions/choices/<question>/<value>/)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .container import builds_image
from .docs_site import DOCS
from .iac_tools import chosen_tool
from .infrastructure import hosting_values

Answers = Mapping[str, str]


@dataclass(frozen=True)
class MakeVariable:
    """A `NAME ?= default` line at the Makefile's top: a setting of a target that the command line
    can override (`make serve PORT=9000`)."""

    name: str
    default: str
    # The comment lines above it.
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetGroup:
    """Targets that exist together, the answers that add them, and what they need or leave."""

    targets: tuple[str, ...]
    present: Callable[[Answers], bool]
    variables: tuple[MakeVariable, ...] = ()
    # Files or folders the targets write, which `make clean` removes.
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class MakeTargets:
    """The template's `make` value: what one set of answers puts in the Makefile."""

    # Every target of the Makefile, in the order of its `.PHONY` line.
    phony: tuple[str, ...]
    variables: tuple[MakeVariable, ...]
    outputs: tuple[str, ...]


def _always(_: Answers) -> bool:
    return True


def _serves(answers: Answers) -> bool:
    return builds_image(answers)


def _tracks(answers: Answers) -> bool:
    return answers["experiment_tracking"] == "mlflow"


def _has_servers(answers: Answers) -> bool:
    # The team's own servers: infra/ansible, checked and applied from the Makefile.
    return hosting_values(answers).has_servers


def _iac_tool_is(tool: str) -> Callable[[Answers], bool]:
    def present(answers: Answers) -> bool:
        return chosen_tool(answers) == tool

    return present


def _checks_infra(answers: Answers) -> bool:
    return _iac_tool_is("terraform")(answers) or _has_servers(answers)


def _builds_docs(answers: Answers) -> bool:
    return DOCS[answers["docs"]].site


def _orchestrates_with_kubeflow(answers: Answers) -> bool:
    return answers["orchestrator"] == "kubeflow"


def _orchestrates_with_tfx(answers: Answers) -> bool:
    return answers["orchestrator"] == "tfx"


# In the order of the `.PHONY` line.
TARGET_GROUPS: tuple[TargetGroup, ...] = (
    TargetGroup(
        (
            "help",
            "install",
            "lock-check",
            "install-locked",
            "conflicts",
            "lint",
            "format",
            "typecheck",
            "test",
            "test-all",
            "check",
            "check-all",
            "pipeline",
            "metrics",
            "drift",
        ),
        _always,
        outputs=("data/processed", "models"),
    ),
    TargetGroup(("serve",), _serves, variables=(MakeVariable("PORT", "8000"),)),
    TargetGroup(("clean",), _always),
    TargetGroup(("mlflow-ui",), _tracks),
    TargetGroup(("infra-check",), _checks_infra),
    TargetGroup(
        ("infra-apply",),
        _has_servers,
        variables=(
            MakeVariable(
                "ANSIBLE_ARGS",
                "",
                ('Options of `make infra-apply`, e.g. ANSIBLE_ARGS="--check --diff" for a dry run.',),
            ),
        ),
    ),
    TargetGroup(("cfn-lint", "cfn-deploy"), _iac_tool_is("cloudformation")),
    TargetGroup(
        ("docs", "docs-serve"),
        _builds_docs,
        variables=(MakeVariable("DOCS_PORT", "8001"),),
        outputs=("site",),
    ),
    TargetGroup(("kfp-compile", "kfp-run"), _orchestrates_with_kubeflow),
    TargetGroup(("tfx-run", "tfx-compile"), _orchestrates_with_tfx),
)


def make_targets(answers: Answers) -> MakeTargets:
    """The targets, variables and outputs of the Makefile that these answers render."""
    groups = [group for group in TARGET_GROUPS if group.present(answers)]
    return MakeTargets(
        phony=tuple(target for group in groups for target in group.targets),
        variables=tuple(variable for group in groups for variable in group.variables),
        outputs=tuple(output for group in groups for output in group.outputs),
    )


@dataclass(frozen=True)
class MakeValues:
    """The context's `make`."""

    make: MakeTargets


def make_values(answers: Answers) -> MakeValues:
    """`make`: the Makefile's `.PHONY` targets, its variables and `make clean`'s outputs."""
    return MakeValues(make=make_targets(answers))

"""The context hook: every value derived from the answers is computed once per set of answers.

Template files read these names instead of repeating Jinja expressions, so a rule such as
"how does this package manager run a command" has exactly one home: the sibling module of its
concern (environment, container, delivery, infrastructure). This module only assembles them.
"""

from __future__ import annotations

import runpy
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copier_template_extensions import ContextHook

if TYPE_CHECKING or __package__ == "extensions":
    from . import container, data, delivery, environment, iac_tools, infrastructure, make_targets
else:
    # Loaded by path by Copier: the siblings of this very file, see _siblings.py.
    container, data, delivery, environment, iac_tools, infrastructure, make_targets = runpy.run_path(
        str(Path(__file__).with_name("_siblings.py"))
    )["siblings"](
        __file__,
        "container",
        "data",
        "delivery",
        "environment",
        "iac_tools",
        "infrastructure",
        "make_targets",
    )

Answers = tuple[tuple[str, str], ...]


@cache
def derive(answers: Answers) -> dict[str, Any]:
    """All derived values for one set of choice answers (sorted name/value pairs)."""
    given = dict(answers)
    return {
        **environment.environment_values(given),
        **container.container_values(given),
        **delivery.delivery_values(given),
        **iac_tools.iac_values(given),
        **make_targets.make_values(given),
    }


def answers_of(context: dict[str, Any]) -> Answers | None:
    """The choice answers of a context, or None while one is missing or not a valid choice."""
    answers = tuple(sorted((name, str(context.get(name))) for name in data.choice_questions()))
    if all(value in data.choice_questions()[name] for name, value in answers):
        return answers
    return None


# The free-text answers some derived values read, besides the choices.
FREE_TEXT_INPUTS = ("organization", "project_slug", "resource_prefix", "cloud_region")


@cache
def derived_context(answers: Answers, free_text: tuple[Any, ...]) -> dict[str, Any]:
    """Everything the hook adds for one set of answers (choices, then FREE_TEXT_INPUTS' values).

    Copier calls the hook once per rendered string, more than a thousand times a project, with
    the same answers nearly every time: cached here, each call is one dictionary update."""
    values = dict(derive(answers))
    given_text = dict(zip(FREE_TEXT_INPUTS, free_text, strict=True))
    # Values that also read free-text answers: once those are known.
    if given_text["organization"] and given_text["project_slug"]:
        given = dict(answers)
        repository = delivery.repository_values(given_text, given["ci_provider"], given["cloud_provider"])
        values.update(repository)
        values.update(
            infrastructure.infra_values(
                given,
                str(given_text["resource_prefix"]),
                str(given_text["cloud_region"]),
                repository["repository_path"],
            )
        )
    return values


class DerivedContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        # Copier also renders defaults and validators while answers are missing or not yet
        # validated: derive nothing until each choice answer is a known choice.
        answers = answers_of(context)
        if answers is not None:
            context.update(derived_context(answers, tuple(context.get(name) for name in FREE_TEXT_INPUTS)))

"""The context hook: every value derived from the answers, computed once per set of answers.

Template files read these names instead of repeating Jinja expressions, so a rule such as
"how does this package manager run a command" has exactly one home: the module of its concern.
Each concern is a function of the answers that returns a frozen dataclass; its fields are names of
the context, exactly those the templates read (tests/test_context.py checks both ways). This
module only lists the concerns and merges their fields.
"""

from __future__ import annotations

import dataclasses
import runpy
import typing
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copier_template_extensions import ContextHook

if TYPE_CHECKING or __package__ == "extensions":
    from . import (
        ci_jobs,
        container,
        data,
        delivery,
        docs_site,
        environment,
        iac_tools,
        infrastructure,
        make_targets,
        repository,
        reviewers,
    )
else:
    # Loaded by path by Copier: the siblings of this very file, see _siblings.py.
    (
        ci_jobs,
        container,
        data,
        delivery,
        docs_site,
        environment,
        iac_tools,
        infrastructure,
        make_targets,
        repository,
        reviewers,
    ) = runpy.run_path(str(Path(__file__).with_name("_siblings.py")))["siblings"](
        __file__,
        "ci_jobs",
        "container",
        "data",
        "delivery",
        "docs_site",
        "environment",
        "iac_tools",
        "infrastructure",
        "make_targets",
        "repository",
        "reviewers",
    )

Answers = tuple[tuple[str, str], ...]
ChoiceConcern = Callable[[Mapping[str, str]], Any]
TextConcern = Callable[[Mapping[str, str], Mapping[str, Any]], Any]

# The concerns that read the choice answers only. A new concern: its dataclass and function in a
# module of its own, and one line here.
CHOICE_CONCERNS: tuple[ChoiceConcern, ...] = (
    environment.environment_values,
    container.container_values,
    delivery.delivery_values,
    iac_tools.iac_values,
    infrastructure.hosting_values,
    docs_site.site_values,
    ci_jobs.ci_jobs_values,
    make_targets.make_values,
    reviewers.review_values,
)
# The concerns that also read free-text answers (FREE_TEXT_INPUTS), once those are known.
TEXT_CONCERNS: tuple[TextConcern, ...] = (
    repository.repository_values,
    infrastructure.infra_values,
)
FREE_TEXT_INPUTS = ("organization", "project_slug", "resource_prefix", "cloud_region")


def concern_types() -> dict[str, type]:
    """The dataclass each concern returns, by the concern's name: the context's declared names."""
    concerns: tuple[Callable[..., Any], ...] = (*CHOICE_CONCERNS, *TEXT_CONCERNS)
    return {concern.__name__: typing.get_type_hints(concern)["return"] for concern in concerns}


def names(values: Any) -> dict[str, Any]:
    """The fields of one concern's dataclass as names of the context (values kept as they are)."""
    return {field.name: getattr(values, field.name) for field in dataclasses.fields(values)}


@cache
def derive(answers: Answers) -> dict[str, Any]:
    """The values of the choice concerns for one set of choice answers (sorted name/value pairs)."""
    given = dict(answers)
    return {name: value for concern in CHOICE_CONCERNS for name, value in names(concern(given)).items()}


def answers_of(context: Mapping[str, Any]) -> Answers | None:
    """The choice answers of a context, or None while one is missing or not a valid choice."""
    answers = tuple(sorted((name, str(context.get(name))) for name in data.choice_questions()))
    if all(value in data.choice_questions()[name] for name, value in answers):
        return answers
    return None


@cache
def derived_context(answers: Answers, free_text: tuple[Any, ...]) -> dict[str, Any]:
    """Everything the hook adds for one set of answers (choices, then FREE_TEXT_INPUTS' values).

    Copier calls the hook once per rendered string, more than a thousand times a project, with
    the same answers nearly every time: cached here, each call is one dictionary update."""
    values = dict(derive(answers))
    text = dict(zip(FREE_TEXT_INPUTS, free_text, strict=True))
    # Values that also read free-text answers: once the repository is known.
    if text["organization"] and text["project_slug"]:
        given = dict(answers)
        for concern in TEXT_CONCERNS:
            values.update(names(concern(given, text)))
    return values


class DerivedContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        # Copier also renders defaults and validators while answers are missing or not yet
        # validated: derive nothing until each choice answer is a known choice.
        answers = answers_of(context)
        if answers is not None:
            context.update(derived_context(answers, tuple(context.get(name) for name in FREE_TEXT_INPUTS)))

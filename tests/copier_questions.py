"""copier.yml's choice questions read as Copier reads them: their values, defaults, `when:` and
validators rendered with the template's filters, so a row of answers is complete and valid
exactly when Copier would accept it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import jinja2
import jinja2.meta
import yaml

from extensions import filters
from extensions.data import COPIER_FILE, choice_values, load_yaml

Row = dict[str, str]

_JINJA = jinja2.Environment(autoescape=False, undefined=jinja2.Undefined)
# The validators of choice questions refuse some combinations (a cloud that cannot trust a CI
# service's tokens): copier.yml's expressions call these filters, every one a `*_problem`.
_JINJA.filters.update({name: getattr(filters, name) for name in dir(filters) if name.endswith("_problem")})
# Whether cloud_region and resource_prefix are asked: a cloud with a region (not none or onprem).
_JINJA.filters["default_cloud_region"] = filters.default_cloud_region


@cache
def _questions() -> dict[str, dict[str, Any]]:
    """copier.yml's choice questions, in the order Copier asks them."""
    loaded: dict[str, Any] = load_yaml(COPIER_FILE)
    return {name: loaded[name] for name in choice_values()}


def questions() -> tuple[str, ...]:
    return tuple(_questions())


@cache
def _template(expression: str) -> jinja2.Template:
    return _JINJA.from_string(expression)


def _render(expression: Any, answers: Mapping[str, str]) -> str:
    if not isinstance(expression, str):
        return str(expression)
    return _template(expression).render(**answers)


def _truthy(rendered: str) -> bool:
    """Copier's reading of a rendered `when:`: the YAML value of the text, as a bool."""
    return bool(yaml.safe_load(rendered)) if rendered.strip() else False


def default_of(question: str, answers: Mapping[str, str]) -> str:
    return _render(_questions()[question]["default"], answers)


def is_asked(question: str, answers: Mapping[str, str]) -> bool:
    when = _questions()[question].get("when", True)
    return _truthy(_render(when, answers)) if isinstance(when, str) else bool(when)


def values(question: str) -> tuple[str, ...]:
    """The values of a question, its (literal) default first, then copier.yml's order."""
    listed = choice_values()[question]
    default = _questions()[question]["default"]
    return tuple(sorted(listed, key=lambda value: value != str(default)))


def complete(answers: Mapping[str, str]) -> Row:
    """Every choice question answered as Copier would: the given answer when it is asked, else
    its default (a hidden question always takes its default)."""
    row: Row = {}
    for question in _questions():
        asked = is_asked(question, row)
        row[question] = answers[question] if asked and question in answers else default_of(question, row)
    return row


def is_valid(row: Mapping[str, str]) -> bool:
    """No question holds a value that `when:` would not let it have, and no choice question's
    validator refuses its value."""
    answers = {question: row[question] for question in _questions()}
    return complete(row) == answers and not _refusals(answers)


def _refusals(answers: Mapping[str, str]) -> int:
    """How many questions' validators refuse their value in these answers."""
    return sum(bool(_render(spec.get("validator", ""), answers).strip()) for spec in _questions().values())


def repaired(row: Row, chosen: Sequence[str], keep: Iterable[str] = ()) -> Row:
    """The row, or, where validators refuse it, the row with the latest question (but `keep`)
    that can change it given another value (the caller covers the value it lost); where no single
    change will do (two refusals), one change at a time, each leaving fewer refusals."""
    while not is_valid(row):
        changes = [
            complete({**row, question: value})
            for question in reversed(chosen)
            if question not in set(keep)
            for value in values(question)
        ]
        fewer = [changed for changed in changes if _refusals(changed) < _refusals(row)]
        if not fewer:
            raise ValueError(f"no change makes {row} valid")
        row = next((changed for changed in fewer if is_valid(changed)), fewer[0])
    return row


def related(question: str) -> set[str]:
    """The questions a question's `when:` and default read, and theirs, transitively."""
    found: set[str] = set()
    pending = [question]
    while pending:
        spec = _questions()[pending.pop()]
        for expression in (spec.get("when"), spec.get("default"), spec.get("validator")):
            if isinstance(expression, str):
                for name in jinja2.meta.find_undeclared_variables(_JINJA.parse(expression)):
                    if name in _questions() and name not in found:
                        found.add(name)
                        pending.append(name)
    return found

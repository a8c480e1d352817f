"""The answer combinations the tiers render, derived from copier.yml (questions, values, defaults
and `when:`), so a new value of a choice is tested without editing a list.

- `each_value()`: every value of every question at least once, in as few rows as the question
  with the most values has (row i takes value i mod n, defaults first). The fast gates and the
  project tier use it.
- `pairwise()` (tests/pairwise.py): every valid pair of values of two questions at least once.
- `product(*questions)`: the full cross of a few questions, for the crosses a tier means to test
  whole (each cloud with each CI provider).

A row is a complete answer dict: every choice question is filled, a question that `when:` hides
takes the default Copier gives it (deployment is `none` without serving; tests/copier_questions.py
reads the questions as Copier does). `row_id()` names a row by the values that differ from their
defaults. README.md's `test-combinations` block states the
counts (`make tiers-reference` writes it from `counts()`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import pytest

from extensions.infrastructure import CLOUDS
from tests.copier_questions import (
    Row,
    complete,
    default_of,
    is_asked,
    is_valid,
    questions,
    related,
    repaired,
    values,
)
from tests.pairwise import pairwise

# Free text that must survive every file format it lands in, overlaid on fixed rows of
# `each_value(free_text=True)`: the hostile text on row 0, the defaults, where every default file
# (mkdocs.yml, the serving app, Terraform) renders.
FREE_TEXT: tuple[dict[str, str], ...] = (
    # Quotes, a backslash, non-ASCII and emoji, written as themselves in every format.
    {
        "project_name": 'Détection "fraude" l\'été 🚀',
        "description": 'Scores "churn" risk \\ weekly 🚀 \u2013 顧客離反',
        "author_name": 'O\'Brien "Ops" 山田 Ørsted',
    },
    {"project_name": "Customer Lifetime Value Forecasting Service"},
    # A package name that is not derived from the project name.
    {"package_name": "churn"},
)


def row_id(row: Mapping[str, Any]) -> str:
    """The values that differ from their defaults (`question=value` where a value alone would be
    ambiguous, as `none` is), then the names of the `FREE_TEXT` answers; `defaults` for none."""
    shown = complete({key: value for key, value in row.items() if key in questions()})
    defaults = complete({})
    ambiguous = {
        value
        for value, count in itertools.groupby(sorted(v for q in questions() for v in values(q)))
        if len(list(count)) > 1
    }
    parts = []
    for question, value in shown.items():
        # A hidden question's default follows the earlier answers: compare with that default.
        expected = default_of(question, shown) if not is_asked(question, shown) else defaults[question]
        if value != expected:
            parts.append(f"{question}={value}" if value in ambiguous else value)
    free_text = {key for extra in FREE_TEXT for key in extra}
    parts += [key for key in row if key in free_text]
    return "-".join(parts) or "defaults"


def params(
    rows: Iterable[Mapping[str, Any]], marks: Callable[[Mapping[str, Any]], Any] = lambda row: ()
) -> list[Any]:
    """The rows as pytest parameters named by `row_id`."""
    return [pytest.param(dict(row), id=row_id(row), marks=marks(row)) for row in rows]


def each_value(questions_: Sequence[str] | None = None, *, free_text: bool = False) -> list[dict[str, Any]]:
    """Rows where every value of every question in `questions_` (all choice questions by default)
    appears where it is asked: row i takes value i mod n of each, defaults in row 0; the others
    keep their defaults. A value that `when:` hid in its row is moved to a row that asks it. A
    value no row can hold while the other questions keep their defaults is left out (TFX, which
    runs TensorFlow only, where ml_framework is not among `questions_`)."""
    chosen = tuple(questions_ or questions())
    options = {q: [value for value in values(q) if reachable(q, value, chosen)] for q in chosen}
    count = max(len(options[question]) for question in chosen)
    rows = _swapped_valid(
        [
            complete({question: options[question][i % len(options[question])] for question in chosen})
            for i in range(count)
        ],
        chosen,
    )
    for question in chosen:
        for value in options[question]:
            if not _covered(rows, question, value):
                rows = _placed(rows, question, value)
    overlaid: list[dict[str, Any]] = [dict(row) for row in rows]
    if free_text:
        for index, extra in enumerate(FREE_TEXT):
            overlaid[index % len(overlaid)].update(extra)
    return overlaid


def reachable(question: str, value: str, chosen: Sequence[str]) -> bool:
    """Whether a row that changes only `chosen` questions from their defaults can hold the value."""
    try:
        repaired(complete({question: value}), chosen, keep=(question,))
    except ValueError:
        return False
    return True


def _swapped_valid(rows: list[Row], chosen: Sequence[str]) -> list[Row]:
    """The rows, where a validator refuses one, with the value of its latest question that can
    swapped with another row's (not the defaults'), so that both are valid; else repaired."""
    rows = list(rows)
    for index, row in enumerate(rows):
        if is_valid(row):
            continue
        for question in reversed(chosen):
            swaps = [
                (
                    other,
                    complete({**row, question: rows[other][question]}),
                    complete({**rows[other], question: row[question]}),
                )
                for other in range(1, len(rows))
                if other != index
            ]
            found = next(((other, a, b) for other, a, b in swaps if is_valid(a) and is_valid(b)), None)
            if found is not None:
                other, rows[index], rows[other] = found
                break
        else:
            rows[index] = repaired(row, chosen)
    return rows


def _covered(rows: Sequence[Row], question: str, value: str) -> bool:
    return any(row[question] == value and is_asked(question, row) for row in rows)


def _placed(rows: list[Row], question: str, value: str) -> list[Row]:
    """The rows with `value` given to `question` in the last row that asks it and whose current
    value is asked elsewhere too (row 0 stays the defaults); a new row if there is none."""
    for index, row in reversed(list(enumerate(rows))[1:]):
        others = rows[:index] + rows[index + 1 :]
        if is_asked(question, row) and _covered(others, question, row[question]):
            changed = complete({**row, question: value})
            if is_valid(changed) and all(
                _covered([*others, changed], q, v) or not _covered(rows, q, v) for q in row for v in values(q)
            ):
                return [*rows[:index], changed, *rows[index + 1 :]]
    return [*rows, repaired(complete({question: value}), questions())]


def product(*crossed: str, where: Callable[[Row], bool] = lambda row: True) -> list[Row]:
    """Every valid combination of the values of `crossed` (the rest at their defaults) that
    `where` accepts, each once."""
    rows: dict[tuple[str, ...], Row] = {}
    for chosen in itertools.product(*(values(question) for question in crossed)):
        row = complete(dict(zip(crossed, chosen, strict=True)))
        if where(row) and is_valid(row):
            rows.setdefault(tuple(row.values()), row)
    return list(rows.values())


# The row sets the tiers use, named once: the tests and README.md's counts read these.
# The shared gate environment of the matrix tier holds scikit-learn only: the frameworks pass their
# gates in the project tier (test_frameworks.py) and ruff on every pairwise row.
FAST_GATE_QUESTIONS = tuple(question for question in questions() if question != "ml_framework")
# The licence changes LICENSE and two metadata fields only (each_value tests every licence).
PAIRWISE_EXCLUDED = ("license",)


def fast_gate_rows() -> list[dict[str, Any]]:
    return each_value(FAST_GATE_QUESTIONS, free_text=True)


# The owner and code owners of every validator row: mixed case, which registries want lowercase
# and repository URLs keep; a team and an e-mail address as CODEOWNERS owners.
VALIDATOR_TEXT = {"organization": "Acme-Labs", "code_owners": "@acme/ml-team jane@example.com"}


def validator_rows() -> list[dict[str, Any]]:
    return [row | VALIDATOR_TEXT for row in pairwise(exclude=PAIRWISE_EXCLUDED)]


def infra_rows() -> list[Row]:
    """Each cloud that infra/terraform creates (not none or onprem) with each CI provider."""
    return product("cloud_provider", "ci_provider", where=lambda row: row["cloud_provider"] in CLOUDS)


def docs_site_rows() -> list[Row]:
    return product("docs", "branching_model", "ci_provider")


def manager_rows() -> list[dict[str, Any]]:
    return each_value(("package_manager", "python_version"))


def framework_rows() -> list[dict[str, Any]]:
    """Each framework and tracking value, without the default pair the project tier trains."""
    return [row for row in product("ml_framework", "experiment_tracking") if row != complete({})]


@cache
def counts() -> dict[str, tuple[str, int, int]]:
    """Per row set: how it is made, its rows, and the full product of its questions."""

    def full(chosen: Iterable[str]) -> int:
        """The valid rows of the full product (a hidden question has one value): the questions a
        `when:` or default ties together are crossed, the others multiply."""
        crossed = tuple(chosen)
        tied = {question for question in crossed if related(question)}
        tied |= {other for question in tied for other in related(question) if other in crossed}
        free = [len(values(question)) for question in crossed if question not in tied]
        return math.prod(free) * len(product(*(question for question in crossed if question in tied)))

    return {
        "fast gates (`test_matrix.py`)": (
            "each_value, all questions but ml_framework, with the free-text extras",
            len(fast_gate_rows()),
            full(FAST_GATE_QUESTIONS),
        ),
        "validators (`test_delivery.py`, `test_matrix.py`)": (
            "pairwise, all questions but license",
            len(validator_rows()),
            full(q for q in questions() if q not in PAIRWISE_EXCLUDED),
        ),
        "Terraform (`test_infra.py`)": (
            "product of cloud_provider (a cloud: not none or onprem) and ci_provider",
            len(infra_rows()),
            len(infra_rows()),
        ),
        "docs site (`test_docs_site.py`)": (
            "product of docs, branching_model and ci_provider",
            len(docs_site_rows()),
            len(docs_site_rows()),
        ),
        "package managers (`test_project.py`)": (
            "each_value of package_manager and python_version",
            len(manager_rows()),
            full(("package_manager", "python_version")),
        ),
        "frameworks (`test_frameworks.py`)": (
            "product of ml_framework and experiment_tracking but the default pair",
            len(framework_rows()),
            full(("ml_framework", "experiment_tracking")),
        ),
    }

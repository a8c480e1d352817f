"""The answer combinations the tiers render, derived from copier.yml (questions, values, defaults
and `when:`), so a new value of a choice is tested without editing a list.

- `each_value()`: every value of every question at least once, in as few rows as the question
  with the most values has (row i takes value i mod n, defaults first). The fast gates and the
  project tier use it.
- `pairwise()`: every valid pair of values of two questions at least once (a deterministic greedy
  covering array). The cheap validators of the matrix tier use it.
- `product(*questions)`: the full cross of a few questions, for the crosses a tier means to test
  whole (each cloud with each CI provider).

A row is a complete answer dict: every choice question is filled, a question that `when:` hides
takes the default Copier gives it (deployment is `none` without serving). `row_id()` names a row
by the values that differ from their defaults. README.md's `test-combinations` block states the
counts (`make tiers-reference` writes it from `counts()`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import jinja2
import jinja2.meta
import pytest
import yaml

from extensions import filters
from extensions.data import COPIER_FILE, choice_values, load_yaml
from extensions.infrastructure import CLOUDS

Row = dict[str, str]
Pair = tuple[tuple[str, str], tuple[str, str]]

_JINJA = jinja2.Environment(autoescape=False, undefined=jinja2.Undefined)
# The validators of choice questions refuse some combinations (a cloud that cannot trust a CI
# service's tokens): copier.yml's expressions call these filters, every one a `*_problem`.
_JINJA.filters.update({name: getattr(filters, name) for name in dir(filters) if name.endswith("_problem")})
# Whether cloud_region and resource_prefix are asked: a cloud with a region (not none or onprem).
_JINJA.filters["default_cloud_region"] = filters.default_cloud_region

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


def _default(question: str, answers: Mapping[str, str]) -> str:
    return _render(_questions()[question]["default"], answers)


def _asked(question: str, answers: Mapping[str, str]) -> bool:
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
        asked = _asked(question, row)
        row[question] = answers[question] if asked and question in answers else _default(question, row)
    return row


def is_valid(row: Mapping[str, str]) -> bool:
    """No question holds a value that `when:` would not let it have, and no choice question's
    validator refuses its value."""
    answers = {question: row[question] for question in _questions()}
    return complete(row) == answers and not any(
        _render(_questions()[question].get("validator", ""), answers).strip() for question in answers
    )


def row_id(row: Mapping[str, Any]) -> str:
    """The values that differ from their defaults (`question=value` where a value alone would be
    ambiguous, as `none` is), then the names of the `FREE_TEXT` answers; `defaults` for none."""
    shown = complete({key: value for key, value in row.items() if key in _questions()})
    defaults = complete({})
    ambiguous = {
        value
        for value, count in itertools.groupby(sorted(v for q in _questions() for v in choice_values()[q]))
        if len(list(count)) > 1
    }
    parts = []
    for question, value in shown.items():
        # A hidden question's default follows the earlier answers: compare with that default.
        expected = _default(question, shown) if not _asked(question, shown) else defaults[question]
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
    keep their defaults. A value that `when:` hid in its row is moved to a row that asks it."""
    chosen = tuple(questions_ or questions())
    count = max(len(values(question)) for question in chosen)
    rows = _swapped_valid(
        [
            complete({question: values(question)[i % len(values(question))] for question in chosen})
            for i in range(count)
        ],
        chosen,
    )
    for question in chosen:
        for value in values(question):
            if not _covered(rows, question, value):
                rows = _placed(rows, question, value)
    overlaid: list[dict[str, Any]] = [dict(row) for row in rows]
    if free_text:
        for index, extra in enumerate(FREE_TEXT):
            overlaid[index % len(overlaid)].update(extra)
    return overlaid


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
            rows[index] = _repaired(row, chosen)
    return rows


def _repaired(row: Row, chosen: Sequence[str], keep: Iterable[str] = ()) -> Row:
    """The row, or, where a validator refuses it, the row with the latest question (but `keep`)
    that can change it given another value (the caller covers the value it lost)."""
    if is_valid(row):
        return row
    for question in [question for question in reversed(chosen) if question not in set(keep)]:
        for value in values(question):
            changed = complete({**row, question: value})
            if is_valid(changed):
                return changed
    raise ValueError(f"no single change makes {row} valid")


def _covered(rows: Sequence[Row], question: str, value: str) -> bool:
    return any(row[question] == value and _asked(question, row) for row in rows)


def _placed(rows: list[Row], question: str, value: str) -> list[Row]:
    """The rows with `value` given to `question` in the last row that asks it and whose current
    value is asked elsewhere too (row 0 stays the defaults); a new row if there is none."""
    for index, row in reversed(list(enumerate(rows))[1:]):
        others = rows[:index] + rows[index + 1 :]
        if _asked(question, row) and _covered(others, question, row[question]):
            changed = complete({**row, question: value})
            if is_valid(changed) and all(
                _covered([*others, changed], q, v) or not _covered(rows, q, v) for q in row for v in values(q)
            ):
                return [*rows[:index], changed, *rows[index + 1 :]]
    return [*rows, _repaired(complete({question: value}), questions())]


def _pairs(row: Mapping[str, str], chosen: Sequence[str]) -> Iterator[Pair]:
    for first, second in itertools.combinations(chosen, 2):
        yield (first, row[first]), (second, row[second])


def _related(question: str) -> set[str]:
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


@cache
def valid_pairs(chosen: tuple[str, ...]) -> frozenset[Pair]:
    """The pairs of values some valid row holds: each pair is tried with every answer of the
    questions its `when:` and defaults depend on."""
    found: set[Pair] = set()
    for first, second in itertools.combinations(chosen, 2):
        context = sorted((_related(first) | _related(second)) - {first, second})
        for a, b in itertools.product(values(first), values(second)):
            for others in itertools.product(*(values(question) for question in context)):
                row = complete({first: a, second: b, **dict(zip(context, others, strict=True))})
                if row[first] == a and row[second] == b and is_valid(row):
                    found.add(((first, a), (second, b)))
                    break
    return frozenset(found)


@cache
def _pairwise(chosen: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    uncovered = set(valid_pairs(chosen))
    rows: list[Row] = []
    while uncovered:
        (first, a), (second, b) = min(uncovered, key=lambda pair: _order(pair, chosen))
        partial = {first: a, second: b}
        for question in chosen:
            if question in partial:
                continue
            partial[question] = max(
                values(question),
                key=lambda value: (
                    sum(((q, partial[q]), (question, value)) in uncovered for q in partial)
                    + sum(((question, value), (q, partial[q])) in uncovered for q in partial),
                    -values(question).index(value),
                ),
            )
        row = _repaired(complete(partial), chosen, keep=(first, second))
        if not set(_pairs(row, chosen)) & uncovered:
            raise AssertionError(f"pairwise: the row for {first}={a}, {second}={b} covers no new pair")
        uncovered -= set(_pairs(row, chosen))
        rows.append(row)
    missing = valid_pairs(chosen) - {pair for row in rows for pair in _pairs(row, chosen)}
    assert not missing, f"pairwise left pairs uncovered: {sorted(missing)}"
    return tuple(tuple(row.items()) for row in rows)


def _order(pair: Pair, chosen: Sequence[str]) -> tuple[int, int, int, int]:
    """Copier's question order, then the values' order (defaults first): no randomness."""
    (first, a), (second, b) = pair
    return chosen.index(first), chosen.index(second), values(first).index(a), values(second).index(b)


def pairwise(exclude: Iterable[str] = ()) -> list[Row]:
    """Rows that hold every valid pair of values of the choice questions (but `exclude`, which keep
    their defaults) at least once."""
    chosen = tuple(question for question in questions() if question not in set(exclude))
    return [dict(row) for row in _pairwise(chosen)]


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
        tied = {question for question in crossed if _related(question)}
        tied |= {other for question in tied for other in _related(question) if other in crossed}
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

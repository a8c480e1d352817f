"""`pairwise()`: rows that hold every valid pair of values of two choice questions at least once,
a deterministic greedy covering array. The cheap validators of the matrix tier use it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache

from tests.copier_questions import Row, complete, is_valid, questions, related, repaired, values

Pair = tuple[tuple[str, str], tuple[str, str]]


def _pairs(row: Mapping[str, str], chosen: Sequence[str]) -> Iterator[Pair]:
    for first, second in itertools.combinations(chosen, 2):
        yield (first, row[first]), (second, row[second])


@cache
def valid_pairs(chosen: tuple[str, ...]) -> frozenset[Pair]:
    """The pairs of values some valid row holds: each pair is tried with every answer of the
    questions its `when:` and defaults depend on."""
    found: set[Pair] = set()
    for first, second in itertools.combinations(chosen, 2):
        context = sorted((related(first) | related(second)) - {first, second})
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
        row = repaired(complete(partial), chosen, keep=(first, second))
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

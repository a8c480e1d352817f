"""Tier 0: the combinations the tiers render cover what tests/combinations.py says they cover."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from extensions.data import choice_values
from extensions.infrastructure import CLOUDS
from scripts import tiers_reference
from tests import ci, combinations, copier_questions, expectations
from tests.combinations import each_value, product, row_id
from tests.copier_questions import complete, is_valid, values
from tests.pairwise import pairwise

pytestmark = pytest.mark.static

ROW_SETS = {
    "each_value": each_value(),
    "fast gates": combinations.fast_gate_rows(),
    "pairwise": pairwise(),
    "validators": combinations.validator_rows(),
    "infra": combinations.infra_rows(),
    "docs site": combinations.docs_site_rows(),
    "managers": combinations.manager_rows(),
    "frameworks": combinations.framework_rows(),
}


def test_values_are_copier_yml_values_with_the_default_first() -> None:
    assert set(values("python_version")) == set(choice_values()["python_version"])
    assert complete({}) == {question: values(question)[0] for question in copier_questions.questions()} | {
        # deployment's default is an expression: kubernetes, as serving defaults to fastapi.
        "deployment": "kubernetes"
    }


@pytest.mark.parametrize("rows", ROW_SETS.values(), ids=ROW_SETS.keys())
def test_no_row_breaks_a_when_and_every_row_is_complete(rows: list[dict[str, str]]) -> None:
    assert rows
    for row in rows:
        assert set(choice_values()) <= set(row), row
        assert is_valid(row), row
    assert len({row_id(row) for row in rows}) == len(rows)


def test_a_hidden_question_takes_its_default() -> None:
    assert complete({"serving": "none", "deployment": "kubernetes"})["deployment"] == "none"
    assert not is_valid(complete({}) | {"serving": "none", "deployment": "kubernetes"})
    assert row_id(complete({"serving": "none"})) == "serving=none"


@pytest.mark.parametrize(
    "rows", [each_value(), combinations.fast_gate_rows(), combinations.manager_rows()], ids=str
)
def test_each_value_asks_every_value_of_its_questions(rows: list[dict[str, str]]) -> None:
    varied = [question for question in choice_values() if len({row[question] for row in rows}) > 1]
    assert rows[0].items() >= complete({}).items(), "row 0 is the defaults"
    for question in varied:
        asked = {row[question] for row in rows if complete(row | {question: "?"})[question] == "?"}
        # But a value that needs a question these rows keep at its default (TFX, TensorFlow).
        reachable = {value for value in values(question) if combinations.reachable(question, value, varied)}
        assert asked == reachable, question
    # A row past the longest question's count holds a value no other non-default row can ask
    # (AWS-only CloudFormation, while rows 1 to 3 take the other clouds).
    count = max(len(values(question)) for question in varied)
    for extra in rows[count:]:
        held = {(q, row[q]) for row in rows[1:count] for q in varied if _asks(row, q)}
        assert any(_asks(extra, q) and (q, extra[q]) not in held for q in varied), extra


def _asks(row: dict[str, str], question: str) -> bool:
    return complete(row | {question: "?"})[question] == "?"


def test_the_fast_gate_rows_ask_every_value_but_the_frameworks() -> None:
    rows = combinations.fast_gate_rows()
    for question in combinations.FAST_GATE_QUESTIONS:
        # TFX runs TensorFlow only: test_tfx.py gates it.
        expected = set(values(question)) - ({"tfx"} if question == "orchestrator" else set())
        assert {row[question] for row in rows} == expected, question
    assert {row["ml_framework"] for row in rows} == {values("ml_framework")[0]}
    free_text = {key for extra in combinations.FREE_TEXT for key in extra}
    assert free_text <= {key for row in rows for key in row}


@pytest.mark.parametrize("exclude", [(), combinations.PAIRWISE_EXCLUDED], ids=str)
def test_pairwise_holds_every_valid_pair(exclude: tuple[str, ...]) -> None:
    rows = pairwise(exclude)
    chosen = [question for question in choice_values() if question not in exclude]
    for first, second in itertools.combinations(chosen, 2):
        # With the questions their validators and `when:` read crossed too (TFX needs TensorFlow).
        related = copier_questions.related(first) | copier_questions.related(second)
        context = sorted(related - {first, second})
        possible = {(row[first], row[second]) for row in product(first, second, *context)}
        held = {(row[first], row[second]) for row in rows}
        assert held == possible, (first, second)
    # A pair that no valid row can hold is not asked for.
    assert ("none", "kubernetes") not in {(row["serving"], row["deployment"]) for row in rows}
    for question in exclude:
        assert {row[question] for row in rows} == {values(question)[0]}


def test_product_crosses_every_value() -> None:
    rows = combinations.infra_rows()
    clouds = [cloud for cloud in values("cloud_provider") if cloud in CLOUDS]
    crossed = {
        (cloud, ci)
        for cloud, ci in itertools.product(clouds, values("ci_provider"))
        if is_valid(complete({"cloud_provider": cloud, "ci_provider": ci}))
    }
    assert {(row["cloud_provider"], row["ci_provider"]) for row in rows} == crossed
    # A validator refuses some pairs (Azure with a CI service whose subjects it cannot trust).
    assert len(crossed) < len(clouds) * len(values("ci_provider"))
    assert len(combinations.docs_site_rows()) == len(values("docs")) * len(values("branching_model")) * len(
        values("ci_provider")
    )


def test_the_readme_states_the_counts() -> None:
    block = "\n".join(tiers_reference.combinations_block())
    for use, (how, rows, full) in combinations.counts().items():
        assert f"| {use} | {how} | {rows} | {full} |" in block
    assert tiers_reference.README.read_text(encoding="utf-8").count(block) == 1


def test_every_value_has_its_expectations_with_the_same_keys() -> None:
    """A new value of a choice fails here until the tests know what to expect of it
    (tests/expected/<question>/<value>.yml)."""
    assert expectations.questions() == ("ci_provider", "cloud_provider")
    for question in expectations.questions():
        facts = expectations.expected(question)
        assert set(facts) == set(values(question)) - {"none"}, question
        keys = {value: set(fact) for value, fact in facts.items()}
        assert len(set(map(frozenset, keys.values()))) == 1, keys


def test_every_ci_service_has_its_reader_in_tests_ci() -> None:
    """The docs-site tests read a project's CI files through tests/ci/<ci_provider>.py."""
    readers = {path.stem for path in (Path(ci.__file__).parent).glob("*.py")} - {"__init__"}
    assert readers == set(values("ci_provider"))
    for provider in readers:
        module = ci.ci_files(provider)
        for name in ("jobs", "request_jobs", "gated_branches", "bot_base"):
            assert callable(getattr(module, name)), (provider, name)

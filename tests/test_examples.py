"""Tier 0: the renders committed under examples/ are what the template renders now, and what
their pages say of their own tests holds."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

from extensions import data
from scripts import examples, reference_layout

pytestmark = pytest.mark.static


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return examples.template_snapshot(tmp_path_factory.mktemp("snapshot") / "template")


@pytest.mark.parametrize("name", examples.names())
def test_example_equals_a_fresh_render(name: str, template: Path, tmp_path: Path) -> None:
    assert examples.stale(name, template, tmp_path) == [], "examples/ is stale: run `make examples`"


def test_examples_hold_every_value_of_every_choice_question() -> None:
    # So that a change to any value's files shows in some example's diff.
    chosen: dict[str, set[str]] = {}
    for name in examples.names():
        for question, value in examples.answers(name).items():
            chosen.setdefault(question, set()).add(str(value))

    missing = {
        question: sorted(values - chosen.get(question, set()))
        for question, values in data.choice_questions().items()
        if values - chosen.get(question, set())
    }
    assert missing == {}


def test_a_stale_example_names_each_difference(template: Path, tmp_path: Path) -> None:
    fresh = examples.render(template, "default", tmp_path / "fresh")
    committed = tmp_path / "committed"
    shutil.copytree(fresh, committed)
    (committed / "README.md").write_text("edited\n", encoding="utf-8")
    (committed / "Makefile").unlink()
    (committed / "removed.txt").write_text("rendered once\n", encoding="utf-8")

    assert list(examples.differences(committed, fresh)) == [
        "Makefile: newly rendered",
        "README.md: content differs",
        "removed.txt: no longer rendered",
    ]


def test_the_reference_layout_is_the_default_example() -> None:
    expected = reference_layout.layout_markdown(examples.files(reference_layout.DEFAULT))

    assert reference_layout.PAGE.read_text(encoding="utf-8") == expected, (
        "docs/reference-layout.md is stale: run `make reference-layout` and review the diff"
    )


# The testing page's list of the tests `make check` leaves out: `tests/<file>::<test>` bullets.
LISTED_TEST = re.compile(r"^- `(tests/\w+\.py::\w+)`", flags=re.MULTILINE)
TESTING_PAGE = Path("docs/conventions/testing.md")


def end_to_end_tests(project: Path) -> set[str]:
    """`tests/<file>::<test>` of each test a project marks `e2e`, read from its test modules."""
    return {
        f"tests/{path.name}::{node.name}"
        for path in sorted((project / "tests").glob("test_*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(decorator) == "pytest.mark.e2e" for decorator in node.decorator_list)
    }


@pytest.mark.parametrize(
    "name", [name for name in examples.names() if (examples.EXAMPLES / name / TESTING_PAGE).is_file()]
)
def test_the_testing_page_lists_the_tests_make_check_leaves_out(name: str) -> None:
    project = examples.EXAMPLES / name
    recipe = (project / "Makefile").read_text(encoding="utf-8").split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert 'pytest -m "not e2e"' in recipe
    page = (project / TESTING_PAGE).read_text(encoding="utf-8")
    # The paragraph that says what `make check` leaves out, then its list.
    listed = page.split("leaves out the tests marked", 1)[1].split("\n\n", 2)[1]

    assert set(LISTED_TEST.findall(listed)) == end_to_end_tests(project)

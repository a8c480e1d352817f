"""Tier 0: the template repository's own code and docs pass their gates."""

from __future__ import annotations

import doctest
import re
import sys

import pytest

from extensions import filters
from scripts import architecture_reference, questions_reference
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, run

pytestmark = pytest.mark.static
COPIER_TEXT = (TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_template_code_is_clean(command: list[str]) -> None:
    run([str(TOOLS_BIN / command[0]), *command[1:]], cwd=TEMPLATE_ROOT)


def test_docs_site_builds_strictly(tmp_path_factory: pytest.TempPathFactory) -> None:
    site = tmp_path_factory.mktemp("site")
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=TEMPLATE_ROOT)


def test_questions_page_is_generated_from_copier_yml() -> None:
    page = (TEMPLATE_ROOT / "docs" / "questions.md").read_text(encoding="utf-8")

    assert page == questions_reference.expected_page(), (
        "docs/questions.md no longer matches copier.yml, the validators or docs/partials/questions.md: "
        "run `make questions-reference` and review the diff"
    )


def test_generated_tables_of_the_architecture_page_are_current() -> None:
    page = (TEMPLATE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")

    assert page == architecture_reference.page(page), (
        "the filters or derived values in docs/architecture.md are stale: "
        "run `make architecture-reference` and review the diff"
    )


def test_validator_docstring_examples_hold() -> None:
    # The examples are the refusals docs/questions.md shows: a wrong one must fail here.
    results = doctest.testmod(filters, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)

    assert results.attempted > 0
    assert results.failed == 0


def test_every_validator_shows_a_refused_answer() -> None:
    validated = [q for q in questions_reference.questions(COPIER_TEXT) if q.validator]

    assert validated
    for question in validated:
        examples = questions_reference.validator_doc(question.validator or "").examples
        assert any(example.message for example in examples), f"{question.name}: no refused example"


def test_ci_runs_the_test_command_the_readme_gives() -> None:
    readme = (TEMPLATE_ROOT / "README.md").read_text(encoding="utf-8")
    ci_commands = [
        line.strip()
        for line in (TEMPLATE_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    makefile = (TEMPLATE_ROOT / "Makefile").read_text(encoding="utf-8")

    assert "make test       # run the whole test suite" in readme
    assert "make project    # render a project with every default" in readme
    assert ci_commands[-1] == "make test"
    assert re.search(r"^test: setup  ## ", makefile, flags=re.MULTILINE)
    assert re.search(r"^project: setup  ## ", makefile, flags=re.MULTILINE)

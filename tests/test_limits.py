"""Tier 0: the repository stays small enough to read: short modules and functions, simple
branches, and templates that read like the files they render."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from tests.helpers import TEMPLATE_ROOT

pytestmark = pytest.mark.static

# The repository's own Python; benchmarks/ is held to the same complexity, not to the sizes.
SIZED = ("extensions", "scripts", "tests")
SIMPLE = ("extensions", "scripts", "benchmarks")
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
# radon grades A and B up to a cyclomatic complexity of 10; C starts at 11.
MAX_COMPLEXITY = 10
# `{% if` tags per file the template renders through Jinja, counting those of the per-choice
# snippets the files include (conditions in file and folder names do not count: an alternative
# file is the preferred way to vary one).
MAX_IFS_PER_JINJA_FILE = 1.2
IF_TAG = re.compile(r"\{%-?\s*if\s")
TEMPLATE = TEMPLATE_ROOT / "template"
SNIPPETS = TEMPLATE_ROOT / "extensions"


def python_files(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((TEMPLATE_ROOT / folder).rglob("*.py"))


def functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def named(path: Path) -> str:
    return path.relative_to(TEMPLATE_ROOT).as_posix()


def test_modules_are_at_most_300_lines() -> None:
    long = {
        named(path): lines
        for path in python_files(*SIZED)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }

    assert long == {}


def test_functions_are_at_most_50_lines() -> None:
    long = {
        f"{named(path)}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1
        for path in python_files(*SIZED)
        for node in functions(ast.parse(path.read_text(encoding="utf-8")))
        if node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    }

    assert long == {}


def test_no_function_outside_the_tests_grades_c_or_worse() -> None:
    complex_blocks = {
        f"{named(path)}:{block.lineno} {block.name}": block.complexity
        for path in python_files(*SIMPLE)
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    }

    assert complex_blocks == {}


def test_templates_average_at_most_1_2_if_tags_per_rendered_file() -> None:
    rendered = sorted(TEMPLATE.rglob("*.jinja"))
    sources = [*rendered, *sorted(SNIPPETS.rglob("*.jinja"))]
    tags = {named(path): len(IF_TAG.findall(path.read_text(encoding="utf-8"))) for path in sources}

    assert sum(tags.values()) / len(rendered) <= MAX_IFS_PER_JINJA_FILE, sorted(
        tags.items(), key=lambda item: -item[1]
    )[:10]


def test_rendered_python_holds_no_jinja_conditionals() -> None:
    # A rendered module varies by alternative files or by the data it reads, so its template
    # reads like the module a team gets.
    conditional = [
        named(path) for path in TEMPLATE.rglob("*.py.jinja") if IF_TAG.search(path.read_text("utf-8"))
    ]

    assert conditional == []


def test_the_limits_fail_on_a_long_function_and_a_complex_one() -> None:
    source = (
        "def long():\n"
        + "    x = 1\n" * 60
        + "\n\ndef tangled(a):\n"
        + "".join(f"    if a == {value}:\n        return {value}\n" for value in range(12))
    )
    tree = ast.parse(source)

    lengths = {node.name: node.end_lineno - node.lineno + 1 for node in functions(tree) if node.end_lineno}
    assert lengths["long"] > MAX_FUNCTION_LINES
    assert max(block.complexity for block in cc_visit(source)) > MAX_COMPLEXITY
    assert len(IF_TAG.findall("{% if a %}{%- if b %}{% elif c %}{% endif %}")) == 2

"""Tier 0: the template repository's own code and docs pass their gates."""

from __future__ import annotations

import doctest
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from extensions import filters
from scripts import (
    architecture_reference,
    conventions_reference,
    generated_blocks,
    make_targets_reference,
    questions_reference,
    tiers_reference,
)
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, run

pytestmark = pytest.mark.static
COPIER_TEXT = (TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8")
MARKERS = [
    declaration.split(":", 1)[0]
    for declaration in tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"
    ]["ini_options"]["markers"]
]


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_template_code_is_clean(command: list[str]) -> None:
    run([str(TOOLS_BIN / command[0]), *command[1:]], cwd=TEMPLATE_ROOT)


def test_docs_site_builds_strictly(tmp_path_factory: pytest.TempPathFactory) -> None:
    site = tmp_path_factory.mktemp("site")
    build = [sys.executable, "-m", "properdocs", "build", "--strict", "--config-file", "mkdocs.yml"]
    run([*build, "--site-dir", str(site)], cwd=TEMPLATE_ROOT)


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


@pytest.mark.parametrize(
    "page", [make_targets_reference.README, make_targets_reference.ARCHITECTURE], ids=lambda page: page.name
)
def test_repository_make_targets_are_what_make_help_prints(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    blocks = {"repository-make-targets": make_targets_reference.repository_block}

    assert text == generated_blocks.rewrite(text, blocks, make_targets_reference.COMMAND, page.name), (
        f"the make-target table of {page.name} is stale: run `make make-targets-reference`"
    )


# This repository's Makefile and the committed renders' (their target names differ by answers).
EXAMPLE_MAKEFILES = (TEMPLATE_ROOT / "examples").glob("*/Makefile")
HELP_FOLDERS = [TEMPLATE_ROOT, *sorted(makefile.parent for makefile in EXAMPLE_MAKEFILES)]


@pytest.mark.parametrize("folder", HELP_FOLDERS, ids=lambda folder: folder.name)
def test_make_help_starts_every_help_text_in_one_column(folder: Path) -> None:
    """make_help refuses help texts that start in different columns: what a target name longer
    than a fixed-width column does."""
    targets = make_targets_reference.make_help(folder)

    assert "help" in targets


def test_test_tiers_of_the_readme_are_the_declared_markers() -> None:
    assert {tier.marker for tier in tiers_reference.tiers()} == set(MARKERS)
    assert (
        generated_blocks.stale_pages(tiers_reference.PAGES, tiers_reference.COMMAND, TEMPLATE_ROOT) == []
    ), "the tier table of README.md is stale: run `make tiers-reference`"


def test_branching_models_of_the_conventions_page_are_the_context_hooks() -> None:
    pages = conventions_reference.PAGES

    assert generated_blocks.stale_pages(pages, conventions_reference.COMMAND, TEMPLATE_ROOT) == [], (
        "the branching-model table of docs/conventions.md is stale: run `make conventions-reference`"
    )


def test_a_generator_rewrites_only_its_own_blocks() -> None:
    text = (
        "prose\n<!-- generated: mine -->\nold\n<!-- end generated: mine -->\n"
        "<!-- generated: theirs -->\nkept\n<!-- end generated: theirs -->\n"
    )

    rewritten = generated_blocks.rewrite(text, {"mine": lambda: ["| new |"]}, "make mine", "page.md")

    assert (
        "<!-- written by `make mine`: do not edit by hand -->\n\n| new |\n\n<!-- end generated: mine -->"
        in rewritten
    )
    assert "old" not in rewritten
    assert "<!-- generated: theirs -->\nkept\n<!-- end generated: theirs -->" in rewritten
    with pytest.raises(ValueError, match=r"page.md lacks the generated blocks \['absent'\]"):
        generated_blocks.rewrite(text, {"absent": list}, "make absent", "page.md")


def test_generated_docs_runs_every_generator_the_architecture_page_lists() -> None:
    makefile = (TEMPLATE_ROOT / "Makefile").read_text(encoding="utf-8")
    prerequisites = re.search(r"^generated-docs: ([^#\n]*)", makefile, flags=re.MULTILINE)
    assert prerequisites is not None
    architecture = (TEMPLATE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = architecture.split("## Generated docs", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `make ([a-z-]+)` \|", section, flags=re.MULTILINE))

    assert listed == set(prerequisites.group(1).split())


def test_the_tier_table_names_every_test_file_under_its_markers() -> None:
    architecture = (TEMPLATE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = architecture.split("\n## Tests\n", 1)[1].split("\n## ", 1)[0]
    documented: dict[str, set[str]] = {}
    for row in re.findall(r"^\| \d+ \| (.+?) \| (.+?) \|", section, flags=re.MULTILINE):
        markers = set(re.findall(r"`(\w+)`", row[0]))
        for name in re.findall(r"`(test_\w+\.py)`", row[1]):
            documented.setdefault(name, set()).update(markers)
    used = {
        path.name: set(
            re.findall(rf"pytest\.mark\.({'|'.join(MARKERS)})\b", path.read_text(encoding="utf-8"))
        )
        for path in sorted((TEMPLATE_ROOT / "tests").glob("test_*.py"))
    }

    assert documented == used


def test_validator_docstring_examples_hold() -> None:
    # The examples are the refusals docs/questions.md shows: a wrong one must fail here.
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    results = [doctest.testmod(module, optionflags=flags) for module in filters.MODULES]

    assert all(result.attempted > 0 for result in results)
    assert sum(result.failed for result in results) == 0


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
    # The README's command, leaving out only the slow variants its tier table says CI skips.
    assert ci_commands[-1] == """make test PYTEST_ARGS='-m "not extended"'"""
    assert f"(.ci/run: `{ci_commands[-1]}`)" in readme
    assert re.search(r"^test: setup  ## ", makefile, flags=re.MULTILINE)
    assert re.search(r"^project: \$\(RENDER_VENV\)/\.installed  ## ", makefile, flags=re.MULTILINE)


def test_make_benchmark_targets_run_every_benchmark_the_architecture_page_lists() -> None:
    # A probe runs inside a rendered project's environment, on behalf of a benchmark.
    scripts = {
        path.stem
        for path in (TEMPLATE_ROOT / "benchmarks").glob("*.py")
        if "def main(" in path.read_text(encoding="utf-8") and not path.stem.endswith("_probe")
    }
    makefile = (TEMPLATE_ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = "".join(
        makefile.split(f"\n{target}:", 1)[1].split("\n\n", 1)[0]
        for target in ("benchmark", "benchmark-images")
    )
    page = (TEMPLATE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert set(re.findall(r"-m benchmarks\.(\w+)", recipes)) == scripts
    assert set(re.findall(r"^\| `python -m benchmarks\.(\w+)`", page, flags=re.MULTILINE)) == scripts


def test_the_repositorys_own_workflow_passes_its_linters_and_tags_after_the_gate() -> None:
    """The template's CI: schema, actionlint (with shellcheck), zizmor; the tags job pushes only
    after the fast tiers pass, on pushes to main, with the whole history `make tags` reads."""
    workflow = TEMPLATE_ROOT / ".github" / "workflows" / "ci.yml"
    tool = {
        name: str(TOOLS_BIN / name) for name in ("check-jsonschema", "actionlint", "shellcheck", "zizmor")
    }
    run(
        [tool["check-jsonschema"], "--builtin-schema", "vendor.github-workflows", str(workflow)],
        cwd=TEMPLATE_ROOT,
    )
    run([tool["actionlint"], "-shellcheck", tool["shellcheck"], str(workflow)], cwd=TEMPLATE_ROOT)
    findings = run([tool["zizmor"], "--offline", "--format", "json", "--quiet", ".github"], cwd=TEMPLATE_ROOT)
    assert json.loads(findings) == []

    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    assert [step.get("run") for step in jobs["fast-tiers"]["steps"]][-1] == "make test-fast"
    tags = jobs["tags"]
    assert tags["needs"] == "fast-tiers"
    assert tags["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert tags["steps"][0]["with"]["fetch-depth"] == 0
    assert tags["steps"][-1]["run"].startswith("make tags\n")
    assert "--force" not in tags["steps"][-1]["run"]


def test_every_path_the_repository_table_names_exists() -> None:
    # The hand-written table of non-Python paths; the modules below it are generated.
    architecture = (TEMPLATE_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = architecture.split("\n## The repository\n", 1)[1].split("<!-- generated: modules -->", 1)[0]
    named = [
        path
        for first_cell in re.findall(r"^\| (.+?) \|", section, flags=re.MULTILINE)
        for path in re.findall(r"`([^`]+)`", first_cell)
    ]

    assert len(named) > 10
    assert [path for path in named if not (TEMPLATE_ROOT / path).exists()] == []

"""Tier 0: the template repository's own code and docs pass their gates."""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, run

pytestmark = pytest.mark.static


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


def test_every_question_is_documented() -> None:
    questions = [
        name
        for name in yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))
        if not name.startswith("_")
    ]
    page = (TEMPLATE_ROOT / "docs" / "questions.md").read_text(encoding="utf-8")
    documented = re.findall(r"^### `(\w+)`", page, flags=re.MULTILINE)

    assert documented == questions, "docs/questions.md must list every question, in copier.yml's order"


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

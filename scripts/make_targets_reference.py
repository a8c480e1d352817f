"""Write the make-target tables: a rendered project's and this repository's, as `make help` prints them.

    python -m scripts.make_targets_reference          # rewrite the blocks
    python -m scripts.make_targets_reference --check  # exit 1 if a block is stale

A rendered project's targets come from rendering its Makefile with every default, then with each
choice question of copier.yml flipped to each of its other values, one question at a time, and
running `make help` in each render: a target some renders lack says for which answers. Help text
that names a make variable as `$(PORT)` is refused: `make help` would print it literally.
This repository's targets come from `make help` in its root. Static and render tests compare the
blocks with this output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from copier import run_copy

from extensions.data import choice_questions
from extensions.orchestrators import ORCHESTRATORS
from scripts import generated_blocks
from scripts.architecture_reference import example_answers

ROOT = Path(__file__).resolve().parent.parent
GETTING_STARTED = ROOT / "docs" / "getting-started.md"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
README = ROOT / "README.md"
COMMAND = "make make-targets-reference"
# What a copy of the template needs; a folder that is not a git repository renders as it is, with
# no clone, uncommitted changes included.
TEMPLATE_PARTS = ("copier.yml", "template", "extensions")
# `make help` prints `  target<padding> help`.
HELP_LINE = re.compile(r"^  (?P<target>[a-z][a-z-]*) +(?P<help>\S.*)$")
VARIABLE = re.compile(r"\$\((?P<name>[A-Z_]+)\)")
MAKE_ENVIRONMENT = frozenset({"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"})
# Links from docs/getting-started.md to a question's entry.
QUESTIONS_PAGE = "questions.md"


@dataclass(frozen=True)
class Variant:
    """A render: the defaults, or the defaults with one choice answer changed."""

    question: str
    value: str

    @property
    def data(self) -> dict[str, str]:
        return {self.question: self.value, **_companions(self.question, self.value)} if self.question else {}


def _companions(question: str, value: str) -> dict[str, str]:
    """The answers a value cannot render without: the framework an orchestrator's record asks
    for where the default is not among them (TFX runs TensorFlow only)."""
    if question != "orchestrator":
        return {}
    frameworks = ORCHESTRATORS[value].frameworks
    if not frameworks or example_answers()["ml_framework"] in frameworks:
        return {}
    return {"ml_framework": frameworks[0]}


DEFAULTS = Variant("", "")


def make_help(folder: Path) -> dict[str, str]:
    """Each target's help text as `make help` in `folder` prints it. `make help` greps the
    Makefile, so a `$(VARIABLE)` in a help line would reach the reader literally: refused."""
    output = subprocess.run(
        ["make", "--no-print-directory", "--silent", "help"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
        # Run from `make generated-docs`, a child make would inherit the parent's flags.
        env={name: value for name, value in os.environ.items() if name not in MAKE_ENVIRONMENT},
    ).stdout
    targets = {}
    # Where each help text starts: one column, or a target name longer than the column broke it.
    columns = set()
    for line in output.splitlines():
        if match := HELP_LINE.match(line):
            columns.add(match.start("help"))
            if variable := VARIABLE.search(match["help"]):
                raise ValueError(
                    f"{folder / 'Makefile'}: the help of `{match['target']}` prints $({variable['name']}) "
                    f"literally; name the variable and its default instead, e.g. `{variable['name']} (8000)`"
                )
            targets[match["target"]] = match["help"]
    if not targets:
        raise ValueError(f"`make help` in {folder} printed no target")
    if len(columns) > 1:
        raise ValueError(f"`make help` in {folder} starts the help texts at columns {sorted(columns)}")
    return targets


def variants() -> list[Variant]:
    """The defaults, then every other value of every choice question, one at a time."""
    defaults = example_answers()
    return [DEFAULTS] + [
        Variant(question, value)
        for question, values in sorted(choice_questions().items())
        for value in sorted(values - {str(defaults[question])})
    ]


@cache
def project_targets() -> dict[Variant, dict[str, str]]:
    """`make help` of the Makefile each variant renders."""
    with tempfile.TemporaryDirectory() as temporary:
        template = Path(temporary) / "template"
        for part in TEMPLATE_PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, template / part, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                template.mkdir(exist_ok=True)
                shutil.copy2(source, template / part)
        targets = {}
        for number, variant in enumerate(variants()):
            project = Path(temporary) / f"project-{number}"
            run_copy(
                str(template),
                str(project),
                defaults=True,
                unsafe=True,
                quiet=True,
                data={"init_git": False, **variant.data},
                exclude=["*", "!Makefile"],
            )
            targets[variant] = make_help(project)
        return targets


def _answer(question: str, values: list[str]) -> str:
    return f"[`{question}`]({QUESTIONS_PAGE}#{question}) is " + " or ".join(f"`{v}`" for v in values)


def _when(present: list[Variant], absent: list[Variant]) -> str:
    """In which renders a target exists, by the answers that add or remove it."""
    if not absent:
        return "always"
    if DEFAULTS in absent:
        # Only some flipped answers add it.
        by_question: dict[str, list[str]] = {}
        for variant in present:
            by_question.setdefault(variant.question, []).append(variant.value)
        return "only when " + "; or ".join(_answer(q, values) for q, values in by_question.items())
    by_question = {}
    for variant in absent:
        by_question.setdefault(variant.question, []).append(variant.value)
    return "unless " + "; or ".join(_answer(q, values) for q, values in by_question.items())


def _described(target: str, renders: dict[Variant, dict[str, str]], present: list[Variant]) -> str:
    """The help text of a target, with the variants that word it otherwise in parentheses."""
    shown = renders[present[0]][target]
    others = [
        f"with `{variant.question}={variant.value}`: {renders[variant][target]}"
        for variant in present
        if renders[variant][target] != shown
    ]
    return f"{shown} ({'; '.join(others)})" if others else shown


def project_block() -> Iterator[str]:
    renders = project_targets()
    order: list[str] = []
    for targets in renders.values():
        order.extend(target for target in targets if target not in order)
    yield "| target | what it does (`make help`) | in the project |"
    yield "| --- | --- | --- |"
    for target in order:
        present = [variant for variant, targets in renders.items() if target in targets]
        absent = [variant for variant in renders if variant not in present]
        shown = _described(target, renders, present)
        yield f"| `make {target}` | {generated_blocks.cell(shown)} | {_when(present, absent)} |"


def repository_block() -> Iterator[str]:
    yield "| target | what it does (`make help`) |"
    yield "| --- | --- |"
    for target, text in make_help(ROOT).items():
        yield f"| `make {target}` | {generated_blocks.cell(text)} |"


PAGES: dict[Path, dict[str, generated_blocks.Generator]] = {
    GETTING_STARTED: {"project-make-targets": project_block},
    ARCHITECTURE: {"repository-make-targets": repository_block},
    README: {"repository-make-targets": repository_block},
}


def main(argv: list[str] | None = None) -> int:
    return generated_blocks.main(argv, __doc__.splitlines()[0], PAGES, COMMAND, ROOT)


if __name__ == "__main__":
    sys.exit(main())

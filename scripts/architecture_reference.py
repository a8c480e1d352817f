"""Write the generated blocks of docs/architecture.md: modules, files, choices, filters, values.

    python -m scripts.architecture_reference          # rewrite the blocks
    python -m scripts.architecture_reference --check  # exit 1 if a block is stale

Each block sits between `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`; the prose
around it is hand-written. The filters come from what `TemplateFilters` registers, described by
their docstrings; the derived values from the context's dataclasses (scripts/context_reference.py);
the modules and benchmarks from the first lines of their docstrings; the alternative files and
the file map from the names and Jinja under template/; the choice records from copier.yml, extensions/choices/
and the schema each concern module passes to data.records(). A static test compares the blocks
with this output, so they cannot drift from extensions/ and template/.
"""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

import extensions
from extensions import context, data, filters
from scripts import context_reference, generated_blocks
from scripts.context_reference import PATH_CONDITION, shown, summary

ROOT = Path(__file__).resolve().parent.parent
# Other generators render the same defaults (make_targets_reference.py).
example_answers = context_reference.example_answers
PAGE = ROOT / "docs" / "architecture.md"
COPIER_FILE = ROOT / "copier.yml"
TEMPLATE_DIR = ROOT / "template"
# Per-value prose a template includes by the answer: its code counts as the including file's.
CHOICES_DIR = ROOT / "extensions" / "choices"
SNIPPET_INCLUDE = re.compile(r'include "extensions/choices/(?P<question>[\w-]+)/" ~ \w+ ~ "/(?P<name>[^"]+)"')
COMMAND = "make architecture-reference"
JINJA_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
CONDITIONAL_NAME = re.compile(r"\{% if (?P<condition>.+?) %\}(?P<name>.*?)\{% endif %\}")


def _uses(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text) is not None


def _registered() -> list[tuple[str, str, Callable[..., Any]]]:
    """The filters and globals TemplateFilters adds to a plain environment's."""
    plain = jinja2.Environment()
    environment = jinja2.Environment(extensions=[filters.TemplateFilters])
    added = [("filter", environment.filters, plain.filters), ("global", environment.globals, plain.globals)]
    return [(name, kind, f) for kind, mine, base in added for name, f in mine.items() if name not in base]


def filters_block() -> Iterator[str]:
    """Every filter and global TemplateFilters registers, with where copier.yml calls it."""
    specs: dict[str, Any] = yaml.safe_load(COPIER_FILE.read_text(encoding="utf-8"))
    yield "| name | kind | what it does | called by (in `copier.yml`) |"
    yield "| --- | --- | --- | --- |"
    for name, kind, function in _registered():
        callers = [key for key, spec in specs.items() if _uses(name, json.dumps(spec))]
        called_by = ", ".join(f"`{key}`" for key in callers) or "no question (templates only)"
        yield f"| `{name}` | {kind} | {summary(function) or '(no docstring)'} | {called_by} |"


def _snippet_code(include: re.Match[str]) -> str:
    """The Jinja code of every value's snippet that one `{% include %}` of a template may read."""
    snippets = sorted((CHOICES_DIR / include["question"]).glob(f"*/{include['name']}"))
    return "".join(
        "\n" + "\n".join(JINJA_CODE.findall(path.read_text(encoding="utf-8"))) for path in snippets
    )


def alternative_files_block() -> Iterator[str]:
    """Every file or folder under template/ whose name carries a condition."""
    conditional: dict[str, tuple[list[str], int]] = {}
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if not path.is_file():
            continue
        parts = path.relative_to(TEMPLATE_DIR).parts
        conditions: list[str] = []
        for depth, part in enumerate(parts, start=1):
            if match := CONDITIONAL_NAME.search(part):
                conditions.append(match["condition"])
                prefix = "/".join(parts[:depth])
                previous = conditional.get(prefix, (list(conditions), 0))
                conditional[prefix] = (previous[0], previous[1] + 1)
    yield "| renders as | when | files |"
    yield "| --- | --- | --- |"
    for prefix, (conditions, count) in conditional.items():
        folder = (TEMPLATE_DIR / prefix).is_dir()
        name = shown(prefix) + ("/" if folder else "")
        when = " and ".join(f"`{condition}`" for condition in conditions)
        yield f"| `{name}` | {when} | {count if folder else ''} |"


# A top-level folder with more files than this is one row of the file map, not a row per file.
GROUP_LIMIT = 3
MAX_LISTED = 6


def _listed(names: Iterable[str]) -> str:
    """Names as code, the first MAX_LISTED of them; `-` for none."""
    ordered = sorted(set(names))
    text = ", ".join(f"`{name}`" for name in ordered[:MAX_LISTED])
    more = len(ordered) - MAX_LISTED
    return f"{text} and {more} more" if more > 0 else text or "-"


def _derived_names() -> list[str]:
    """The top-level names the context hook adds to the defaults' context."""
    answers = example_answers()
    hooked = dict(answers)
    context.DerivedContext(jinja2.Environment()).hook(hooked)
    return [name for name in hooked if name not in answers]


def _file_code(path: Path) -> str:
    """The Jinja code a template file runs (its name's aside): contents, then included snippets."""
    if path.suffix != ".jinja":
        return ""
    code = "\n".join(JINJA_CODE.findall(path.read_text(encoding="utf-8")))
    return code + "".join(_snippet_code(include) for include in SNIPPET_INCLUDE.finditer(code))


@dataclass
class MapRow:
    """One row of the file map: a file, or a top-level folder of many files."""

    shown: str
    source: str
    files: int = 0
    conditions: list[set[str]] = field(default_factory=list)
    answers: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    snippets: set[str] = field(default_factory=set)

    def when(self) -> str:
        """The conditions every file has, then those only some have."""
        common = set.intersection(*self.conditions) if self.conditions else set()
        some = set().union(*self.conditions) - common
        text = " and ".join(f"`{condition}`" for condition in sorted(common)) or "always"
        return f"{text}; some files: {_listed(some)}" if some else text

    def add(self, path: Path, parts: tuple[str, ...], questions: list[str], derived: list[str]) -> None:
        """Count one file of the row: its conditions, the answers, values and snippets it reads."""
        self.files += 1
        self.conditions.append({match["condition"] for match in CONDITIONAL_NAME.finditer("/".join(parts))})
        code = "\n".join(JINJA_CODE.findall(PATH_CONDITION.sub("", "/".join(parts)))) + _file_code(path)
        self.answers |= {question for question in questions if _uses(question, code)}
        self.values |= {name for name in derived if _uses(name, code)}
        self.snippets |= {
            f"{include['question']}/*/{include['name']}" for include in SNIPPET_INCLUDE.finditer(code)
        }


def _map_rows() -> list[MapRow]:
    """The file map's rows, in template/'s order: files, and folders of more than GROUP_LIMIT files."""
    files = [path for path in sorted(TEMPLATE_DIR.rglob("*")) if path.is_file()]
    per_top = Counter(path.relative_to(TEMPLATE_DIR).parts[0] for path in files)
    questions, derived = list(data.choice_questions()), _derived_names()
    rows: dict[str, MapRow] = {}
    for path in files:
        parts = path.relative_to(TEMPLATE_DIR).parts
        grouped = per_top[parts[0]] > GROUP_LIMIT and len(parts) > 1
        key = parts[0] if grouped else "/".join(parts)
        row = rows.setdefault(
            key, MapRow(shown(key) + ("/" if grouped else ""), key + ("/" if grouped else ""))
        )
        row.add(path, parts, questions, derived)
    return list(rows.values())


def file_map_block() -> Iterator[str]:
    """Where each rendered file comes from, when it renders, what answers, values and snippets it reads."""
    yield "| renders as | from `template/` | files | when | answers read | derived values read | snippets |"
    yield "| --- | --- | --- | --- | --- | --- | --- |"
    for row in _map_rows():
        yield (
            f"| `{row.shown}` | `{row.source}` | {row.files} | {row.when()} "
            f"| {_listed(row.answers)} | {_listed(row.values)} | {_listed(row.snippets)} |"
        )


def _varies_with(question: str, derived: list[str]) -> set[str]:
    """The derived names whose value changes when this answer alone changes from the default."""
    answers = example_answers()
    base = dict(answers)
    context.DerivedContext(jinja2.Environment()).hook(base)
    changed: set[str] = set()
    for value in data.choice_values()[question]:
        varied = {**answers, question: value}
        context.DerivedContext(jinja2.Environment()).hook(varied)
        changed |= {name for name in derived if varied.get(name) != base.get(name)}
    return changed


def choice_records_block() -> Iterator[str]:
    """Each choice question's values, the schema its records are built with, and its snippets."""
    # Each concern module registers its schema when it builds its records, on import.
    for found in pkgutil.iter_modules(extensions.__path__):
        if not found.name.startswith("_"):
            importlib.import_module(f"extensions.{found.name}")
    derived = _derived_names()
    yield "| question | values (snippets) | record schema | derived values that change with it |"
    yield "| --- | --- | --- | --- |"
    for question, values in data.choice_values().items():
        schema = data.SCHEMAS.get(question)
        named = (
            f"`{schema.__name__}` (`{schema.__module__.replace('.', '/')}.py`)"
            if schema
            else "(no module builds its records)"
        )
        counts = [
            f"`{value}` ({len(list((CHOICES_DIR / question / value).glob('*.jinja')))})" for value in values
        ]
        yield f"| `{question}` | {', '.join(counts)} | {named} | {_listed(_varies_with(question, derived))} |"


# The folders of this repository's own Python, in the order the module table lists them.
CODE_DIRS = ("extensions", "scripts", "benchmarks")


def first_line(path: Path) -> str:
    """The first line of a module's docstring, as a table cell."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "(no docstring)"
    return generated_blocks.cell(docstring.splitlines()[0])


def modules_block() -> Iterator[str]:
    """Every Python module of extensions/, scripts/ and benchmarks/, by its docstring's first line."""
    yield "| module | what it is |"
    yield "| --- | --- |"
    for folder in CODE_DIRS:
        for path in sorted((ROOT / folder).glob("*.py")):
            yield f"| `{folder}/{path.name}` | {first_line(path)} |"


def benchmarks_block() -> Iterator[str]:
    """Every benchmark `make benchmark` or `make benchmark-images` runs: the scripts with a main()."""
    yield "| script | measures |"
    yield "| --- | --- |"
    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "def main(" in text and not path.stem.endswith("_probe"):
            yield f"| `python -m benchmarks.{path.stem}` | {first_line(path)} |"


BLOCKS: dict[str, Callable[[], Iterator[str]]] = {
    "modules": modules_block,
    "benchmarks": benchmarks_block,
    "alternative-files": alternative_files_block,
    "file-map": file_map_block,
    "choice-records": choice_records_block,
    "filters": filters_block,
    "derived-values": context_reference.derived_values_block,
}


def page(text: str) -> str:
    """The page with every block of this generator rewritten."""
    return generated_blocks.rewrite(text, BLOCKS, COMMAND, PAGE.relative_to(ROOT).as_posix())


def main(argv: list[str] | None = None) -> int:
    return generated_blocks.main(argv, __doc__.splitlines()[0], {PAGE: BLOCKS}, COMMAND, ROOT)


if __name__ == "__main__":
    sys.exit(main())

"""The derived-values block of docs/architecture.md: the context's fields, concern by concern.

Each concern of the context hook (extensions/context.py) is called with copier.yml's defaults (and
the fallback author); each field of its dataclass, and of the dataclasses it holds, is a row with
its value and the files whose Jinja reads it, by their syntax trees (scripts/context_reads.py).
"""

from __future__ import annotations

import dataclasses
import html
import inspect
import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import jinja2
import yaml

from extensions import context, data, filters
from scripts import context_reads

EXAMPLE_WIDTH = 70
MAX_READERS = 4
# Free-text answers the examples use instead of the renderer's git identity.
EXAMPLE_GIT_USER = {"git_user_name": lambda fallback: fallback, "git_user_email": lambda fallback: fallback}
# `{% if x %}name{% endif %}` in a path renders as `name`; `{{package_name}}` as `<package_name>`.
PATH_CONDITION = re.compile(r"\{%.*?%\}")
PATH_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def example_answers() -> dict[str, Any]:
    """Every question's default, rendered in order as Copier would for `--defaults`."""
    environment = jinja2.Environment(extensions=[filters.TemplateFilters])
    environment.globals.update(EXAMPLE_GIT_USER)
    answers: dict[str, Any] = {}
    specs: dict[str, Any] = yaml.safe_load(context_reads.COPIER_FILE.read_text(encoding="utf-8"))
    for name, spec in specs.items():
        if name.startswith("_"):
            continue
        default = spec.get("default")
        if isinstance(default, str) and "{{" in default:
            default = environment.from_string(default).render(answers)
        answers[name] = default
    return answers


def summary(function: Callable[..., Any]) -> str:
    doc = inspect.getdoc(function) or ""
    return " ".join(doc.split("\n\n")[0].split())


def shown(path: str) -> str:
    """A template path as it renders: conditions dropped, variables as `<name>`, no `.jinja`."""
    return PATH_VARIABLE.sub(r"<\1>", PATH_CONDITION.sub("", path)).removesuffix(".jinja")


def _plain(value: Any) -> Any:
    """A dataclass (a sign-in step, say) as the mapping of its fields, for the page only."""
    return (
        dataclasses.asdict(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type)
        else str(value)
    )


def _example(value: Any) -> str:
    # A table cell holds one line: multi-line strings show their `\n`s.
    text = value if isinstance(value, str) and "\n" not in value else json.dumps(value, default=_plain)
    if len(text) > EXAMPLE_WIDTH:
        text = text[: EXAMPLE_WIDTH - 1] + "…"
    if "|" in text:
        # A pipe ends a table cell in GitHub's Markdown even inside backticks; an HTML entity in
        # an HTML code element reads the same on GitHub and on the docs site.
        return "<code>" + html.escape(text, quote=False).replace("|", "&#124;") + "</code>"
    return f"`{text}`" if text else '`""`'


def _shown_reader(where: str) -> str:
    """A reader as the page names it: the rendered path of a template file, or the source file."""
    return shown(where.removesuffix(" (name)").split(" (", 1)[0])


def _readers(chain: context_reads.Chain, reads: Mapping[context_reads.Chain, set[str]]) -> str:
    found = {
        _shown_reader(where)
        for read, wheres in reads.items()
        if read[: len(chain)] == chain
        for where in wheres
    }
    readers = sorted(found)
    listed = ", ".join(f"`{reader}`" for reader in readers[:MAX_READERS])
    more = len(readers) - MAX_READERS
    return f"{listed} and {more} more" if more > 0 else listed or "(no template reads it)"


def _value_at(values: Any, chain: context_reads.Chain) -> Any:
    """The value a chain names in one concern's dataclass (None below a field that is None)."""
    for part in chain:
        values = None if values is None else getattr(values, part)
    return values


def _concern_values() -> Iterator[tuple[Callable[..., Any], Any]]:
    """Each concern of the context hook with its values for the defaults."""
    answers = example_answers()
    given = {name: str(answers[name]) for name in data.choice_questions()}
    yield from ((concern, concern(given)) for concern in context.CHOICE_CONCERNS)
    yield from ((concern, concern(given, answers)) for concern in context.TEXT_CONCERNS)


def derived_values_block() -> Iterator[str]:
    """The context's fields, concern by concern, with their values for the defaults and readers."""
    reads = context_reads.context_reads()
    for concern, values in _concern_values():
        yield f"`{concern.__name__}()` (`{type(values).__name__}`): {summary(concern)}"
        yield ""
        yield "| name | with the defaults | read by |"
        yield "| --- | --- | --- |"
        for chain, hint in context_reads.declared([type(values)]).items():
            if context_reads.namespace(hint) is None:
                shown = _example(_value_at(values, chain))
                yield f"| `{'.'.join(chain)}` | {shown} | {_readers(chain, reads)} |"
        yield ""

"""What the template's Jinja reads from the context hook, from the syntax trees of its code.

Every template file's content and path, the snippets under extensions/choices/, the shared macros
of extensions/github_steps.jinja and the Jinja strings of copier.yml are parsed with Copier's
delimiters; each name a template loads, with the attributes and constant keys it follows
(`ci.oidc.subject_match`), is one chain. Names a file sets itself (`set`, `for`, macro arguments,
imports), Jinja's and Copier's own names (`loop`, `_copier_conf`, ...), the registered filters'
globals and the answers of copier.yml's questions are left out: what remains is read from the
context hook. tests/test_context.py compares the chains with the context's dataclasses, and the
architecture page lists who reads each field.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2 import nodes

from extensions import filters, updates

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "template"
COPIER_FILE = ROOT / "copier.yml"
CHOICES_DIR = ROOT / "extensions" / "choices"
SHARED_MACROS = ROOT / "extensions" / "github_steps.jinja"
# A template that includes a question's snippets shares its own names with them.
SNIPPET_QUESTION = re.compile(r'"extensions/choices/(?P<question>[\w-]+)/"')
# Names Jinja defines in every template.
JINJA_NAMES = frozenset({"loop", "self", "caller", "varargs", "kwargs", "super"})

Chain = tuple[str, ...]


@dataclass(frozen=True)
class Source:
    """One piece of Jinja code: where it is (a file, a file's name, a key of copier.yml), and the
    question whose snippet it is, if it is one."""

    where: str
    code: str
    snippet_of: str = ""


@cache
def environment() -> jinja2.Environment:
    """Copier's delimiters, with the template's extensions: their globals are no context names."""
    return jinja2.Environment(extensions=[filters.TemplateFilters, updates.UpdateReport])


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        yield from (text for item in value.values() for text in _strings(item))
    elif isinstance(value, list):
        yield from (text for item in value for text in _strings(item))


def copier_questions() -> frozenset[str]:
    """The questions of copier.yml: their answers are in the context without the hook."""
    specs: dict[str, Any] = yaml.safe_load(COPIER_FILE.read_text(encoding="utf-8"))
    return frozenset(name for name in specs if not name.startswith("_"))


def sources() -> Iterator[Source]:
    """Every piece of Jinja code Copier renders with the hook's context."""
    for path in sorted(TEMPLATE_DIR.rglob("*")):
        if path.is_file():
            relative = path.relative_to(TEMPLATE_DIR).as_posix()
            yield Source(f"{relative} (name)", relative)
            if path.suffix == ".jinja":
                yield Source(relative, path.read_text(encoding="utf-8"))
    for path in sorted(CHOICES_DIR.glob("*/*/*.jinja")):
        question = path.relative_to(CHOICES_DIR).parts[0]
        yield Source(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"), question)
    yield Source(SHARED_MACROS.relative_to(ROOT).as_posix(), SHARED_MACROS.read_text(encoding="utf-8"))
    specs: dict[str, Any] = yaml.safe_load(COPIER_FILE.read_text(encoding="utf-8"))
    for key, spec in specs.items():
        for text in _strings(spec):
            if "{{" in text or "{%" in text:
                yield Source(f"copier.yml ({key})", text)


def _chain(node: nodes.Expr) -> tuple[Chain, list[nodes.Node]] | None:
    """The chain of a Getattr/Getitem/Name node rooted at a loaded name, and the nodes of its
    computed keys (which read names of their own); None for any other root."""
    parts: list[str] = []
    keys: list[nodes.Node] = []
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
        else:
            # A computed key (`x[name]`, `x[0]`): the chain ends before it.
            parts.clear()
            keys.append(node.arg)
        node = node.node
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return (node.name, *reversed(parts)), keys
    return None


def chains(tree: nodes.Node) -> set[Chain]:
    """Every chain a syntax tree loads: `a.b['c']` is (a, b, c); the longest one of each access."""
    found: set[Chain] = set()
    pending: list[nodes.Node] = [tree]
    while pending:
        node = pending.pop()
        chain = _chain(node) if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name) else None
        if chain is None:
            pending.extend(node.iter_child_nodes())
            continue
        names, keys = chain
        found.add(names)
        pending.extend(keys)
    return found


def assigned(tree: nodes.Node) -> set[str]:
    """The names a syntax tree defines: `set`, `for` and `with` targets, macro names and
    arguments, imported names."""
    names = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    names |= {node.name for node in tree.find_all(nodes.Macro)}
    for node in tree.find_all(nodes.FromImport):
        names |= {name if isinstance(name, str) else name[1] for name in node.names}
    names |= {node.target for node in tree.find_all(nodes.Import)}
    return names


def _snippet_names(parsed: Iterable[tuple[Source, nodes.Template]]) -> dict[str, set[str]]:
    """Per question, the names the templates that include its snippets define."""
    shared: dict[str, set[str]] = {}
    for source, tree in parsed:
        for match in SNIPPET_QUESTION.finditer(source.code):
            shared.setdefault(match["question"], set()).update(assigned(tree))
    return shared


def context_reads(given: Iterable[Source] | None = None) -> dict[Chain, set[str]]:
    """Each chain read from the context hook, with where it is read."""
    parsed = [
        (source, environment().parse(source.code)) for source in (sources() if given is None else given)
    ]
    shared = _snippet_names(parsed)
    known = copier_questions() | JINJA_NAMES | set(environment().globals)
    reads: dict[Chain, set[str]] = {}
    for source, tree in parsed:
        local = assigned(tree) | shared.get(source.snippet_of, set())
        for chain in chains(tree):
            if chain[0] not in local and chain[0] not in known and not chain[0].startswith("_"):
                reads.setdefault(chain, set()).add(source.where)
    return reads


def namespace(hint: Any) -> type | None:
    """The dataclass whose fields are the attributes of a value of type `hint` (`X`, `X | None`,
    `X[T]`), or None for a value whose attributes are no fields (a string, a tuple, a mapping)."""
    members = [member for member in typing.get_args(hint) if member is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(members) == 1:
        hint = members[0]
    origin = typing.get_origin(hint) or hint
    return origin if dataclasses.is_dataclass(origin) and isinstance(origin, type) else None


def field_hints(schema: type) -> dict[str, Any]:
    """The type of each field of a dataclass, by name, in the order of its fields."""
    hints = typing.get_type_hints(schema)
    return {field.name: hints[field.name] for field in dataclasses.fields(schema)}


def declared(schemas: Iterable[type]) -> dict[Chain, Any]:
    """Every name the context declares, as a chain, with its type: each field of the concerns'
    dataclasses, each followed by the fields of a dataclass it holds (`ci.oidc.subject_match`)."""
    found: dict[Chain, Any] = {}

    def add(prefix: Chain, schema: type) -> None:
        for name, hint in field_hints(schema).items():
            found[(*prefix, name)] = hint
            inner = namespace(hint)
            if inner is not None:
                add((*prefix, name), inner)

    for schema in schemas:
        add((), schema)
    return found


def resolve(chain: Chain, fields: dict[Chain, Any]) -> tuple[Chain, Chain | None]:
    """The longest declared chain a read goes through, and the first part of the read that is
    no field of a dataclass it reaches (None when every part below a dataclass is a field)."""
    if (chain[0],) not in fields:
        return (), chain[:1]
    reached: Chain = chain[:1]
    for part in chain[1:]:
        if namespace(fields[reached]) is None:
            break
        if (*reached, part) not in fields:
            return reached, (*reached, part)
        reached = (*reached, part)
    return reached, None

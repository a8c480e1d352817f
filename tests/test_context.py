"""Tier 0: the context hook holds exactly what the templates read, by the Jinja syntax trees.

Every name and attribute chain the templates (contents, file and folder names, snippets, shared
macros, copier.yml's Jinja strings) read from the hook's context must be a field of a concern's
dataclass, and every field must be read by some template: a value nobody reads is dead code, a
read of a value nobody computes renders as an error (or, worse, as nothing)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import jinja2
import pytest

from extensions import context, data
from scripts.context_reads import Chain, Source, context_reads, declared, resolve

pytestmark = pytest.mark.static


def problems(reads: Mapping[Chain, Iterable[str]], schemas: Iterable[type]) -> list[str]:
    """Reads of names the context lacks, then names of the context no template reads."""
    fields = declared(schemas)
    found: list[str] = []
    used: set[Chain] = set()
    for chain, where in sorted(reads.items()):
        reached, unknown = resolve(chain, fields)
        used |= {reached[:depth] for depth in range(1, len(reached) + 1)}
        if unknown is not None:
            found.append(f"{'.'.join(unknown)}: read by {', '.join(sorted(where))}, not in the context")
    found += [
        f"{'.'.join(chain)}: in the context, read by no template" for chain in fields if chain not in used
    ]
    return found


def test_the_context_holds_exactly_what_the_templates_read() -> None:
    found = problems(context_reads(), context.concern_types().values())
    assert found == [], "\n".join(found)


def test_the_hook_adds_exactly_the_declared_names() -> None:
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    answers |= {"organization": "acme", "project_slug": "churn", "resource_prefix": "churn"}
    hooked = dict(answers)
    context.DerivedContext(jinja2.Environment()).hook(hooked)
    added = {name for name in hooked if name not in answers}
    assert {(name,) for name in added} == {
        chain for chain in declared(context.concern_types().values()) if len(chain) == 1
    }


@dataclass(frozen=True)
class Inner:
    label: str
    planted: str


@dataclass(frozen=True)
class Planted:
    facts: Inner
    flag: bool


def _reads(code: str) -> dict[Chain, set[str]]:
    return context_reads([Source("planted.txt.jinja", code)])


def test_a_planted_read_of_an_unknown_attribute_fails() -> None:
    reads = _reads("{{ facts.label }}{{ facts.planted }}{% if flag %}{{ facts.missing }}{% endif %}")
    assert problems(reads, [Planted]) == ["facts.missing: read by planted.txt.jinja, not in the context"]


def test_a_planted_field_no_template_reads_fails() -> None:
    reads = _reads("{{ facts.label }}{% if flag %}x{% endif %}")
    assert problems(reads, [Planted]) == ["facts.planted: in the context, read by no template"]


def test_a_planted_unknown_name_fails_and_local_names_do_not() -> None:
    code = (
        "{% set own = facts.label %}{% for item in facts.planted %}{{ item.anything }}{% endfor %}"
        "{{ own }}{{ flag }}{{ loop_free }}{{ project_name }}{{ _copier_conf.dst_path }}"
    )
    assert problems(_reads(code), [Planted]) == ["loop_free: read by planted.txt.jinja, not in the context"]


@pytest.mark.parametrize(
    ("code", "chains"),
    [
        ("{{ a.b['c'].d }}", {("a", "b", "c", "d")}),
        # A computed key ends the chain, and reads names of its own.
        ("{{ a.b[name].d }}", {("a", "b"), ("name",)}),
        ("{{ a.b | join(',') }}", {("a", "b")}),
        ("{% for k, v in a.b.items() %}{{ k }}{% endfor %}", {("a", "b", "items")}),
        ("{% macro m(a) %}{{ a.b }}{% endmacro %}{{ c.d }}", {("c", "d")}),
    ],
)
def test_chains_follow_attributes_and_constant_keys(code: str, chains: set[Chain]) -> None:
    assert set(_reads(code)) == chains

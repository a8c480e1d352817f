"""Tier 0: one record per choice (extensions/choices/<question>/<value>.yml), and no template
branch that silently stands for the values it does not name."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import Environment, nodes

from extensions import (
    branching,
    ci_providers,
    clouds,
    container,
    data,
    delivery,
    docs_site,
    environment,
    filters,
    frameworks,
    iac_tools,
    orchestrators,
    package_managers,
)
from tests.helpers import TEMPLATE_ROOT

pytestmark = pytest.mark.static

# The schema of each choice question's records: the dataclass of its concern module.
SCHEMAS: dict[str, type] = {
    "branching_model": branching.Branching,
    "license": environment.License,
    "python_version": container.PythonVersion,
    "package_manager": package_managers.PackageManager,
    "ml_framework": frameworks.Framework,
    "experiment_tracking": environment.Tracking,
    "orchestrator": orchestrators.Orchestrator,
    "serving": container.Serving,
    "deployment": delivery.Deployment,
    "docs": docs_site.Docs,
    "ci_provider": ci_providers.CiProvider,
    "cloud_provider": clouds.CloudProvider,
    "iac_tool": iac_tools.IacTool,
}


@pytest.mark.parametrize("question", sorted(data.choice_values()))
def test_every_choice_has_exactly_one_record_per_value(question: str) -> None:
    folder = data.CHOICES_DIR / question
    assert folder.is_dir(), f"{question} has no records: make {folder.relative_to(TEMPLATE_ROOT)}/"
    assert list(data.record_files(question)) == list(data.choice_values()[question]), question
    assert question in SCHEMAS, f"{question}: no schema to build its records with"
    built: dict[str, object] = data.records(question, SCHEMAS[question])
    assert all(isinstance(record, SCHEMAS[question]) for record in built.values())


def test_a_record_with_an_unknown_or_missing_key_fails_to_build(tmp_path: Path) -> None:
    record = tmp_path / "trunk.yml"
    record.write_text("label: x\nunknown: 1\n", encoding="utf-8")
    with pytest.raises(TypeError, match="has no field unknown"):
        data.build(branching.Branching, data.load_yaml(record), "trunk.yml")
    with pytest.raises(TypeError, match="missing"):
        data.build(branching.Branching, {"label": "x"}, "trunk.yml")


def test_every_when_of_dependencies_names_a_question_and_its_choices() -> None:
    pins = data.dependencies()
    for group in ("runtime", "dev"):
        for dependency in pins[group]:
            conditions = {
                key: value if isinstance(value, list) else [value]
                for key, value in dependency.get("when", {}).items()
            }
            serve = dependency.get("serve", False)
            if not isinstance(serve, bool):
                conditions.update(serve)
            for question, values in conditions.items():
                assert question in data.choice_values(), f"{dependency['name']}: {question} is no question"
                unknown = set(values) - set(data.choice_values()[question])
                assert not unknown, f"{dependency['name']}: {question} has no choice {unknown}"


# Questions whose else branch, after tests of some of their values, would stand for two values
# or more: a value added later would silently render another value's text.
MANY_VALUED = frozenset(question for question, values in data.choice_values().items() if len(values) > 2)
JINJA_FILES = sorted(
    path
    for root in (TEMPLATE_ROOT / "template", TEMPLATE_ROOT / "extensions")
    for path in root.rglob("*.jinja")
)


def _compared_questions(test: nodes.Node) -> set[str]:
    """The many-valued questions a test compares to a literal (`q == 'x'`, `q != 'x'`, `q in [...]`)."""
    found = set()
    compares = [test] if isinstance(test, nodes.Compare) else []
    for compare in [*compares, *test.find_all(nodes.Compare)]:
        operands = [compare.expr, *(operand.expr for operand in compare.ops)]
        names = {operand.name for operand in operands if isinstance(operand, nodes.Name)}
        literals = any(isinstance(operand, nodes.Const | nodes.List | nodes.Tuple) for operand in operands)
        if literals:
            found |= names & MANY_VALUED
    return found


def _bare_elses(tree: nodes.Template) -> Iterator[tuple[int, str]]:
    """(line, question) of each if/elif chain or ternary on a many-valued question that ends in
    an else without a test of its own."""
    for branch in tree.find_all(nodes.If):
        tests = [branch.test, *(elif_.test for elif_ in branch.elif_)]
        if branch.else_:
            for question in sorted(set().union(*(_compared_questions(test) for test in tests))):
                yield branch.lineno, question
    for ternary in tree.find_all(nodes.CondExpr):
        if ternary.expr2 is not None:
            for question in sorted(_compared_questions(ternary.test)):
                yield ternary.lineno, question


def bare_elses(source: str) -> list[tuple[int, str]]:
    """The bare else branches on many-valued questions in one template's source."""
    return list(_bare_elses(Environment(extensions=["jinja2.ext.do"]).parse(source)))


def test_the_walk_finds_a_bare_else_and_accepts_an_explicit_chain() -> None:
    assert bare_elses("{% if ml_framework == 'pytorch' %}a{% elif x %}b{% else %}c{% endif %}") == [
        (1, "ml_framework")
    ]
    assert bare_elses("\n{{ 'A' if license != 'MIT' else 'B' }}") == [(2, "license")]
    assert bare_elses("{% if serving == 'fastapi' %}a{% else %}b{% endif %}") == []
    assert (
        bare_elses("{% if ml_framework == 'pytorch' %}a{% elif ml_framework == 'tensorflow' %}b{% endif %}")
        == []
    )


def test_no_template_branch_silently_stands_for_other_values() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATE_ROOT)}:{line}: the else of `{question}` stands for unnamed values"
        for path in JINJA_FILES
        for line, question in bare_elses(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders)


def test_the_framework_python_rule_refuses_a_python_the_record_leaves_out() -> None:
    scikit = data.records("ml_framework", frameworks.Framework)["scikit-learn"]
    narrow = dataclasses.replace(scikit, python=("3.11", "3.12"))
    message = filters.framework_python_problem("scikit-learn", "3.13", {"scikit-learn": narrow})
    assert message == (
        f"{scikit.release} supports Python 3.11, 3.12, not 3.13: choose another framework, or go back "
        "and choose one of those Python versions."
    )
    assert filters.framework_python_problem("scikit-learn", "3.12", {"scikit-learn": narrow}) == ""


def test_a_framework_record_must_say_how_it_is_served() -> None:
    """Templates test `serving_format` against the known formats: another one would render neither."""
    scikit = data.records("ml_framework", frameworks.Framework)["scikit-learn"]
    with pytest.raises(ValueError, match="serving_format 'pickle' is none of onnx, native"):
        dataclasses.replace(scikit, serving_format="pickle")


def test_the_ci_cloud_rule_refuses_a_cloud_the_record_names_untrusting() -> None:
    gitlab = ci_providers.CI_PROVIDERS["gitlab"]
    narrow = dataclasses.replace(gitlab, oidc=dataclasses.replace(gitlab.oidc, untrusted_by=("azure",)))
    message = filters.ci_cloud_problem("azure", "gitlab", {"gitlab": narrow})
    assert message.startswith("Azure cannot trust GitLab's OIDC tokens: its identities need exact subjects")
    assert message.endswith("Choose aws, gcp, none or onprem, or go back and choose another CI service.")
    assert filters.ci_cloud_problem("aws", "gitlab", {"gitlab": narrow}) == ""
    assert filters.ci_cloud_problem("azure", "gitlab") == ""


def test_every_choice_question_registers_the_schema_the_records_are_built_with() -> None:
    # The choice-records table of docs/architecture.md reads data.SCHEMAS: a question whose
    # module never calls data.records() would show no schema there.
    assert data.SCHEMAS == SCHEMAS


def test_a_value_and_its_record_file_must_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    choices = tmp_path / "extensions" / "choices"
    monkeypatch.setattr(data, "CHOICES_DIR", choices)
    (choices / "license").mkdir(parents=True)
    values = data.choice_values()["license"]
    for value in values[1:]:
        (choices / "license" / f"{value}.yml").write_text("label: x\n", encoding="utf-8")
    missing = re.escape(f"add extensions/choices/license/{values[0]}.yml")
    with pytest.raises(data.RecordMismatchError, match=missing):
        data.check_record_files("license")
    (choices / "license" / f"{values[0]}.yml").write_text("label: x\n", encoding="utf-8")
    data.check_record_files("license")
    (choices / "license" / "GPL-3.0-only.yml").write_text("label: x\n", encoding="utf-8")
    with pytest.raises(data.RecordMismatchError, match=r"license/GPL-3\.0-only\.yml: no choice of license"):
        data.check_record_files("license")

"""Tier 0: copier.yml's settings and questions, and the template's files, without rendering."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import copier
import jinja2.meta
import pytest
import yaml
from packaging.version import Version

from extensions import data, delivery, environment, frameworks, package_managers
from scripts import adopt, context_reads
from tests.helpers import TEMPLATE_ROOT, git

pytestmark = pytest.mark.static

COPIER_YML: dict[str, Any] = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))
QUESTIONS = {name: spec for name, spec in COPIER_YML.items() if not name.startswith("_")}


def test_settings_follow_copier_conventions() -> None:
    assert COPIER_YML["_subdirectory"] == "template"
    assert COPIER_YML["_templates_suffix"] == ".jinja"
    assert COPIER_YML["_answers_file"] == ".copier-answers.yml"
    minimum = Version(COPIER_YML["_min_copier_version"])
    assert minimum <= Version(copier.__version__)
    extensions = COPIER_YML["_jinja_extensions"]
    for entry in extensions[1:]:
        module_path = entry.split(":")[0]
        assert (TEMPLATE_ROOT / module_path).is_file(), entry


# A requirement on Copier (`copier>=9.18,<10`) and a floor stated in prose ("Copier 9.18 or
# newer", "Copier 9.18+", "Copier older than 9.18"); a version named for another reason ("Copier
# 9.6 added ...") is history, not a floor.
COPIER_REQUIREMENT = re.compile(r"\bcopier\s*(?:>=|~=|==)\s*(\d+(?:\.\d+)*)", re.IGNORECASE)
COPIER_FLOOR_PROSE = re.compile(
    r"\bCopier (?:older than (\d+(?:\.\d+)*)|(\d+(?:\.\d+)*)(?:\+| or newer| or later))"
)
# Locks pin whatever release was current, the changelog keeps past floors, and the generated pages
# are rewritten from the sources checked here (test_repository.py keeps them current).
NOT_A_FLOOR = (":!requirements/*.lock", ":!CHANGELOG.md", ":!docs/questions.md", ":!docs/architecture.md")


def test_every_copier_range_agrees_with_the_minimum_version() -> None:
    """`_min_copier_version` is the floor: a CI job, a dependency group, the adoption script or a
    page that allowed an older Copier would let an adopted project's own files be merged with the
    template's (as conflicts), and one that asked for a newer one would contradict the template."""
    minimum = Version(COPIER_YML["_min_copier_version"])
    # -I skips binary files; tracked files only, so nothing under .venv or build/ is read.
    found = git(TEMPLATE_ROOT, "grep", "-I", "-n", "-i", "copier", "--", ".", *NOT_A_FLOOR)
    stated: list[tuple[str, Version]] = []
    for line in found.splitlines():
        for pattern in (COPIER_REQUIREMENT, COPIER_FLOOR_PROSE):
            for match in pattern.finditer(line):
                version = next(group for group in match.groups() if group)
                stated.append((line, Version(version)))
    disagreeing = [line for line, version in stated if version != minimum]
    assert disagreeing == [], f"these name another Copier floor than {minimum}:\n" + "\n".join(disagreeing)
    assert {line.split(":")[0] for line, _ in stated} >= {
        "extensions/dependencies.yml",
        "pyproject.toml",
        "docs/index.md",
        "docs/adopting.md",
    }
    assert adopt.min_copier_version() == minimum
    # What the template-update CI job installs, as the context hook renders it.
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    copier_setup = delivery.delivery_values(answers).ci.copier_setup
    assert [Version(version) for version in COPIER_REQUIREMENT.findall(copier_setup)] == [minimum]


def test_exclusions_read_answers_only() -> None:
    # `copier update` applies the new release's `_exclude` to its render of the release the
    # project came from, in that release's context: a derived value is undefined there, and an
    # exclusion that reads one drops its files from that render (every one of them then
    # conflicts, edited or not).
    environment = context_reads.environment()
    read = {
        name
        for pattern in COPIER_YML["_exclude"]
        for name in jinja2.meta.find_undeclared_variables(environment.parse(pattern))
    }

    assert read <= set(QUESTIONS), read - set(QUESTIONS)


def test_every_copy_only_task_is_guarded_by_the_operation() -> None:
    for task in COPIER_YML["_tasks"]:
        assert "_copier_operation == 'copy'" in task["when"], task


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_question_has_type_help_and_default(name: str) -> None:
    spec = QUESTIONS[name]
    assert spec.get("type") in {"str", "bool", "int", "float", "yaml", "json"}, name
    assert spec.get("help", "").strip(), f"{name} has no help"
    assert "default" in spec, f"{name} has no default"


@pytest.mark.parametrize(
    "name", sorted(name for name, spec in QUESTIONS.items() if spec["type"] in {"str", "int"})
)
def test_free_answers_are_validated(name: str) -> None:
    spec = QUESTIONS[name]
    assert "choices" in spec or "validator" in spec, f"{name} accepts anything"


def test_choices_match_the_context_hook() -> None:
    labels = {value: label for label, value in QUESTIONS["package_manager"]["choices"].items()}
    assert labels == {name: manager.label for name, manager in package_managers.PACKAGE_MANAGERS.items()}
    licenses = {value: label for label, value in QUESTIONS["license"]["choices"].items()}
    assert licenses == {name: licence.label for name, licence in environment.LICENSES.items()}
    frameworks_ = {value: label for label, value in QUESTIONS["ml_framework"]["choices"].items()}
    assert frameworks_ == {name: framework.label for name, framework in frameworks.FRAMEWORKS.items()}
    assert QUESTIONS["python_version"]["default"] in QUESTIONS["python_version"]["choices"]


def test_files_with_jinja_syntax_carry_the_suffix() -> None:
    """A file that uses Jinja but lacks `.jinja` would be copied verbatim, braces and all."""
    for path in (TEMPLATE_ROOT / "template").rglob("*"):
        if path.is_file() and path.suffix not in {".jinja", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text, path
            assert "{%" not in text, path


def test_ignore_files_in_the_template_are_suffixed() -> None:
    """A raw `.gitignore` under template/ would hide files from the template repository itself."""
    assert list((TEMPLATE_ROOT / "template").rglob(".gitignore")) == []


def test_bundled_sample_data_is_what_the_generator_makes() -> None:
    spec = importlib.util.spec_from_file_location(
        "generate", TEMPLATE_ROOT / "scripts" / "generate_sample_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    raw_dir: Path = generator.RAW_DIR

    expected = generator.render_csv().encode()
    assert (raw_dir / generator.CSV_NAME).read_bytes() == expected
    assert (raw_dir / f"{generator.CSV_NAME}.dvc").read_text() == generator.render_dvc_pointer(expected)
    assert expected.count(b"\n") == generator.ROWS + 1

"""Tier 1: the "Add a choice value" checklist of docs/architecture.md, performed step by step.

The page's numbered steps name what this test does, in order: a step the page lists and the test
does not perform, or the reverse, fails. The test adds a licence to a copy of the repository,
shows that the choice alone stops the render naming the record to add, then follows the other
steps and renders the new value.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from extensions import data
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, commit_all, snapshot_template, tool_env

pytestmark = pytest.mark.render

PAGE = TEMPLATE_ROOT / "docs" / "architecture.md"
STEP = re.compile(r"^\d+\. \*\*(?P<name>\w+)\*\*: (?P<text>.+?)(?=^\d+\. |\Z)", re.MULTILINE | re.DOTALL)
# A question with a small schema, an alternative file per value and no snippet yet.
QUESTION, VALUE, LABEL = "license", "GPL-3.0-only", "GNU General Public License v3.0 only"
LICENSE_TEXT = (
    "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"
    "\nCopyright {{ copyright_year }} {{ author_name }}\n"
)


def checklist() -> dict[str, str]:
    """The numbered steps of the page's "Add a choice value" section: name -> text, in order."""
    section = PAGE.read_text(encoding="utf-8").split("\n### Add a choice value\n", 1)[1].split("\n### ", 1)[0]
    return {match["name"]: " ".join(match["text"].split()) for match in STEP.finditer(section)}


def other_value(root: Path) -> str:
    """An existing value of the question: the first of copier.yml's choices."""
    choices = yaml.safe_load((root / "copier.yml").read_text(encoding="utf-8"))[QUESTION]["choices"]
    return str(next(iter(choices.values())))


def add_choice(root: Path) -> None:
    """Step `choice`: the label and value under the question's choices in copier.yml."""
    copier_file = root / "copier.yml"
    text = copier_file.read_text(encoding="utf-8")
    choices = re.search(rf"^{QUESTION}:\n(?:  .*\n)*?  choices:\n(?:    .+\n)+", text, flags=re.MULTILINE)
    assert choices is not None, f"copier.yml: no choices of {QUESTION}"
    added = text[: choices.end()] + f"    {LABEL}: {VALUE}\n" + text[choices.end() :]
    copier_file.write_text(added, encoding="utf-8")


def add_record(root: Path) -> None:
    """Step `record`: another value's record, with the new label."""
    folder = root / "extensions" / "choices" / QUESTION
    record = data.load_yaml(folder / f"{other_value(root)}.yml")
    record["label"] = LABEL
    (folder / f"{VALUE}.yml").write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")


def add_snippets(root: Path) -> None:
    """Step `snippets`: each snippet name another value has, for the new value too."""
    folder = root / "extensions" / "choices" / QUESTION
    for snippet in sorted(folder.glob("*/*.jinja")):
        target = folder / VALUE / snippet.name
        target.parent.mkdir(exist_ok=True)
        target.write_text(snippet.read_text(encoding="utf-8"), encoding="utf-8")


def add_files(root: Path) -> None:
    """Step `files`: the new value's variant of each file named for another value."""
    condition = f"{QUESTION} == '{other_value(root)}'"
    template = root / "template"
    for path in sorted(template.rglob(f"*{condition}*")):
        variant = path.with_name(path.name.replace(condition, f"{QUESTION} == '{VALUE}'"))
        if path.is_dir():
            shutil.copytree(path, variant)
        else:
            # A licence's file is its own text, not a copy of another licence's.
            variant.write_text(LICENSE_TEXT, encoding="utf-8")


def render_command(template: Path, destination: Path) -> list[str]:
    """Step `render`: the page's command, with the names filled in."""
    command = re.search(r"`(copier copy [^`]+)`", checklist()["render"])
    assert command is not None, "the render step gives no `copier copy` command"
    filled = command[1].replace("<question>", QUESTION).replace("<value>", VALUE)
    places = {"<template>": str(template), "<destination>": str(destination)}
    words = [places.get(word, word) for word in shlex.split(filled)]
    return [str(TOOLS_BIN / words[0]), *words[1:]]


def copier_copy(template: Path, destination: Path) -> subprocess.CompletedProcess[str]:
    commit_all(template, "a step of the checklist")
    return subprocess.run(
        render_command(template, destination),
        cwd=template,
        env=tool_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


STEPS: dict[str, Callable[[Path], None]] = {
    "choice": add_choice,
    "record": add_record,
    "snippets": add_snippets,
    "files": add_files,
}


def test_the_checklist_lists_exactly_the_steps_this_test_performs() -> None:
    assert list(checklist()) == [*STEPS, "render"]


def test_a_choice_without_its_record_stops_the_render_naming_the_file(tmp_path: Path) -> None:
    template = snapshot_template(tmp_path / "template")
    add_choice(template)

    failed = copier_copy(template, tmp_path / "project")

    assert failed.returncode != 0
    expected = f"add extensions/choices/{QUESTION}/{VALUE}.yml"
    assert expected in failed.stderr, failed.stderr[-2000:]
    assert expected in checklist()["choice"].replace("<question>", QUESTION).replace("<value>", VALUE)


def test_the_checklist_adds_a_value_that_renders(tmp_path: Path) -> None:
    template = snapshot_template(tmp_path / "template")
    for step in STEPS.values():
        step(template)

    rendered = copier_copy(template, tmp_path / "project")

    assert rendered.returncode == 0, rendered.stderr[-3000:]
    project = tmp_path / "project"
    assert (project / "LICENSE").read_text(encoding="utf-8").startswith("GNU GENERAL PUBLIC LICENSE\n")
    assert f'license = "{VALUE}"' in (project / "pyproject.toml").read_text(encoding="utf-8")
    assert f"{LABEL} (`{VALUE}`)" in (project / "README.md").read_text(encoding="utf-8")

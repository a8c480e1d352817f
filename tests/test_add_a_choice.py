"""Tier 1: the "Add a choice value" and "Add a cloud" checklists of docs/architecture.md, performed
step by step.

Each section's numbered steps name what this test does, in order: a step the page lists and the
test does not perform, or the reverse, fails. The test adds a licence to a copy of the repository,
shows that the choice alone stops the render naming the record to add, then follows the other
steps and renders the new value. It adds a cloud (a copy of `aws` under another name) the same
way, and counts the existing files the steps edited: at most four.
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
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, commit_all, git, snapshot_template, tool_env

pytestmark = pytest.mark.render

PAGE = TEMPLATE_ROOT / "docs" / "architecture.md"
STEP = re.compile(r"^\d+\. \*\*(?P<name>\w+)\*\*: (?P<text>.+?)(?=^\d+\. |\Z)", re.MULTILINE | re.DOTALL)
# A question with a small schema, an alternative file per value and no snippet yet.
QUESTION, VALUE, LABEL = "license", "GPL-3.0-only", "GNU General Public License v3.0 only"
LICENSE_TEXT = (
    "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n"
    "\nCopyright {{ copyright_year }} {{ author_name }}\n"
)
# A cloud made from another one's files and record: what it takes, not what it creates, is tested.
CLOUD, CLOUD_LABEL, MODEL_CLOUD = "ovh", "OVHcloud", "aws"
# The existing files a new cloud may edit: copier.yml, extensions/dependencies.yml, the docs...
MOST_EDITED_FOR_A_CLOUD = 4
# ...and what its steps edit beyond the template's own parts, which the snapshot then holds too.
CLOUD_STEP_PARTS = ("tests/expected", "docs/partials/questions.md")


def checklist(section: str = "Add a choice value") -> dict[str, str]:
    """The numbered steps of one section of the page: name -> text, in order."""
    text = PAGE.read_text(encoding="utf-8").split(f"\n### {section}\n", 1)[1].split("\n### ", 1)[0]
    return {match["name"]: " ".join(match["text"].split()) for match in STEP.finditer(text)}


def other_value(root: Path, question: str = QUESTION) -> str:
    """An existing value of the question: the first of copier.yml's choices."""
    choices = yaml.safe_load((root / "copier.yml").read_text(encoding="utf-8"))[question]["choices"]
    return str(next(iter(choices.values())))


def add_choice(root: Path, question: str = QUESTION, value: str = VALUE, label: str = LABEL) -> None:
    """Step `choice`: the label and value under the question's choices in copier.yml."""
    copier_file = root / "copier.yml"
    text = copier_file.read_text(encoding="utf-8")
    choices = re.search(rf"^{question}:\n(?:  .*\n)*?  choices:\n(?:    .+\n)+", text, flags=re.MULTILINE)
    assert choices is not None, f"copier.yml: no choices of {question}"
    added = text[: choices.end()] + f"    {label}: {value}\n" + text[choices.end() :]
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


def add_files(root: Path, question: str = QUESTION, other: str = "", value: str = VALUE) -> None:
    """Step `files`: the new value's variant of each file or folder named for another value."""
    condition = f"{question} == '{other or other_value(root)}'"
    for path in sorted((root / "template").rglob(f"*{condition}*")):
        variant = path.with_name(path.name.replace(condition, f"{question} == '{value}'"))
        if path.is_dir():
            shutil.copytree(path, variant)
        elif question == QUESTION:
            # A licence's file is its own text, not a copy of another licence's.
            variant.write_text(LICENSE_TEXT, encoding="utf-8")
        else:
            shutil.copy2(path, variant)


def render_command(template: Path, destination: Path, section: str, question: str, value: str) -> list[str]:
    """Step `render`: the page's command, with the names filled in."""
    command = re.search(r"`(copier copy [^`]+)`", checklist(section)["render"])
    assert command is not None, "the render step gives no `copier copy` command"
    filled = command[1].replace("<question>", question).replace("<value>", value)
    places = {"<template>": str(template), "<destination>": str(destination)}
    words = [places.get(word, word) for word in shlex.split(filled)]
    return [str(TOOLS_BIN / words[0]), *words[1:]]


def copier_copy(
    template: Path, destination: Path, section: str = "Add a choice value", value: str = VALUE
) -> subprocess.CompletedProcess[str]:
    commit_all(template, "a step of the checklist")
    question = QUESTION if section == "Add a choice value" else "cloud_provider"
    return subprocess.run(
        render_command(template, destination, section, question, value),
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


def add_cloud_record(root: Path) -> None:
    """Cloud step `record`: the model cloud's record, with the new cloud's label."""
    folder = root / "extensions" / "choices" / "cloud_provider"
    record = data.load_yaml(folder / f"{MODEL_CLOUD}.yml")
    record["infrastructure"]["label"] = CLOUD_LABEL
    (folder / f"{CLOUD}.yml").write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")


def add_pins(root: Path) -> None:
    """Cloud step `pins`: each pin the model cloud's answer selects (its DVC plugin), for the new
    cloud too; its GitHub sign-in steps use the model's actions, already pinned."""
    pins = root / "extensions" / "dependencies.yml"
    model = f"when: {{cloud_provider: {MODEL_CLOUD}}}"
    lines: list[str] = []
    for line in pins.read_text(encoding="utf-8").splitlines(keepends=True):
        lines.append(line)
        if model in line:
            lines.append(line.replace(model, f"when: {{cloud_provider: {CLOUD}}}"))
    pins.write_text("".join(lines), encoding="utf-8")


def add_expected(root: Path) -> None:
    """Cloud step `expected`: what its render must contain, as the model cloud's."""
    folder = root / "tests" / "expected" / "cloud_provider"
    shutil.copy2(folder / f"{MODEL_CLOUD}.yml", folder / f"{CLOUD}.yml")


def add_docs(root: Path) -> None:
    """Cloud step `docs`: its column in the questions page's table of clouds (the model's cells)."""
    page = root / "docs" / "partials" / "questions.md"
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(index for index, line in enumerate(lines) if line.startswith(f"| | `{MODEL_CLOUD}` |"))
    end = next(index for index in range(header, len(lines)) if not lines[index].startswith("|"))
    for index in range(header, end):
        cells = lines[index].rstrip("\n").split(" | ")
        cell = {header: f"`{CLOUD}`", header + 1: "---"}.get(index, cells[1])
        lines[index] = lines[index].rstrip("\n").removesuffix(" |") + f" | {cell} |\n"
    page.write_text("".join(lines), encoding="utf-8")


CLOUD_STEPS: dict[str, Callable[[Path], None]] = {
    "choice": lambda root: add_choice(root, "cloud_provider", CLOUD, CLOUD_LABEL),
    "record": add_cloud_record,
    "files": lambda root: add_files(root, "cloud_provider", MODEL_CLOUD, CLOUD),
    "pins": add_pins,
    "expected": add_expected,
    "docs": add_docs,
}


def test_the_cloud_checklist_lists_exactly_the_steps_this_test_performs() -> None:
    assert list(checklist("Add a cloud")) == [*CLOUD_STEPS, "render"]


def test_the_cloud_checklist_adds_a_cloud_that_renders_editing_four_files_at_most(tmp_path: Path) -> None:
    template = snapshot_template(tmp_path / "template")
    for part in CLOUD_STEP_PARTS:
        (template / part).parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (TEMPLATE_ROOT / part).is_dir() else shutil.copy2
        copy(TEMPLATE_ROOT / part, template / part)
    commit_all(template, "what the cloud steps edit besides the template")
    before = git(template, "rev-parse", "HEAD").strip()
    for step in CLOUD_STEPS.values():
        step(template)

    rendered = copier_copy(template, tmp_path / "project", "Add a cloud", CLOUD)

    assert rendered.returncode == 0, rendered.stderr[-3000:]
    edited, added = (
        git(template, "diff", "-z", "--name-only", f"--diff-filter={kind}", before, "HEAD")
        .strip("\0")
        .split("\0")
        for kind in "MA"
    )
    assert len(edited) <= MOST_EDITED_FOR_A_CLOUD, edited
    assert all(CLOUD in path for path in added), added
    terraform = tmp_path / "project" / "infra" / "terraform"
    assert (
        (terraform / "README.md")
        .read_text(encoding="utf-8")
        .startswith(f"# Infrastructure ({CLOUD_LABEL})\n")
    )
    assert {"main.tf", "locals.tf", "outputs_common.tf", "repository.tf"} <= {
        path.name for path in terraform.iterdir()
    }

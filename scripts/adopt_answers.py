"""Answers of this template derived from an existing project's own metadata.

Sources, in order of trust: `.cruft.json` (the answers a cookiecutter template was rendered
with), `pyproject.toml`, `setup.cfg`, the layout (a single package folder) and the folder name.
Each answer comes from the first source that gives a value the template's own validators accept;
answers no source gives are left to the template's defaults.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from extensions import filters

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
# cookiecutter-data-science's names for the answers this template also asks.
CRUFT_KEYS = {
    "project_name": "project_name",
    "repo_name": "project_slug",
    "module_name": "package_name",
    "author_name": "author_name",
    "author_email": "author_email",
    "email": "author_email",
    "description": "description",
    "open_source_license": "license",
    "python_version": "python_version",
}
# The first rule a licence name matches gives the template's licence id.
LICENSE_RULES = (
    (re.compile(r"\bmit\b", re.IGNORECASE), "MIT"),
    (re.compile(r"apache", re.IGNORECASE), "Apache-2.0"),
    (re.compile(r"bsd.?3|3.?clause", re.IGNORECASE), "BSD-3-Clause"),
)
FALLBACK_LICENSE = "Proprietary"
PYTHON_MINOR = re.compile(r"3\.(\d+)")
AUTHOR_WITH_EMAIL = re.compile(r"\s*(?P<name>[^<]+?)\s*<(?P<email>[^>]+)>\s*")
PACKAGE_PARENTS_SKIPPED = frozenset({"tests", "test", "docs", "notebooks", "data", "scripts"})


@dataclass(frozen=True)
class DerivedAnswer:
    name: str
    value: Any
    source: str


@dataclass(frozen=True)
class Candidate:
    """A value a source offers for an answer, before the template's validator has seen it."""

    name: str
    value: Any
    source: str


def template_choices(question: str, template_root: Path = TEMPLATE_ROOT) -> list[str]:
    """The values a choice question of the template's copier.yml accepts."""
    copier_yml: dict[str, Any] = yaml.safe_load((template_root / "copier.yml").read_text(encoding="utf-8"))
    choices = copier_yml[question]["choices"]
    return [str(value) for value in (choices.values() if isinstance(choices, dict) else choices)]


def license_id(name: str) -> str:
    """The template's licence id for a licence as a project names it ("MIT", "BSD-3-Clause",
    "No license file", "Apache Software License"...)."""
    return next((license for pattern, license in LICENSE_RULES if pattern.search(name)), FALLBACK_LICENSE)


def nearest_python(version: str, choices: list[str]) -> str | None:
    """The supported Python closest to the first 3.x version in a string (a pin, a range or a
    plain version); on a tie, the newer one."""
    found = PYTHON_MINOR.search(version)
    if found is None:
        return None
    wanted = int(found.group(1))

    def distance(choice: str) -> tuple[int, int]:
        minor = int(choice.split(".")[1])
        return abs(minor - wanted), -minor

    return min(choices, key=distance)


def human_name(name: str) -> str:
    """A display name from a distribution or folder name ("churn_model" -> "Churn Model")."""
    return " ".join(word.capitalize() for word in re.split(r"[-_.\s]+", name) if word)


def _from_cruft(project: Path) -> Iterator[Candidate]:
    cruft = project / ".cruft.json"
    if not cruft.is_file():
        return
    context: Mapping[str, Any] = json.loads(cruft.read_text(encoding="utf-8"))["context"]["cookiecutter"]
    for key, answer in CRUFT_KEYS.items():
        if isinstance(context.get(key), str):
            yield Candidate(answer, context[key], f".cruft.json {key}")


def _from_pyproject(project: Path) -> Iterator[Candidate]:
    path = project / "pyproject.toml"
    if not path.is_file():
        return
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    tables = (
        ("[project]", document.get("project", {})),
        ("[tool.poetry]", document.get("tool", {}).get("poetry", {})),
    )
    for label, table in tables:
        source = f"pyproject.toml {label}"
        yield from _from_metadata(
            source,
            name=table.get("name"),
            description=table.get("description"),
            license=_license_text(table.get("license")),
            python=table.get("requires-python") or _poetry_python(table.get("dependencies")),
        )
        for author in table.get("authors", []):
            yield from _from_author(source, author)


def _poetry_python(dependencies: Any) -> Any:
    """Poetry states the Python range among its dependencies; PEP 621 lists them as strings."""
    return dependencies.get("python") if isinstance(dependencies, dict) else None


def _license_text(value: Any) -> str | None:
    """A PEP 621 licence: an SPDX string, or a table with `text` (or a `file`, unread here)."""
    if isinstance(value, dict):
        text = value.get("text")
        return text if isinstance(text, str) else None
    return value if isinstance(value, str) else None


def _from_author(source: str, author: Any) -> Iterator[Candidate]:
    """A PEP 621 author table or a Poetry "Name <email>" string."""
    if isinstance(author, dict):
        name, email = author.get("name"), author.get("email")
    elif isinstance(author, str) and (match := AUTHOR_WITH_EMAIL.fullmatch(author)):
        name, email = match["name"], match["email"]
    else:
        name, email = author, None
    if isinstance(name, str):
        yield Candidate("author_name", name, f"{source} authors")
    if isinstance(email, str):
        yield Candidate("author_email", email, f"{source} authors")


def _from_setup_cfg(project: Path) -> Iterator[Candidate]:
    path = project / "setup.cfg"
    if not path.is_file():
        return
    config = configparser.ConfigParser(interpolation=None)
    config.read(path, encoding="utf-8")
    yield from _from_metadata(
        "setup.cfg",
        name=config.get("metadata", "name", fallback=None),
        description=config.get("metadata", "description", fallback=None),
        license=config.get("metadata", "license", fallback=None),
        python=config.get("options", "python_requires", fallback=None),
    )
    for key, answer in (("author", "author_name"), ("author_email", "author_email")):
        if value := config.get("metadata", key, fallback=None):
            yield Candidate(answer, value, f"setup.cfg {key}")


def _from_metadata(
    source: str, *, name: Any, description: Any, license: str | None, python: Any
) -> Iterator[Candidate]:
    if isinstance(name, str):
        yield Candidate("project_name", human_name(name), f"{source} name")
        yield Candidate("project_slug", name, f"{source} name")
    if isinstance(description, str):
        yield Candidate("description", description, f"{source} description")
    if license:
        yield Candidate("license", license, f"{source} license")
    if isinstance(python, str):
        yield Candidate("python_version", python, f"{source} python")


def _from_layout(project: Path) -> Iterator[Candidate]:
    """The import name, when the project holds exactly one package (in `src/` or at the top)."""
    packages = [
        init.parent
        for pattern in ("src/*/__init__.py", "*/__init__.py")
        for init in project.glob(pattern)
        if init.parent.name not in PACKAGE_PARENTS_SKIPPED
    ]
    if len(packages) == 1:
        yield Candidate(
            "package_name", packages[0].name, f"package folder {packages[0].relative_to(project)}/"
        )


def _from_folder(project: Path) -> Iterator[Candidate]:
    yield Candidate("project_name", human_name(project.name), "folder name")
    yield Candidate("project_slug", project.name, "folder name")


SOURCES: tuple[Callable[[Path], Iterator[Candidate]], ...] = (
    _from_cruft,
    _from_pyproject,
    _from_setup_cfg,
    _from_layout,
    _from_folder,
)


def _normalized(candidate: Candidate, template_root: Path) -> Any:
    """The candidate's value in the form the template's question takes."""
    value = candidate.value.strip() if isinstance(candidate.value, str) else candidate.value
    if candidate.name == "project_slug":
        return filters.slugify(value)
    if candidate.name == "license":
        return license_id(value)
    if candidate.name == "python_version":
        return nearest_python(value, template_choices("python_version", template_root))
    return value


# The template's own rule for each answer a source can give (empty string: accepted).
VALIDATORS: dict[str, Callable[[Any], str]] = {
    "project_name": filters.project_name_problem,
    "project_slug": filters.project_slug_problem,
    "package_name": filters.package_name_problem,
    "description": filters.description_problem,
    "author_name": filters.author_name_problem,
    "author_email": filters.email_problem,
}


def derive_answers(
    project: Path, template_root: Path = TEMPLATE_ROOT
) -> tuple[list[DerivedAnswer], list[str]]:
    """The answers the project's metadata gives, and why each refused candidate was refused."""
    chosen: dict[str, DerivedAnswer] = {}
    refused: list[str] = []
    for source in SOURCES:
        for candidate in source(project):
            if candidate.name in chosen:
                continue
            value = _normalized(candidate, template_root)
            problem = "no supported version" if value is None else VALIDATORS.get(candidate.name, _any)(value)
            if problem:
                refused.append(f"{candidate.name} = {candidate.value!r} ({candidate.source}): {problem}")
                continue
            shown = (
                candidate.source if value == candidate.value else f"{candidate.source} {candidate.value!r}"
            )
            chosen[candidate.name] = DerivedAnswer(candidate.name, value, shown)
    return list(chosen.values()), refused


def _any(_: Any) -> str:
    return ""

"""The context hook: every value derived from the answers is computed here, once.

Template files read these names instead of repeating Jinja expressions, so a rule such as
"how does this package manager run a command" has exactly one home.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from copier_template_extensions import ContextHook

DEPENDENCIES_FILE = Path(__file__).with_name("dependencies.yml")
PYTHON_VERSION = re.compile(r"3\.\d+")


@dataclass(frozen=True)
class PackageManager:
    """How one environment manager installs, runs and locks the project."""

    label: str
    run: str
    install: tuple[str, ...]
    lock_file: str
    build_requires: str
    build_backend: str
    uses_dependency_groups: bool


PACKAGE_MANAGERS: dict[str, PackageManager] = {
    "poetry": PackageManager(
        label="Poetry",
        run="poetry run",
        install=("poetry env use python$(PYTHON_VERSION)", "poetry install"),
        lock_file="poetry.lock",
        build_requires="poetry-core>=2.0,<3",
        build_backend="poetry.core.masonry.api",
        uses_dependency_groups=True,
    ),
    "uv": PackageManager(
        label="uv",
        run="uv run",
        install=("uv sync --python $(PYTHON_VERSION)",),
        lock_file="uv.lock",
        build_requires="hatchling>=1.26",
        build_backend="hatchling.build",
        uses_dependency_groups=True,
    ),
    "pipenv": PackageManager(
        label="Pipenv",
        run="pipenv run",
        install=("pipenv install --dev --python $(PYTHON_VERSION)",),
        lock_file="Pipfile.lock",
        build_requires="hatchling>=1.26",
        build_backend="hatchling.build",
        # Pipenv reads development packages from the Pipfile only.
        uses_dependency_groups=False,
    ),
}

# SPDX identifier -> the label copier.yml shows (the static tier checks they agree).
LICENSES: dict[str, str] = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "Proprietary (all rights reserved)",
}


TRACKING_CHOICES = frozenset({"mlflow", "none"})


@cache
def _dependencies() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DEPENDENCIES_FILE.read_text(encoding="utf-8"))
    return loaded


def requirement(dep: dict[str, Any]) -> str:
    """The PEP 508 requirement string of one dependencies.yml entry."""
    marker = f"; {dep['marker']}" if "marker" in dep else ""
    return f"{dep['name']}{dep['spec']}{marker}"


@cache
def dependency_specs(**answers: str) -> dict[str, tuple[str, ...]]:
    """PEP 508 requirement strings per group for a project with these answers; entries whose
    `when` names an answer that is not given are kept (all of them, with no answers)."""
    return {
        group: tuple(
            requirement(dep)
            for dep in _dependencies()[group]
            if all(answers.get(key, value) == value for key, value in dep.get("when", {}).items())
        )
        for group in ("runtime", "dev")
    }


def pipfile_entry(spec: str) -> str:
    """`name = "spec"` as a Pipfile line, from a PEP 508 requirement without a marker."""
    index = next(i for i, char in enumerate(spec) if char in "<>=!~")
    return f'{spec[:index]} = "{spec[index:]}"'


@cache
def derive(
    package_manager: str, python_version: str, license_id: str, ml_framework: str, experiment_tracking: str
) -> dict[str, Any]:
    """All derived values for one set of the answers they depend on."""
    manager = PACKAGE_MANAGERS[package_manager]
    major, minor = python_version.split(".")
    specs = dependency_specs(ml_framework=ml_framework, experiment_tracking=experiment_tracking)
    return {
        "pm": asdict(manager),
        "python_requires": f">={major}.{minor},<{major}.{int(minor) + 1}",
        "python_tag": f"py{major}{minor}",
        "runtime_dependencies": specs["runtime"],
        "dev_dependencies": specs["dev"],
        "pipfile_dev_packages": tuple(pipfile_entry(req) for req in specs["dev"]),
        "license_name": LICENSES[license_id],
        "license_is_open_source": license_id != "Proprietary",
    }


# The answers `derive` depends on, in the order of its parameters.
ANSWERS_USED = ("package_manager", "python_version", "license", "ml_framework", "experiment_tracking")


class DerivedContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        manager, python_version, license_id, framework, tracking = (
            str(context.get(name)) for name in ANSWERS_USED
        )
        # Copier also renders defaults and validators while answers are missing or not yet
        # validated: derive nothing until each one is a known choice.
        if (
            manager not in PACKAGE_MANAGERS
            or license_id not in LICENSES
            or not PYTHON_VERSION.fullmatch(python_version)
            or framework not in _dependencies()["frameworks"]
            or tracking not in TRACKING_CHOICES
        ):
            return
        context.update(derive(manager, python_version, license_id, framework, tracking))

"""The values of pyproject.toml, the Pipfile, the Makefile and the README.

pyproject.toml's, the Pipfile's, the Makefile's and the README's values: the package manager,
Python, the dependencies, the framework, experiment tracking and the licence."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import data
from .dependencies import (
    dependency_specs,
    indexed_packages,
    minimum_version,
    model_packages,
    pipfile_entry,
    pytest_plugins,
    untyped_modules,
    warning_filters,
)
from .frameworks import FRAMEWORKS, FrameworkFacts
from .package_managers import PACKAGE_MANAGERS, PackageManagerFacts


@dataclass(frozen=True)
class License:
    """A licence, by its SPDX identifier (the value; its text is the alternative LICENSE file)."""

    # The name the README gives, as copier.yml shows it (the static tier checks they agree).
    label: str
    # Whether others may use the code: pyproject.toml then names it (`license`), the README too.
    open_source: bool


@dataclass(frozen=True)
class Tracking:
    """An experiment_tracking choice (its packages are in dependencies.yml, under `when`)."""

    label: str


LICENSES = data.records("license", License)
TRACKINGS = data.records("experiment_tracking", Tracking)


@dataclass(frozen=True)
class EnvironmentValues:
    """The context's names for the project's environment, metadata and dependencies."""

    pm: PackageManagerFacts
    # The lock file as a pre-commit `exclude` pattern.
    lock_file_pattern: str
    # Lock files a switch of manager leaves behind: the update report asks to delete them.
    other_lock_files: tuple[str, ...]
    python_requires: str
    # pytest's `minversion`: a run with an older pytest stops instead of misreading the config.
    pytest_minversion: str
    runtime_dependencies: tuple[str, ...]
    dev_dependencies: tuple[str, ...]
    pipfile_dev_packages: tuple[str, ...]
    serve_dependencies: tuple[str, ...]
    pipfile_serve_packages: tuple[str, ...]
    model_packages: tuple[str, ...]
    pytest_plugins: tuple[str, ...]
    untyped_modules: tuple[str, ...]
    mypy_unfollowed: tuple[str, ...]
    # Each with its `package`, `index` and `url`.
    indexed_packages: tuple[dict[str, str], ...]
    warning_filters: tuple[str, ...]
    framework: FrameworkFacts
    license_name: str
    license_is_open_source: bool


def environment_values(answers: Mapping[str, str]) -> EnvironmentValues:
    """The package manager, Python, dependencies, framework and licence of pyproject.toml, the
    Pipfile, the Makefile and the README."""
    manager = PACKAGE_MANAGERS[answers["package_manager"]]
    major, minor = answers["python_version"].split(".")
    specs = dependency_specs(**answers)
    licence = LICENSES[answers["license"]]
    return EnvironmentValues(
        pm=data.pick(PackageManagerFacts, manager),
        lock_file_pattern=f"^{re.escape(manager.lock_file)}$",
        other_lock_files=tuple(
            other.lock_file for name, other in PACKAGE_MANAGERS.items() if name != answers["package_manager"]
        ),
        python_requires=f">={major}.{minor},<{major}.{int(minor) + 1}",
        pytest_minversion=minimum_version("pytest"),
        runtime_dependencies=specs["runtime"],
        dev_dependencies=specs["dev"],
        pipfile_dev_packages=tuple(pipfile_entry(req) for req in specs["dev"]),
        serve_dependencies=specs["serve"],
        pipfile_serve_packages=tuple(pipfile_entry(req) for req in specs["serve"]),
        model_packages=model_packages(**answers),
        pytest_plugins=pytest_plugins(**answers),
        untyped_modules=untyped_modules(**answers),
        mypy_unfollowed=tuple(data.dependencies()["mypy_unfollowed"]),
        indexed_packages=indexed_packages(**answers),
        warning_filters=warning_filters(**answers),
        framework=data.pick(FrameworkFacts, FRAMEWORKS[answers["ml_framework"]]),
        license_name=licence.label,
        license_is_open_source=licence.open_source,
    )

"""pyproject.toml's, the Pipfile's, the Makefile's and the README's values: the package manager,
Python, the dependencies, the framework and the licence."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

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
from .frameworks import FRAMEWORKS
from .orchestrators import ORCHESTRATORS
from .package_managers import PACKAGE_MANAGERS


@dataclass(frozen=True)
class License:
    """A licence, by its SPDX identifier (the value; its text is the alternative LICENSE file)."""

    # The name the README gives, as copier.yml shows it (the static tier checks they agree).
    label: str
    # Whether others may use the code: pyproject.toml then names it (`license`), the README too.
    open_source: bool


LICENSES = data.records("license", License)


def environment_values(answers: dict[str, str]) -> dict[str, Any]:
    """The package manager, Python, dependencies, framework and licence of pyproject.toml, the
    Pipfile, the Makefile and the README."""
    manager = PACKAGE_MANAGERS[answers["package_manager"]]
    major, minor = answers["python_version"].split(".")
    specs = dependency_specs(**answers)
    return {
        "pm": asdict(manager),
        # The lock file as a pre-commit `exclude` pattern.
        "lock_file_pattern": f"^{re.escape(manager.lock_file)}$",
        # Lock files a switch of manager leaves behind: the update report asks to delete them.
        "other_lock_files": tuple(
            other.lock_file for name, other in PACKAGE_MANAGERS.items() if name != answers["package_manager"]
        ),
        "python_requires": f">={major}.{minor},<{major}.{int(minor) + 1}",
        # pytest's `minversion`: a run with an older pytest stops instead of misreading the config.
        "pytest_minversion": minimum_version("pytest"),
        "runtime_dependencies": specs["runtime"],
        "dev_dependencies": specs["dev"],
        "pipfile_dev_packages": tuple(pipfile_entry(req) for req in specs["dev"]),
        "serve_dependencies": specs["serve"],
        "pipfile_serve_packages": tuple(pipfile_entry(req) for req in specs["serve"]),
        "model_packages": model_packages(**answers),
        "pytest_plugins": pytest_plugins(**answers),
        "untyped_modules": untyped_modules(**answers),
        "mypy_unfollowed": tuple(data.dependencies()["mypy_unfollowed"]),
        "indexed_packages": indexed_packages(**answers),
        "warning_filters": warning_filters(**answers),
        "framework": asdict(FRAMEWORKS[answers["ml_framework"]]),
        "orchestration": asdict(ORCHESTRATORS[answers["orchestrator"]]),
        "license_name": LICENSES[answers["license"]].label,
        "license_is_open_source": LICENSES[answers["license"]].open_source,
    }

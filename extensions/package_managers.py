"""How each package manager installs, runs and locks a rendered project.

How each package manager installs, runs and locks a rendered project (the Makefile, CI, the
docs' dependencies page, the image); the records are choices/package_manager/<value>.yml."""

from __future__ import annotations

from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class ContainerBuild:
    """How the Dockerfile's builder stage installs the locked environment into /app/.venv."""

    # Environment of the package manager: an in-project venv, no prompts, no downloads of Python.
    env: tuple[tuple[str, str], ...]
    # Files the dependency install reads: copied before the code, so code edits keep its layer.
    manifest_files: tuple[str, ...]
    # Commands that install the locked dependencies only (none where the tool cannot split them).
    install_dependencies: tuple[str, ...]
    # The command that installs the project itself, from the lock file, without dev tools.
    install_project: str
    # The serve image's environment: the locked `serve` group only, then the project's own code
    # without its runtime dependencies (the training stack, MLflow), which serving never imports.
    install_serving: tuple[str, ...]


@dataclass(frozen=True)
class PackageManagerFacts:
    """What the templates read of a package manager: the context's `pm`."""

    label: str
    run: str
    # What `make install` tells someone who does not have the tool yet: one command, with pipx
    # because it works where the system Python refuses `pip install` (PEP 668).
    install_hint: str
    # A shell command that succeeds when the tool will find (or fetch, as uv does) the project's
    # Python: `make install` runs it first, so that a missing version gets the ways to install it
    # instead of the tool's own error, which names none.
    find_python: str
    # `make install`: the environment, with the lock file refreshed when the manifests changed.
    # Every install compiles bytecode once: where imports cannot write it (a read-only
    # filesystem, PYTHONDONTWRITEBYTECODE), each process would otherwise compile every import
    # again. uv needs a flag, Poetry a step of its own (see its record); Pipenv installs with
    # pip, which compiles by default.
    install: tuple[str, ...]
    # `make lock-check`: a command that fails while the lock file does not match the manifests.
    lock_check: str
    # `make install-locked` (CI): exactly the committed lock, never a new one.
    install_locked: tuple[str, ...]
    lock_file: str
    build_requires: str
    build_backend: str
    uses_dependency_groups: bool
    # Whether it takes a package from the index dependencies.yml names for it (`index:`).
    takes_indexes: bool
    # Where it keeps its downloads (the variable that moves them, the folder under the home
    # directory): CI caches that folder, keyed on the lock file.
    cache_variable: str
    cache_dir: str
    # Dependabot reads poetry.lock and Pipfile.lock in its `pip` ecosystem; uv has its own.
    dependabot_ecosystem: str
    # Renovate (GitLab) has a manager per tool; `pep621` reads uv's lock file.
    renovate_manager: str
    # The commands the docs' dependencies page gives (NAME and the range are placeholders); empty
    # where the tool has none: Pipenv does not write pyproject.toml and relocks every package.
    add: str
    add_dev: str
    upgrade_one: str
    upgrade_all: str


@dataclass(frozen=True)
class PackageManager(PackageManagerFacts):
    """How one environment manager installs, runs and locks the project: what the templates read,
    and what only the extensions do."""

    # The tables of each manifest its lock file is made from, besides those of pyproject.toml the
    # managers that lock from it share (updates.py: a change there makes the committed lock stale).
    manifest_tables: dict[str, tuple[tuple[str, ...], ...]]
    # The names of its pins in dependencies.yml: what CI installs (`ci_tools`), what the image's
    # builder stage installs (`container.package_managers`).
    ci_tool: str
    image_pin: str
    container: ContainerBuild


PACKAGE_MANAGERS = data.records("package_manager", PackageManager)

"""How each package manager installs, runs and locks a rendered project (the Makefile, CI, the
docs' dependencies page)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackageManager:
    """How one environment manager installs, runs and locks the project."""

    label: str
    run: str
    # What `make install` tells someone who does not have the tool yet: one command, with pipx
    # because it works where the system Python refuses `pip install` (PEP 668).
    install_hint: str
    # `make install`: the environment, with the lock file refreshed when the manifests changed.
    # Every install compiles bytecode once: where imports cannot write it (a read-only
    # filesystem, PYTHONDONTWRITEBYTECODE), each process would otherwise compile every import
    # again. uv needs a flag, Poetry a step of its own (COMPILE_ENVIRONMENT); Pipenv installs with
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


# Poetry's `install --compile` compiles with the interpreter Poetry runs on (pypa/installer#172):
# when that is not the environment's Python (a pipx install, another version), the `.pyc` files
# are never used. The environment's own Python compiles its packages instead, on every core.
COMPILE_ENVIRONMENT = (
    '$(RUN) python -c "import compileall, sysconfig; '
    "compileall.compile_dir(sysconfig.get_path('purelib'), quiet=1, workers=0)\""
)

PACKAGE_MANAGERS: dict[str, PackageManager] = {
    "poetry": PackageManager(
        label="Poetry",
        run="poetry run",
        install_hint="pipx install poetry",
        install=(
            "poetry env use python$(PYTHON_VERSION)",
            # `poetry lock` keeps every locked version the new manifest still allows.
            "poetry check --lock --quiet || poetry lock",
            "poetry install",
            COMPILE_ENVIRONMENT,
        ),
        lock_check="poetry check --lock --quiet",
        install_locked=("poetry env use python$(PYTHON_VERSION)", "poetry install", COMPILE_ENVIRONMENT),
        lock_file="poetry.lock",
        build_requires="poetry-core>=2.0,<3",
        build_backend="poetry.core.masonry.api",
        uses_dependency_groups=True,
        cache_variable="POETRY_CACHE_DIR",
        cache_dir=".cache/pypoetry",
        dependabot_ecosystem="pip",
        renovate_manager="poetry",
        add="poetry add 'NAME>=1.4,<2'",
        add_dev="poetry add --group dev 'NAME>=1.4,<2'",
        upgrade_one="poetry update NAME",
        upgrade_all="poetry update",
    ),
    "uv": PackageManager(
        label="uv",
        run="uv run",
        install_hint="pipx install uv",
        # uv sync refreshes a stale uv.lock by itself, keeping the versions it still allows.
        install=("uv sync --compile-bytecode --python $(PYTHON_VERSION)",),
        lock_check="uv lock --check --quiet",
        install_locked=("uv sync --locked --compile-bytecode --python $(PYTHON_VERSION)",),
        lock_file="uv.lock",
        build_requires="hatchling>=1.26",
        build_backend="hatchling.build",
        uses_dependency_groups=True,
        cache_variable="UV_CACHE_DIR",
        cache_dir=".cache/uv",
        dependabot_ecosystem="uv",
        renovate_manager="pep621",
        add="uv add 'NAME>=1.4,<2'",
        add_dev="uv add --dev 'NAME>=1.4,<2'",
        upgrade_one="uv sync --upgrade-package NAME",
        upgrade_all="uv sync --upgrade",
    ),
    "pipenv": PackageManager(
        label="Pipenv",
        run="pipenv run",
        install_hint="pipx install pipenv",
        # Pipenv relocks when the Pipfile changed, but it cannot see pyproject.toml, where the
        # runtime dependencies live: scripts/pipenv_lock_check.py compares the lock with it.
        install=(
            "pipenv install --dev --python $(PYTHON_VERSION)",
            "$(RUN) python scripts/pipenv_lock_check.py || { pipenv lock && pipenv install --dev; }",
        ),
        lock_check="pipenv verify && python scripts/pipenv_lock_check.py",
        install_locked=("pipenv install --dev --deploy --python $(PYTHON_VERSION)",),
        lock_file="Pipfile.lock",
        build_requires="hatchling>=1.26",
        build_backend="hatchling.build",
        # Pipenv reads development packages from the Pipfile only.
        uses_dependency_groups=False,
        cache_variable="PIPENV_CACHE_DIR",
        cache_dir=".cache/pipenv",
        dependabot_ecosystem="pip",
        renovate_manager="pipenv",
        # Runtime dependencies are edited in pyproject.toml; `make install` then relocks.
        add="",
        add_dev="pipenv install --dev 'NAME>=1.4,<2'",
        upgrade_one="",
        upgrade_all="pipenv update --dev",
    ),
}

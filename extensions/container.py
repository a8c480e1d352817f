"""The Dockerfile's values: how each package manager installs into the image, the pinned base
image, and the bytecode steps."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

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


CONTAINER_BUILDS: dict[str, ContainerBuild] = {
    "poetry": ContainerBuild(
        # Poetry installs with its own installer: the environment needs no pip of its own.
        env=(
            ("POETRY_VIRTUALENVS_IN_PROJECT", "true"),
            ("POETRY_VIRTUALENVS_OPTIONS_NO_PIP", "true"),
            ("POETRY_NO_INTERACTION", "1"),
        ),
        manifest_files=("pyproject.toml", "poetry.lock"),
        install_dependencies=("poetry install --only main --no-root",),
        install_project="poetry install --only main",
        install_serving=("poetry install --only serve --no-root", "poetry install --only-root"),
    ),
    "uv": ContainerBuild(
        env=(("UV_LINK_MODE", "copy"), ("UV_PYTHON_DOWNLOADS", "never")),
        manifest_files=("pyproject.toml", "uv.lock"),
        install_dependencies=("uv sync --frozen --no-dev --no-install-project",),
        install_project="uv sync --frozen --no-dev",
        install_serving=(
            "uv sync --frozen --only-group serve --no-install-project",
            "uv pip install --no-deps --editable .",
        ),
    ),
    "pipenv": ContainerBuild(
        env=(("PIPENV_VENV_IN_PROJECT", "1"), ("PIPENV_NOSPIN", "1"), ("PIPENV_VERBOSITY", "-1")),
        manifest_files=("pyproject.toml", "Pipfile", "Pipfile.lock"),
        # The Pipfile's only package is the project itself: dependencies come with it.
        install_dependencies=(),
        install_project="pipenv install --deploy",
        # The environment Pipenv makes carries pip and setuptools (22 MB), which serving never
        # imports: they go once they have installed the project.
        install_serving=(
            "pipenv install --categories serve --deploy",
            ".venv/bin/python -m pip install --no-cache-dir --no-deps --editable . \\\n"
            "    && .venv/bin/python -m pip uninstall --yes pip setuptools",
        ),
    ),
}

# What every image's environment gets after the install, whichever manager made it.
# The libraries' own test suites (a sixth of the environment): nothing imports them at run time.
PRUNE_TESTS = "find .venv -depth -type d -path '*/site-packages/*/tests' -exec rm -rf {} +"
# Bytecode, so that a read-only root filesystem never compiles an import again. checked-hash
# pycs stay valid whatever mtimes the sources end up with (a builder's COPY --from or a
# reproducible build's clamped timestamps would make timestamp pycs stale), at the cost of
# hashing each source as it is imported.
COMPILE = "python -m compileall -q -j 0 --invalidation-mode checked-hash"
# Official python images delete the standard library's pycs: the runtime stage compiles it where
# they are missing (in place, so the sources' mtimes are those the pycs record).
COMPILE_STDLIB = (
    'python -c "import compileall, sysconfig; '
    "compileall.compile_dir(sysconfig.get_path('stdlib'), quiet=1, workers=0)\""
)


def image_bytecode(build: ContainerBuild) -> dict[str, str]:
    """The builder's commands that prune and compile the environment, then the project's code:
    the environment in the dependencies' layer where the manager installs them apart, so that a
    code change recompiles only src/."""
    environment = f"{PRUNE_TESTS} \\\n    && {COMPILE} .venv"
    if build.install_dependencies:
        return {"compile_dependencies": environment, "compile_project": f"{COMPILE} src"}
    return {"compile_dependencies": "", "compile_project": f"{environment} src"}


def container_values(answers: dict[str, str]) -> dict[str, Any]:
    """The Dockerfile's pinned base image, package-manager and bytecode steps, and the image's user."""
    pins = data.dependencies()["container"]
    return {
        "docker": {
            **asdict(CONTAINER_BUILDS[answers["package_manager"]]),
            "base_image": pins["base_images"][answers["python_version"]],
            "package_manager_requirement": pins["package_managers"][answers["package_manager"]],
            # Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
            "uid": 10001,
            **image_bytecode(CONTAINER_BUILDS[answers["package_manager"]]),
            # The serve builder installs its group apart from the code, whatever the manager.
            "compile_serving": f"{PRUNE_TESTS} \\\n    && {COMPILE} .venv",
            "compile_code": f"{COMPILE} src",
            "compile_stdlib": COMPILE_STDLIB,
        }
    }

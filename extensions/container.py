"""The Dockerfile's values: the serving image, each package manager's install, the base image.

The Dockerfile's values: whether the project builds a serving image, how each package manager
installs into it, the pinned base image, and the bytecode steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import data
from .package_managers import PACKAGE_MANAGERS, ContainerBuild


@dataclass(frozen=True)
class PythonVersion:
    """What the template needs to know about one Python version."""

    label: str
    # The name of its base image's pin in dependencies.yml (`container.base_images`).
    base_image: str


@dataclass(frozen=True)
class Serving:
    """A serving choice."""

    label: str
    # Whether the project builds a serving image: its Dockerfile, its CI jobs and its release.
    image: bool


PYTHON_VERSIONS = data.records("python_version", PythonVersion)
SERVINGS = data.records("serving", Serving)

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
# Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
IMAGE_UID = 10001


@dataclass(frozen=True)
class Bytecode:
    """A builder's commands that prune and compile the environment, then the project's code: the
    environment in the dependencies' layer where they are installed apart, so that a code change
    recompiles only src/ (else empty, and the project's command compiles both)."""

    dependencies: str
    project: str


def bytecode(dependencies_apart: bool) -> Bytecode:
    environment = f"{PRUNE_TESTS} \\\n    && {COMPILE} .venv"
    if dependencies_apart:
        return Bytecode(dependencies=environment, project=f"{COMPILE} src")
    return Bytecode(dependencies="", project=f"{environment} src")


@dataclass(frozen=True)
class DockerFacts:
    """The context's `docker`: the builder stages' steps and the runtime's user."""

    # The package manager's steps (ContainerBuild's fields).
    env: tuple[tuple[str, str], ...]
    manifest_files: tuple[str, ...]
    install_dependencies: tuple[str, ...]
    install_project: str
    install_serving: tuple[str, ...]
    base_image: str
    package_manager_requirement: str
    uid: int
    # The train builder's bytecode steps, after its dependencies and after the project.
    compile_dependencies: str
    compile_project: str
    # The serve builder's: it always installs its group apart from the code, whatever the manager.
    compile_serve_dependencies: str
    compile_serve_project: str
    compile_stdlib: str


@dataclass(frozen=True)
class ContainerValues:
    """The context's names for the images."""

    docker: DockerFacts
    # Whether the project builds a serving image (serving: fastapi): its CI jobs and its release.
    builds_image: bool


def docker_facts(build: ContainerBuild, base_image: str, requirement: str) -> DockerFacts:
    train, serve = bytecode(bool(build.install_dependencies)), bytecode(dependencies_apart=True)
    return data.pick(
        DockerFacts,
        build,
        base_image=base_image,
        package_manager_requirement=requirement,
        uid=IMAGE_UID,
        compile_dependencies=train.dependencies,
        compile_project=train.project,
        compile_serve_dependencies=serve.dependencies,
        compile_serve_project=serve.project,
        compile_stdlib=COMPILE_STDLIB,
    )


def builds_image(answers: Mapping[str, str]) -> bool:
    """Whether the project builds a serving image (serving: fastapi)."""
    return SERVINGS[answers["serving"]].image


def container_values(answers: Mapping[str, str]) -> ContainerValues:
    """The Dockerfile's pinned base image, package-manager and bytecode steps, and the image's user."""
    pins = data.dependencies()["container"]
    manager = PACKAGE_MANAGERS[answers["package_manager"]]
    return ContainerValues(
        docker=docker_facts(
            manager.container,
            pins["base_images"][PYTHON_VERSIONS[answers["python_version"]].base_image],
            pins["package_managers"][manager.image_pin],
        ),
        builds_image=builds_image(answers),
    )

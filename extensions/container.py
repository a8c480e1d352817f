"""The Dockerfile's values: how each package manager installs into the image, the pinned base
image, and the bytecode steps."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from . import data
from .package_managers import PACKAGE_MANAGERS, ContainerBuild


@dataclass(frozen=True)
class PythonVersion:
    """What the template needs to know about one Python version."""

    label: str
    # The name of its base image's pin in dependencies.yml (`container.base_images`).
    base_image: str


PYTHON_VERSIONS = data.records("python_version", PythonVersion)
# How each package manager builds the image, from its record.
CONTAINER_BUILDS = {name: manager.container for name, manager in PACKAGE_MANAGERS.items()}

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
    manager = PACKAGE_MANAGERS[answers["package_manager"]]
    return {
        "docker": {
            **asdict(manager.container),
            "base_image": pins["base_images"][PYTHON_VERSIONS[answers["python_version"]].base_image],
            "package_manager_requirement": pins["package_managers"][manager.image_pin],
            # Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
            "uid": 10001,
            **image_bytecode(manager.container),
            # The serve builder installs its group apart from the code, whatever the manager.
            "compile_serving": f"{PRUNE_TESTS} \\\n    && {COMPILE} .venv",
            "compile_code": f"{COMPILE} src",
            "compile_stdlib": COMPILE_STDLIB,
        }
    }

"""The context hook: every value derived from the answers is computed here, once.

Template files read these names instead of repeating Jinja expressions, so a rule such as
"how does this package manager run a command" has exactly one home.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from copier_template_extensions import ContextHook

DEPENDENCIES_FILE = Path(__file__).with_name("dependencies.yml")
COPIER_FILE = Path(__file__).parent.parent / "copier.yml"


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


# SPDX identifier -> the label copier.yml shows (the static tier checks they agree).
LICENSES: dict[str, str] = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Proprietary": "Proprietary (all rights reserved)",
}


# libyaml's loader parses several times faster; PyYAML built without it has only the Python one.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one YAML file of the template, read with the fastest safe loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


@cache
def _dependencies() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml(DEPENDENCIES_FILE)
    return loaded


def requirement(dep: dict[str, Any]) -> str:
    """The PEP 508 requirement string of one dependencies.yml entry."""
    marker = f"; {dep['marker']}" if "marker" in dep else ""
    return f"{dep['name']}{dep['spec']}{marker}"


@cache
def dependency_specs(**answers: str) -> dict[str, tuple[str, ...]]:
    """PEP 508 requirement strings per group for a project with these answers; entries whose
    `when` names an answer that is not given are kept (all of them, with no answers). `serve` is
    the runtime entries the serving image installs (none for a project that does not serve)."""
    specs = {
        group: tuple(requirement(dep) for dep in _dependencies()[group] if _applies(dep, answers))
        for group in ("runtime", "dev")
    }
    serving = answers.get("serving", "fastapi") == "fastapi"
    specs["serve"] = tuple(
        requirement(dep)
        for dep in _dependencies()["runtime"]
        if serving and _applies(dep, answers) and _serves(dep, answers)
    )
    return specs


@cache
def pytest_plugins(**answers: str) -> tuple[str, ...]:
    """The pytest plugins the rendered tests use (`pytest_plugin`), by entry-point name."""
    return tuple(
        dep["pytest_plugin"]
        for dep in _dependencies()["dev"]
        if "pytest_plugin" in dep and _applies(dep, answers)
    )


@cache
def model_packages(**answers: str) -> tuple[str, ...]:
    """The runtime distributions that loading this project's logged model needs (`model: true`)."""
    return tuple(
        dep["name"] for dep in _dependencies()["runtime"] if dep.get("model") and _applies(dep, answers)
    )


def _serves(dep: dict[str, Any], answers: dict[str, str]) -> bool:
    """Whether the serving image needs an entry: `serve: true`, or answers among those listed."""
    serve = dep.get("serve", False)
    if isinstance(serve, bool):
        return serve
    return all(answers.get(key, values[0]) in values for key, values in serve.items())


def _applies(dep: dict[str, Any], answers: dict[str, str]) -> bool:
    """Whether an entry belongs to a project with these answers (unknown answers match)."""
    return all(answers.get(key, value) == value for key, value in dep.get("when", {}).items())


@cache
def indexed_packages(**answers: str) -> tuple[dict[str, str], ...]:
    """The packages this project takes from a dedicated index, with the index's name and URL."""
    return tuple(
        {"package": dep["name"], "index": dep["index"], "url": _dependencies()["indexes"][dep["index"]]}
        for group in ("runtime", "dev")
        for dep in _dependencies()[group]
        if "index" in dep and _applies(dep, answers)
    )


@cache
def untyped_modules(**answers: str) -> tuple[str, ...]:
    """Top-level modules of this project's dependencies that ship no type information."""
    return tuple(
        sorted(
            module
            for group in ("runtime", "dev")
            for dep in _dependencies()[group]
            if dep.get("typed", True) is False and _applies(dep, answers)
            for module in dep["imports"]
        )
    )


@cache
def minimum_version(name: str) -> str:
    """The lowest version a dependency's range allows: the `>=` bound of its dependencies.yml entry."""
    spec = next(
        dep["spec"] for group in ("runtime", "dev") for dep in _dependencies()[group] if dep["name"] == name
    )
    bound = re.match(r">=([0-9.]+)", spec)
    if bound is None:
        raise ValueError(f"dependencies.yml: {name} has no lower bound ({spec})")
    return bound.group(1)


@cache
def warning_filters(**answers: str) -> tuple[str, ...]:
    """pytest filters for warnings this project's dependencies raise from their own code."""
    filters = (
        rule
        for group in ("runtime", "dev")
        for dep in _dependencies()[group]
        if _applies(dep, answers)
        for rule in dep.get("ignore_warnings", ())
    )
    return tuple(dict.fromkeys(filters))


def pipfile_entry(spec: str) -> str:
    """`name = "spec"` as a Pipfile line, from a PEP 508 requirement (its marker, if any, kept)."""
    spec, _, marker = spec.partition("; ")
    index = next(i for i, char in enumerate(spec) if char in "<>=!~")
    if marker:
        return f'{spec[:index]} = {{version = "{spec[index:]}", markers = "{marker}"}}'
    return f'{spec[:index]} = "{spec[index:]}"'


Answers = tuple[tuple[str, str], ...]


@cache
def choice_questions() -> dict[str, frozenset[str]]:
    """The values each choice question of copier.yml accepts."""
    questions: dict[str, Any] = load_yaml(COPIER_FILE)
    return {
        name: frozenset(
            str(value)
            for value in (spec["choices"].values() if isinstance(spec["choices"], dict) else spec["choices"])
        )
        for name, spec in questions.items()
        if not name.startswith("_") and isinstance(spec, dict) and "choices" in spec
    }


@cache
def derive(answers: Answers) -> dict[str, Any]:
    """All derived values for one set of choice answers (sorted name/value pairs)."""
    given = dict(answers)
    return {**_environment_values(given), **container_values(given), **delivery_values(given)}


def _environment_values(answers: dict[str, str]) -> dict[str, Any]:
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
        "mypy_unfollowed": tuple(_dependencies()["mypy_unfollowed"]),
        "indexed_packages": indexed_packages(**answers),
        "warning_filters": warning_filters(**answers),
        "framework": _dependencies()["frameworks"][answers["ml_framework"]],
        "license_name": LICENSES[answers["license"]],
        "license_is_open_source": answers["license"] != "Proprietary",
    }


def container_values(answers: dict[str, str]) -> dict[str, Any]:
    """The Dockerfile's pinned base image, package-manager and bytecode steps, and the image's user."""
    pins = _dependencies()["container"]
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


# --- Infrastructure (infra/terraform, the DVC cloud remote) -----------------------------------


@dataclass(frozen=True)
class Cloud:
    """How one cloud names the things infra/terraform creates and DVC reads."""

    label: str
    dvc_scheme: str
    # Azure storage accounts allow no hyphen; buckets on the other clouds read better with them.
    name_separator: str
    # Words and commands of the docs: what holds objects, what isolates an environment, how to
    # sign in so that Terraform finds the credentials.
    storage_noun: str
    isolation_noun: str
    sign_in: str
    # The image registry; its address comes from Terraform into the `REGISTRY` CI variable.
    registry_name: str


CLOUDS: dict[str, Cloud] = {
    "aws": Cloud(
        label="AWS",
        dvc_scheme="s3",
        name_separator="-",
        storage_noun="bucket",
        isolation_noun="AWS account",
        sign_in="aws sso login",
        registry_name="Amazon ECR",
    ),
    "gcp": Cloud(
        label="Google Cloud",
        dvc_scheme="gs",
        name_separator="-",
        storage_noun="bucket",
        isolation_noun="Google Cloud project",
        sign_in="gcloud auth application-default login",
        registry_name="Google Artifact Registry",
    ),
    "azure": Cloud(
        label="Azure",
        dvc_scheme="azure",
        name_separator="",
        storage_noun="storage account",
        isolation_noun="subscription",
        sign_in="az login",
        registry_name="Azure Container Registry",
    ),
}
# One Terraform root, one state per environment (see infra/terraform/README.md for why).
ENVIRONMENTS = ("staging", "production")
# Development and CI version data and push images here; production receives releases.
DATA_ENVIRONMENT = "staging"
DVC_CLOUD_REMOTE = "cloud"
OIDC_ISSUERS = {"github": "https://token.actions.githubusercontent.com", "gitlab": "https://gitlab.com"}


def storage_name(prefix: str, cloud: str, environment: str) -> str:
    """The bucket (Azure: storage account) that holds DVC data and MLflow artifacts; main.tf
    builds the same name from var.resource_prefix and var.environment."""
    separator = CLOUDS[cloud].name_separator
    return separator.join((prefix, environment, "ml"))


def ci_subjects(ci_provider: str, repository: str, branches: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The OIDC `sub` claims each environment's CI identity trusts, exactly (Azure allows no
    wildcard): pull requests, the protected branches (whose pushes run the gate) and jobs of the
    `staging` environment for staging, jobs of the protected `production` environment for
    production. GitLab's claim names no environment and a merge request's source branch varies,
    so staging trusts pipelines on the protected branches and production those on main only."""
    if ci_provider == "github":
        return {
            "staging": (
                *(f"repo:{repository}:ref:refs/heads/{branch}" for branch in branches),
                f"repo:{repository}:pull_request",
                f"repo:{repository}:environment:staging",
            ),
            "production": (f"repo:{repository}:environment:production",),
        }

    def on_branch(branch: str) -> str:
        return f"project_path:{repository}:ref_type:branch:ref:{branch}"

    return {"staging": tuple(on_branch(branch) for branch in branches), "production": (on_branch("main"),)}


def state_backend(cloud: str, prefix: str, region: str, environment: str) -> tuple[str, ...]:
    """Lines of an environment's backend.tfbackend: the state store bootstrap/ creates, named by
    the same rule as bootstrap/main.tf, one state file per environment."""
    settings = {
        "aws": {"bucket": f"{prefix}-{environment}-tfstate", "key": "terraform.tfstate", "region": region},
        "gcp": {"bucket": f"{prefix}-{environment}-tfstate", "prefix": "terraform/state"},
        "azure": {
            "resource_group_name": f"{prefix}-{environment}-tfstate",
            "storage_account_name": f"{prefix}{environment}tf",
            "container_name": "tfstate",
            "key": "terraform.tfstate",
        },
    }[cloud]
    width = max(len(key) for key in settings)
    return tuple(f'{key.ljust(width)} = "{value}"' for key, value in settings.items())


def infra_values(answers: dict[str, str], prefix: str, region: str, repository: str) -> dict[str, Any]:
    """Names shared by infra/terraform, .dvc/config and the docs; empty without a cloud."""
    cloud = answers["cloud_provider"]
    if cloud not in CLOUDS:
        return {"cloud": None}
    account = storage_name(prefix, cloud, DATA_ENVIRONMENT)
    scheme = CLOUDS[cloud].dvc_scheme
    # Azure URLs name the container; the account is a separate DVC setting.
    url = "azure://dvc" if cloud == "azure" else f"{scheme}://{account}/dvc"
    return {
        "cloud": asdict(CLOUDS[cloud]),
        "infra_environments": ENVIRONMENTS,
        "dvc_cloud_remote": {
            "name": DVC_CLOUD_REMOTE,
            "url": url,
            "account_name": account if cloud == "azure" else "",
            "environment": DATA_ENVIRONMENT,
        },
        "ci_oidc_issuer": OIDC_ISSUERS[answers["ci_provider"]],
        "ci_subjects": ci_subjects(
            answers["ci_provider"], repository, BRANCHING_MODELS[answers["branching_model"]].protected
        ),
        "terraform_backend": {env: state_backend(cloud, prefix, region, env) for env in ENVIRONMENTS},
        # Google Cloud: one project per environment, named like the other resources.
        "gcp_project_ids": {env: f"{prefix}-{env}" for env in ENVIRONMENTS},
    }


# ---- Delivery: CI/CD, registry, GitOps (one block, so parallel changes merge cleanly) --------

GIT_HOSTS = {"github": "github.com", "gitlab": "gitlab.com"}
# Without a cloud, the CI provider's own registry needs no `REGISTRY` variable.
REGISTRY_VARIABLE = {"github": "${{ vars.REGISTRY }}", "gitlab": "${REGISTRY}"}
CI_REGISTRY_NAMES = {"github": "GitHub Container Registry", "gitlab": "GitLab Container Registry"}


def action(name: str) -> str:
    """`owner/repo@<sha> # <tag>` of one action pinned in dependencies.yml."""
    pin = _dependencies()["actions"][name]
    return f"{pin['repo']}@{pin['sha']} # {pin['version']}"


def step(name: str, uses: str, inputs: dict[str, str], step_id: str = "") -> dict[str, Any]:
    """One workflow step that calls a pinned action."""
    return {"name": name, "id": step_id, "uses": action(uses), "with": inputs}


def github_cloud_login(cloud: str, region: str) -> list[dict[str, Any]]:
    """Steps that sign a GitHub job in to the cloud through OIDC (no stored keys)."""
    logins: dict[str, list[dict[str, Any]]] = {
        "aws": [
            step(
                "Sign in to AWS (OIDC)",
                "aws-credentials",
                {"role-to-assume": "${{ vars.AWS_ROLE_ARN }}", "aws-region": region},
            )
        ],
        "gcp": [
            step(
                "Sign in to Google Cloud (workload identity federation)",
                "gcp-auth",
                {
                    "workload_identity_provider": "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
                    "service_account": "${{ vars.GCP_SERVICE_ACCOUNT }}",
                    "token_format": "access_token",
                },
                step_id="gcp-auth",
            )
        ],
        "azure": [
            step(
                "Sign in to Azure (OIDC)",
                "azure-login",
                {
                    "client-id": "${{ vars.AZURE_CLIENT_ID }}",
                    "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
                    "subscription-id": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
                },
            )
        ],
    }
    return logins.get(cloud, [])


def github_registry_login(cloud: str, region: str) -> list[dict[str, Any]]:
    """Steps that let `docker push` reach the image registry: cloud sign-in, then the registry."""
    logins: dict[str, list[dict[str, Any]]] = {
        "aws": [step("Sign in to Amazon ECR", "ecr-login", {"mask-password": "true"})],
        "gcp": [
            step(
                "Sign in to Artifact Registry",
                "docker-login",
                {
                    "registry": f"{region}-docker.pkg.dev",
                    "username": "oauth2accesstoken",
                    "password": "${{ steps.gcp-auth.outputs.access_token }}",
                },
            )
        ],
        # Azure's registry sign-in is a CLI call (`az acr login`) the workflow runs itself.
        "azure": [],
        "none": [
            step(
                "Sign in to GitHub Container Registry",
                "docker-login",
                {
                    "registry": "ghcr.io",
                    "username": "${{ github.actor }}",
                    "password": "${{ secrets.GITHUB_TOKEN }}",
                },
            )
        ],
    }
    return github_cloud_login(cloud, region) + logins[cloud]


# Terraform's providers read these to use the OIDC session of the sign-in step.
TERRAFORM_ENV: dict[str, dict[str, str]] = {
    "azure": {
        "ARM_USE_OIDC": "true",
        "ARM_CLIENT_ID": "${{ vars.AZURE_CLIENT_ID }}",
        "ARM_TENANT_ID": "${{ vars.AZURE_TENANT_ID }}",
        "ARM_SUBSCRIPTION_ID": "${{ vars.AZURE_SUBSCRIPTION_ID }}",
    },
}


# (request, limit) per framework
K8S_MEMORY: dict[str, dict[str, str]] = {
    "scikit-learn": {"request": "512Mi", "limit": "1Gi"},
    "pytorch": {"request": "1Gi", "limit": "2Gi"},
    "tensorflow": {"request": "1Gi", "limit": "2Gi"},
}
# Kubernetes names are DNS labels of at most 63 characters, and namespaces get a suffix.
K8S_NAME_LENGTH = 40


GITLAB_CLOUDS_FILE = Path(__file__).with_name("gitlab_clouds.yml")


@cache
def gitlab_clouds() -> dict[str, Any]:
    """How a GitLab job signs in to each cloud with its `id_tokens` OIDC token."""
    loaded: dict[str, Any] = load_yaml(GITLAB_CLOUDS_FILE)
    return loaded


def _pip_install(specs: list[str]) -> str:
    return "python -m pip install --quiet " + " ".join(f'"{spec}"' for spec in specs)


@dataclass(frozen=True)
class Branching:
    """Where work starts and lands under one branching model: CI triggers, branch protection,
    automated pull requests and the release flow all read these."""

    label: str
    # Feature branches start from and merge into this branch; bots open their pull requests here.
    integration: str
    # Protected as code, and the branches whose pushes run the CI gate.
    protected: tuple[str, ...]
    # Prefixes of the short-lived branches a person opens.
    work_prefixes: tuple[str, ...]
    # Whether merges keep both parents: GitFlow merges main back into develop, which a squash or
    # a rebase would turn into a copy that diverges from main on every release.
    merge_commits: bool


BRANCHING_MODELS = {
    "trunk": Branching(
        label="trunk-based development",
        integration="main",
        protected=("main",),
        work_prefixes=("feat/", "fix/", "chore/", "docs/"),
        merge_commits=False,
    ),
    "gitflow": Branching(
        label="GitFlow",
        integration="develop",
        protected=("main", "develop"),
        work_prefixes=("feature/", "release/", "hotfix/"),
        merge_commits=True,
    ),
}


@dataclass(frozen=True)
class CiSecret:
    """A secret a person stores in the CI settings; OIDC covers the cloud, so these are the rest."""

    name: str
    # Which job reads it and what it is: the security docs list them, for rotation and leaks.
    purpose: str


@dataclass(frozen=True)
class CiProvider:
    """What the docs say about one CI service: its words, its jobs and where its settings are."""

    label: str
    # What a change is proposed as.
    request: str
    # The job that pushes the serving image from a version tag, and the file that defines it.
    release_job: str
    # The jobs that build the serving image on every change (GitLab's `image:` is a keyword, and
    # its `model` job hands the trained model to `build-image`).
    image_jobs: tuple[str, ...]
    release_file: str
    # Where the web interface keeps CI variables and secrets.
    settings: str
    codeowners: str
    # The bot that proposes dependency updates, and its configuration file.
    dependency_bot: str
    dependency_bot_file: str
    secrets: tuple[CiSecret, ...]
    # Only with a GitOps deployment: the job that opens the deployment's pull request.
    gitops_secrets: tuple[CiSecret, ...]


CI_PROVIDERS = {
    "github": CiProvider(
        label="GitHub Actions",
        request="pull request",
        release_job="image",
        image_jobs=("image",),
        release_file=".github/workflows/cd.yml",
        settings="Settings > Secrets and variables > Actions",
        codeowners=".github/CODEOWNERS",
        dependency_bot="Dependabot",
        dependency_bot_file=".github/dependabot.yml",
        secrets=(
            CiSecret(
                "TEMPLATE_UPDATE_APP_PRIVATE_KEY",
                "private key of the GitHub App the `template-update` job signs in as",
            ),
            CiSecret(
                "TEMPLATE_UPDATE_TOKEN",
                "or, instead of the App, a fine-grained token for the `template-update` job",
            ),
        ),
        # The `gitops` job opens its pull request with the workflow's own GITHUB_TOKEN.
        gitops_secrets=(),
    ),
    "gitlab": CiProvider(
        label="GitLab CI",
        request="merge request",
        release_job="release",
        image_jobs=("model", "build-image"),
        release_file=".gitlab-ci.yml",
        settings="Settings > CI/CD > Variables",
        codeowners=".gitlab/CODEOWNERS",
        dependency_bot="Renovate",
        dependency_bot_file="renovate.json",
        secrets=(
            CiSecret("TEMPLATE_UPDATE_TOKEN", "project access token the `template-update` job pushes with"),
        ),
        gitops_secrets=(CiSecret("GITOPS_TOKEN", "project access token the `gitops` job pushes with"),),
    ),
}


def provider_facts(ci_provider: str, gitops: bool) -> dict[str, Any]:
    """The CI service's facts, with the secrets this project's jobs read."""
    facts = asdict(CI_PROVIDERS[ci_provider])
    gitops_secrets = facts.pop("gitops_secrets")
    facts["secrets"] = [*facts["secrets"], *(gitops_secrets if gitops else [])]
    return facts


def delivery_values(answers: dict[str, str]) -> dict[str, Any]:
    """Values of the CI/CD files and the GitOps manifests that follow from choice answers."""
    manager = answers["package_manager"]
    tools = _dependencies()["ci_tools"]
    tool = PACKAGE_MANAGERS[manager]
    cloud = answers["cloud_provider"]
    provider = CI_PROVIDERS[answers["ci_provider"]]
    return {
        "ci": {
            **provider_facts(answers["ci_provider"], answers["deployment"] == "kubernetes"),
            # Installs the package manager itself; `make install` then builds the environment.
            "pm_setup": _pip_install(tools[manager]),
            "copier_setup": _pip_install(tools["copier"]),
            "cache_variable": tool.cache_variable,
            "cache_dir": tool.cache_dir,
            "dependabot_ecosystem": tool.dependabot_ecosystem,
            "renovate_manager": tool.renovate_manager,
            "renovate_managers": [
                tool.renovate_manager,
                *(["dockerfile"] if answers["serving"] == "fastapi" else []),
                "gitlabci",
            ],
            "git_host": GIT_HOSTS[answers["ci_provider"]],
            "registry_name": CLOUDS[cloud].registry_name
            if cloud in CLOUDS
            else CI_REGISTRY_NAMES[answers["ci_provider"]],
            "terraform": cloud != "none",
            "image": answers["serving"] == "fastapi",
            "gitops": answers["deployment"] == "kubernetes",
            # The `ci` jobs that run on every pull request, which branch protection requires: a
            # required check that never reports would block every merge.
            "required_checks": (
                "check",
                *(("workflows",) if answers["ci_provider"] == "github" else ()),
                "pipeline",
                *(provider.image_jobs if answers["serving"] == "fastapi" else ()),
                *(("terraform",) if cloud != "none" else ()),
                *(("docs",) if answers["docs"] == "mkdocs" else ()),
            ),
            "docs": answers["docs"] == "mkdocs",
            "uses": {name: action(name) for name in _dependencies()["actions"]},
            "terraform_env": TERRAFORM_ENV.get(cloud, {}),
        },
        "branching": asdict(BRANCHING_MODELS[answers["branching_model"]]),
        "gitlab_cloud": gitlab_clouds().get(cloud),
        # Memory of one serving pod: the deep learning frameworks load far larger libraries.
        "k8s_memory": K8S_MEMORY[answers["ml_framework"]],
    }


def repository_values(context: Mapping[str, Any], ci_provider: str, cloud: str) -> dict[str, Any]:
    """Values that also need free-text answers: the repository's URL (Argo CD follows it), the
    default image name and the cloud sign-in steps (they name the region)."""
    path = f"{context['organization']}/{context['project_slug']}"
    region = str(context.get("cloud_region") or "")
    registry = {"github": "ghcr.io", "gitlab": "registry.gitlab.com"}[ci_provider]
    k8s_name = str(context["project_slug"])[:K8S_NAME_LENGTH].rstrip("-")
    return {
        "k8s_name": k8s_name,
        "repository_path": path,
        "repository_url": f"https://{GIT_HOSTS[ci_provider]}/{path}.git",
        "repository_web_url": f"https://{GIT_HOSTS[ci_provider]}/{path}",
        # The CI provider's registry (registries want lowercase names); a cloud project's first
        # release replaces it with the cloud registry's address.
        "default_image": f"{registry}/{path.lower()}",
        # Where the release workflow pushes: Terraform fills the `REGISTRY` variable for a cloud.
        "release_image": f"{REGISTRY_VARIABLE[ci_provider]}/{context['project_slug']}"
        if cloud != "none"
        else f"{registry}/{path.lower()}",
        "cloud_login": github_cloud_login(cloud, region),
        "registry_login": github_registry_login(cloud, region),
    }


# ---- End of delivery ---------------------------------------------------------------------------


def answers_of(context: dict[str, Any]) -> Answers | None:
    """The choice answers of a context, or None while one is missing or not a valid choice."""
    answers = tuple(sorted((name, str(context.get(name))) for name in choice_questions()))
    if all(value in choice_questions()[name] for name, value in answers):
        return answers
    return None


# The free-text answers some derived values read, besides the choices.
FREE_TEXT_INPUTS = ("organization", "project_slug", "resource_prefix", "cloud_region")


@cache
def derived_context(answers: Answers, free_text: tuple[Any, ...]) -> dict[str, Any]:
    """Everything the hook adds for one set of answers (choices, then FREE_TEXT_INPUTS' values).

    Copier calls the hook once per rendered string, more than a thousand times a project, with
    the same answers nearly every time: cached here, each call is one dictionary update."""
    values = dict(derive(answers))
    given_text = dict(zip(FREE_TEXT_INPUTS, free_text, strict=True))
    # Values that also read free-text answers: once those are known.
    if given_text["organization"] and given_text["project_slug"]:
        given = dict(answers)
        repository = repository_values(given_text, given["ci_provider"], given["cloud_provider"])
        values.update(repository)
        values.update(
            infra_values(
                given,
                str(given_text["resource_prefix"]),
                str(given_text["cloud_region"]),
                repository["repository_path"],
            )
        )
    return values


class DerivedContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        # Copier also renders defaults and validators while answers are missing or not yet
        # validated: derive nothing until each choice answer is a known choice.
        answers = answers_of(context)
        if answers is not None:
            context.update(derived_context(answers, tuple(context.get(name) for name in FREE_TEXT_INPUTS)))

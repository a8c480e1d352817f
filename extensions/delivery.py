"""Delivery values: the CI/CD files (pinned actions, cloud and registry sign-in), the registry and
the GitOps manifests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from . import data
from .branching import BRANCHING_MODELS
from .ci_providers import (
    CI_PROVIDERS,
    CI_REGISTRY_NAMES,
    GIT_HOSTS,
    REGISTRY_VARIABLE,
    LoginStep,
    provider_facts,
)
from .frameworks import FRAMEWORKS
from .iac_tools import iac_values
from .infrastructure import CLOUD_PROVIDERS, CLOUDS, shell_login
from .options import DEPLOYMENTS, DOCS, SERVINGS
from .package_managers import PACKAGE_MANAGERS


def action(name: str) -> str:
    """`owner/repo@<sha> # <tag>` of one action pinned in dependencies.yml."""
    pin = data.dependencies()["actions"][name]
    return f"{pin['repo']}@{pin['sha']} # {pin['version']}"


def step(name: str, uses: str, inputs: dict[str, str], step_id: str = "") -> dict[str, Any]:
    """One workflow step that calls a pinned action."""
    return {"name": name, "id": step_id, "uses": action(uses), "with": inputs}


def login_steps(steps: tuple[LoginStep, ...], region: str) -> list[dict[str, Any]]:
    """Workflow steps of a record (a cloud's or the CI provider's), with the region filled in."""

    def regional(values: dict[str, str]) -> dict[str, str]:
        return {key: value.replace("{region}", region) for key, value in values.items()}

    return [
        {"name": login.name, "id": login.id, "env": regional(login.env), "run": login.run}
        if login.run
        else step(login.name, login.uses, regional(login.inputs), step_id=login.id)
        for login in steps
    ]


def github_cloud_login(cloud: str, region: str) -> list[dict[str, Any]]:
    """Steps that sign a GitHub job in to the cloud through OIDC (no stored keys)."""
    return login_steps(CLOUD_PROVIDERS[cloud].github_login, region)


def github_registry_login(cloud: str, ci_provider: str, region: str) -> list[dict[str, Any]]:
    """Steps that let `docker push` reach the image registry: cloud sign-in, then the registry
    (without a cloud, the CI provider's own)."""
    record = CLOUD_PROVIDERS[cloud]
    registry = CI_PROVIDERS[ci_provider].registry.login
    if record.infrastructure:
        registry = record.github_registry_login
    return github_cloud_login(cloud, region) + login_steps(registry, region)


# Kubernetes names are DNS labels of at most 63 characters, and namespaces get a suffix.
K8S_NAME_LENGTH = 40


def _pip_install(specs: list[str]) -> str:
    return "python -m pip install --quiet " + " ".join(f'"{spec}"' for spec in specs)


def delivery_values(answers: dict[str, str]) -> dict[str, Any]:
    """Values of the CI/CD files and the GitOps manifests that follow from choice answers."""
    manager = answers["package_manager"]
    tools = data.dependencies()["ci_tools"]
    tool = PACKAGE_MANAGERS[manager]
    image = SERVINGS[answers["serving"]].image
    gitops = DEPLOYMENTS[answers["deployment"]].gitops
    site = DOCS[answers["docs"]].site
    cloud = answers["cloud_provider"]
    provider = CI_PROVIDERS[answers["ci_provider"]]
    iac = iac_values(answers)["iac"]
    return {
        "ci": {
            **provider_facts(answers["ci_provider"], gitops),
            # Installs the package manager itself; `make install` then builds the environment.
            "pm_setup": _pip_install(tools[tool.ci_tool]),
            "copier_setup": _pip_install(tools["copier"]),
            "cache_variable": tool.cache_variable,
            "cache_dir": tool.cache_dir,
            "dependabot_ecosystem": tool.dependabot_ecosystem,
            "renovate_manager": tool.renovate_manager,
            "renovate_managers": [
                tool.renovate_manager,
                *(["dockerfile"] if image else []),
                provider.renovate_ci_manager,
            ],
            "git_host": GIT_HOSTS[answers["ci_provider"]],
            "registry_name": CLOUDS[cloud].registry_name
            if cloud in CLOUDS
            else CI_REGISTRY_NAMES[answers["ci_provider"]],
            # A cloud (not the team's own servers): the jobs sign in to it with the identity
            # infra/ creates (Terraform's or CloudFormation's); `iac` says which tool's job checks it.
            "terraform": cloud in CLOUDS,
            # The team's own servers: ansible-lint and a syntax check of infra/ansible instead.
            "ansible": CLOUD_PROVIDERS[cloud].servers is not None,
            "ansible_setup": _pip_install(tools["ansible"]),
            "image": image,
            "gitops": gitops,
            # The `ci` jobs that run on every pull request, which branch protection requires: a
            # required check that never reports would block every merge.
            "required_checks": (
                *provider.gate_jobs,
                *(provider.image_jobs if image else ()),
                *((iac["ci_job"],) if iac["ci_job"] else ()),
                *(("docs",) if site else ()),
            ),
            "docs": site,
            "uses": {name: action(name) for name in data.dependencies()["actions"]},
            "terraform_env": dict(CLOUD_PROVIDERS[cloud].github_terraform_env),
        },
        "branching": asdict(BRANCHING_MODELS[answers["branching_model"]]),
        # Memory of one serving pod, which the framework's libraries set.
        "k8s_memory": asdict(FRAMEWORKS[answers["ml_framework"]].k8s_memory),
    }


def repository_values(context: Mapping[str, Any], ci_provider: str, cloud: str) -> dict[str, Any]:
    """Values that also need free-text answers: the repository's URL (Argo CD follows it), the
    default image name and the cloud sign-in steps (they name the region)."""
    path = f"{context['organization']}/{context['project_slug']}"
    region = str(context.get("cloud_region") or "")
    registry = CI_PROVIDERS[ci_provider].registry.host
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
        if cloud in CLOUDS
        else f"{registry}/{path.lower()}",
        "cloud_login": github_cloud_login(cloud, region),
        "registry_login": github_registry_login(cloud, ci_provider, region),
        # How a shell job (GitLab) signs in to the cloud with its OIDC token.
        "shell_login": shell_login(cloud, ci_provider, region),
    }

"""Delivery values: the CI/CD files, the registry, the branching model and the GitOps manifests.

Delivery values: the CI/CD files (pinned actions, tools, required checks), the registry, the
branching model and the GitOps manifests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import data
from .branching import BRANCHING_MODELS, Branching
from .ci_providers import CI_PROVIDERS, CiProvider, CiProviderWords, CiSecret, OidcFacts
from .clouds import CLOUD_PROVIDERS, CLOUDS, has_cloud
from .container import builds_image
from .docs_site import has_site
from .frameworks import FRAMEWORKS, Memory
from .iac_tools import IAC_TOOLS, chosen_tool
from .package_managers import PACKAGE_MANAGERS
from .repository import action, plan_values


@dataclass(frozen=True)
class Deployment:
    """A deployment choice."""

    label: str
    # Whether an Argo CD application follows the repository's manifests (deploy/).
    gitops: bool


DEPLOYMENTS = data.records("deployment", Deployment)


@dataclass(frozen=True)
class CiFacts(CiProviderWords):
    """The context's `ci`: the CI service's words from its record, and what its files need."""

    oidc: OidcFacts
    # Where images go without a cloud: the CI service's own registry.
    registry_host: str
    # The secrets this project's jobs read (the GitOps job's too, with a GitOps deployment).
    secrets: tuple[CiSecret, ...]
    # Commands that install the package manager (`make install` then builds the environment),
    # Copier for the template-update job, and Ansible's tools for the servers' job.
    pm_setup: str
    copier_setup: str
    ansible_setup: str
    renovate_managers: tuple[str, ...]
    # The registry images are pushed to: the cloud's, else the CI service's.
    registry_name: str
    gitops: bool
    # The `ci` jobs that run on every pull request, which branch protection requires: a
    # required check that never reports would block every merge.
    required_checks: tuple[str, ...]
    # Every action of dependencies.yml, pinned, by name.
    uses: dict[str, str]
    # The environment Terraform needs in the GitHub `terraform` job to use the OIDC session of
    # the read-only plan identity.
    terraform_env: dict[str, str]


@dataclass(frozen=True)
class DeliveryValues:
    """The context's names for CI/CD, the branching model and the serving pods."""

    ci: CiFacts
    branching: Branching
    # Memory of one serving pod, which the framework's libraries set.
    k8s_memory: Memory


def _pip_install(specs: list[str]) -> str:
    return "python -m pip install --quiet " + " ".join(f'"{spec}"' for spec in specs)


def required_checks(provider: CiProvider, answers: Mapping[str, str]) -> tuple[str, ...]:
    """The jobs of every pull request: the gate, the image's, the infrastructure's, the site's."""
    tool = chosen_tool(answers)
    return (
        *provider.gate_jobs,
        *(provider.image_jobs if builds_image(answers) else ()),
        *((IAC_TOOLS[tool].ci_job,) if tool else ()),
        *(("docs",) if has_site(answers) else ()),
    )


def ci_facts(answers: Mapping[str, str]) -> CiFacts:
    """What the CI files read for these answers."""
    tools = data.dependencies()["ci_tools"]
    manager = PACKAGE_MANAGERS[answers["package_manager"]]
    provider = CI_PROVIDERS[answers["ci_provider"]]
    gitops = DEPLOYMENTS[answers["deployment"]].gitops
    cloud = answers["cloud_provider"]
    return data.pick(
        CiFacts,
        provider,
        oidc=data.pick(OidcFacts, provider.oidc),
        registry_host=provider.registry.host,
        secrets=(*provider.secrets, *(provider.gitops_secrets if gitops else ())),
        pm_setup=_pip_install(tools[manager.ci_tool]),
        copier_setup=_pip_install(tools["copier"]),
        ansible_setup=_pip_install(tools["ansible"]),
        renovate_managers=(
            manager.renovate_manager,
            *(["dockerfile"] if builds_image(answers) else []),
            provider.renovate_ci_manager,
        ),
        registry_name=CLOUDS[cloud].registry_name if has_cloud(cloud) else provider.registry.name,
        gitops=gitops,
        required_checks=required_checks(provider, answers),
        uses={name: action(name) for name in data.dependencies()["actions"]},
        terraform_env=plan_values(CLOUD_PROVIDERS[cloud].github_terraform_env, cloud),
    )


def delivery_values(answers: Mapping[str, str]) -> DeliveryValues:
    """Values of the CI/CD files and the GitOps manifests that follow from choice answers."""
    return DeliveryValues(
        ci=ci_facts(answers),
        branching=BRANCHING_MODELS[answers["branching_model"]],
        k8s_memory=FRAMEWORKS[answers["ml_framework"]].k8s_memory,
    )

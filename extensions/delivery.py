"""Delivery values: the CI/CD files (pinned actions, cloud and registry sign-in), the registry and
the GitOps manifests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from . import data
from .branching import BRANCHING_MODELS
from .ci_providers import CI_PROVIDERS, CI_REGISTRY_NAMES, GIT_HOSTS, REGISTRY_VARIABLE, provider_facts
from .frameworks import FRAMEWORKS
from .infrastructure import CLOUDS
from .options import DEPLOYMENTS, DOCS, SERVINGS
from .package_managers import PACKAGE_MANAGERS


def action(name: str) -> str:
    """`owner/repo@<sha> # <tag>` of one action pinned in dependencies.yml."""
    pin = data.dependencies()["actions"][name]
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
                "gitlabci",
            ],
            "git_host": GIT_HOSTS[answers["ci_provider"]],
            "registry_name": CLOUDS[cloud].registry_name
            if cloud in CLOUDS
            else CI_REGISTRY_NAMES[answers["ci_provider"]],
            "terraform": cloud != "none",
            "image": image,
            "gitops": gitops,
            # The `ci` jobs that run on every pull request, which branch protection requires: a
            # required check that never reports would block every merge.
            "required_checks": (
                "check",
                *(("workflows",) if answers["ci_provider"] == "github" else ()),
                "pipeline",
                *(provider.image_jobs if image else ()),
                *(("terraform",) if cloud != "none" else ()),
                *(("docs",) if site else ()),
            ),
            "docs": site,
            "uses": {name: action(name) for name in data.dependencies()["actions"]},
            "terraform_env": TERRAFORM_ENV.get(cloud, {}),
        },
        "branching": asdict(BRANCHING_MODELS[answers["branching_model"]]),
        "gitlab_cloud": data.gitlab_clouds().get(cloud),
        # Memory of one serving pod, which the framework's libraries set.
        "k8s_memory": asdict(FRAMEWORKS[answers["ml_framework"]].k8s_memory),
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

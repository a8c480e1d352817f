"""Values that also need free-text answers: repository path and URLs, image names, cloud sign-in.

Values that also need free-text answers besides the choices: the repository's path and URLs
(Argo CD follows them), the image names, and the cloud sign-in steps (they name the region)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import data
from .ci_providers import CI_PROVIDERS, LoginStep
from .clouds import CLOUD_PROVIDERS, ShellSignIn, has_cloud

# Kubernetes names are DNS labels of at most 63 characters, and namespaces get a suffix.
K8S_NAME_LENGTH = 40


@dataclass(frozen=True)
class RepositoryValues:
    """The context's names for the repository, its images and its jobs' sign-in to the cloud."""

    k8s_name: str
    # `<organization>/<project_slug>`, and its clone and web URLs on the CI provider's git host.
    repository_path: str
    repository_url: str
    repository_web_url: str
    # The CI provider's registry (registries want lowercase names); a cloud project's first
    # release replaces it with the cloud registry's address.
    default_image: str
    # Where the release workflow pushes: Terraform fills the `REGISTRY` variable for a cloud.
    release_image: str
    # GitHub steps that sign the `terraform` job in to the cloud through OIDC (no stored keys)
    # as the read-only plan identity, and those that let `docker push` reach the image registry;
    # `uses` is the pinned action.
    cloud_login: tuple[LoginStep, ...]
    registry_login: tuple[LoginStep, ...]
    # How a shell job (GitLab, Bitbucket) signs in to the cloud with its OIDC token.
    shell_login: ShellSignIn | None


def action(name: str) -> str:
    """`owner/repo@<sha> # <tag>` of one action pinned in dependencies.yml."""
    pin = data.dependencies()["actions"][name]
    return f"{pin['repo']}@{pin['sha']} # {pin['version']}"


def _regional(values: dict[str, str], region: str) -> dict[str, str]:
    return {key: value.replace("{region}", region) for key, value in values.items()}


def login_steps(steps: tuple[LoginStep, ...], region: str) -> tuple[LoginStep, ...]:
    """Workflow steps of a record (a cloud's or the CI provider's): the region filled in, each
    action pinned."""
    return tuple(
        dataclasses.replace(login, env=_regional(login.env, region))
        if login.run
        else dataclasses.replace(login, uses=action(login.uses), inputs=_regional(login.inputs, region))
        for login in steps
    )


def plan_references(text: str, cloud: str) -> str:
    """`text` with each reference to a CI identity's variable (`$X`, `${X}`, `vars.X`) pointed
    at the read-only plan identity's (the cloud record's `plan_variables`)."""
    for variable, plan in CLOUD_PROVIDERS[cloud].plan_variables.items():
        text = re.sub(rf"(\$\{{?|\bvars\.){variable}\b", rf"\g<1>{plan}", text)
    return text


def plan_values(values: Mapping[str, str], cloud: str) -> dict[str, str]:
    """A mapping's values with plan_references applied."""
    return {key: plan_references(value, cloud) for key, value in values.items()}


def plan_login_steps(cloud: str, region: str) -> tuple[LoginStep, ...]:
    """The cloud's GitHub sign-in steps as the `terraform` job's: as the read-only plan identity."""
    return tuple(
        dataclasses.replace(step, inputs=plan_values(step.inputs, cloud), env=plan_values(step.env, cloud))
        for step in login_steps(CLOUD_PROVIDERS[cloud].github_login, region)
    )


def registry_login(cloud: str, ci_provider: str, region: str) -> tuple[LoginStep, ...]:
    """Steps that let `docker push` reach the image registry: cloud sign-in, then the registry
    (without a cloud, the CI provider's own)."""
    record = CLOUD_PROVIDERS[cloud]
    registry = (
        record.github_registry_login if record.infrastructure else CI_PROVIDERS[ci_provider].registry.login
    )
    return login_steps(record.github_login, region) + login_steps(registry, region)


def shell_login(cloud: str, ci_provider: str, region: str) -> ShellSignIn | None:
    """The cloud's shell sign-in for a CI service whose jobs hold the OIDC token in a variable;
    the `terraform` job's as the read-only plan identity."""
    login = CLOUD_PROVIDERS[cloud].shell_login
    variable = CI_PROVIDERS[ci_provider].oidc.token_variable
    if login is None or variable is None:
        return None
    return data.pick(
        ShellSignIn,
        login,
        terraform_auth=plan_references(re.sub(r"\bOIDC_TOKEN\b", variable, login.terraform_auth), cloud),
        registry_login=re.sub(r"\bOIDC_TOKEN\b", variable, login.registry_login),
        terraform_variables=plan_values(_regional(login.terraform_variables, region), cloud),
        registry_variables=_regional(login.registry_variables, region),
        terraform_audience=plan_references(login.audience, cloud),
    )


def repository_path(text: Mapping[str, Any]) -> str:
    """`<organization>/<project_slug>`, the repository on its git host."""
    return f"{text['organization']}/{text['project_slug']}"


def repository_values(answers: Mapping[str, str], text: Mapping[str, Any]) -> RepositoryValues:
    """The repository's URLs, the image names and the cloud sign-in, from the choices and the
    free-text answers (organization, project_slug, cloud_region)."""
    ci_provider, cloud = answers["ci_provider"], answers["cloud_provider"]
    provider = CI_PROVIDERS[ci_provider]
    path = repository_path(text)
    region = str(text.get("cloud_region") or "")
    default_image = f"{provider.registry.host}/{path.lower()}"
    return RepositoryValues(
        k8s_name=str(text["project_slug"])[:K8S_NAME_LENGTH].rstrip("-"),
        repository_path=path,
        repository_url=f"https://{provider.git_host}/{path}.git",
        repository_web_url=f"https://{provider.git_host}/{path}",
        default_image=default_image,
        release_image=f"{provider.registry.variable}/{text['project_slug']}"
        if has_cloud(cloud)
        else default_image,
        cloud_login=plan_login_steps(cloud, region),
        registry_login=registry_login(cloud, ci_provider, region),
        shell_login=shell_login(cloud, ci_provider, region),
    )

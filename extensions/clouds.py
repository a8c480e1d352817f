"""The clouds and servers a project's infrastructure lives on, one record per cloud_provider value.

The clouds and servers a project's infrastructure lives on, one record per cloud_provider
value (choices/cloud_provider/<value>.yml): names, sign-in steps, the team's own servers."""

from __future__ import annotations

from dataclasses import dataclass

from . import data
from .ci_providers import LoginStep


@dataclass(frozen=True)
class CiVariable:
    """A Terraform output CI reads as a variable, and what it is (infra README, CONTRIBUTING)."""

    name: str
    purpose: str


@dataclass(frozen=True)
class CloudFacts:
    """What the docs say about one cloud: the context's `cloud`."""

    label: str
    # Words and commands of the docs: what holds objects, what isolates an environment, how to
    # sign in so that Terraform finds the credentials.
    storage_noun: str
    isolation_noun: str
    sign_in: str
    ci_variables: tuple[CiVariable, ...]
    # Markdown of the infra README: the OIDC audience, the Terraform modules, what to do after
    # signing in, first-time notes, and how storage and the registry are protected.
    oidc_audience: str
    modules: tuple[str, ...]
    sign_in_after: str
    first_time: str
    storage_security: str
    registry_security: str


@dataclass(frozen=True)
class Cloud(CloudFacts):
    """How one cloud names the things infra/terraform creates and DVC reads, and what the docs
    say about it."""

    dvc_scheme: str
    # Azure storage accounts allow no hyphen; buckets on the other clouds read better with them.
    name_separator: str
    # The image registry; its address comes from Terraform into the `REGISTRY` CI variable.
    registry_name: str
    # backend.tfbackend's settings, formats of `{prefix}`, `{environment}` and `{region}`.
    state_backend: dict[str, str]
    # The DVC remote's URL, a format of `{account}` (the staging storage name).
    dvc_url: str
    # Whether DVC needs the storage account as a setting of its own (Azure URLs name the container).
    dvc_account: bool = False


@dataclass(frozen=True)
class Region:
    """How the cloud spells its region names, and the one a new project starts in."""

    pattern: str
    default: str
    example: str


@dataclass(frozen=True)
class ShellLogin:
    """How a shell job signs in to the cloud with the OIDC token of its CI service (in
    `$OIDC_TOKEN`, renamed to the CI record's `oidc.token_variable`): no long-lived keys. The
    identities and the trust of the issuer are created by Terraform (infra/terraform)."""

    # The `aud` claim the cloud's trust policy expects.
    audience: str
    # Variables of the Terraform job and of the release job, formats of `{region}`.
    terraform_variables: dict[str, str]
    registry_variables: dict[str, str]
    # Shell lines after which Terraform's provider finds credentials.
    terraform_auth: str
    # Alpine packages the release job adds to the docker image.
    registry_packages: tuple[str, ...]
    # Shell lines that log docker in to "$REGISTRY" (the image repository).
    registry_login: str


@dataclass(frozen=True)
class ShellSignIn(ShellLogin):
    """A cloud's shell sign-in as the jobs use it: the token renamed, the region filled in, and
    the `terraform` job's lines and audience pointed at the read-only plan identity."""

    # The `aud` of the plan's token (Google Cloud: the plan identity's provider).
    terraform_audience: str


@dataclass(frozen=True)
class Servers:
    """The team's own servers, which infra/ansible sets up instead of a cloud that Terraform
    creates: an MLflow tracking server and a DVC remote over SSH. No region, registry or OIDC."""

    # The example host of inventory.example.yml, which .dvc/config's remote also names until the
    # team writes its own.
    host: str
    # The system user that owns the DVC storage folder, whose authorized keys are the team's.
    dvc_user: str
    # The storage folder on the server, a format of `{project}` (the project's slug).
    dvc_path: str
    # The port the MLflow server listens on, on the server's loopback (reached through SSH).
    mlflow_port: int
    # The DVC plugin of the remote's scheme (a dev dependency, extensions/dependencies.yml).
    dvc_scheme: str


@dataclass(frozen=True)
class CloudProvider:
    """One value of cloud_provider; `none` and `onprem` have no cloud infrastructure, region or
    sign-in; `onprem` has `servers` instead."""

    infrastructure: Cloud | None
    region: Region | None
    # GitHub's sign-in steps, its registry sign-in steps, and the environment Terraform needs
    # to use the OIDC session.
    github_login: tuple[LoginStep, ...]
    github_registry_login: tuple[LoginStep, ...]
    github_terraform_env: dict[str, str]
    # The `terraform` job plans as the read-only plan identity: each CI identity's variable its
    # sign-in reads, and the plan identity's that it reads instead.
    plan_variables: dict[str, str]
    shell_login: ShellLogin | None
    servers: Servers | None = None


CLOUD_PROVIDERS = data.records("cloud_provider", CloudProvider)
CLOUDS: dict[str, Cloud] = {
    name: record.infrastructure for name, record in CLOUD_PROVIDERS.items() if record.infrastructure
}


def has_cloud(cloud_provider: str) -> bool:
    """Whether infra/ creates the project's resources on a cloud (not none, not the team's servers)."""
    return cloud_provider in CLOUDS

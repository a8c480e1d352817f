"""Infrastructure values (infra/terraform or, on the team's own servers, infra/ansible; the DVC
remote they hold): cloud names, state backends, the OIDC subjects each environment's CI identity
trusts. The data is in choices/cloud_provider/<value>.yml."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from . import data
from .branching import BRANCHING_MODELS
from .ci_providers import CI_PROVIDERS, LoginStep


@dataclass(frozen=True)
class CiVariable:
    """A Terraform output CI reads as a variable, and what it is (infra README, CONTRIBUTING)."""

    name: str
    purpose: str


@dataclass(frozen=True)
class Cloud:
    """How one cloud names the things infra/terraform creates and DVC reads, and what the docs
    say about it: the template's `cloud`."""

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
    # backend.tfbackend's settings, formats of `{prefix}`, `{environment}` and `{region}`.
    state_backend: dict[str, str]
    # The DVC remote's URL, a format of `{account}` (the staging storage name).
    dvc_url: str
    ci_variables: tuple[CiVariable, ...]
    # Markdown of the infra README: the OIDC audience, the Terraform modules, what to do after
    # signing in, first-time notes, and how storage and the registry are protected.
    oidc_audience: str
    modules: tuple[str, ...]
    sign_in_after: str
    first_time: str
    storage_security: str
    registry_security: str
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
    shell_login: ShellLogin | None
    servers: Servers | None = None


CLOUD_PROVIDERS = data.records("cloud_provider", CloudProvider)
CLOUDS: dict[str, Cloud] = {
    name: record.infrastructure for name, record in CLOUD_PROVIDERS.items() if record.infrastructure
}
# One Terraform root, one state per environment (see infra/terraform/README.md for why).
ENVIRONMENTS = ("staging", "production")
# Development and CI version data and push images here; production receives releases.
DATA_ENVIRONMENT = "staging"
DVC_CLOUD_REMOTE = "cloud"
OIDC_ISSUERS = {name: provider.oidc.issuer for name, provider in CI_PROVIDERS.items()}


def storage_name(prefix: str, cloud: str, environment: str) -> str:
    """The bucket (Azure: storage account) that holds DVC data and MLflow artifacts; main.tf
    builds the same name from var.resource_prefix and var.environment."""
    separator = CLOUDS[cloud].name_separator
    return separator.join((prefix, environment, "ml"))


def ci_subjects(ci_provider: str, repository: str, branches: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The OIDC `sub` claims each environment's CI identity trusts, exactly: the CI record's
    formats, the per-branch ones once for each protected branch (whose pushes run the gate)."""
    oidc = CI_PROVIDERS[ci_provider].oidc
    per_branch = tuple(
        subject.format(repository=repository, branch=branch)
        for subject in oidc.per_branch
        for branch in branches
    )
    return {
        "staging": (*per_branch, *(subject.format(repository=repository) for subject in oidc.staging)),
        "production": tuple(subject.format(repository=repository) for subject in oidc.production),
    }


def state_backend(cloud: str, prefix: str, region: str, environment: str) -> tuple[str, ...]:
    """Lines of an environment's backend.tfbackend: the state store bootstrap/ creates, named by
    the same rule as bootstrap/main.tf, one state file per environment."""
    settings = {
        key: value.format(prefix=prefix, environment=environment, region=region)
        for key, value in CLOUDS[cloud].state_backend.items()
    }
    width = max(len(key) for key in settings)
    return tuple(f'{key.ljust(width)} = "{value}"' for key, value in settings.items())


def shell_login(cloud: str, ci_provider: str, region: str) -> dict[str, Any] | None:
    """The cloud's shell sign-in for a CI service whose jobs hold the OIDC token in a variable."""
    login = CLOUD_PROVIDERS[cloud].shell_login
    variable = CI_PROVIDERS[ci_provider].oidc.token_variable
    if login is None or variable is None:
        return None
    lines = asdict(login)
    for key in ("terraform_auth", "registry_login"):
        lines[key] = re.sub(r"\bOIDC_TOKEN\b", variable, lines[key])
    for key in ("terraform_variables", "registry_variables"):
        lines[key] = {name: value.replace("{region}", region) for name, value in lines[key].items()}
    return lines


def mlflow_server_spec() -> str:
    """The MLflow release range of the tracking server: the project's client range
    (mlflow-skinny, extensions/dependencies.yml), for the full package that has the server."""
    client = next(dep for dep in data.dependencies()["runtime"] if dep["name"] == "mlflow-skinny")
    return f"mlflow{client['spec']}"


def servers_values(servers: Servers, repository: str) -> dict[str, Any]:
    """Names shared by infra/ansible, .dvc/config and the docs for the team's own servers."""
    path = servers.dvc_path.format(project=repository.rsplit("/", maxsplit=1)[-1])
    return {
        "cloud": None,
        "servers": {**asdict(servers), "dvc_path": path, "mlflow_spec": mlflow_server_spec()},
        "dvc_cloud_remote": {
            "name": DVC_CLOUD_REMOTE,
            "url": f"{servers.dvc_scheme}://{servers.dvc_user}@{servers.host}{path}",
            "account_name": "",
            "environment": DATA_ENVIRONMENT,
        },
    }


def infra_values(answers: dict[str, str], prefix: str, region: str, repository: str) -> dict[str, Any]:
    """Names shared by infra/terraform (or infra/ansible), .dvc/config and the docs; `cloud` and
    `servers` are None without them."""
    cloud = answers["cloud_provider"]
    servers = CLOUD_PROVIDERS[cloud].servers
    if servers is not None:
        return servers_values(servers, repository)
    if cloud not in CLOUDS:
        return {"cloud": None, "servers": None}
    account = storage_name(prefix, cloud, DATA_ENVIRONMENT)
    facts = CLOUDS[cloud]
    return {
        "cloud": asdict(facts),
        "servers": None,
        "infra_environments": ENVIRONMENTS,
        "dvc_cloud_remote": {
            "name": DVC_CLOUD_REMOTE,
            "url": facts.dvc_url.format(account=account),
            "account_name": account if facts.dvc_account else "",
            "environment": DATA_ENVIRONMENT,
        },
        "ci_oidc_issuer": OIDC_ISSUERS[answers["ci_provider"]].format(
            owner=repository.split("/", maxsplit=1)[0]
        ),
        "ci_subjects": ci_subjects(
            answers["ci_provider"], repository, BRANCHING_MODELS[answers["branching_model"]].protected
        ),
        "terraform_backend": {env: state_backend(cloud, prefix, region, env) for env in ENVIRONMENTS},
        # Google Cloud: one project per environment, named like the other resources.
        "gcp_project_ids": {env: f"{prefix}-{env}" for env in ENVIRONMENTS},
    }

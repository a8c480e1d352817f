"""Infrastructure values: cloud names, state backends, the DVC remote, the CI identity's subjects.

Infrastructure values (infra/terraform, infra/cloudformation or, on the team's own servers,
infra/ansible; the DVC remote they hold): cloud names, state backends, the OIDC subjects each
environment's CI identity trusts. The records are in clouds.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import clouds, data
from .branching import BRANCHING_MODELS
from .ci_providers import CI_PROVIDERS
from .clouds import CiVariable, CloudFacts, Servers, has_cloud
from .iac_tools import IAC_TOOLS
from .repository import repository_path

# One Terraform root, one state per environment (see infra/terraform/README.md for why).
ENVIRONMENTS = ("staging", "production")
# Development and CI version data and push images here; production receives releases.
DATA_ENVIRONMENT = "staging"
DVC_CLOUD_REMOTE = "cloud"
# The records' tables, where filters.py and the tests look them up.
CLOUD_PROVIDERS = clouds.CLOUD_PROVIDERS
CLOUDS = clouds.CLOUDS
OIDC_ISSUERS = {name: provider.oidc.issuer for name, provider in CI_PROVIDERS.items()}
Value = TypeVar("Value")


@dataclass(frozen=True)
class Hosting:
    """Where the project's infrastructure lives, as the answers alone say."""

    # A cloud whose resources infra/ creates (Terraform or CloudFormation); CI signs in to it.
    has_cloud: bool
    # The team's own servers, which infra/ansible sets up (ansible-lint in CI instead).
    has_servers: bool


@dataclass(frozen=True)
class PerEnvironment(Generic[Value]):
    """One value per environment of ENVIRONMENTS."""

    staging: Value
    production: Value


@dataclass(frozen=True)
class ServerFacts:
    """The team's own servers, as infra/ansible, .dvc/config and the docs name them."""

    host: str
    dvc_user: str
    # The storage folder of this project.
    dvc_path: str
    mlflow_port: int
    # The MLflow release range of the tracking server.
    mlflow_spec: str


@dataclass(frozen=True)
class DvcRemote:
    """The DVC remote on the cloud's staging storage or the team's server (.dvc/config)."""

    name: str
    url: str
    # The storage account, where DVC needs it as a setting of its own (Azure); else empty.
    account_name: str
    environment: str


@dataclass(frozen=True)
class InfraValues:
    """The context's names shared by infra/, .dvc/config and the docs; None where they do not apply
    (no cloud: the cloud's; no servers: the servers')."""

    cloud: CloudFacts | None
    servers: ServerFacts | None
    infra_environments: tuple[str, ...]
    dvc_cloud_remote: DvcRemote | None
    ci_oidc_issuer: str | None
    ci_subjects: PerEnvironment[tuple[str, ...]] | None
    # The read-only plan identity's: exact claims and starts of claims.
    ci_plan_subjects: PerEnvironment[tuple[str, ...]] | None
    ci_plan_subject_prefixes: PerEnvironment[tuple[str, ...]] | None
    terraform_backend: PerEnvironment[tuple[str, ...]] | None
    # Google Cloud: one project per environment, named like the other resources.
    gcp_project_ids: PerEnvironment[str] | None


def hosting_values(answers: Mapping[str, str]) -> Hosting:
    """Whether there is a cloud, or the team's own servers."""
    cloud = answers["cloud_provider"]
    return Hosting(has_cloud=has_cloud(cloud), has_servers=CLOUD_PROVIDERS[cloud].servers is not None)


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


def ci_plan_subjects(
    ci_provider: str, repository: str, subjects: PerEnvironment[tuple[str, ...]]
) -> tuple[PerEnvironment[tuple[str, ...]], PerEnvironment[tuple[str, ...]]]:
    """The `sub` claims each environment's read-only plan identity trusts, exactly and by their
    start: staging's, the request pipelines of the CI record; production's, exactly what its CI
    identity trusts, so no request reads production."""
    oidc = CI_PROVIDERS[ci_provider].oidc
    staging = tuple(subject.format(repository=repository) for subject in oidc.plan_subjects)
    prefixes = tuple(prefix.format(repository=repository) for prefix in oidc.plan_subject_prefixes)
    return PerEnvironment(staging, subjects.production), PerEnvironment(prefixes, ())


def state_backend(cloud: str, prefix: str, region: str, environment: str) -> tuple[str, ...]:
    """Lines of an environment's backend.tfbackend: the state store bootstrap/ creates, named by
    the same rule as bootstrap/main.tf, one state file per environment."""
    settings = {
        key: value.format(prefix=prefix, environment=environment, region=region)
        for key, value in CLOUDS[cloud].state_backend.items()
    }
    width = max(len(key) for key in settings)
    return tuple(f'{key.ljust(width)} = "{value}"' for key, value in settings.items())


def mlflow_server_spec() -> str:
    """The MLflow release range of the tracking server: the project's client range
    (mlflow-skinny, extensions/dependencies.yml), for the full package that has the server."""
    client = next(dep for dep in data.dependencies()["runtime"] if dep["name"] == "mlflow-skinny")
    return f"mlflow{client['spec']}"


def servers_values(servers: Servers, project_slug: str) -> InfraValues:
    """Names shared by infra/ansible, .dvc/config and the docs for the team's own servers."""
    path = servers.dvc_path.format(project=project_slug)
    url = f"{servers.dvc_scheme}://{servers.dvc_user}@{servers.host}{path}"
    return InfraValues(
        cloud=None,
        servers=data.pick(ServerFacts, servers, dvc_path=path, mlflow_spec=mlflow_server_spec()),
        infra_environments=ENVIRONMENTS,
        dvc_cloud_remote=DvcRemote(DVC_CLOUD_REMOTE, url, "", DATA_ENVIRONMENT),
        ci_oidc_issuer=None,
        ci_subjects=None,
        ci_plan_subjects=None,
        ci_plan_subject_prefixes=None,
        terraform_backend=None,
        gcp_project_ids=None,
    )


def published_variables(answers: Mapping[str, str]) -> tuple[CiVariable, ...]:
    """The CI variables the infrastructure publishes: the plan identity's only where the
    infrastructure's job plans (Terraform)."""
    record = CLOUD_PROVIDERS[answers["cloud_provider"]]
    assert record.infrastructure is not None
    plan = () if IAC_TOOLS[answers["iac_tool"]].plans else tuple(record.plan_variables.values())
    return tuple(variable for variable in record.infrastructure.ci_variables if variable.name not in plan)


def cloud_values(answers: Mapping[str, str], prefix: str, region: str, repository: str) -> InfraValues:
    """Names shared by infra/terraform (or infra/cloudformation), .dvc/config and the docs."""
    cloud = CLOUDS[answers["cloud_provider"]]
    account = storage_name(prefix, answers["cloud_provider"], DATA_ENVIRONMENT)
    branches = BRANCHING_MODELS[answers["branching_model"]].protected
    subjects = PerEnvironment(**ci_subjects(answers["ci_provider"], repository, branches))
    plan_subjects, plan_prefixes = ci_plan_subjects(answers["ci_provider"], repository, subjects)
    return InfraValues(
        cloud=data.pick(CloudFacts, cloud, ci_variables=published_variables(answers)),
        servers=None,
        infra_environments=ENVIRONMENTS,
        dvc_cloud_remote=DvcRemote(
            DVC_CLOUD_REMOTE,
            cloud.dvc_url.format(account=account),
            account if cloud.dvc_account else "",
            DATA_ENVIRONMENT,
        ),
        ci_oidc_issuer=OIDC_ISSUERS[answers["ci_provider"]].format(
            owner=repository.split("/", maxsplit=1)[0]
        ),
        ci_subjects=subjects,
        ci_plan_subjects=plan_subjects,
        ci_plan_subject_prefixes=plan_prefixes,
        terraform_backend=PerEnvironment(
            *(state_backend(answers["cloud_provider"], prefix, region, env) for env in ENVIRONMENTS)
        ),
        gcp_project_ids=PerEnvironment(*(f"{prefix}-{env}" for env in ENVIRONMENTS)),
    )


def infra_values(answers: Mapping[str, str], text: Mapping[str, Any]) -> InfraValues:
    """Names shared by infra/, .dvc/config and the docs, from the choices and the free-text
    answers (the repository, the resource prefix, the region)."""
    servers = CLOUD_PROVIDERS[answers["cloud_provider"]].servers
    if servers is not None:
        return servers_values(servers, str(text["project_slug"]))
    if not has_cloud(answers["cloud_provider"]):
        return InfraValues(None, None, ENVIRONMENTS, None, None, None, None, None, None, None)
    return cloud_values(
        answers, str(text["resource_prefix"]), str(text["cloud_region"]), repository_path(text)
    )

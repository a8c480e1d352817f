"""Infrastructure values (infra/terraform, the DVC cloud remote): cloud names, state backends,
the OIDC subjects each environment's CI identity trusts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .branching import BRANCHING_MODELS


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

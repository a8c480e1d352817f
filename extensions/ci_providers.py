"""What each CI service is called and where it keeps things: its words, jobs, settings, secrets,
git host and registry."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

GIT_HOSTS = {"github": "github.com", "gitlab": "gitlab.com"}
# Without a cloud, the CI provider's own registry needs no `REGISTRY` variable.
REGISTRY_VARIABLE = {"github": "${{ vars.REGISTRY }}", "gitlab": "${REGISTRY}"}
CI_REGISTRY_NAMES = {"github": "GitHub Container Registry", "gitlab": "GitLab Container Registry"}


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

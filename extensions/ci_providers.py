"""What each CI service is called and where it keeps things (its words, jobs, registry, OIDC).

What each CI service is called and where it keeps things: its words, jobs, settings, secrets,
git host, registry and OIDC identity. The data is in choices/ci_provider/<value>.yml."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import data


@dataclass(frozen=True)
class CiSecret:
    """A secret a person stores in the CI settings; OIDC covers the cloud, so these are the rest."""

    name: str
    # Which job reads it and what it is: the security docs list them, for rotation and leaks.
    purpose: str


@dataclass(frozen=True)
class LoginStep:
    """A workflow step that calls a pinned action (`uses` names a pin of dependencies.yml
    `actions`) or runs a command with `env`; `{region}` in a value is the project's cloud region."""

    name: str
    uses: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    run: str = ""
    env: dict[str, str] = field(default_factory=dict)
    id: str = ""


@dataclass(frozen=True)
class Registry:
    """The CI service's own container registry, where images go without a cloud."""

    host: str
    name: str
    # How a release job reads the `REGISTRY` variable that Terraform fills for a cloud.
    variable: str
    # Steps that sign a job in to it (GitHub); empty where the CI file does it itself.
    login: tuple[LoginStep, ...]


@dataclass(frozen=True)
class OidcFacts:
    """What the templates read of a CI service's OIDC identity: the context's `ci.oidc`."""

    # `exact`: the subjects are whole claims. `prefix`: a claim ends with a part the service
    # picks per job, so the provider's own Terraform file trusts claims by their start.
    subject_match: str
    # Values only the CI service knows (its UUIDs), by Terraform variable, with where to find
    # each: written empty into both environments' terraform.tfvars, which Terraform refuses to
    # plan with until the team copies them in.
    tfvars: dict[str, str]
    # The variable holding the token for the cloud records' `shell_login` lines; None where
    # jobs sign in with steps (`github_login`) instead.
    token_variable: str | None


@dataclass(frozen=True)
class Oidc(OidcFacts):
    """Who issues the CI jobs' OIDC tokens and which `sub` claims each environment's cloud
    identity trusts: formats with `{repository}` and, for `per_branch`, `{branch}` (each protected
    branch)."""

    # `{owner}` stands for the repository's owner (a workspace names its own issuer).
    issuer: str
    # Clouds whose identities cannot trust these tokens (Azure wants exact subjects): the
    # cloud_provider question refuses them.
    untrusted_by: tuple[str, ...]
    per_branch: tuple[str, ...]
    staging: tuple[str, ...]
    production: tuple[str, ...]
    # What staging's read-only plan identity trusts, exactly and by the claim's start: the
    # pipelines of a pull or merge request, which plan its change.
    plan_subjects: tuple[str, ...]
    plan_subject_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Checkov:
    """How checkov scans the CI files: its framework and the file (`-f`) or folder (`-d`)."""

    framework: str
    option: str
    target: str


@dataclass(frozen=True)
class TerraformProvider:
    """The Terraform provider that keeps the repository's settings as code (repository.tf)."""

    name: str
    source: str
    version: str


@dataclass(frozen=True)
class CiProviderWords:
    """What the templates read of a CI service as its record states it (part of the context's `ci`)."""

    label: str
    host_label: str
    # What a change is proposed as.
    request: str
    # The job that pushes the serving image from a version tag, and the file that defines it.
    release_job: str
    # The jobs that build the serving image on every change.
    image_jobs: tuple[str, ...]
    release_file: str
    ci_file: str
    ci_files: str
    # Where the web interface keeps CI variables and secrets.
    settings: str
    variables_label: str
    variables_reader: str
    codeowners: str
    # The bot that proposes dependency updates, and its configuration file.
    dependency_bot: str
    dependency_bot_file: str
    edit_path: str
    repository_provider: TerraformProvider
    git_host: str


@dataclass(frozen=True)
class CiProvider(CiProviderWords):
    """One CI service: its words, its jobs, where its settings are, its registry and identity."""

    renovate_ci_manager: str
    # Whether an owner may be a group path (`group/subgroup`); else one name, no `/`.
    nested_owners: bool
    registry: Registry
    # Jobs of every change, whatever the answers: branch protection requires them.
    gate_jobs: tuple[str, ...]
    oidc: Oidc
    checkov: Checkov
    # check-jsonschema's builtin schemas and the files (globs) each one validates.
    schemas: dict[str, tuple[str, ...]]
    secrets: tuple[CiSecret, ...]
    # Only with a GitOps deployment: the job that opens the deployment's pull request.
    gitops_secrets: tuple[CiSecret, ...]


CI_PROVIDERS = data.records("ci_provider", CiProvider)

"""Tier 0: the values the context hook derives, per concern, without rendering."""

from __future__ import annotations

import re

import pytest

from extensions import (
    branching,
    ci_providers,
    context,
    data,
    delivery,
    environment,
    filters,
    infrastructure,
    package_managers,
    repository,
)

pytestmark = pytest.mark.static


@pytest.mark.parametrize("manager", sorted(package_managers.PACKAGE_MANAGERS))
def test_derived_values_per_package_manager(manager: str) -> None:
    questions = data.load_yaml(data.COPIER_FILE)
    defaults = {name: str(questions[name]["default"]) for name in data.choice_questions()}
    # A hidden question's default may be a Jinja expression; its rendered value is a choice.
    defaults["deployment"] = "kubernetes"
    derived = context.derive(tuple(sorted({**defaults, "package_manager": manager}.items())))

    assert derived["python_requires"] == ">=3.12,<3.13"
    pytest_floor = f"pytest>={derived['pytest_minversion']},"
    assert any(req.startswith(pytest_floor) for req in derived["dev_dependencies"])
    assert derived["pm"].run.split()[0] == manager
    assert any(req.startswith("scikit-learn") for req in derived["runtime_dependencies"])
    assert len(derived["pipfile_dev_packages"]) == len(derived["dev_dependencies"])
    assert derived["pipfile_dev_packages"][0].startswith('pytest = ">=')
    assert derived["docker"].base_image.startswith("python:3.12.")
    assert derived["docker"].package_manager_requirement.startswith(f"{manager}==")
    assert manager in derived["docker"].install_project


def test_the_hook_waits_for_valid_choices() -> None:
    complete = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    assert context.answers_of(complete) is not None
    assert context.answers_of({**complete, "ml_framework": "jax"}) is None
    assert context.answers_of({key: value for key, value in complete.items() if key != "license"}) is None


# --- Infrastructure: names and dependencies the context hook derives for infra/terraform ---------

LONGEST_PREFIX = "abcdefghijkl"


@pytest.mark.parametrize("environment", infrastructure.ENVIRONMENTS)
def test_cloud_names_fit_the_clouds_limits_even_with_the_longest_prefix(environment: str) -> None:
    assert filters.resource_prefix_problem(LONGEST_PREFIX) == ""
    backend_lines = infrastructure.state_backend("azure", LONGEST_PREFIX, "westeurope", environment)
    azure_state = {
        key.strip(): value.strip('"') for key, value in (line.split(" = ") for line in backend_lines)
    }
    accounts = (
        infrastructure.storage_name(LONGEST_PREFIX, "azure", environment),
        azure_state["storage_account_name"],
    )

    # Azure storage accounts: 3 to 24 lowercase letters and digits.
    for account in accounts:
        assert re.fullmatch(r"[a-z0-9]{3,24}", account), account
    # Buckets: at most 63 characters.
    assert len(infrastructure.storage_name(LONGEST_PREFIX, "aws", environment)) <= 63
    # Google Cloud project IDs: 6 to 30 characters.
    values = infrastructure.infra_values(
        {
            "cloud_provider": "gcp",
            "ci_provider": "github",
            "branching_model": "trunk",
            "iac_tool": "terraform",
        },
        {"organization": "a", "project_slug": "b", "resource_prefix": LONGEST_PREFIX, "cloud_region": "x"},
    )
    assert values.gcp_project_ids is not None
    assert 6 <= len(getattr(values.gcp_project_ids, environment)) <= 30


def test_infra_values_without_a_cloud_name_no_cloud_and_no_servers() -> None:
    answers = {"cloud_provider": "none", "ci_provider": "github"}
    values = infrastructure.infra_values(answers, {"organization": "acme", "project_slug": "x"})
    hosting = infrastructure.hosting_values(answers)

    assert (values.cloud, values.servers, values.ci_subjects) == (None, None, None)
    assert not hosting.has_cloud
    assert not hosting.has_servers


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("branching_model", sorted(branching.BRANCHING_MODELS))
def test_ci_subjects_are_exact_and_name_the_repository(ci_provider: str, branching_model: str) -> None:
    answers = {
        "cloud_provider": "aws",
        "ci_provider": ci_provider,
        "branching_model": branching_model,
        "iac_tool": "terraform",
    }
    text = {
        "organization": "acme",
        "project_slug": "x",
        "resource_prefix": "acme",
        "cloud_region": "eu-west-1",
    }
    values = infrastructure.infra_values(answers, text)
    assert values.ci_subjects is not None
    assert values.dvc_cloud_remote is not None

    if ci_providers.CI_PROVIDERS[ci_provider].oidc.subject_match == "prefix":
        # Trusted by prefix in the provider's own ci_oidc.tf, from UUIDs the team copies in.
        assert values.ci_subjects == infrastructure.PerEnvironment(staging=(), production=())
        return
    for subjects in (values.ci_subjects.staging, values.ci_subjects.production):
        assert subjects
        assert all("acme/x:" in subject and "*" not in subject for subject in subjects)
    # Pushes to every protected branch run the gate, which may read the staging data.
    for branch in branching.BRANCHING_MODELS[branching_model].protected:
        assert any(
            subject.endswith((f"refs/heads/{branch}", f"ref:{branch}"))
            for subject in values.ci_subjects.staging
        )
    assert not any("develop" in subject for subject in values.ci_subjects.production)
    assert values.dvc_cloud_remote.url == "s3://acme-staging-ml/dvc"


@pytest.mark.parametrize(("manager", "ecosystem"), [("poetry", "pip"), ("uv", "uv"), ("pipenv", "pip")])
def test_delivery_values_per_package_manager(manager: str, ecosystem: str) -> None:
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    chosen = {**answers, "package_manager": manager}
    ci, pm = delivery.delivery_values(chosen).ci, environment.environment_values(chosen).pm

    assert pm.dependabot_ecosystem == ecosystem
    assert ci.pm_setup.startswith(f'python -m pip install --quiet "{manager}>=')
    assert pm.cache_variable.startswith(manager.upper())


@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUD_PROVIDERS))
def test_a_cloud_has_a_region_and_sign_ins_exactly_when_it_has_infrastructure(cloud: str) -> None:
    record = infrastructure.CLOUD_PROVIDERS[cloud]
    has_infrastructure = record.infrastructure is not None

    assert (record.region is not None) == has_infrastructure
    assert (record.shell_login is not None) == has_infrastructure
    assert bool(record.github_login) == has_infrastructure
    if record.shell_login is not None:
        # The placeholder the CI record renames: a line reading another variable would get no token.
        assert "$OIDC_TOKEN" in record.shell_login.terraform_auth
        assert re.search(r"\$\{?OIDC_TOKEN\}?", record.shell_login.registry_login)


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUDS))
def test_shell_sign_ins_read_the_ci_providers_token(ci_provider: str, cloud: str) -> None:
    variable = ci_providers.CI_PROVIDERS[ci_provider].oidc.token_variable
    login = repository.shell_login(cloud, ci_provider, "a-region-1")

    assert (login is None) == (variable is None)
    if login is not None and variable is not None:
        lines = login.terraform_auth + login.registry_login
        assert variable in lines
        assert not re.search(r"(?<![A-Za-z0-9_])OIDC_TOKEN", lines)
        assert "{region}" not in str(login)


def test_sign_in_steps_call_pinned_actions() -> None:
    steps = [
        *(step for record in infrastructure.CLOUD_PROVIDERS.values() for step in record.github_login),
        *(step for cloud in infrastructure.CLOUD_PROVIDERS.values() for step in cloud.github_registry_login),
        *(step for provider in ci_providers.CI_PROVIDERS.values() for step in provider.registry.login),
    ]
    assert steps
    # Each step either calls an action or runs a command.
    assert all(bool(step.uses) != bool(step.run) for step in steps)
    assert {step.uses for step in steps if step.uses} <= set(data.dependencies()["actions"])


TEXT = {"organization": "Acme-Labs", "project_slug": "churn", "cloud_region": "eu-west-1"}


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUD_PROVIDERS))
def test_repository_values_follow_the_provider_and_the_cloud(ci_provider: str, cloud: str) -> None:
    provider = ci_providers.CI_PROVIDERS[ci_provider]
    record = infrastructure.CLOUD_PROVIDERS[cloud]
    values = repository.repository_values({"ci_provider": ci_provider, "cloud_provider": cloud}, TEXT)

    assert values.repository_url == f"https://{provider.git_host}/Acme-Labs/churn.git"
    # Registries want lowercase names; a cloud's registry address comes from Terraform.
    assert values.default_image == f"{provider.registry.host}/acme-labs/churn"
    assert values.release_image == (
        f"{provider.registry.variable}/churn" if record.infrastructure else values.default_image
    )
    assert [step.name for step in values.cloud_login] == [step.name for step in record.github_login]
    actions = [step.uses for step in values.registry_login if step.uses]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v[\d.]+", uses) for uses in actions)
    assert "{region}" not in str(values.registry_login)


def test_github_signs_in_to_aws_in_the_projects_region() -> None:
    github_aws = repository.repository_values({"ci_provider": "github", "cloud_provider": "aws"}, TEXT)
    assert [step.uses.split("@")[0] for step in github_aws.registry_login] == [
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
    ]
    assert github_aws.cloud_login[0].inputs["aws-region"] == "eu-west-1"

"""Tier 2: the read-only plan identity of each cloud (and CI provider): staging's admits the
pipelines of a pull or merge request of this repository and nothing outside it, production's no
more than production's CI identity; it can only read; the `terraform` job signs in as it and
plans without a lock. Checkov and `terraform fmt` of the same files run in tests/test_infra.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.expectations import expected
from tests.test_infra import Infra, blocks, infra, load_hcl, tfvars, unquote

pytestmark = pytest.mark.matrix
__all__ = ["infra"]  # the rendered project of each cloud and CI provider, a module-scoped fixture

CLOUDS_EXPECTED = expected("cloud_provider")
CI_EXPECTED = expected("ci_provider")
CI_FILES = {
    "github": ".github/workflows/ci.yml",
    "gitlab": ".gitlab-ci.yml",
    "bitbucket": "bitbucket-pipelines.yml",
}
# What an action of the AWS plan policy may start with: reads of the state, settings and keys.
AWS_READS = re.compile(r"^[a-z0-9]+:(Get|List|Describe)[A-Za-z*]*$")
# The one action beyond reads: the state is encrypted, and reading it means decrypting it.
AWS_DECRYPT = "kms:Decrypt"


def trust(values: dict[str, Any]) -> tuple[list[str], list[str]]:
    """An environment's plan trust from its terraform.tfvars: exact claims, starts of claims."""
    subjects = [unquote(subject) for subject in values["ci_plan_subjects"]]
    prefixes = [unquote(prefix) for prefix in values["ci_plan_subject_prefixes"]]
    return subjects, prefixes


def admits(subject: str, subjects: list[str], prefixes: list[str]) -> bool:
    return subject in subjects or any(subject.startswith(prefix) for prefix in prefixes)


def module_document(infra: Infra) -> dict[str, Any]:
    return load_hcl(infra.terraform / "modules" / "ci_identity" / "main.tf")


def resources(document: dict[str, Any], kind: str) -> dict[str, Any]:
    return {
        unquote(name): body
        for block in document.get("resource", [])
        for resource_kind, named in block.items()
        if unquote(resource_kind) == kind
        for name, body in named.items()
    }


def test_staging_admits_request_pipelines_of_this_repository_and_nothing_else(infra: Infra) -> None:
    staging, production = tfvars(infra, "staging"), tfvars(infra, "production")
    repository = unquote(staging["repository"])
    facts = CI_EXPECTED[infra.ci_provider]
    main = (infra.terraform / "main.tf").read_text()
    if facts["request_subject"] is None:
        # Claims start with UUIDs the team copies in: the plan identity trusts the same starts as
        # the CI identity (ci_oidc.tf), and the tfvars add none.
        assert "concat(var.ci_plan_subject_prefixes, local.ci_subject_prefixes)" in main
        assert trust(staging) == trust(production) == ([], [])
        return
    request = facts["request_subject"].format(repository=repository)

    assert admits(request, *trust(staging))
    for outsider in facts["outsider_subjects"]:
        assert not admits(outsider.format(repository=repository), *trust(staging)), outsider
    # Production's plan identity trusts exactly what production's CI identity trusts.
    assert trust(production) == ([unquote(subject) for subject in production["ci_subjects"]], [])
    assert not admits(request, *trust(production))


def test_the_ci_identitys_trust_stays_narrow(infra: Infra) -> None:
    """GitLab's CI identity still refuses a merge request's pipeline: only the plan identity
    admits it (GitHub's staging CI identity trusted pull requests before the plan identity came)."""
    staging = tfvars(infra, "staging")
    request = CI_EXPECTED[infra.ci_provider]["request_subject"]
    subjects = [unquote(subject) for subject in staging["ci_subjects"]]
    if infra.ci_provider == "gitlab":
        assert not admits(request.format(repository=unquote(staging["repository"])), subjects, [])
    for subject in subjects:
        assert "*" not in subject


def aws_plan_actions(document: dict[str, Any]) -> list[str]:
    policies = [
        body
        for block in document["data"]
        for kind, named in block.items()
        for name, body in named.items()
        if unquote(kind) == "aws_iam_policy_document" and unquote(name) == "plan"
    ]
    assert len(policies) == 1
    attached = resources(document, "aws_iam_role_policy")["plan"]
    assert attached["policy"] == "${data.aws_iam_policy_document.plan.json}"
    assert attached["role"] == "${aws_iam_role.plan.id}"
    return [unquote(action) for statement in policies[0]["statement"] for action in statement["actions"]]


def granted_roles(document: dict[str, Any], cloud: str) -> list[str]:
    """Every role granted to the plan identity (Google Cloud, Azure), read from the resources that
    name it as their member or principal."""
    reference = {
        "gcp": "${google_service_account.plan.member}",
        "azure": "${azurerm_user_assigned_identity.plan.principal_id}",
    }[cloud]
    key, role = ("member", "role") if cloud == "gcp" else ("principal_id", "role_definition_name")
    granted = []
    for block in document["resource"]:
        for body in (body for named in block.values() for body in named.values()):
            if body.get(key) == reference:
                # One role, or `each.value` of a set of them.
                roles = body.get("for_each", "") if body[role] == "${each.value}" else f'"{body[role]}"'
                granted += re.findall(r'"([^"$]+)"', roles)
    return granted


def test_the_plan_identity_can_only_read(infra: Infra) -> None:
    document = module_document(infra)
    if infra.cloud == "aws":
        actions = aws_plan_actions(document)
        writes = [action for action in actions if not AWS_READS.match(action) and action != AWS_DECRYPT]
        assert actions
        assert writes == []
        return
    granted = granted_roles(document, infra.cloud)

    assert granted
    assert set(granted) == set(CLOUDS_EXPECTED[infra.cloud]["plan_roles"])


def ci_job(infra: Infra) -> str:
    """The `terraform` job of the CI file, as YAML text."""
    loaded = yaml.safe_load((infra.project / CI_FILES[infra.ci_provider]).read_text())
    if infra.ci_provider == "github":
        job = loaded["jobs"]["terraform"]
    elif infra.ci_provider == "gitlab":
        job = loaded["terraform"]
    else:
        steps = [item["step"] for item in loaded["definitions"]["steps"]]
        job = next(step for step in steps if step["name"] == "terraform")
    return yaml.safe_dump(job, width=1000)


def test_the_terraform_job_plans_staging_as_the_plan_identity_without_a_lock(infra: Infra) -> None:
    job = ci_job(infra)
    outputs = blocks(load_hcl(infra.terraform / "outputs.tf"), "output")

    for variable, plan in CLOUDS_EXPECTED[infra.cloud]["plan_variables"].items():
        assert re.search(rf"(\$\{{?|vars\.){plan}\b", job), f"the job never reads {plan}"
        assert not re.search(rf"(\$\{{?|vars\.){variable}\b", job), f"the job reads {variable}"
        assert plan in outputs
    plan_command = next(line for line in job.splitlines() if "terraform plan" in line)
    assert "-lock=false" in plan_command
    assert "environments/staging/terraform.tfvars" in plan_command


def test_the_plan_identity_reads_the_state_bootstrap_makes(infra: Infra) -> None:
    """The state the plan identity may read is the one the backend names (bootstrap/ makes it)."""
    backend = load_hcl(infra.terraform / "environments" / "staging" / "backend.tfbackend")
    module = blocks(load_hcl(infra.terraform / "main.tf"), "module")["ci_identity"]
    prefix = unquote(tfvars(infra, "staging")["resource_prefix"])
    names = {
        "${local.name}": f"{prefix}-staging",
        "${var.resource_prefix}": prefix,
        "${var.environment}": "staging",
    }

    def resolved(expression: str) -> str:
        expression = unquote(expression)
        for reference, value in names.items():
            expression = expression.replace(reference, value)
        return expression

    if infra.cloud == "azure":
        state = resolved(module["state_storage_account_id"])
        assert f"/resourceGroups/{unquote(backend['resource_group_name'])}/" in state
        assert state.endswith(f"/storageAccounts/{unquote(backend['storage_account_name'])}")
    else:
        assert resolved(module["state_bucket_name"]) == unquote(backend["bucket"])

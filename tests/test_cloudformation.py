"""Tier 2: with `iac_tool: cloudformation` (AWS only), each CI provider's project gets a
CloudFormation stack per environment that cfn-lint passes with no error or warning and checkov
with 0 failed checks (every skip justified in place), that trusts exactly the subjects the
Terraform variant trusts, names the bucket .dvc/config reads, and replaces Terraform everywhere:
no Terraform file, make target or CI job is rendered.

cfn-lint runs from checkov's venv (pyproject.toml's `checkov` group, see the Makefile).
"""

from __future__ import annotations

import configparser
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copie.plugin import Copie

from extensions.branching import BRANCHING_MODELS
from extensions.infrastructure import OIDC_ISSUERS, ci_subjects
from tests.combinations import params, product
from tests.helpers import checkov, render, run, tool_env
from tests.tool_venvs import tool_venv

pytestmark = pytest.mark.matrix


def cloudformation_rows() -> list[dict[str, Any]]:
    return product("iac_tool", "ci_provider", where=lambda row: row["iac_tool"] == "cloudformation")


@pytest.fixture(scope="module", params=params(cloudformation_rows()))
def stack(request: pytest.FixtureRequest, copie_session: Copie) -> tuple[dict[str, Any], Path]:
    """An AWS project with CloudFormation for each CI provider (other answers at their defaults)."""
    answers = request.param
    return answers, render(copie_session, init_git=False, **answers)


def load_stack(project: Path) -> dict[str, Any]:
    # Long-form functions (`Ref:`, `Fn::Sub:`) only: plain YAML, as check-yaml reads it.
    path = project / "infra" / "cloudformation" / "stack.yml"
    loaded: dict[str, Any] = yaml.safe_load(path.read_text())
    return loaded


def parameters(project: Path, environment: str) -> dict[str, str]:
    path = project / "infra" / "cloudformation" / "environments" / f"{environment}.json"
    found: dict[str, str] = json.loads(path.read_text())["Parameters"]
    return found


def walk(value: Any) -> Iterator[Any]:
    yield value
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        yield from walk(child)


def cfn_lint() -> Path:
    """cfn-lint shares checkov's AWS libraries, and so its venv."""
    return tool_venv("checkov") / "cfn-lint"


def test_cfn_lint_reports_nothing(stack: tuple[dict[str, Any], Path]) -> None:
    answers, project = stack
    output = run(
        [str(cfn_lint()), "--format", "json", "infra/cloudformation/stack.yml"], cwd=project, env=tool_env()
    )
    findings = json.loads(output)
    print(f"cfn-lint aws/{answers['ci_provider']}: {len(findings)} findings")
    assert findings == []


def test_cfn_lint_reports_a_broken_template(tmp_path: Path) -> None:
    """The failing half: cfn-lint does exit non-zero on an error, so the test above can fail."""
    broken = tmp_path / "stack.yml"
    broken.write_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Nope: 1\n")
    with pytest.raises(AssertionError, match="E3002"):
        run([str(cfn_lint()), str(broken)], cwd=tmp_path, env=tool_env())


def test_checkov_reports_no_failed_check(stack: tuple[dict[str, Any], Path]) -> None:
    answers, project = stack
    summary = checkov(project, "infra", "cloudformation")["cloudformation"]
    print(f"checkov cloudformation aws/{answers['ci_provider']}: {summary}")
    assert summary["skipped"] == len(skips(project))


def skips(project: Path) -> dict[str, str]:
    """Every `Metadata: checkov: skip:` of the stack: check ID, then its comment."""
    found: dict[str, str] = {}
    for resource in load_stack(project)["Resources"].values():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            found[skip["id"]] = skip["comment"]
    return found


def test_every_skipped_check_says_why(stack: tuple[dict[str, Any], Path]) -> None:
    _, project = stack
    found = skips(project)
    assert found, "found no checkov skip"
    for check, comment in found.items():
        assert len(comment.split()) >= 5, f"{check}: say why it does not apply"


def test_storage_and_registry_are_hardened(stack: tuple[dict[str, Any], Path]) -> None:
    _, project = stack
    resources = load_stack(project)["Resources"]
    bucket = resources["Bucket"]["Properties"]
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    rules = {rule["Id"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert "NoncurrentVersionExpiration" in rules["expire-old-versions"]
    (deny,) = resources["BucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})
    registry = resources["Registry"]["Properties"]
    assert registry["ImageTagMutability"] == "IMMUTABLE"
    assert registry["ImageScanningConfiguration"] == {"ScanOnPush": True}
    assert registry["EncryptionConfiguration"]["EncryptionType"] == "KMS"
    for name in ("StorageKey", "RegistryKey"):
        assert resources[name]["Properties"]["EnableKeyRotation"] is True
    # Data, images and keys outlive a deleted stack.
    for name in ("Bucket", "Registry", "StorageKey", "RegistryKey"):
        assert resources[name]["DeletionPolicy"] == "Retain", name


def test_ci_role_trusts_the_subjects_terraform_trusts(stack: tuple[dict[str, Any], Path]) -> None:
    answers, project = stack
    ci = answers["ci_provider"]
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    repository = f"{recorded['organization']}/{recorded['project_slug']}"
    issuer = OIDC_ISSUERS[ci].format(owner=repository.split("/", maxsplit=1)[0])
    host = issuer.removeprefix("https://")
    resources = load_stack(project)["Resources"]
    assert resources["CiOidcProvider"]["Properties"]["Url"] == issuer
    (trust,) = resources["CiRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    condition = trust["Condition"]
    assert f"{host}:aud" in condition["StringEquals"]
    expected = ci_subjects(ci, repository, BRANCHING_MODELS[answers["branching_model"]].protected)
    if ci == "bitbucket":
        assert f"{host}:sub" not in condition["StringEquals"]
        prefix = condition["StringLike"][f"{host}:sub"]
        assert prefix["Fn::If"][0] == "IsProduction"
        assert [branch["Fn::Sub"] for branch in prefix["Fn::If"][1:]] == [
            "${BitbucketRepositoryUuid}${BitbucketDeploymentUuid}:*",
            "${BitbucketRepositoryUuid}*",
        ]
    else:
        assert "StringLike" not in condition
        assert condition["StringEquals"] == {
            f"{host}:aud": "sts.amazonaws.com",
            f"{host}:sub": {"Ref": "CiSubjects"},
        }
        for environment in ("staging", "production"):
            subjects = parameters(project, environment)["CiSubjects"].split(",")
            assert tuple(subjects) == expected[environment], environment
    # Least privilege: only the token action has no resource of its own.
    (policy,) = resources["CiRole"]["Properties"]["Policies"]
    wildcards = [s["Sid"] for s in policy["PolicyDocument"]["Statement"] if s["Resource"] == "*"]
    assert wildcards == ["LogInToTheRegistry"]
    assert not [value for value in walk(policy) if isinstance(value, str) and value.endswith(":*")]


def test_the_dvc_cloud_remote_is_the_staging_bucket(stack: tuple[dict[str, Any], Path]) -> None:
    _, project = stack
    config = configparser.ConfigParser()
    config.read(project / ".dvc" / "config")
    bucket = load_stack(project)["Resources"]["Bucket"]["Properties"]["BucketName"]
    assert bucket == {"Fn::Sub": "${ResourcePrefix}-${Environment}-ml"}
    staging = parameters(project, "staging")
    name = f"{staging['ResourcePrefix']}-{staging['Environment']}-ml"
    assert config["'remote \"cloud\"'"]["url"] == f"s3://{name}/dvc"


def test_terraform_is_not_rendered(stack: tuple[dict[str, Any], Path]) -> None:
    answers, project = stack
    assert not (project / "infra" / "terraform").exists()
    assert not list(project.rglob("*.tf"))
    assert ".terraform/" not in (project / ".gitignore").read_text()
    makefile = (project / "Makefile").read_text()
    assert "infra-check" not in makefile
    assert "\ncfn-lint:" in makefile
    assert "\ncfn-deploy:" in makefile
    ci_files = {
        "github": project / ".github" / "workflows" / "ci.yml",
        "gitlab": project / ".gitlab-ci.yml",
        "bitbucket": project / "bitbucket-pipelines.yml",
    }
    text = ci_files[answers["ci_provider"]].read_text()
    assert "terraform" not in text.lower()
    assert re.search(r'cfn-lint"? infra/cloudformation/stack\.yml', text)
    assert "name: cloudformation" in text or "\ncloudformation:" in text


def fake_tool(path: Path, log: Path) -> None:
    """A command that records its arguments, so make's recipes are checked without AWS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "$(basename "$0") $*" >> {log}\n')
    path.chmod(0o755)


def test_make_cfn_deploy_lints_then_deploys_the_chosen_environment(copie: Copie, tmp_path: Path) -> None:
    project = render(copie, init_git=False, iac_tool="cloudformation")
    log = tmp_path / "calls.log"
    fake_tool(project / ".cfn-lint" / "bin" / "cfn-lint", log)
    fake_tool(tmp_path / "bin" / "aws", log)
    env = tool_env({"PATH": f"{tmp_path / 'bin'}:{tool_env()['PATH']}"})

    run(["make", "cfn-deploy", "ENV=production"], cwd=project, env=env)
    lint, deploy, outputs = log.read_text().splitlines()
    assert lint == "cfn-lint infra/cloudformation/stack.yml"
    assert deploy.startswith("aws cloudformation deploy --region eu-west-1 ")
    assert " --stack-name mymlproject-production " in deploy
    assert "--parameter-overrides file://infra/cloudformation/environments/production.json" in deploy
    assert "--capabilities CAPABILITY_NAMED_IAM" in deploy
    assert outputs.startswith("aws cloudformation describe-stacks")

    with pytest.raises(AssertionError, match="ENV must be one of: staging, production"):
        run(["make", "cfn-deploy", "ENV=prod"], cwd=project, env=env)

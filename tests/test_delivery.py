"""Tier 2: the CI/CD files of every pairwise row of answers (tests/combinations.py) pass their
validators (JSON schemas, actionlint, zizmor, shellcheck, checkov) and run the jobs the answers
call for. The Kubernetes manifests are test_kubernetes_overlays.py's, the Bitbucket pull request
script test_bitbucket_pull_request.py's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extensions.infrastructure import CLOUDS
from extensions.package_managers import PACKAGE_MANAGERS
from tests.ci import bitbucket, ci_files
from tests.conftest import RenderRow
from tests.delivery import (
    ALL,
    BITBUCKET,
    CODE_OWNERS,
    GITHUB,
    GITLAB,
    Delivery,
    delivery_of,
    iac_job,
    load,
    tool,
)
from tests.expectations import expected
from tests.helpers import checkov, run

pytestmark = pytest.mark.matrix

# The orchestrators whose pipeline spec CI compiles: the make command, the spec it keeps.
COMPILED_SPECS = {
    "kubeflow": ("make kfp-compile", "build/kfp-pipeline.yaml"),
    "tfx": ("make tfx-compile", "build/tfx-pipeline.json"),
}
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


@pytest.fixture
def delivery(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    return delivery_of(request, render_row)


@pytest.mark.parametrize("delivery", ALL, indirect=True)
def test_only_the_chosen_provider_and_deployment_files_are_rendered(delivery: Delivery) -> None:
    project = delivery.project
    for ci_provider, facts in expected("ci_provider").items():
        for name in facts["only_files"]:
            assert (project / name).exists() == (ci_provider == delivery.answers["ci_provider"]), name
    assert (project / "deploy").is_dir() == delivery.kubernetes
    owners = project / delivery.ci.codeowners
    assert owners.read_text(encoding="utf-8").splitlines()[-1] == f"* {CODE_OWNERS}"
    assert (project / delivery.ci.dependency_bot_file).is_file()


@pytest.mark.parametrize("delivery", GITHUB, indirect=True)
def test_github_files_pass_schemas_actionlint_and_zizmor(delivery: Delivery) -> None:
    project = delivery.project
    workflows = sorted(str(path) for path in (project / ".github" / "workflows").glob("*.yml"))
    forms = [str(project / ".github" / "ISSUE_TEMPLATE" / name) for name in ("bug.yml", "feature.yml")]
    schemas = {
        "vendor.github-workflows": workflows,
        "vendor.dependabot": [str(project / ".github" / "dependabot.yml")],
        "vendor.github-issue-forms": forms,
        "vendor.github-issue-config": [str(project / ".github" / "ISSUE_TEMPLATE" / "config.yml")],
    }
    for schema, files in schemas.items():
        run([tool("check-jsonschema"), "--builtin-schema", schema, *files], cwd=project)
    # Named explicitly: without shellcheck, actionlint would skip the run: scripts silently.
    run([tool("actionlint"), "-shellcheck", tool("shellcheck"), *workflows], cwd=project)
    # The auditor persona: every audit, pedantic ones included (a secret outside an environment).
    zizmor = [tool("zizmor"), "--offline", "--persona", "auditor", "--format", "json", "--quiet", ".github"]
    findings = run(zizmor, cwd=project)
    assert json.loads(findings) == []


@pytest.mark.parametrize("delivery", GITHUB, indirect=True)
def test_github_workflows_follow_the_answers(delivery: Delivery) -> None:
    workflows = {path.stem: load(path) for path in (delivery.project / ".github" / "workflows").glob("*.yml")}
    releases = delivery.answers["serving"] == "fastapi"
    assert set(workflows) == {"ci", "drift", "template-update"} | ({"cd"} if releases else set())
    ci_jobs = set(workflows["ci"]["jobs"])
    expected = {"check", "workflows", "pipeline"}
    expected |= {"image"} if delivery.answers["serving"] == "fastapi" else set()
    expected |= iac_job(delivery.answers)
    expected |= {"ansible"} if delivery.answers["cloud_provider"] == "onprem" else set()
    expected |= {"docs", "pages"} if delivery.answers["docs"] == "mkdocs" else set()
    assert ci_jobs == expected
    # The gate with the end-to-end tests, which `make check` leaves to CI.
    assert "make check-all" in [step.get("run") for step in workflows["ci"]["jobs"]["check"]["steps"]]
    # With Kubeflow or TFX, the check job compiles the pipeline spec and keeps it as an artifact.
    check_steps = workflows["ci"]["jobs"]["check"]["steps"]
    kept = [step["with"]["path"] for step in check_steps if "upload-artifact" in step.get("uses", "")]
    compiles = [step["run"] for step in check_steps if step.get("run", "").endswith("-compile")]
    compiled = COMPILED_SPECS.get(delivery.answers["orchestrator"])
    assert (compiles, kept) == (([compiled[0]], [compiled[1]]) if compiled else ([], []))
    assert ("gitops" in workflows.get("cd", {"jobs": {}})["jobs"]) == delivery.kubernetes
    lock_file = PACKAGE_MANAGERS[delivery.answers["package_manager"]].lock_file
    for name, workflow in workflows.items():
        assert workflow["permissions"] == {}, name
        assert "concurrency" in workflow, name
        for job_name, job in workflow["jobs"].items():
            assert "permissions" in job, (name, job_name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False
                if step.get("uses", "").startswith("actions/cache@"):
                    assert lock_file in step["with"]["key"]
    text = "\n".join(path.read_text() for path in (delivery.project / ".github" / "workflows").glob("*.yml"))
    uses = re.findall(r"uses: (.+)", text)
    assert uses
    for reference in uses:
        assert PINNED_ACTION.match(reference), reference


@pytest.mark.parametrize("delivery", GITLAB, indirect=True)
def test_gitlab_files_pass_their_schemas_and_shellcheck(delivery: Delivery, tmp_path: Path) -> None:
    project = delivery.project
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"], cwd=project)
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.renovate", "renovate.json"], cwd=project)
    jobs = {
        name
        for name, job in load(project / ".gitlab-ci.yml").items()
        if isinstance(job, dict) and "script" in job
    }
    expected = {"check", "pipeline", "drift", "template-update"}
    expected |= {"model", "build-image", "release"} if delivery.answers["serving"] == "fastapi" else set()
    expected |= iac_job(delivery.answers)
    expected |= {"ansible"} if delivery.answers["cloud_provider"] == "onprem" else set()
    expected |= {"gitops"} if delivery.kubernetes else set()
    expected |= {"docs", "pages"} if delivery.answers["docs"] == "mkdocs" else set()
    assert jobs == expected
    # The gate with the end-to-end tests, which `make check` leaves to CI; with Kubeflow, the
    # pipeline spec it keeps.
    check = load(project / ".gitlab-ci.yml")["check"]
    compiled = COMPILED_SPECS.get(delivery.answers["orchestrator"])
    if compiled:
        assert check["script"] == ["make check-all", compiled[0]]
        assert check["artifacts"]["paths"] == [compiled[1]]
    else:
        assert check["script"] == ["make check-all"]
    # Each job's shell lines, as one POSIX sh script (the docker jobs run Alpine's sh).
    for name, job in load(project / ".gitlab-ci.yml").items():
        if isinstance(job, dict) and "script" in job:
            script = tmp_path / f"{name}.sh"
            lines = [*job.get("before_script", []), *job["script"]]
            script.write_text("#!/bin/sh\n" + "\n".join(lines) + "\n", encoding="utf-8")
            run([tool("shellcheck"), "--shell=sh", str(script)], cwd=project)
    for template in (
        "merge_request_templates/Default.md",
        "issue_templates/Bug.md",
        "issue_templates/Feature.md",
    ):
        assert (project / ".gitlab" / template).is_file()


@pytest.mark.parametrize("delivery", ALL, indirect=True)
def test_ci_files_pass_the_schemas_their_record_names(delivery: Delivery) -> None:
    for schema, patterns in delivery.ci.schemas.items():
        files = sorted(str(path) for pattern in patterns for path in delivery.project.glob(pattern))
        assert files, (schema, patterns)
        run([tool("check-jsonschema"), "--builtin-schema", schema, *files], cwd=delivery.project)


@pytest.mark.parametrize("delivery", BITBUCKET, indirect=True)
def test_bitbucket_steps_follow_the_answers_and_pass_shellcheck(delivery: Delivery, tmp_path: Path) -> None:
    project = delivery.project
    steps = bitbucket.jobs(project)
    expected = {"check", "pipeline", "drift", "template-update"}
    expected |= {"model", "build-image", "release"} if delivery.answers["serving"] == "fastapi" else set()
    expected |= iac_job(delivery.answers)
    expected |= {"ansible"} if delivery.answers["cloud_provider"] == "onprem" else set()
    expected |= {"gitops"} if delivery.kubernetes else set()
    expected |= {"docs"} if delivery.answers["docs"] == "mkdocs" else set()
    assert set(steps) == expected
    compiled = COMPILED_SPECS.get(delivery.answers["orchestrator"])
    if compiled:
        assert steps["check"]["script"][-2:] == ["make check-all", compiled[0]]
        assert steps["check"]["artifacts"] == [compiled[1]]
    else:
        assert steps["check"]["script"][-1] == "make check-all"
    # Only the steps that reach the cloud ask for an OIDC token.
    assert {name for name, step in steps.items() if step.get("oidc")} == (
        {"terraform", "release"} & expected if delivery.answers["cloud_provider"] in CLOUDS else set()
    )
    if "release" in steps:
        assert steps["release"]["deployment"] == "production"
    # Each step's lines, as one POSIX sh script (the release step runs Alpine's sh).
    for name, step in steps.items():
        script = tmp_path / f"{name}.sh"
        script.write_text("#!/bin/sh\n" + "\n".join(step["script"]) + "\n", encoding="utf-8")
        run([tool("shellcheck"), "--shell=sh", str(script)], cwd=project)


@pytest.mark.parametrize("delivery", ALL, indirect=True)
def test_checkov_finds_nothing(delivery: Delivery) -> None:
    # Every project has a Dockerfile (the train image), serving or not.
    frameworks = ["dockerfile", delivery.ci.checkov.framework]
    frameworks += ["kubernetes"] if delivery.kubernetes else []
    # checkov's Ansible checks look at uri and package tasks, which only the MLflow server's role
    # has (with no tracking server, checkov reports no Ansible result at all).
    frameworks += (
        ["ansible"] if (delivery.project / "infra" / "ansible" / "roles" / "mlflow_server").is_dir() else []
    )
    checkov(delivery.project, ".", *frameworks)


@pytest.mark.parametrize("delivery", GITLAB + BITBUCKET, indirect=True)
def test_the_header_comment_lists_the_jobs_of_each_event(delivery: Delivery) -> None:
    """The events the header names (`# - <event>: <jobs>`) run exactly the jobs it lists."""
    project = delivery.project
    text = (project / delivery.ci.ci_file).read_text(encoding="utf-8")
    listed = re.findall(r"^# - ([^:\n]+): (.+)$", text, flags=re.MULTILINE)
    header = {event: jobs.split(", ") for event, jobs in listed}
    reader = ci_files(delivery.answers["ci_provider"])
    requests = [jobs for event, jobs in header.items() if event.startswith(delivery.ci.request)]
    on_requests = {job for jobs in requests for job in jobs}
    assert on_requests == reader.request_jobs(project)
    on_tags = header.get("version tags (v1.2.3)", [])
    assert set(on_tags) <= set(reader.jobs(project))
    assert (delivery.ci.release_job in on_tags) == (delivery.answers["serving"] == "fastapi")

"""Tier 2: the CI/CD, repository and Kubernetes files of every pairwise row of answers
(tests/combinations.py) pass their validators: JSON schemas, actionlint, zizmor, checkov and the Kubernetes
schemas (every kustomize overlay built and validated)."""

from __future__ import annotations

import copy
import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from extensions.ci_providers import CI_PROVIDERS, CiProvider
from extensions.iac_tools import IAC_TOOLS
from extensions.infrastructure import CLOUDS
from extensions.package_managers import PACKAGE_MANAGERS
from extensions.repository import RepositoryValues, repository_values
from extensions.updates import load_script
from tests.ci import bitbucket
from tests.combinations import VALIDATOR_TEXT, params, validator_rows
from tests.conftest import RenderRow
from tests.expectations import expected
from tests.helpers import TOOLS_BIN, checkov, run, tool_env

pytestmark = pytest.mark.matrix

# Every valid pair of answers (tests/combinations.py), with a mixed-case owner and two code owners.
ROWS = validator_rows()
CODE_OWNERS = VALIDATOR_TEXT["code_owners"]
ORGANIZATION = VALIDATOR_TEXT["organization"]
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
KUBERNETES_VERSION = kubernetes_validate.latest_version()


@dataclass(frozen=True)
class Delivery:
    answers: dict[str, str]
    project: Path

    @property
    def ci(self) -> CiProvider:
        return CI_PROVIDERS[self.answers["ci_provider"]]

    @property
    def kubernetes(self) -> bool:
        return self.answers["deployment"] == "kubernetes"

    @property
    def repository(self) -> RepositoryValues:
        """The repository's URL and default image, as the context hook derives them."""
        context = {"organization": ORGANIZATION, "project_slug": "my-ml-project"}
        return repository_values(self.answers, context)


def iac_job(answers: dict[str, str]) -> set[str]:
    """The CI job that checks infra/ on pull requests: the iac_tool's, with a cloud."""
    return {IAC_TOOLS[answers["iac_tool"]].ci_job} if answers["cloud_provider"] in CLOUDS else set()


def _where(**wanted: str) -> list[Any]:
    """The rows whose answers match, as parameters named after their answers."""
    return params(row for row in ROWS if all(row[key] == value for key, value in wanted.items()))


ALL = params(ROWS)
GITHUB = _where(ci_provider="github")
GITLAB = _where(ci_provider="gitlab")
BITBUCKET = _where(ci_provider="bitbucket")
KUBERNETES = _where(deployment="kubernetes")


@pytest.fixture
def delivery(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    return Delivery(request.param, render_row(request.param))


def tool(name: str) -> str:
    return str(TOOLS_BIN / name)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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
    findings = run([tool("zizmor"), "--offline", "--format", "json", "--quiet", ".github"], cwd=project)
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
    # With Kubeflow, the check job compiles the pipeline spec and keeps it as an artifact.
    check_steps = workflows["ci"]["jobs"]["check"]["steps"]
    kept = [step["with"]["path"] for step in check_steps if "upload-artifact" in step.get("uses", "")]
    compiles = "make kfp-compile" in [step.get("run") for step in check_steps]
    kubeflow = delivery.answers["orchestrator"] == "kubeflow"
    assert (compiles, kept) == ((True, ["build/kfp-pipeline.yaml"]) if kubeflow else (False, []))
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
    if delivery.answers["orchestrator"] == "kubeflow":
        assert check["script"] == ["make check-all", "make kfp-compile"]
        assert check["artifacts"]["paths"] == ["build/kfp-pipeline.yaml"]
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
    if delivery.answers["orchestrator"] == "kubeflow":
        assert steps["check"]["script"][-2:] == ["make check-all", "make kfp-compile"]
        assert steps["check"]["artifacts"] == ["build/kfp-pipeline.yaml"]
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
    checkov(delivery.project, ".", *frameworks)


def build_overlay(folder: Path) -> list[dict[str, Any]]:
    """What `kustomize build` makes of the features our kustomizations use: resources (files and
    bases), patches of maps, namespace and images. Anything else fails, so the emulation cannot
    silently drift from the files."""
    kustomization = load(folder / "kustomization.yaml")
    assert set(kustomization) <= {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
    resources: list[dict[str, Any]] = []
    for entry in kustomization["resources"]:
        target = folder / entry
        assert target.exists(), target
        resources += build_overlay(target) if target.is_dir() else [load(target)]
    for patch in kustomization.get("patches", []):
        assert set(patch) == {"path"}
        change = load(folder / patch["path"])
        matches = [
            resource
            for resource in resources
            if (resource["kind"], resource["metadata"]["name"])
            == (change["kind"], change["metadata"]["name"])
        ]
        assert len(matches) == 1, patch
        _merge(matches[0], change)
    for resource in resources:
        resource["metadata"]["namespace"] = kustomization.get(
            "namespace", resource["metadata"].get("namespace")
        )
    for image in kustomization.get("images", []):
        for resource in resources:
            for container in (
                resource.get("spec", {}).get("template", {}).get("spec", {}).get("containers", [])
            ):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image['newName']}:{image['newTag']}"
    return resources


def _merge(target: dict[str, Any], change: dict[str, Any]) -> None:
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            assert not isinstance(value, list), f"list patches need kustomize's merge keys: {key}"
            target[key] = copy.deepcopy(value)


@pytest.mark.parametrize("delivery", KUBERNETES, indirect=True)
def test_kubernetes_overlays_build_and_validate(delivery: Delivery) -> None:
    deploy = delivery.project / "deploy"
    slug = "my-ml-project"
    for environment, (low, high) in {"staging": (1, 2), "production": (3, 10)}.items():
        resources = build_overlay(deploy / "k8s" / "overlays" / environment)
        assert {resource["kind"] for resource in resources} == {
            "Deployment",
            "Service",
            "HorizontalPodAutoscaler",
            "PodDisruptionBudget",
            "NetworkPolicy",
        }
        for resource in resources:
            kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
            assert resource["metadata"]["namespace"] == f"{slug}-{environment}"
        by_kind = {resource["kind"]: resource for resource in resources}
        scaling = by_kind["HorizontalPodAutoscaler"]["spec"]
        assert (scaling["minReplicas"], scaling["maxReplicas"]) == (low, high)
        pod = by_kind["Deployment"]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["image"] == f"{delivery.repository.default_image}:0.1.0"
        assert container["image"].startswith(f"{delivery.repository.default_image.lower()}:")
        assert container["livenessProbe"]["httpGet"]["path"] == "/health"
        assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert pod["automountServiceAccountToken"] is False
        # The model is in the image (MODEL_SOURCE=file): no tracking server, no model volume.
        assert not any("MLFLOW" in variable["name"] for variable in container.get("env", []))
        assert [mount["mountPath"] for mount in container["volumeMounts"]] == ["/tmp"]
        assert [volume["name"] for volume in pod["volumes"]] == ["tmp"]

        application = load(deploy / "argocd" / f"{environment}.yaml")
        source = application["spec"]["source"]
        assert source["repoURL"] == delivery.repository.repository_url
        assert source["repoURL"].endswith(f"/{ORGANIZATION}/{slug}.git")
        assert (delivery.project / source["path"]).is_dir()
        assert application["spec"]["destination"]["namespace"] == f"{slug}-{environment}"


@pytest.mark.parametrize("delivery", KUBERNETES, indirect=True)
def test_a_release_moves_the_production_overlay(delivery: Delivery, tmp_path: Path) -> None:
    """The release job's own `sed` line, run on a copy of the overlay, sets the new image."""
    bump = next(
        line.strip().removeprefix("- ")
        for line in (delivery.project / delivery.ci.release_file).read_text(encoding="utf-8").splitlines()
        if "sed -i" in line and "newTag" in line
    )
    overlay = tmp_path / "deploy/k8s/overlays/production/kustomization.yaml"
    overlay.parent.mkdir(parents=True)
    overlay.write_text((delivery.project / "deploy/k8s/overlays/production/kustomization.yaml").read_text())
    script = f"overlay=deploy/k8s/overlays/production/kustomization.yaml\n{bump}"
    run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=tool_env({"IMAGE": "registry.example.com/team/model", "VERSION": "1.4.0"}),
    )

    images = load(overlay)["images"]
    assert images == [
        {"name": "my-ml-project", "newName": "registry.example.com/team/model", "newTag": "1.4.0"}
    ]


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_opens_then_refreshes(
    delivery: Delivery, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The rendered script, its API calls recorded: no open pull request opens one, an open one
    is refreshed in place."""
    script = load_script(delivery.project / "scripts/bitbucket_pull_request.py", "pull_request")
    calls: list[tuple[str, str, dict[str, Any] | None]] = []
    open_ids: list[dict[str, Any]] = []

    def call(url: str, token: str, method: str = "GET", body: dict[str, Any] | None = None) -> dict[str, Any]:
        assert token == "secret"
        calls.append((method, url, body))
        return {"values": open_ids} if method == "GET" else {"id": 7}

    monkeypatch.setattr(script, "call", call)
    monkeypatch.setenv("GITOPS_TOKEN", "secret")
    monkeypatch.setenv("BITBUCKET_REPO_FULL_NAME", "acme/churn")
    body = tmp_path / "body.md"
    body.write_text("Why\n", encoding="utf-8")
    argv = ["--token-variable", "GITOPS_TOKEN", "--source", "deploy/x", "--destination", "main"]
    argv += ["--title", "deploy: x", "--description-file", str(body)]

    assert script.main(argv) == 0
    pulls = "https://api.bitbucket.org/2.0/repositories/acme/churn/pullrequests"
    assert calls[0][0] == "GET"
    assert calls[0][1].startswith(f"{pulls}?q=")
    assert "source.branch.name%3D%22deploy%2Fx%22" in calls[0][1]
    assert calls[1] == (
        "POST",
        pulls,
        {
            "title": "deploy: x",
            "description": "Why\n",
            "source": {"branch": {"name": "deploy/x"}},
            "destination": {"branch": {"name": "main"}},
            "close_source_branch": True,
        },
    )
    calls.clear()
    open_ids.append({"id": 42})
    assert script.main(argv) == 0
    assert calls[1] == ("PUT", f"{pulls}/42", {"title": "deploy: x", "description": "Why\n"})
    monkeypatch.delenv("GITOPS_TOKEN")
    assert script.main(argv) == 1


PULL_REQUEST_ARGS = ["--token-variable", "GITOPS_TOKEN", "--source", "deploy/x", "--destination", "main"]
PULL_REQUEST_ARGS += ["--title", "deploy: x"]


def _pull_request(project: Path, api: str) -> subprocess.CompletedProcess[str]:
    """The rendered script run as the pipeline step runs it, against the API at `api`."""
    env = tool_env({"GITOPS_TOKEN": "secret", "BITBUCKET_REPO_FULL_NAME": "acme/churn"})
    return subprocess.run(
        [sys.executable, "scripts/bitbucket_pull_request.py", *PULL_REQUEST_ARGS, "--api", api],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _closed_port() -> int:
    """A port of 127.0.0.1 that nothing listens on: bound by the system, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def _answering(status: int, body: bytes) -> Iterator[str]:
    """A local HTTP server that answers every request with this status and body; yields its URL."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer  # noqa: N815 - the names http.server dispatches to

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the test reads the script's output, not the server's

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/2.0/repositories"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_an_unreachable_api(delivery: Delivery) -> None:
    """No network (here a closed port) ends the step with one line naming the host and what to
    check, status 1, and no traceback."""
    port = _closed_port()

    result = _pull_request(delivery.project, f"http://127.0.0.1:{port}/2.0/repositories")

    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: cannot reach 127.0.0.1:{port} (GET http://127.0.0.1:{port}/")
    assert "Connection refused" in result.stderr
    assert "network access" in result.stderr


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_an_error_answer(delivery: Delivery) -> None:
    """An HTTP error is one line too: the status, an excerpt of Bitbucket's answer, what to check."""
    answer = {"type": "error", "error": {"message": "Token is invalid, expired, or not supported"}}
    body = json.dumps(answer, indent=2).encode() + b" " * 1000

    with _answering(401, body) as api:
        result = _pull_request(delivery.project, api)

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"GET {api}/acme/churn/pullrequests answered HTTP 401 Unauthorized" in result.stderr
    assert '"message": "Token is invalid, expired, or not supported"' in result.stderr
    assert "Check the token" in result.stderr
    assert len(result.stderr) < 1000


@pytest.mark.parametrize("delivery", BITBUCKET[:1], indirect=True)
def test_bitbucket_pull_request_script_explains_a_timeout(
    delivery: Delivery, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that accepts the connection and never answers: the script's own wait, not a
    traceback. In process, to wait a fraction of a second instead of the script's 30."""
    script = load_script(delivery.project / "scripts/bitbucket_pull_request.py", "pull_request_timeout")
    monkeypatch.setattr(script, "TIMEOUT", 0.5)
    monkeypatch.setenv("GITOPS_TOKEN", "secret")
    monkeypatch.setenv("BITBUCKET_REPO_FULL_NAME", "acme/churn")

    # The system completes the connection for a listening socket; nothing ever reads or answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        api = f"http://127.0.0.1:{port}/2.0/repositories"
        status = script.main([*PULL_REQUEST_ARGS, "--api", api])

    assert status == 1
    error = capsys.readouterr().err
    assert len(error.splitlines()) == 1, error
    assert "no answer within 0.5 seconds" in error
    assert error.startswith(f"error: cannot reach 127.0.0.1:{port} (GET {api}/acme/churn/pullrequests)")

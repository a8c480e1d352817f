"""Tier 2: the CI/CD, repository and Kubernetes files of each ci_provider x deployment x serving
combination pass their validators: JSON schemas, actionlint, zizmor, checkov and the Kubernetes
schemas (every kustomize overlay built and validated)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from pytest_copie.plugin import Copie

from tests.helpers import CHECKOV, TOOLS_BIN, render, run, tool_env

pytestmark = pytest.mark.matrix

# ci_provider x (serving, deployment), with the clouds and package managers spread over them.
# Each CI provider gets one GitFlow project and one without the docs site.
COMBINATIONS: list[dict[str, str]] = [
    {"ci_provider": "github", "serving": "fastapi", "deployment": "kubernetes", "cloud_provider": "aws"},
    {
        "ci_provider": "github",
        "serving": "fastapi",
        "deployment": "none",
        "cloud_provider": "gcp",
        "branching_model": "gitflow",
    },
    {
        "ci_provider": "github",
        "serving": "none",
        "cloud_provider": "none",
        "package_manager": "uv",
        "docs": "none",
    },
    {
        "ci_provider": "gitlab",
        "serving": "fastapi",
        "deployment": "kubernetes",
        "cloud_provider": "azure",
        "branching_model": "gitflow",
    },
    {"ci_provider": "gitlab", "serving": "fastapi", "deployment": "none", "cloud_provider": "none"},
    {
        "ci_provider": "gitlab",
        "serving": "none",
        "cloud_provider": "gcp",
        "package_manager": "pipenv",
        "docs": "none",
    },
]
CODE_OWNERS = "@acme/ml-team jane@example.com"
# Mixed case: registries want it lowercase, repository URLs keep it.
ORGANIZATION = "Acme-Labs"
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
KUBERNETES_VERSION = kubernetes_validate.latest_version()


@dataclass(frozen=True)
class Delivery:
    answers: dict[str, str]
    project: Path

    def answer(self, name: str) -> str:
        defaults = {
            "package_manager": "poetry",
            "deployment": "none",
            "docs": "mkdocs",
            "branching_model": "trunk",
        }
        return self.answers.get(name, defaults.get(name, ""))

    @property
    def github(self) -> bool:
        return self.answers["ci_provider"] == "github"

    @property
    def kubernetes(self) -> bool:
        return self.answer("deployment") == "kubernetes"


def _id(answers: dict[str, str]) -> str:
    return "-".join(answers.values())


def _where(**wanted: str) -> list[Any]:
    """The combinations whose answers match, as parameters named after their answers."""
    return [
        pytest.param(answers, id=_id(answers))
        for answers in COMBINATIONS
        if all(answers.get(key, "none") == value for key, value in wanted.items())
    ]


ALL = [pytest.param(answers, id=_id(answers)) for answers in COMBINATIONS]
GITHUB = _where(ci_provider="github")
GITLAB = _where(ci_provider="gitlab")
KUBERNETES = _where(deployment="kubernetes")


@pytest.fixture(scope="module")
def renders() -> dict[str, Delivery]:
    """Renders shared by the tests of this module, made on first use (the tests only read them)."""
    return {}


@pytest.fixture
def delivery(request: pytest.FixtureRequest, renders: dict[str, Delivery], copie_session: Copie) -> Delivery:
    answers: dict[str, str] = request.param
    key = _id(answers)
    if key not in renders:
        project = render(
            copie_session, init_git=False, organization=ORGANIZATION, code_owners=CODE_OWNERS, **answers
        )
        renders[key] = Delivery(answers, project)
    return renders[key]


def tool(name: str) -> str:
    return str(TOOLS_BIN / name)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("delivery", ALL, indirect=True)
def test_only_the_chosen_provider_and_deployment_files_are_rendered(delivery: Delivery) -> None:
    project = delivery.project
    assert (project / ".github").is_dir() == delivery.github
    assert (project / ".gitlab-ci.yml").is_file() != delivery.github
    assert (project / "renovate.json").is_file() != delivery.github
    assert (project / "deploy").is_dir() == delivery.kubernetes
    owners = project / (".github/CODEOWNERS" if delivery.github else ".gitlab/CODEOWNERS")
    assert owners.read_text(encoding="utf-8").splitlines()[-1] == f"* {CODE_OWNERS}"
    # The render tier checks this for the default project only; pre-commit would rewrite these.
    delivery_files = [
        path
        for name in (".github", ".gitlab", ".gitlab-ci.yml", "renovate.json", "deploy")
        for path in ([project / name] if (project / name).is_file() else (project / name).rglob("*"))
        if path.is_file()
    ]
    assert delivery_files
    for path in delivery_files:
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n"), path
        assert not text.endswith("\n\n"), path
        assert all(line == line.rstrip() for line in text.splitlines()), path


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
    expected |= {"terraform"} if delivery.answers["cloud_provider"] != "none" else set()
    expected |= {"docs", "pages"} if delivery.answer("docs") == "mkdocs" else set()
    assert ci_jobs == expected
    # The gate with the end-to-end tests, which `make check` leaves to CI.
    assert "make check-all" in [step.get("run") for step in workflows["ci"]["jobs"]["check"]["steps"]]
    assert ("gitops" in workflows.get("cd", {"jobs": {}})["jobs"]) == delivery.kubernetes
    lock_file = {"poetry": "poetry.lock", "uv": "uv.lock", "pipenv": "Pipfile.lock"}[
        delivery.answer("package_manager")
    ]
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
    expected |= {"terraform"} if delivery.answers["cloud_provider"] != "none" else set()
    expected |= {"gitops"} if delivery.kubernetes else set()
    expected |= {"docs", "pages"} if delivery.answer("docs") == "mkdocs" else set()
    assert jobs == expected
    # The gate with the end-to-end tests, which `make check` leaves to CI.
    assert load(project / ".gitlab-ci.yml")["check"]["script"] == ["make check-all"]
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
def test_checkov_finds_nothing(delivery: Delivery) -> None:
    # Every project has a Dockerfile (the train image), serving or not.
    targets = [("dockerfile", "-f", "Dockerfile")]
    targets += [("kubernetes", "-d", "deploy")] if delivery.kubernetes else []
    if delivery.github:
        targets.append(("github_actions", "-d", ".github/workflows"))
    else:
        targets.append(("gitlab_ci", "-f", ".gitlab-ci.yml"))
    for framework, option, target in targets:
        completed = subprocess.run(
            [
                str(CHECKOV),
                "--skip-download",
                "--framework",
                framework,
                option,
                target,
                "-o",
                "json",
                "--quiet",
            ],
            cwd=delivery.project,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        report = json.loads(completed.stdout)
        assert report["summary"]["failed"] == 0, completed.stdout
        assert report["summary"]["passed"] > 0, completed.stdout
        # A skip is always an annotation that says why.
        for skipped in report["results"].get("skipped_checks", []):
            assert skipped["check_result"]["suppress_comment"], skipped


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
        registry = "ghcr.io" if delivery.github else "registry.gitlab.com"
        assert container["image"] == f"{registry}/acme-labs/{slug}:0.1.0"
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
        host = "github.com" if delivery.github else "gitlab.com"
        assert source["repoURL"] == f"https://{host}/{ORGANIZATION}/{slug}.git"
        assert (delivery.project / source["path"]).is_dir()
        assert application["spec"]["destination"]["namespace"] == f"{slug}-{environment}"


@pytest.mark.parametrize("delivery", KUBERNETES, indirect=True)
def test_a_release_moves_the_production_overlay(delivery: Delivery, tmp_path: Path) -> None:
    """The release job's own `sed` line, run on a copy of the overlay, sets the new image."""
    ci_file = ".github/workflows/cd.yml" if delivery.github else ".gitlab-ci.yml"
    bump = next(
        line.strip().removeprefix("- ")
        for line in (delivery.project / ci_file).read_text(encoding="utf-8").splitlines()
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

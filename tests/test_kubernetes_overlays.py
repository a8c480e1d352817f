"""Tier 2: the Kubernetes manifests of every pairwise row with a deployment: each kustomize
overlay builds and validates against the Kubernetes schemas, and the release's own `sed` line
moves the production image."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from tests.conftest import RenderRow
from tests.delivery import KUBERNETES, ORGANIZATION, Delivery, delivery_of, load
from tests.helpers import run, tool_env

pytestmark = pytest.mark.matrix

KUBERNETES_VERSION = kubernetes_validate.latest_version()


@pytest.fixture
def delivery(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    return delivery_of(request, render_row)


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

"""Tier 2: the Kubernetes manifests of every pairwise row with a deployment: each kustomize
overlay builds and validates against the Kubernetes schemas, the NetworkPolicy admits only the
pods allowed-clients.yaml names (as kubectl's own kustomize builds it too, where it is here), and
the release's own `sed` line moves the production image."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest

from tests.conftest import RenderRow
from tests.delivery import KUBERNETES, ORGANIZATION, Delivery, delivery_of, load
from tests.helpers import run, tool_env
from tests.kustomize import kustomize, kustomize_missing

pytestmark = pytest.mark.matrix

KUBERNETES_VERSION = kubernetes_validate.latest_version()
# The labels the NetworkPolicy selects its clients by (allowed-clients.yaml sets their values).
NAMESPACE_NAME = "kubernetes.io/metadata.name"
POD_NAME = "app.kubernetes.io/name"


@pytest.fixture
def delivery(request: pytest.FixtureRequest, render_row: RenderRow) -> Delivery:
    return delivery_of(request, render_row)


def build_overlay(folder: Path) -> list[dict[str, Any]]:
    """What `kustomize build` makes of the features our kustomizations use: resources (files and
    bases), replacements of one field by another, patches of maps, namespace and images, without
    local-config resources. Anything else fails, so the emulation cannot silently drift from the
    files."""
    kustomization = load(folder / "kustomization.yaml")
    fields = {"apiVersion", "kind", "resources", "namespace", "images", "patches", "replacements"}
    assert set(kustomization) <= fields
    resources: list[dict[str, Any]] = []
    for entry in kustomization["resources"]:
        target = folder / entry
        assert target.exists(), target
        resources += build_overlay(target) if target.is_dir() else [load(target)]
    for replacement in kustomization.get("replacements", []):
        _replace(resources, replacement)
    resources = [resource for resource in resources if not _local_config(resource)]
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


def by_identity(resources: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(resource["kind"], resource["metadata"]["name"]): resource for resource in resources}


def _local_config(resource: dict[str, Any]) -> bool:
    annotations = resource["metadata"].get("annotations", {})
    return bool(annotations.get("config.kubernetes.io/local-config") == "true")


def _field(path: str) -> list[str]:
    """A kustomize fieldPath's keys: dotted, with keys that hold dots in brackets."""
    return [key.strip("[]") for key in re.findall(r"\[[^\]]*\]|[^.]+", path)]


def _walk(node: Any, keys: list[str]) -> Any:
    for key in keys:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _replace(resources: list[dict[str, Any]], replacement: dict[str, Any]) -> None:
    source = replacement["source"]
    assert set(source) == {"kind", "name", "fieldPath"}, source
    value = _walk(by_identity(resources)[source["kind"], source["name"]], _field(source["fieldPath"]))
    for target in replacement["targets"]:
        assert set(target) == {"select", "fieldPaths"}, target
        assert set(target["select"]) == {"kind"}, target
        for resource in [r for r in resources if r["kind"] == target["select"]["kind"]]:
            for path in target["fieldPaths"]:
                *parents, last = _field(path)
                _walk(resource, parents)[last] = value


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
        (rule,) = by_kind["NetworkPolicy"]["spec"]["ingress"]
        assert rule["from"] == allowed_clients(deploy / "k8s" / "base")
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


def allowed_clients(base: Path) -> list[dict[str, Any]]:
    """The NetworkPolicy's `from:` that allowed-clients.yaml asks for: the ingress controller's
    pods, then Prometheus's, each by its namespace's name and its pods' name label."""
    labels = load(base / "allowed-clients.yaml")["data"]
    return [
        {
            "namespaceSelector": {"matchLabels": {NAMESPACE_NAME: labels[f"{client}Namespace"]}},
            "podSelector": {"matchLabels": {POD_NAME: labels[f"{client}Pods"]}},
        }
        for client in ("ingress", "monitoring")
    ]


@pytest.mark.skipif(kustomize_missing() is not None, reason=f"needs {kustomize_missing()}")
@pytest.mark.parametrize("delivery", KUBERNETES, indirect=True)
def test_kustomize_builds_the_overlays_as_emulated_and_the_allowed_clients_set_the_policy(
    delivery: Delivery, tmp_path: Path
) -> None:
    """kubectl's kustomize builds each overlay as build_overlay does; on a copy, labels changed in
    allowed-clients.yaml alone change the NetworkPolicy's `from:`."""
    deploy = shutil.copytree(delivery.project / "deploy", tmp_path / "deploy")
    overlays = sorted((deploy / "k8s" / "overlays").iterdir())
    for overlay in overlays:
        assert by_identity(kustomize(overlay)) == by_identity(build_overlay(overlay))
    clients = deploy / "k8s" / "base" / "allowed-clients.yaml"
    edited = clients.read_text(encoding="utf-8")
    for key, value in {"ingressPods": "traefik", "monitoringNamespace": "observability"}.items():
        edited, count = re.subn(rf"^(  {key}:) .*$", rf"\1 {value}", edited, flags=re.MULTILINE)
        assert count == 1, key
    clients.write_text(edited, encoding="utf-8")
    for overlay in overlays:
        policy = next(resource for resource in kustomize(overlay) if resource["kind"] == "NetworkPolicy")
        ingress, monitoring = policy["spec"]["ingress"][0]["from"]
        assert ingress["podSelector"]["matchLabels"] == {POD_NAME: "traefik"}
        assert monitoring["namespaceSelector"]["matchLabels"] == {NAMESPACE_NAME: "observability"}
        assert [ingress, monitoring] == allowed_clients(deploy / "k8s" / "base")


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

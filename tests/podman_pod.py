"""A Deployment's pod, as an overlay renders it, turned into `podman run` options: the user, the
read-only root, the capabilities, the emptyDir volumes (as tmpfs), the environment, the resource
limits and the readiness probe all come from the manifest, so the container test restates none.

A field this module does not know fails the translation: a new setting in the manifests must be
either honoured here or named below as one podman cannot honour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Set in the manifests, with no podman equivalent; why the run is still the pod's.
NOT_HONOURED = {
    "automountServiceAccountToken": "podman mounts no service account token anyway",
    "fsGroup": "podman cannot chown volumes to a group: it is only added to the user's groups",
    "image": "the image built from the project runs instead of the registry's tag",
    "imagePullPolicy": "the image is local",
    "requests": "resource requests only place a pod on a node",
    "livenessProbe": "the test checks its path once the pod is ready, it does not restart the container",
    "startupProbe": "readiness is awaited instead, which comes later",
}
POD_FIELDS = {"automountServiceAccountToken", "securityContext", "containers", "volumes"}
CONTAINER_FIELDS = {
    "name", "image", "imagePullPolicy", "ports", "livenessProbe", "readinessProbe", "startupProbe",
    "resources", "securityContext", "volumeMounts", "env", "command", "args",
}  # fmt: skip
SECURITY_FIELDS = {
    "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile", "readOnlyRootFilesystem",
    "allowPrivilegeEscalation", "privileged", "capabilities",
}  # fmt: skip
QUANTITY_SUFFIXES = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 10**3, "M": 10**6, "G": 10**9}


@dataclass(frozen=True)
class Pod:
    options: tuple[str, ...]
    user: str
    command: tuple[str, ...]
    port: int
    ready_path: str
    health_path: str
    read_only_root: bool
    tmpfs: tuple[str, ...]
    # What the manifest sets that podman cannot honour, each with why.
    not_honoured: tuple[str, ...]


def deployment_pod(manifests: list[dict[str, Any]]) -> Pod:
    """The one Deployment's pod among an overlay's manifests, as podman runs it."""
    (deployment,) = [manifest for manifest in manifests if manifest["kind"] == "Deployment"]
    spec = deployment["spec"]["template"]["spec"]
    assert set(spec) <= POD_FIELDS, set(spec) - POD_FIELDS
    (container,) = spec["containers"]
    assert set(container) <= CONTAINER_FIELDS, set(container) - CONTAINER_FIELDS
    security = {**spec.get("securityContext", {}), **container.get("securityContext", {})}
    assert set(security) <= SECURITY_FIELDS, set(security) - SECURITY_FIELDS
    present = {*spec, *container, *security, *container.get("resources", {})}
    tmpfs = _tmpfs(spec.get("volumes", []), container.get("volumeMounts", []))
    options = [*_security_options(security), *_resource_options(container.get("resources", {}))]
    options += [item for mount in tmpfs for item in ("--tmpfs", mount)]
    for variable in container.get("env", []):
        assert set(variable) == {"name", "value"}, f"podman cannot honour {variable}"
        options += ["--env", f"{variable['name']}={variable['value']}"]
    ports = {port.get("name", port["containerPort"]): port["containerPort"] for port in container["ports"]}
    probe = container["readinessProbe"]["httpGet"]
    return Pod(
        options=tuple(options),
        user=options[options.index("--user") + 1],
        command=(*container.get("command", []), *container.get("args", [])),
        port=int(ports.get(probe["port"], probe["port"])),
        ready_path=probe["path"],
        health_path=container["livenessProbe"]["httpGet"]["path"],
        read_only_root=bool(security.get("readOnlyRootFilesystem")),
        tmpfs=tuple(mount.split(":")[0] for mount in tmpfs),
        not_honoured=tuple(f"{field}: {why}" for field, why in NOT_HONOURED.items() if field in present),
    )


def _security_options(security: dict[str, Any]) -> list[str]:
    user, group = security["runAsUser"], security.get("runAsGroup", security["runAsUser"])
    # Podman has no runAsNonRoot: the test refuses what the kubelet would.
    assert not security.get("runAsNonRoot") or user != 0, "runAsNonRoot with user 0"
    assert security.get("seccompProfile", {}).get("type", "RuntimeDefault") == "RuntimeDefault"
    options = ["--user", f"{user}:{group}"]  # podman's own seccomp profile is its RuntimeDefault
    if "fsGroup" in security:
        options += ["--group-add", str(security["fsGroup"])]
    if security.get("readOnlyRootFilesystem"):
        # Without the flag's second half podman would add writable tmpfs of its own (/tmp, /run).
        options += ["--read-only", "--read-only-tmpfs=false"]
    if security.get("allowPrivilegeEscalation") is False:
        options += ["--security-opt", "no-new-privileges"]
    if security.get("privileged"):
        options.append("--privileged")
    capabilities = security.get("capabilities", {})
    options += [item for name in capabilities.get("drop", []) for item in ("--cap-drop", name)]
    options += [item for name in capabilities.get("add", []) for item in ("--cap-add", name)]
    return options


def _resource_options(resources: dict[str, Any]) -> list[str]:
    limits = resources.get("limits", {})
    assert set(limits) <= {"cpu", "memory"}, limits
    options = []
    if "cpu" in limits:
        cpu = str(limits["cpu"])
        options += ["--cpus", str(int(cpu[:-1]) / 1000 if cpu.endswith("m") else float(cpu))]
    if "memory" in limits:
        options += ["--memory", str(_bytes(limits["memory"]))]
    return options


def _tmpfs(volumes: list[dict[str, Any]], mounts: list[dict[str, Any]]) -> list[str]:
    """Each emptyDir as a tmpfs the size of its limit, writable by every user as an emptyDir is."""
    by_name = {volume["name"]: volume for volume in volumes}
    found = []
    for mount in mounts:
        volume = by_name[mount["name"]]
        assert set(volume) == {"name", "emptyDir"}, f"podman run here honours only emptyDir: {volume}"
        size = volume["emptyDir"].get("sizeLimit")
        found.append(f"{mount['mountPath']}:rw,mode=1777" + (f",size={_bytes(size)}" if size else ""))
    return found


def _bytes(quantity: str) -> int:
    for suffix, factor in QUANTITY_SUFFIXES.items():
        if quantity.endswith(suffix):
            return int(quantity.removesuffix(suffix)) * factor
    return int(quantity)

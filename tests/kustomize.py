"""`kubectl kustomize`, the overlays' own renderer (deploy/README.md names it), where this machine
has a kubectl recent enough to build them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml


def kustomize_missing() -> str | None:
    """Why `kubectl kustomize` cannot build the overlays here, or None when it can."""
    if shutil.which("kubectl") is None:
        return "kubectl (Debian's kubernetes-client)"
    command = ["kubectl", "version", "--client", "--output", "json"]
    found = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    # The overlays are checked with kustomize 5 (kubectl 1.27 on); older ones misread them
    # (Debian 12's kubectl 1.20 refuses `patches:`). kubectl names its kustomize from 1.24 on.
    version = found.get("kustomizeVersion", "v0")
    if int(version.lstrip("v").split(".")[0]) < 5:
        kubectl = found["clientVersion"]["gitVersion"]
        return f"kubectl with kustomize 5 or later (kubectl {kubectl} has {version})"
    return None


def kustomize(folder: Path) -> list[dict[str, Any]]:
    """The manifests `kubectl kustomize folder` renders."""
    command = ["kubectl", "kustomize", str(folder)]
    built = subprocess.run(command, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return [document for document in yaml.safe_load_all(built.stdout) if document]

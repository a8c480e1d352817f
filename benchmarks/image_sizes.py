"""Size of the serve image per framework x package manager, against the base it is built on.

    python -m benchmarks.image_sizes [--frameworks scikit-learn] [--managers uv poetry pipenv]

Needs root, podman, buildah and debootstrap (`apt-get install -y podman buildah debootstrap`).
Each combination is rendered on Python 3.11, locked with its manager, and its `serve` target
built with podman from the local stand-in base image (`scripts/local_base_image.py`), as the
opt-in container test does: only Python packages come over the network. Sizes are podman's
uncompressed image sizes in MB (1e6 bytes); a registry stores them compressed. They depend on
the lock, not on the machine's load, so one build per combination is the figure.

The pipeline is not run: a placeholder file stands in the trained model's folder
(`paths.model`), for a serve stage that copies the model into the image. PyTorch projects lock
torch from the PyTorch index, which must be reachable.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

import yaml

from benchmarks.render import copier_copy
from scripts.local_base_image import ensure_base_image
from tests.helpers import TOOLS_BIN, run, snapshot_template, tool_env, use_simple_index_for_poetry

PYTHON = "3.11"
LOCK: dict[str, list[str]] = {
    "uv": [str(TOOLS_BIN / "uv"), "lock", "--python", PYTHON],
    "poetry": [str(TOOLS_BIN / "poetry"), "lock"],
    "pipenv": [str(TOOLS_BIN / "pipenv"), "lock", "--python", PYTHON],
}
PODMAN_BUILD = ["podman", "build", "--isolation", "chroot", "--network", "host", "--format", "docker"]


def image_size(tag: str) -> int:
    command = ["podman", "image", "inspect", tag]
    inspected = subprocess.run(command, capture_output=True, text=True, check=True)
    size: int = json.loads(inspected.stdout)[0]["Size"]
    return size


def place_model(project: Path) -> None:
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    model = project / params["paths"]["model"]
    model.mkdir(parents=True, exist_ok=True)
    (model / "PLACEHOLDER").write_text("not a model: benchmarks.image_sizes builds without training\n")


def serve_image(template: Path, root: Path, framework: str, manager: str, base: str) -> int:
    """The size in bytes of the serve image of one rendered combination."""
    project = root / f"{framework}-{manager}"
    answers = {"ml_framework": framework, "package_manager": manager, "python_version": PYTHON}
    data = [item for key, value in answers.items() for item in ("-d", f"{key}={value}")]
    copier_copy(template, project, "-d", "init_git=false", *data)
    if manager == "poetry":
        use_simple_index_for_poetry(project)
    # The machine's pip configuration (its extra indexes) enters the Pipfile hash that Pipenv
    # writes into the lock; the image has none, and `pipenv install --deploy` would refuse it.
    run(LOCK[manager], cwd=project, env=tool_env({"PIP_CONFIG_FILE": os.devnull}), timeout=1800)
    place_model(project)
    tag = f"localhost/image-sizes:{framework}-{manager}"
    build = [*PODMAN_BUILD, "--build-arg", f"PYTHON_IMAGE={base}", "--target", "serve", "-t", tag, "."]
    run(build, cwd=project, timeout=3600)
    try:
        return image_size(tag)
    finally:
        subprocess.run(["podman", "rmi", "--force", tag], capture_output=True, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve image size per framework x package manager.")
    parser.add_argument("--frameworks", nargs="+", default=["scikit-learn"])
    parser.add_argument("--managers", nargs="+", default=["uv", "poetry", "pipenv"])
    arguments = parser.parse_args()
    base = ensure_base_image()
    base_size = image_size(base)
    print(f"serve image on {base} ({base_size / 1e6:.0f} MB), Python {PYTHON}, uncompressed MB")
    print(f"  {'framework':<14}{'manager':<9}{'base':>8}{'image':>8}{'above':>8}")
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        for framework in arguments.frameworks:
            for manager in arguments.managers:
                size = serve_image(template, root, framework, manager, base)
                figures = (base_size, size, size - base_size)
                print(f"  {framework:<14}{manager:<9}" + "".join(f"{value / 1e6:>8.0f}" for value in figures))


if __name__ == "__main__":
    main()

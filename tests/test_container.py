"""Opt-in (project tier): the serve image builds with podman from a local base image and answers.

Set CONTAINER_TESTS=1 to run it; it needs podman, buildah and debootstrap (Debian packages) and
root. The base image is a debootstrapped Debian with its Python 3.11 (`scripts.local_base_image`),
so no container registry is needed; the build itself installs the locked packages as usual.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from pytest_copie.plugin import Copie

from scripts.local_base_image import ensure_base_image
from tests.helpers import TOOLS_BIN, render, run

MISSING = [tool for tool in ("podman", "buildah", "debootstrap") if shutil.which(tool) is None]

pytestmark = [
    pytest.mark.project,
    pytest.mark.skipif(bool(MISSING), reason=f"needs {', '.join(MISSING)} (apt-get install them)"),
    pytest.mark.skipif(
        os.environ.get("CONTAINER_TESTS") != "1",
        reason="opt-in: set CONTAINER_TESTS=1 to build a base image and the serve image (minutes)",
    ),
]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(image: str, package: str) -> Iterator[str]:
    """The image's app on a free loopback port; yields its base URL once /health answers.

    `buildah run --isolation chroot` needs no OCI runtime: in sandboxes that refuse containers
    their resource limits (crun and runc both fail there), it still runs the image's own files.
    """
    container = run(["buildah", "from", image], cwd=TOOLS_BIN).strip().splitlines()[-1]
    port = free_port()
    uvicorn = ["uvicorn", "--factory", f"{package}.serve.app:app_from_params", "--port", str(port)]
    server = subprocess.Popen(
        ["buildah", "run", "--isolation", "chroot", "--network", "host", container, "--", *uvicorn],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status_of(f"{url}/health")
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        run(["buildah", "rm", container], cwd=TOOLS_BIN)


def test_serve_image_builds_and_answers_health(copie: Copie) -> None:
    base = ensure_base_image()
    project = render(copie, init_git=False, package_manager="uv", python_version="3.11")
    run([str(TOOLS_BIN / "uv"), "lock", "--python", "3.11"], cwd=project)
    tag = "localhost/ml-template-serve:test"
    build = ["podman", "build", "--isolation", "chroot", "--network", "host", "--format", "docker"]
    run([*build, "--build-arg", f"PYTHON_IMAGE={base}", "--target", "serve", "-t", tag, "."], cwd=project)
    try:
        inspected = subprocess.run(
            ["podman", "image", "inspect", tag], capture_output=True, text=True, check=True
        )
        image = json.loads(inspected.stdout)[0]
        assert image["Config"]["User"] == "10001:10001"
        assert "/health" in " ".join(image["Healthcheck"]["Test"])
        print(f"serve image: {image['Size'] / 1e6:.0f} MB on {base}")

        with served(tag, "my_ml_project") as url:
            assert status_of(f"{url}/health") == 200
            # .dockerignore keeps models/ out of the image: nothing to serve until one is mounted.
            assert status_of(f"{url}/ready") == 503
    finally:
        subprocess.run(["podman", "rmi", "--force", tag], capture_output=True, check=False)

"""Project tier: the serve image builds with podman and runs as the Kubernetes Deployment runs it.

Needs podman, buildah and debootstrap (Debian packages, which `.ci/run` installs when it runs as
root) and root; without them the test is skipped, naming what is missing. The base image is a
debootstrapped Debian with its Python 3.11 (`scripts.local_base_image`), so no container registry
is needed; the build itself installs the locked packages as usual.

The Deployment runs the image as uid 10001 on a read-only root filesystem with an emptyDir on
/tmp. OCI runtimes fail in sandboxes that refuse their resource limits (crun and runc both fail
to set RLIMIT_NOFILE here), so `podman run --read-only --user 10001` is not an option everywhere.
The honest equivalent used instead: the image's root filesystem (`buildah mount`) bind-mounted
read-only, a tmpfs on /tmp, and the image's command run in it with `chroot --userspec=10001:10001`,
the image's environment and working directory, on the host's network. A snapshot of every file
under /app before and after shows that the app wrote nothing there.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_copie.plugin import Copie

from scripts.local_base_image import ensure_base_image
from tests.helpers import TOOLS_BIN, render, run, warning_lines
from tests.local_http import free_port, status_of, wait_until_answering

MISSING = [tool for tool in ("podman", "buildah", "debootstrap") if shutil.which(tool) is None]
if os.geteuid() != 0:
    MISSING.append("root (mount, chroot and debootstrap need it)")

pytestmark = [
    pytest.mark.project,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"needs {', '.join(MISSING)} (.ci/run installs the tools with apt-get when it runs as root)",
    ),
]

PACKAGE = "my_ml_project"
TAG = "localhost/ml-template-serve:test"
Snapshot = dict[str, tuple[int, int, int, int]]


def build(project: Path, target: str, tag: str, base: str) -> subprocess.CompletedProcess[str]:
    command = ["podman", "build", "--isolation", "chroot", "--network", "host", "--format", "docker"]
    command += ["--build-arg", f"PYTHON_IMAGE={base}", "--target", target, "-t", tag, "."]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def train_in_image(project: Path, image: str) -> None:
    """The train image's own pipeline stages, on the project's folders mounted as the Dockerfile says."""
    container = run(["buildah", "from", image], cwd=TOOLS_BIN).strip().splitlines()[-1]
    volumes = []
    for folder in ("data", "models", "reports", "mlruns"):
        (project / folder).mkdir(exist_ok=True)
        volumes += ["--volume", f"{project / folder}:/app/{folder}"]
    stages = f"python -m {PACKAGE} prepare && python -m {PACKAGE} train"
    try:
        run(["buildah", "run", "--isolation", "chroot", "--user", "0:0", *volumes, container, "--",
             "sh", "-c", stages], cwd=TOOLS_BIN)  # fmt: skip
    finally:
        run(["buildah", "rm", container], cwd=TOOLS_BIN)


def snapshot(root: Path) -> Snapshot:
    """Every path under root with its size, modification time, mode and owner."""
    found = {}
    for path in [root, *root.rglob("*")]:
        stat = path.lstat()
        found[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns, stat.st_mode, stat.st_uid)
    return found


@contextmanager
def read_only_root(image: str) -> Iterator[Path]:
    """The image's root filesystem, mounted read-only, with a tmpfs on /tmp, the host's /dev and
    a /proc."""
    with ExitStack() as stack:
        container = run(["buildah", "from", image], cwd=TOOLS_BIN).strip().splitlines()[-1]
        stack.callback(run, ["buildah", "rm", container], cwd=TOOLS_BIN)
        rootfs = run(["buildah", "mount", container], cwd=TOOLS_BIN).strip().splitlines()[-1]
        stack.callback(run, ["buildah", "umount", container], cwd=TOOLS_BIN)
        target = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="serve-root-")))
        mounts = [
            (["mount", "--bind", rootfs, str(target)], target),
            (["mount", "-o", "remount,bind,ro", str(target)], None),
            (["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(target / "tmp")], target / "tmp"),
            # With its submounts: /dev/shm is writable in a pod, and joblib needs it.
            (["mount", "--rbind", "/dev", str(target / "dev")], target / "dev"),
            # As in a pod: onnxruntime reads the CPU's features from /proc/cpuinfo.
            (["mount", "-t", "proc", "proc", str(target / "proc")], target / "proc"),
        ]
        for command, mounted in mounts:
            subprocess.run(command, check=True)
            if mounted is not None:
                stack.callback(subprocess.run, ["umount", "--lazy", str(mounted)], check=False)
        yield target


@contextmanager
def served(root: Path, config: dict[str, Any], port: int, log: list[str]) -> Iterator[str]:
    """The image's command on root as the Deployment runs it; yields the base URL once /health
    answers, and adds the server's output to log when it has stopped."""
    environment = dict(variable.split("=", 1) for variable in config["Env"])
    command = [*config["Cmd"][:-1], str(port)]
    assert config["Cmd"][-2:] == ["--port", "8000"], config["Cmd"]
    chroot = shutil.which("chroot") or "chroot"
    shell = f'cd {config["WorkingDir"]} && exec "$@"'
    server = subprocess.Popen(
        [chroot, f"--userspec={config['User']}", str(root), "/bin/sh", "-c", shell, "serve", *command],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/health", lambda: server.poll() is None)
        yield url
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
        print(output)
        log.append(output)


def sample_row(project: Path) -> dict[str, Any]:
    """The first row of the bundled data, with only the features the API takes."""
    features = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))["features"]
    with (project / "data" / "raw" / "customers.csv").open(encoding="utf-8") as rows:
        first = next(csv.DictReader(rows))
    row: dict[str, Any] = {name: first[name] for name in features["categorical"]}
    for name in features["numeric"]:
        row[name] = int(first[name]) if first[name].lstrip("-").isdigit() else float(first[name])
    return row


def test_serve_image_runs_read_only_as_the_deployment_runs_it(copie: Copie) -> None:
    started = time.monotonic()
    base = ensure_base_image()
    project = render(copie, init_git=False, package_manager="uv", python_version="3.11")
    run([str(TOOLS_BIN / "uv"), "lock", "--python", "3.11"], cwd=project)
    try:
        # Without the pipeline's model the build stops, saying how to get it.
        missing = build(project, "serve", TAG, base)
        assert missing.returncode != 0
        assert "dvc pull train" in missing.stdout + missing.stderr

        assert build(project, "train", TAG, base).returncode == 0
        train_in_image(project, TAG)
        built = build(project, "serve", TAG, base)
        assert built.returncode == 0, built.stderr[-3000:]

        inspected = run(["podman", "image", "inspect", TAG], cwd=TOOLS_BIN)
        image = json.loads(inspected)[0]
        config = image["Config"]
        assert config["User"] == "10001:10001"
        assert "MODEL_SOURCE=file" in config["Env"]
        assert "/health" in " ".join(image["Healthcheck"]["Test"])
        print(f"serve image: {image['Size'] / 1e6:.0f} MB on {base}")

        with read_only_root(TAG) as root:
            app = root / config["WorkingDir"].lstrip("/")
            model = app / "models" / "model"
            assert all(path.stat().st_uid == 0 for path in [model, *model.rglob("*")])
            assert not any(path.stat().st_mode & 0o022 for path in [model, *model.rglob("*")])
            before = snapshot(app)
            log: list[str] = []
            with served(root, config, free_port(), log) as url:
                assert status_of(f"{url}/health") == 200
                assert status_of(f"{url}/ready") == 200
                assert status_of(f"{url}/predict", {"rows": [sample_row(project)]}) == 200
            assert snapshot(app) == before
            # Nothing the app tried was refused by the read-only filesystem or the user's rights.
            assert warning_lines(log[0]) == [], log[0]
            assert "denied" not in log[0]
            assert "Read-only file system" not in log[0]
    finally:
        subprocess.run(["podman", "rmi", "--force", TAG], capture_output=True, check=False)
        print(f"container test: {time.monotonic() - started:.0f} s")

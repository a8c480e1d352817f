"""A rendered project, installed and trained, ready to serve: what the serving benchmarks share.

`trained_project` renders a project (default answers but the framework), installs its runtime
dependencies into a fresh environment with compiled bytecode (the machines set
PYTHONDONTWRITEBYTECODE, so nothing would be compiled at import), and runs the pipeline's stages
with the project's own CLI: with MLflow (the default) evaluation registers the champion that the
app serves. `Server` runs the app under uvicorn on a loopback port and says when it answers.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from packaging.requirements import Requirement

from benchmarks.render import copier_copy
from extensions.data import choice_values
from extensions.dependencies import dependency_specs
from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, install_local_torch, run, snapshot_template, tool_env

PACKAGE = "my_ml_project"
# Every value of copier.yml's ml_framework, in its order.
FRAMEWORKS = tuple(choice_values()["ml_framework"])
# The HTTP client the probes drive the app with; the project lists it as a development dependency.
CLIENT_PACKAGES = frozenset({"httpx", "httpx2"})
# torch comes from this machine's CPU wheel (see tests/helpers.py), which exists for 3.11 only.
PYTHON = {"pytorch": "3.11"}
DEFAULT_PYTHON = "3.12"
# The app factory `make serve` and the serve image start.
APP = f"{PACKAGE}.serve.app:app_from_params"


def render(template: Path | str, project: Path, framework: str, *copier_args: str) -> None:
    python = PYTHON.get(framework, DEFAULT_PYTHON)
    answers = {"init_git": "false", "ml_framework": framework, "python_version": python}
    copier_copy(
        Path(template),
        project,
        *(arg for key, value in answers.items() for arg in ("-d", f"{key}={value}")),
        *copier_args,
    )


def install_runtime(project: Path, venv: Path, framework: str, client: bool) -> dict[str, str]:
    """The project's runtime dependencies (and the HTTP client if asked) in `venv`, compiled.

    The list is this working tree's (extensions/dependencies.yml), for the default answers.
    """
    specs = dependency_specs(
        serving="fastapi", ml_framework=framework, experiment_tracking="mlflow", cloud_provider="aws"
    )
    requirements = [
        *specs["runtime"],
        *(r for r in specs["dev"] if client and Requirement(r).name in CLIENT_PACKAGES),
    ]
    uv = str(TOOLS_BIN / "uv")
    python = PYTHON.get(framework, DEFAULT_PYTHON)
    # In the sandbox, pip (seeded for it) installs the local torch wheel; uv then keeps it, as it
    # satisfies the pin.
    seed = ["--seed"] if framework == "pytorch" else []
    run([uv, "venv", "--quiet", *seed, "--python", python, str(venv)], cwd=project)
    if framework == "pytorch":
        install_local_torch(venv / "bin" / "python", "--compile")
    # tool_env sets UV_COMPILE_BYTECODE: every module is compiled once, here.
    run([uv, "pip", "install", "--quiet", "--python", str(venv), *requirements], cwd=project)
    return tool_env(
        {
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(project / "src"),
        }
    )


def probe_env(env: Mapping[str, str]) -> dict[str, str]:
    """`env` where this repository's `benchmarks` can be imported too (by the probes only: the
    served app sees the project alone)."""
    return {**env, "PYTHONPATH": f"{env['PYTHONPATH']}{os.pathsep}{TEMPLATE_ROOT}"}


def trained_project(
    template: Path | str,
    project: Path,
    framework: str = "scikit-learn",
    *copier_args: str,
    client: bool = False,
) -> dict[str, str]:
    """Render, install and train; returns the environment that runs the project's code."""
    render(template, project, framework, *copier_args)
    env = install_runtime(project, project.parent / f"{project.name}-venv", framework, client)
    for stage in ("prepare", "train", "evaluate"):
        run(["python", "-m", PACKAGE, stage], cwd=project, env=env, timeout=1800)
    # The image installs the project too, compiled like its dependencies.
    run(["python", "-m", "compileall", "-q", "src"], cwd=project, env=env)
    return env


def trained_default_project(root: Path) -> tuple[Path, dict[str, str]]:
    """A default project of this working tree's snapshot, trained under `root`, with the test
    client installed; returns the project and the environment that runs its code."""
    project = root / "project"
    return project, trained_project(snapshot_template(root / "template"), project, client=True)


def probe_result(output: str) -> Any:
    """The JSON line a probe prints; libraries may log around it (stdout and stderr are joined)."""
    return json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))


def percentile(values: list[float], rank: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[rank - 1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(url: str) -> bool:
    """Whether GET `url` is 200 now (a refused connection or another status is not)."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Server:
    """The app under uvicorn on 127.0.0.1 (a free port), as `make serve` starts it.

    `started` is the moment the process was spawned; `wait_for` polls a path every `interval`
    seconds and returns the seconds from that moment to its first 200.
    """

    def __init__(self, project: Path, env: Mapping[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w", encoding="utf-8")
        command = ["uvicorn", "--factory", APP, "--host", "127.0.0.1", "--port", str(self.port)]
        self.started = time.perf_counter()
        self._process = subprocess.Popen(
            command, cwd=project, env=dict(env), stdout=self._log, stderr=self._log
        )
        self._log_path = log

    @property
    def pid(self) -> int:
        """uvicorn's process id: the app runs in it (one worker, no reloader)."""
        return self._process.pid

    def wait_for(self, path: str, timeout: float = 300, interval: float = 0.02) -> float:
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if answers(self.url + path):
                return time.perf_counter() - self.started
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"uvicorn exited with {self._process.returncode}:\n{self._log_path.read_text()}"
                )
            time.sleep(interval)
        raise TimeoutError(f"{path} did not answer 200 within {timeout} s:\n{self._log_path.read_text()}")

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._log.close()

"""Median and tail latency of the serving app's `/predict`, in-process, per batch size.

    python -m benchmarks.serving_latency [--runs 500] [--batches 1 100]

Renders a default project, installs its runtime dependencies into a fresh environment (uv,
Python 3.12), trains the sample model with the project's own CLI, then calls `/predict` through
FastAPI's TestClient: request validation, the model, the response and the metrics middleware,
without a network or a server process. Each batch size gets 20 untimed requests first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

from benchmarks.render import copier_copy
from extensions.context import dependency_specs
from tests.helpers import TOOLS_BIN, run, snapshot_template, tool_env

PROBE = Path(__file__).with_name("serving_probe.py")
PACKAGE = "my_ml_project"
# The test client is all the probe needs beside the runtime dependencies.
CLIENT_PACKAGES = frozenset({"httpx", "httpx2"})


def project_environment(root: Path) -> dict[str, str]:
    # The default project's answers: without them every framework's dependencies would be listed.
    specs = dependency_specs(
        serving="fastapi", ml_framework="scikit-learn", experiment_tracking="mlflow", cloud_provider="aws"
    )
    requirements = [*specs["runtime"], *(r for r in specs["dev"] if Requirement(r).name in CLIENT_PACKAGES)]
    (root / ".python-version").write_text("3.12\n")
    uv = str(TOOLS_BIN / "uv")
    run([uv, "venv", "--quiet", "--python", "3.12", str(root / "venv")], cwd=root)
    run([uv, "pip", "install", "--quiet", "--python", str(root / "venv"), *requirements], cwd=root)
    return tool_env({"PATH": f"{root / 'venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"})


def percentile(values: list[float], rank: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[rank - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description="In-process /predict latency per batch size.")
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        project = root / "project"
        copier_copy(snapshot_template(root / "template"), project, "-d", "init_git=false")
        env = dict(project_environment(root), PYTHONPATH=str(project / "src"))
        # With MLflow (the default) the app serves the champion, which evaluation registers.
        for stage in ("prepare", "train", "evaluate"):
            run(["python", "-m", PACKAGE, stage], cwd=project, env=env)
        probe = [str(PROBE), PACKAGE, str(project), "--runs", str(arguments.runs), "--batches"]
        output = run(["python", *probe, *map(str, arguments.batches)], cwd=project, env=env)
        # The probe prints one JSON line; libraries may log around it (stdout and stderr are joined).
        line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
        timings: dict[str, list[float]] = json.loads(line)
    print(f"/predict in-process (TestClient), {arguments.runs} requests per batch size, milliseconds")
    print(f"  {'rows':>5}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    for size, values in timings.items():
        figures = (statistics.median(values), percentile(values, 90), percentile(values, 99), max(values))
        print(f"  {size:>5}" + "".join(f"{value:>9.2f}" for value in figures))


if __name__ == "__main__":
    main()

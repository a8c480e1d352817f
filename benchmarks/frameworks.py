"""Per framework and tracking choice: installed environment size and median pipeline wall time.

    python -m benchmarks.frameworks [--runs 3] [--frameworks scikit-learn pytorch tensorflow]

Each project is rendered and installed as the project tier does it (uv; PyTorch with pip from
this machine's CPU wheel), then `dvc repro --force` runs the whole pipeline (prepare, train,
evaluate, and with MLflow the run, the registry and the model card) `--runs` times after one
untimed run. Sizes are the apparent size of `.venv/` in MB. Installs compile bytecode, as the
tests do.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.render import copier_copy
from extensions.data import choice_values
from tests.helpers import install_project, run, snapshot_template

TRACKING = ("mlflow", "none")


def install(template: Path, destination: Path, framework: str, tracking: str) -> dict[str, str]:
    answers = {"ml_framework": framework, "experiment_tracking": tracking, "package_manager": "uv"}
    if framework == "pytorch":
        answers["python_version"] = "3.11"
    copier_copy(
        template, destination, *(arg for key, value in answers.items() for arg in ("-d", f"{key}={value}"))
    )
    _, env = install_project(destination, timeout=1800)
    return {**env, "PATH": f"{destination / '.venv' / 'bin'}{os.pathsep}{env['PATH']}"}


def environment_mb(project: Path) -> float:
    output = subprocess.run(
        ["du", "-s", "--block-size=1", "--apparent-size", str(project / ".venv")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[0]) / 1_000_000


def pipeline_seconds(project: Path, env: dict[str, str], runs: int) -> list[float]:
    run(["dvc", "repro", "--force"], cwd=project, env=env)  # warm-up: caches, first imports
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run(["dvc", "repro", "--force"], cwd=project, env=env)
        timings.append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description="Environment size and pipeline time per framework.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frameworks", nargs="+", default=list(choice_values()["ml_framework"]))
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        print(f"pipeline: median of {arguments.runs} `dvc repro --force` runs after one warm-up")
        print(f"  {'framework':<13}{'tracking':<10}{'env MB':>9}{'pipeline s':>12}{'min s':>8}{'max s':>8}")
        for framework in arguments.frameworks:
            for tracking in TRACKING:
                project = root / f"{framework}-{tracking}"
                env = install(template, project, framework, tracking)
                timings = pipeline_seconds(project, env, arguments.runs)
                print(
                    f"  {framework:<13}{tracking:<10}{environment_mb(project):>9.0f}"
                    f"{statistics.median(timings):>12.1f}{min(timings):>8.1f}{max(timings):>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()

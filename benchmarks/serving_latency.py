"""Median and tail latency of the serving app's `/predict`, in-process, per batch size.

    python -m benchmarks.serving_latency [--runs 500] [--batches 1 100]

Renders a default project, installs its runtime dependencies into a fresh environment (uv,
Python 3.12), trains the sample model with the project's own CLI, then calls `/predict` through
FastAPI's TestClient: request validation, the model, the response and the metrics middleware,
without a network or a server process. Each batch size gets 20 untimed requests first.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.served_project import PACKAGE, percentile, probe_result, trained_default_project
from tests.helpers import run

PROBE = Path(__file__).with_name("serving_probe.py")


def main() -> None:
    parser = argparse.ArgumentParser(description="In-process /predict latency per batch size.")
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        project, env = trained_default_project(root)
        probe = [str(PROBE), PACKAGE, str(project), "--runs", str(arguments.runs), "--batches"]
        output = run(["python", *probe, *map(str, arguments.batches)], cwd=project, env=env)
        timings: dict[str, list[float]] = probe_result(output)
    print(f"/predict in-process (TestClient), {arguments.runs} requests per batch size, milliseconds")
    print(f"  {'rows':>5}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}")
    for size, values in timings.items():
        figures = (statistics.median(values), percentile(values, 90), percentile(values, 99), max(values))
        print(f"  {size:>5}" + "".join(f"{value:>9.2f}" for value in figures))


if __name__ == "__main__":
    main()

"""Throughput and latency of the served app under concurrent load, per batch size.

    python -m benchmarks.serving_load [--concurrency 16] [--requests 2000] [--seconds 10]
        [--repetitions 3] [--batches 1 100]

Renders a default project, installs its runtime dependencies and httpx (uv, Python 3.12,
compiled bytecode), trains the sample model with the project's own CLI, starts the app as
`make serve` does (uvicorn, one worker, 127.0.0.1 and a free port) and, once `/ready` answers,
drives `/predict` from a second process (`load_probe.py`): `--concurrency` clients post the same
batch until `--requests` answers or `--seconds` pass. Each figure is the median over the
repetitions of that repetition's requests per second, p50 and p99. Client and server share the
machine's cores, so the figures are a floor for a server with cores of its own. At most
batches x repetitions x seconds of load (one minute by default) after the install and training.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.load_probe import Repetition
from benchmarks.served_project import (
    PACKAGE,
    Server,
    percentile,
    probe_env,
    probe_result,
    trained_default_project,
)
from tests.helpers import run


def main() -> None:
    parser = argparse.ArgumentParser(description="Requests per second, p50 and p99 of /predict under load.")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000, help="most requests per repetition")
    parser.add_argument("--seconds", type=float, default=10, help="most seconds per repetition")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100])
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        project, env = trained_default_project(root)
        with Server(project, env, root / "uvicorn.log") as server:
            server.wait_for("/ready")
            options = {
                "--concurrency": arguments.concurrency,
                "--requests": arguments.requests,
                "--seconds": arguments.seconds,
                "--repetitions": arguments.repetitions,
            }
            probe = ["python", "-m", "benchmarks.load_probe", PACKAGE, str(project), server.url]
            probe += [str(part) for option in options.items() for part in option]
            probe += ["--batches", *map(str, arguments.batches)]
            budget = 120 + len(arguments.batches) * arguments.repetitions * arguments.seconds * 2
            results: dict[str, list[Repetition]] = probe_result(
                run(probe, cwd=project, env=probe_env(env), timeout=budget)
            )
    print(
        f"/predict under uvicorn (one worker, loopback), concurrency {arguments.concurrency}: "
        f"median of {arguments.repetitions} repetitions of at most {arguments.requests} requests "
        f"or {arguments.seconds:g} s"
    )
    print(f"  {'rows':>5}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for size, repetitions in results.items():
        latencies = [repetition["latencies"] for repetition in repetitions]
        counts = [len(values) for values in latencies]
        rates = [len(repetition["latencies"]) / repetition["seconds"] for repetition in repetitions]
        p50 = statistics.median(statistics.median(values) for values in latencies)
        p99 = statistics.median(percentile(values, 99) for values in latencies)
        figures = f"{statistics.median(rates):>9.1f}{p50:>9.2f}{p99:>9.2f}"
        print(f"  {size:>5}{statistics.median(counts):>10.0f}{figures}")


if __name__ == "__main__":
    main()

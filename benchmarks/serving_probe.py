"""Times `/predict` in-process; runs inside a rendered project's environment (see serving_latency).

    python benchmarks/serving_probe.py PACKAGE PROJECT_DIR --batches 1 100 --runs 500

Prints one JSON object: the batch size -> the latency of every timed request, in milliseconds.
Only the standard library is imported directly: FastAPI and the project come from the
project's environment, by name.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import time
from pathlib import Path
from typing import Any

WARM_UP = 20


def sample_rows(
    project: Path, numeric: tuple[str, ...], categorical: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The bundled sample data's feature columns, typed as a client sends them (61, 96.5, "one-year")."""
    with (project / "data" / "raw" / "customers.csv").open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    return [
        {**{name: json.loads(row[name]) for name in numeric}, **{name: row[name] for name in categorical}}
        for row in records
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("project", type=Path)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=500)
    arguments = parser.parse_args()
    config = importlib.import_module(f"{arguments.package}.config")
    serve = importlib.import_module(f"{arguments.package}.serve")
    test_client = importlib.import_module("fastapi.testclient").TestClient

    settings = config.load_settings(arguments.project / "params.yaml")
    client = test_client(serve.create_app(settings))
    rows = sample_rows(arguments.project, settings.features.numeric, settings.features.categorical)
    timings: dict[int, list[float]] = {}
    for size in arguments.batches:
        payload = {"rows": rows[:size]}
        for _ in range(WARM_UP):
            client.post("/predict", json=payload).raise_for_status()
        timings[size] = []
        for _ in range(arguments.runs):
            start = time.perf_counter()
            client.post("/predict", json=payload).raise_for_status()
            timings[size].append((time.perf_counter() - start) * 1000)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()

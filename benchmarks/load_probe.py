"""Drives a served app with concurrent clients; runs inside a rendered project's environment.

    python -m benchmarks.load_probe PACKAGE PROJECT_DIR URL --concurrency 16 --requests 2000
        --seconds 10 --batches 1 100 --repetitions 3

For each batch size and repetition, `--concurrency` clients on one asyncio loop (httpx, one
keep-alive connection each) post the same batch of sample rows to `/predict` until `--requests`
answers or `--seconds` have passed, whichever comes first. 20 untimed requests per batch size
come first. Prints one JSON object: batch size -> a list, per repetition, of
a `Repetition`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import time
from pathlib import Path
from typing import Any, TypedDict

from benchmarks.serving_probe import WARM_UP, sample_rows


class Repetition(TypedDict):
    seconds: float  # wall time of the repetition
    latencies: list[float]  # milliseconds, one per answered request


async def one_repetition(
    client: Any, payload: dict[str, Any], concurrency: int, requests: int, seconds: float
) -> Repetition:
    latencies: list[float] = []
    remaining = requests
    start = time.perf_counter()
    deadline = start + seconds

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            sent = time.perf_counter()
            response = await client.post("/predict", json=payload)
            response.raise_for_status()
            latencies.append((time.perf_counter() - sent) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"seconds": time.perf_counter() - start, "latencies": latencies}


async def drive(arguments: argparse.Namespace, rows: list[dict[str, Any]]) -> dict[int, list[Repetition]]:
    httpx = importlib.import_module("httpx")
    limits = httpx.Limits(
        max_connections=arguments.concurrency, max_keepalive_connections=arguments.concurrency
    )
    results: dict[int, list[Repetition]] = {}
    async with httpx.AsyncClient(base_url=arguments.url, limits=limits, timeout=60) as client:
        for size in arguments.batches:
            payload = {"rows": rows[:size]}
            for _ in range(WARM_UP):
                (await client.post("/predict", json=payload)).raise_for_status()
            results[size] = [
                await one_repetition(
                    client, payload, arguments.concurrency, arguments.requests, arguments.seconds
                )
                for _ in range(arguments.repetitions)
            ]
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("project", type=Path)
    parser.add_argument("url")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repetitions", type=int, default=3)
    arguments = parser.parse_args()
    settings = importlib.import_module(f"{arguments.package}.config").load_settings(
        arguments.project / "params.yaml"
    )
    rows = sample_rows(arguments.project, settings.features.numeric, settings.features.categorical)
    print(json.dumps(asyncio.run(drive(arguments, rows))))


if __name__ == "__main__":
    main()

"""Median time-to-green per package manager: copy -> make install -> make check -> make pipeline.

    python -m benchmarks.time_to_green [--runs 3] [--managers poetry uv pipenv] [--no-warm-up]

Its own column, left out of the total: `make install-locked` in a fresh clone of the project once
the lock `make install` wrote is committed, which is what every teammate after the first runs.

"Warm cache": one untimed run per manager fills its download cache first, so the figures are
what a developer sees on a machine that has installed these packages before. `make install`
compiles bytecode for every manager, so `make check` and the pipeline's stages never compile an
import (the machine's PYTHONDONTWRITEBYTECODE would otherwise make every process recompile).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.render import copier_copy
from tests.helpers import git, run, snapshot_template, use_simple_index_for_poetry

STEPS = ("install", "check", "pipeline")


def install_locked_in_a_clone(project: Path) -> float:
    """Commits what the first steps wrote (the lock, dvc.lock), clones the project and times
    `make install-locked` there."""
    git(project, "add", "--all")
    identity = ("-c", "user.name=Bench", "-c", "user.email=bench@example.com")
    git(project, *identity, "commit", "--quiet", "--no-verify", "-m", "build: lock the dependencies")
    clone = project.with_name(f"{project.name}-clone")
    run(["git", "clone", "--quiet", str(project), str(clone)], cwd=project.parent)
    start = time.perf_counter()
    run(["make", "install-locked"], cwd=clone, timeout=1800)
    return time.perf_counter() - start


def one_run(template: Path, destination: Path, manager: str) -> dict[str, float]:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    copier_copy(template, destination, "-d", f"package_manager={manager}")
    timings["copy"] = time.perf_counter() - start
    if manager == "poetry":
        use_simple_index_for_poetry(destination)
    for step in STEPS:
        step_start = time.perf_counter()
        run(["make", step], cwd=destination, timeout=1800)
        timings[step] = time.perf_counter() - step_start
    timings["total"] = time.perf_counter() - start
    timings["install-locked"] = install_locked_in_a_clone(destination)
    return timings


def row(label: str, cells: list[str]) -> str:
    """One line of the table: right-aligned cells wide enough for the longest header."""
    return f"  {label:<8}" + "".join(f"{cell:>16}" for cell in cells)


def main() -> None:
    parser = argparse.ArgumentParser(description="Median time-to-green per package manager.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--managers", nargs="+", default=["poetry", "uv", "pipenv"])
    parser.add_argument(
        "--warm-up",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="one untimed run per manager first (--no-warm-up: the caches are known to be warm)",
    )
    arguments = parser.parse_args()
    columns = ("copy", *STEPS, "total", "install-locked")
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        # Two cores shared with other work make every step slower: the load says how quiet it was.
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"median of {arguments.runs} runs, warm cache, seconds (load average at start: {load})")
        print(row("manager", list(columns)))
        for manager in arguments.managers:
            if arguments.warm_up:
                one_run(template, root / f"{manager}-warm-up", manager)
            runs = [
                one_run(template, root / f"{manager}-{index}", manager) for index in range(arguments.runs)
            ]
            medians = [statistics.median(run_[column] for run_ in runs) for column in columns]
            print(row(manager, [f"{value:.1f}" for value in medians]))


if __name__ == "__main__":
    main()

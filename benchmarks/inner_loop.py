"""Median time of `make check` on a fresh default project, and of each of its steps.

    python -m benchmarks.inner_loop [--runs 3] [--manager poetry] [--project PATH]

One render and one `make install` (or an installed project given with --project); then each run
starts from a project with no tool caches (mypy, ruff, pytest, coverage), as a fresh clone has
none, and times the steps one by one (ruff, ruff format --check, mypy cold and warm; pytest's
start-up alone, with --collect-only; `make test`'s pytest without and with coverage, and the `e2e`
tests), then `make check` and `make check-all` as a developer and CI run them.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.render import copier_copy
from extensions.package_managers import PACKAGE_MANAGERS
from tests.helpers import run, snapshot_template, use_simple_index_for_poetry

CACHES = (".mypy_cache", ".ruff_cache", ".pytest_cache", ".coverage")


def forget_caches(project: Path) -> None:
    for name in CACHES:
        path = project / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def timed(command: list[str], project: Path) -> float:
    start = time.perf_counter()
    run(command, cwd=project, timeout=1800)
    return time.perf_counter() - start


def one_run(project: Path, tool: list[str]) -> dict[str, float]:
    forget_caches(project)
    timings = {
        "ruff check": timed([*tool, "ruff", "check", "."], project),
        "ruff format": timed([*tool, "ruff", "format", "--check", "."], project),
        "mypy cold": timed([*tool, "mypy"], project),
        "mypy warm": timed([*tool, "mypy"], project),
        "pytest collect": timed([*tool, "pytest", "-m", "not e2e", "--collect-only", "-q"], project),
        "pytest no-cov": timed([*tool, "pytest", "-m", "not e2e", "--no-cov"], project),
        "pytest": timed([*tool, "pytest", "-m", "not e2e"], project),
        "pytest e2e": timed([*tool, "pytest", "-m", "e2e", "--no-cov"], project),
    }
    forget_caches(project)
    timings["make check"] = timed(["make", "check"], project)
    forget_caches(project)
    timings["make check-all"] = timed(["make", "check-all"], project)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description="Median make check time on a fresh default project.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--manager", default="poetry", choices=sorted(PACKAGE_MANAGERS))
    parser.add_argument(
        "--project", type=Path, help="an installed project of that manager to time instead of a fresh render"
    )
    arguments = parser.parse_args()
    tool = PACKAGE_MANAGERS[arguments.manager].run.split()
    with tempfile.TemporaryDirectory() as temporary:
        project = arguments.project or fresh_project(Path(temporary), arguments.manager)
        runs = []
        for number in range(1, arguments.runs + 1):
            runs.append(one_run(project, tool))
            # Each run as it ends: a run takes minutes, and a loaded machine shows in the spread.
            print(f"run {number}: " + ", ".join(f"{step} {took:.1f}" for step, took in runs[-1].items()))
    print(f"{arguments.manager}, median of {arguments.runs} runs from no tool caches, seconds")
    for step in runs[0]:
        print(f"  {step:<16}{statistics.median(run_[step] for run_ in runs):>8.1f}")


def fresh_project(root: Path, manager: str) -> Path:
    """A default project of this template's working tree, rendered and installed in `root`."""
    template = snapshot_template(root / "template")
    project = root / "project"
    copier_copy(template, project, "-d", f"package_manager={manager}")
    if manager == "poetry":
        use_simple_index_for_poetry(project)
    run(["make", "install"], cwd=project, timeout=1800)
    return project


if __name__ == "__main__":
    main()

"""Median time of `copier copy` for this template against a one-file template (the floor).

    python -m benchmarks.render [--runs 7]

Each run is a fresh `copier copy` process, as a user would run it, from a committed snapshot of
the template. The floor is the same command on a template with one rendered file: what Copier
itself costs (interpreter start, clone, questionnaire), so the difference is this template's own.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers import TOOLS_BIN, commit_all, git, run, snapshot_template


def one_file_template(destination: Path) -> Path:
    (destination / "template").mkdir(parents=True)
    (destination / "copier.yml").write_text(
        "_subdirectory: template\n_templates_suffix: .jinja\n"
        "project_name:\n  type: str\n  help: Name\n  default: Floor\n"
    )
    (destination / "template" / "README.md.jinja").write_text("# {{ project_name }}\n")
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "one-file template")
    return destination


def copier_copy(template: Path, destination: Path, *extra: str) -> None:
    command = [str(TOOLS_BIN / "copier"), "copy", "--trust", "--defaults", "--quiet", *extra]
    run([*command, str(template), str(destination)], cwd=destination.parent)


def median_seconds(runs: int, action: Callable[[Path], None], workdir: Path) -> float:
    timings = []
    for index in range(runs):
        destination = workdir / f"run-{index}"
        start = time.perf_counter()
        action(destination)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description="Median copier copy time, template vs floor.")
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        floor = one_file_template(root / "floor")
        cases: dict[str, Callable[[Path], None]] = {
            "one-file template (floor)": lambda dest: copier_copy(floor, dest),
            "this template, init_git=false": lambda dest: copier_copy(template, dest, "-d", "init_git=false"),
            "this template, defaults (git init + commit)": lambda dest: copier_copy(template, dest),
        }
        print(f"median of {arguments.runs} runs each")
        for index, (name, action) in enumerate(cases.items()):
            workdir = root / f"case-{index}"
            workdir.mkdir()
            print(f"  {name:<45} {median_seconds(arguments.runs, action, workdir):6.2f} s")


if __name__ == "__main__":
    main()

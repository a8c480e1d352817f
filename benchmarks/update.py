"""Median wall time of `copier update`: a no-op update, and a one-version update with team edits.

    python -m benchmarks.update [--runs 5]

Each run renders a fresh project from a throwaway copy of the template tagged v1.0.0 (untimed),
then times one `copier update --trust --defaults` process, as a team runs it:
- no-op: to v1.0.0 again (Copier still renders both versions and runs the update report);
- one version with team edits: the update tier's team edits (code, a module, a dependency, a
  parameter, a README line that conflicts, deleted files; committed with a uv lock), then the
  update to v2.0.0 (a conflict, a clean merge, a new dependency and a new question).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers import TOOLS_BIN, run, snapshot_template, tag_version
from tests.test_update import V1, V2, release_v2, team_edits


def render(template: Path, destination: Path) -> Path:
    command = [str(TOOLS_BIN / "copier"), "copy", "--trust", "--defaults", "--quiet", "--vcs-ref", V1]
    run([*command, "-d", "package_manager=uv", str(template), str(destination)], cwd=destination.parent)
    return destination


def timed_update(project: Path, version: str) -> float:
    start = time.perf_counter()
    run([str(TOOLS_BIN / "copier"), "update", "--trust", "--defaults", "--vcs-ref", version], cwd=project)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="Median copier update time: no-op and one version.")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        tag_version(template, V1)
        release_v2(template)
        cases: dict[str, Callable[[Path], float]] = {
            "no-op (v1.0.0 -> v1.0.0)": lambda dest: timed_update(render(template, dest), V1),
            "one version with team edits (v1.0.0 -> v2.0.0)": lambda dest: _edited_update(template, dest),
        }
        print(f"median of {arguments.runs} runs each")
        for index, (name, action) in enumerate(cases.items()):
            timings = [action(root / f"case-{index}-run-{run_index}") for run_index in range(arguments.runs)]
            spread = f"(min {min(timings):.2f}, max {max(timings):.2f})"
            print(f"  {name:<48} {statistics.median(timings):6.2f} s  {spread}")


def _edited_update(template: Path, destination: Path) -> float:
    project = render(template, destination)
    team_edits(project)
    return timed_update(project, V2)


if __name__ == "__main__":
    main()

"""Median time of `copier copy` for this template against Copier's own floors.

    python -m benchmarks.render [--runs 5]

Each run is a fresh `copier copy` process, as a user would run it, from a committed snapshot of
the template. Two floors bound what Copier itself costs:
- a one-file template: interpreter start, clone and questionnaire;
- the same files with no Jinja: a default render of this template, committed as a template
  whose files carry no `.jinja` suffix and which asks nothing, so Copier only copies them.
The difference between this template and the second floor is what its Jinja, its questions and
its context hook cost.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.helpers import TOOLS_BIN, commit_all, git, run, snapshot_template

# Copier writes it on every copy: a template holding one would collide with it.
ANSWERS_FILE = ".copier-answers.yml"


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


def no_jinja_template(template: Path, destination: Path) -> Path:
    """A template with the files of a default render of `template` and nothing to render."""
    rendered = destination.parent / f"{destination.name}-render"
    copier_copy(template, rendered, "-d", "init_git=false")
    (rendered / ANSWERS_FILE).unlink()
    shutil.copytree(rendered, destination / "template")
    (destination / "copier.yml").write_text("_subdirectory: template\n_templates_suffix: .jinja\n")
    git(destination, "init", "--quiet", "--initial-branch=main")
    commit_all(destination, "the default render, without Jinja")
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
    parser = argparse.ArgumentParser(description="Median copier copy time, template vs floors.")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        floor = one_file_template(root / "floor")
        same_files = no_jinja_template(template, root / "same-files")
        cases: dict[str, Callable[[Path], None]] = {
            "one-file template (floor)": lambda dest: copier_copy(floor, dest),
            "same files, no Jinja (floor)": lambda dest: copier_copy(same_files, dest),
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

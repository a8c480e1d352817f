"""Median wall time of `copier update`, no-op and one release, beside Copier's own floor.

    python -m benchmarks.update [--runs 3]

The template comes from a clone of this repository with its release tags (`git clone --no-tags`,
then `make tags`, as the fleet rehearsal does). The project is the fleet rehearsal's first one
(`benchmarks/fleet_update.py`: Poetry, GitHub, AWS, FastAPI on Kubernetes) rendered from the
second newest release and given its team's edits, committed (a README section, a parameter, a
dependency, a module, a Makefile target, a deleted workflow and a line the newest release
changes, so the update meets a conflict). Each run times one `copier update --trust --defaults`
process on a fresh copy of that committed project:

- no-op: `--vcs-ref` the release it came from (Copier still renders it twice and merges);
- one release: `--vcs-ref` the newest release.

Copier's own floor is the same update of the same project, measured in the same run, from a copy
of the clone in which every release tag points at a commit whose copier.yml has no `_migrations`
(the update report, `extensions/updates.py report`, and any `updates.py move` of a rename) and no
`_message_after_update` (its `template_update_report` filter reads the report). Everything else
is the same template: the floor contains what Copier 9.19 itself does, three renders of this
template with its Jinja extensions and context hook (the old release into a temporary folder, the
new one in place and again into an empty folder), the diff, `git apply`, the inline three-way
merge of rejected hunks and the removal of files the release dropped, plus evaluating the
copy-only `_tasks`' conditions. `--skip-tasks` cannot give this floor: Copier 9.19 runs
migrations whether or not tasks are skipped (`Worker._apply_update` calls `_execute_tasks` on
`migration_tasks` without looking at `skip_tasks`). Both updates must leave the same work tree,
which the script checks on the first run. Runs alternate between the template and its floor, so
that both see the same load on a shared machine.

The goal is an update within 1.2 times its floor.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

import yaml

from benchmarks.fleet_update import (
    PROFILES,
    REPORT_JSON,
    clone_releases,
    copier_copy,
    questions_at,
    release_tags,
    team_edits,
    timed_update,
    valid_answers,
)
from tests.helpers import commit_all, git, run

# What the template adds to Copier's update: removed in the floor.
ADDITIONS = ("_migrations", "_message_after_update")


def without_additions(text: str) -> str:
    """copier.yml without the top-level keys of ADDITIONS (each with its indented block)."""
    kept, skipping = [], False
    for line in text.splitlines(keepends=True):
        if re.match(r"\S", line):
            skipping = line.split(":", 1)[0] in ADDITIONS
        if not skipping:
            kept.append(line)
    stripped = "".join(kept)
    before: dict[str, Any] = yaml.safe_load(text)
    assert yaml.safe_load(stripped) == {k: v for k, v in before.items() if k not in ADDITIONS}
    return stripped


def floor_clone(template: Path, tags: list[str], destination: Path) -> Path:
    """A clone of `template` whose release tags point at commits without ADDITIONS."""
    run(["git", "clone", "--quiet", str(template), str(destination)], cwd=destination.parent)
    for tag in tags:
        git(destination, "checkout", "--quiet", "--detach", tag)
        copier_yml = destination / "copier.yml"
        copier_yml.write_text(without_additions(copier_yml.read_text(encoding="utf-8")), encoding="utf-8")
        commit_all(destination, f"{tag} without the template's update additions: Copier's floor")
        git(destination, "tag", "--force", tag)
    return destination


def edited_project(source: Path, template: Path, tags: list[str], destination: Path) -> Path:
    """The fleet's first project from `source` at the second newest release, with its edits."""
    profile = PROFILES[0]
    named = {"project_name": f"{profile.name.title()} Model", **profile.answers}
    answers, _ = valid_answers(named, questions_at(template, tags[-2]))
    copier_copy(source, tags[-2], destination, answers)
    next_render = destination.parent / f"{destination.name}-next-release"
    copier_copy(template, tags[-1], next_render, answers, "-d", "init_git=false")
    team_edits(destination, profile, next_render)
    shutil.rmtree(next_render)
    return destination


def work_tree_change(project: Path) -> str:
    """What the update did to the project, without the answers file (it names the template)."""
    git(project, "add", "--all")
    return git(project, "diff", "--cached", "HEAD", "--", ".", ":!.copier-answers.yml")


Timings = dict[tuple[str, str], list[float]]


def measure(projects: dict[str, Path], cases: dict[str, str], runs: int, root: Path) -> Timings:
    """Each case's update times per source, on fresh copies of the edited projects; the first
    run also checks that both sources change the project alike and only ours writes a report."""
    timings: Timings = {(case, name): [] for case in cases for name in projects}
    for index in range(runs):
        for case, tag in cases.items():
            changes = {}
            for name, project in projects.items():
                copy = root / f"run-{index}-{name}"
                shutil.copytree(project, copy, symlinks=True)
                seconds, _ = timed_update(copy, tag)
                timings[case, name].append(seconds)
                report = copy / git(copy, "rev-parse", "--git-path", REPORT_JSON).strip()
                assert report.is_file() == (name == "template"), f"{name}: report {report.is_file()}"
                if index == 0:
                    changes[name] = work_tree_change(copy)
                shutil.rmtree(copy)
            assert index > 0 or changes["template"] == changes["floor"], f"{case}: the updates differ"
    return timings


def print_medians(timings: Timings, cases: dict[str, str], sources: list[str], runs: int) -> None:
    print(f"copier update of the fleet's first project; median of {runs} runs each (min, max)")
    for case in cases:
        medians = {}
        for name in sources:
            found = timings[case, name]
            medians[name] = statistics.median(found)
            label = "this template" if name == "template" else "Copier's floor (no _migrations)"
            spread = f"({min(found):.2f}, {max(found):.2f})"
            print(f"  {case:<30} {label:<32} {medians[name]:6.2f} s  {spread}")
        ratio = medians["template"] / medians["floor"]
        print(f"  {case:<30} {'ratio (goal: 1.2 or less)':<32} {ratio:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Median copier update time beside Copier's floor.")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="update-benchmark.") as temporary:
        root = Path(temporary)
        template = clone_releases(root / "template")
        tags = release_tags(template)
        if len(tags) < 2:
            print("nothing to measure: the clone has fewer than two releases")
            return
        sources = {"template": template, "floor": floor_clone(template, tags, root / "floor")}
        projects = {
            name: edited_project(source, template, tags, root / f"project-{name}")
            for name, source in sources.items()
        }
        cases = {
            f"no-op ({tags[-2]} -> {tags[-2]})": tags[-2],
            f"one release ({tags[-2]} -> {tags[-1]})": tags[-1],
        }
        timings = measure(projects, cases, arguments.runs, root)
        print_medians(timings, cases, list(sources), arguments.runs)


if __name__ == "__main__":
    main()

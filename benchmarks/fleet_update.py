"""A fleet rehearsal: what `copier update` leaves a platform team, per project and release.

    python -m benchmarks.fleet_update

It clones this repository as a new machine would (`git clone --no-tags`, then `make tags`) and
reads the clone's release tags, oldest to newest. It renders five projects from the FIRST
release with different answers (package manager, CI provider, cloud, serving, deployment,
framework; an answer the first release's copier.yml does not offer is dropped and said so), then
gives each the edits a team commits in its first weeks: a README section, a changed parameter in
params.yaml, an extra dependency in pyproject.toml, a team module in src/<package>/, a deleted
template file (the notebook or the drift workflow), an edited Makefile target and, in two
projects, a line the next release also changes (so that the fleet meets a real conflict). No
environment is built. A Pipenv project commits a Pipfile.lock that its `make lock-check` accepts,
written without resolving (`write_pipenv_lock`: the report runs the project's own lock check for
Pipenv), and writes it again where the report asks for a refresh, as `make install` would; the
other projects commit a placeholder lock, whose report verdict says only whether the update
changed what the lock is made from.

Each project is then updated release by release to the newest with
`copier update --trust --defaults --vcs-ref <tag>`, timed as one process, and the update is
resolved as a team would: conflicts keep the team's side, `.rej` files are deleted, files the
update deleted stay deleted, everything is committed. One row per project and release, read from
the update report (`git rev-parse --git-path template-update-report.json`) and `git diff --stat`:

- changed: files the update changed (added, modified, deleted), from `git diff --cached --stat`
  before resolving; +/-: its inserted and deleted lines;
- merged: of those, the ones with no conflict: nothing for the team to do;
- conflicted: the report's `conflicts` and `rejects`, by name;
- removed-and-named: the report's `deleted_edited` and `left_behind` (files the update deleted
  although the team had edited them, and team files left in folders the release removed);
- lock: whether the lock must be refreshed, and the report's reason;
- seconds: the wall time of the `copier update` process.

A summary line per release adds them up over the fleet. Nothing is installed; the whole fleet
takes a few minutes on two cores.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from tests.helpers import TEMPLATE_ROOT, TOOLS_BIN, commit_all, git, run
from tests.update_helpers import keep_team_side, write_pipenv_lock

REPORT_JSON = "template-update-report.json"
# The package managers' own file names: the template never renders a lock file.
LOCK_FILES = {"poetry": "poetry.lock", "uv": "uv.lock", "pipenv": "Pipfile.lock"}
TEAM_README_SECTION = "\n## On call\n\nThe fraud-platform team answers in #ml-on-call within a working day.\n"
TEAM_MODULE = '"""Team-owned alerting rules: the template never renders this module."""\n\nTHRESHOLD = 0.8\n'
TEAM_DEPENDENCY = '    "rich>=13,<15",\n'
TEAM_WORDING = " (our team's wording)"
# Files of a render where a team's edit of a line the next release changes is most likely.
CONFLICT_CANDIDATES = ("README.md", "Makefile", "CONTRIBUTING.md", "pyproject.toml", "params.yaml")


@dataclass(frozen=True)
class Profile:
    """A project of the fleet: its answers and which of the team's edits it makes."""

    name: str
    answers: dict[str, str]
    delete: str  # "notebook" or "drift workflow"
    conflict: bool = False


PROFILES = (
    Profile(
        "churn",
        {
            "package_manager": "poetry",
            "ci_provider": "github",
            "cloud_provider": "aws",
            "serving": "fastapi",
            "deployment": "kubernetes",
            "docs": "mkdocs",
        },
        delete="drift workflow",
        conflict=True,
    ),
    Profile(
        "fraud",
        {
            "package_manager": "uv",
            "ci_provider": "gitlab",
            "cloud_provider": "gcp",
            "serving": "fastapi",
            "deployment": "none",
            "docs": "none",
        },
        delete="notebook",
        conflict=True,
    ),
    Profile(
        "forecast",
        {"package_manager": "pipenv", "ci_provider": "github", "cloud_provider": "none", "serving": "none"},
        delete="notebook",
    ),
    Profile(
        "ranking",
        {
            "package_manager": "uv",
            "ci_provider": "github",
            "cloud_provider": "gcp",
            "serving": "fastapi",
            "deployment": "kubernetes",
            "ml_framework": "pytorch",
        },
        delete="drift workflow",
    ),
    Profile(
        "vision",
        {
            "package_manager": "poetry",
            "ci_provider": "gitlab",
            "cloud_provider": "aws",
            "serving": "none",
            "ml_framework": "tensorflow",
            "python_version": "3.11",
        },
        delete="notebook",
    ),
)


# ---- The template's releases, as a fresh clone has them -----------------------------------------


def clone_releases(destination: Path) -> Path:
    """A clone of this repository with its release tags made by `make tags`, as a new machine
    gets them (tags do not travel with `--no-tags`; main does)."""
    run(
        ["git", "clone", "--quiet", "--no-tags", str(TEMPLATE_ROOT), str(destination)], cwd=destination.parent
    )
    run(["make", "--no-print-directory", "-C", str(destination), "tags"], cwd=destination.parent)
    return destination


def release_tags(template: Path) -> list[str]:
    """The clone's release tags, oldest to newest (PEP 440 order, no pre-releases: what Copier
    takes without `--prereleases`)."""
    versions: dict[Version, str] = {}
    for tag in git(template, "tag", "--list", "v*").split():
        try:
            version = Version(tag.removeprefix("v"))
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            versions[version] = tag
    return [versions[version] for version in sorted(versions)]


def questions_at(template: Path, tag: str) -> dict[str, Any]:
    """The questions of copier.yml as the release `tag` has it."""
    config: dict[str, Any] = yaml.safe_load(git(template, "show", f"{tag}:copier.yml"))
    return {key: value for key, value in config.items() if not key.startswith("_")}


def valid_answers(answers: dict[str, str], questions: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The answers the release's questions accept, and a note for each one dropped."""
    kept, dropped = {}, []
    for key, value in answers.items():
        question = questions.get(key)
        if not isinstance(question, dict):
            dropped.append(f"{key}={value} (no such question)")
            continue
        choices = question.get("choices")
        offered = set(choices.values() if isinstance(choices, dict) else choices or [])
        if choices and value not in offered:
            dropped.append(f"{key}={value} (not a choice)")
            continue
        kept[key] = value
    return kept, dropped


def copier_copy(template: Path, tag: str, destination: Path, answers: dict[str, str], *extra: str) -> None:
    data = [option for key, value in answers.items() for option in ("-d", f"{key}={value}")]
    command = [str(TOOLS_BIN / "copier"), "copy", "--trust", "--defaults", "--quiet", "--vcs-ref", tag]
    run([*command, *data, *extra, str(template), str(destination)], cwd=destination.parent)


# ---- The team's edits ---------------------------------------------------------------------------


def _replace_once(path: Path, pattern: str, replacement: str) -> bool:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    path.write_text(changed, encoding="utf-8")
    return count == 1


def conflicting_line(project: Path, next_render: Path) -> tuple[str, str] | None:
    """A line of the project's render that the next release rewrites: (file, line)."""
    for name in CONFLICT_CANDIDATES:
        ours, theirs = project / name, next_render / name
        if not (ours.is_file() and theirs.is_file()):
            continue
        before = ours.read_text(encoding="utf-8").splitlines()
        after = theirs.read_text(encoding="utf-8").splitlines()
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for operation, start, end, _, _ in matcher.get_opcodes():
            lines = [line for line in before[start:end] if line.strip() and not line.startswith("#")]
            if operation == "replace" and lines:
                return name, lines[0]
    return None


def team_edits(project: Path, profile: Profile, next_render: Path | None) -> list[str]:
    """Commit the edits a team makes in its first weeks; return what was edited, for the log."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    done = routine_edits(project, answers["package_name"]) + deletions(project, profile)
    if profile.conflict and next_render is not None:
        done += conflicting_edit(project, next_render)
    lock(project, answers["package_manager"])
    commit_all(project, "team edits")
    return done


def routine_edits(project: Path, package: str) -> list[str]:
    """A README section, a parameter, a dependency, a module and a Makefile line."""
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + TEAM_README_SECTION, encoding="utf-8")
    done = ["README section"]
    if _replace_once(project / "params.yaml", r"^(\s+test_size:) [0-9.]+$", r"\1 0.3"):
        done.append("params.yaml test_size")
    if _replace_once(
        project / "pyproject.toml", r"^dependencies = \[\n", f"dependencies = [\n{TEAM_DEPENDENCY}"
    ):
        done.append("pyproject.toml dependency")
    (project / "src" / package / "alerts.py").write_text(TEAM_MODULE, encoding="utf-8")
    done.append(f"src/{package}/alerts.py")
    if _replace_once(project / "Makefile", r"^(clean:.*\n(?:\t.*\n)*)", "\\1\trm -rf reports/team-scratch\n"):
        done.append("Makefile clean target")
    return done


def deletions(project: Path, profile: Profile) -> list[str]:
    """The file the profile's team deletes, if the project has it."""
    doomed = {
        "notebook": sorted(str(path.relative_to(project)) for path in project.glob("notebooks/*.ipynb")),
        "drift workflow": [name for name in (".github/workflows/drift.yml",) if (project / name).is_file()],
    }[profile.delete]
    if not doomed:
        return []
    git(project, "rm", "--quiet", *doomed)
    return [f"deleted {', '.join(doomed)}"]


def conflicting_edit(project: Path, next_render: Path) -> list[str]:
    """Reword a line the next release changes too, so the update conflicts on it."""
    found = conflicting_line(project, next_render)
    if found is None:
        return []
    name, line = found
    path = project / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"{line}\n", f"{line}{TEAM_WORDING}\n", 1), encoding="utf-8")
    return [f"{name}: a line the next release changes"]


def lock(project: Path, manager: str) -> None:
    """In place of the lock `make install` writes (the report checks that one exists)."""
    if manager == "pipenv":
        write_pipenv_lock(project)
    else:
        (project / LOCK_FILES[manager]).write_text("# placeholder: the fleet rehearsal builds no lock\n")


# ---- One update and its resolution -------------------------------------------------------------


@dataclass
class Row:
    project: str
    version_from: str
    version_to: str
    changed: int = 0
    insertions: int = 0
    deletions: int = 0
    conflicted: list[str] = field(default_factory=list)
    removed_named: list[str] = field(default_factory=list)
    lock_refresh: bool = False
    lock_reason: str = ""
    seconds: float = 0.0

    @property
    def merged(self) -> int:
        return self.changed - len(self.conflicted)


def timed_update(project: Path, tag: str) -> tuple[float, str]:
    command = [str(TOOLS_BIN / "copier"), "update", "--trust", "--defaults", "--vcs-ref", tag]
    start = time.perf_counter()
    output = run(command, cwd=project)
    return time.perf_counter() - start, output


def read_report(project: Path, tag: str) -> dict[str, Any]:
    path = project / git(project, "rev-parse", "--git-path", REPORT_JSON).strip()
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert report["version_to"] == tag, f"{project}: the report is of {report['version_to']}, not {tag}"
    return report


def diff_stat(project: Path) -> tuple[int, int, int]:
    """Files changed, insertions and deletions of the staged update, from `git diff --stat`."""
    summary = git(project, "diff", "--cached", "--stat", "HEAD").strip().splitlines()
    if not summary:
        return 0, 0, 0

    def number(word: str) -> int:
        found = re.search(rf"(\d+) {word}", summary[-1])
        return int(found.group(1)) if found else 0

    return number("files? changed"), number("insertions?"), number("deletions?")


def update_and_resolve(project: Path, name: str, version_from: str, tag: str) -> Row:
    seconds, _ = timed_update(project, tag)
    report = read_report(project, tag)
    git(project, "add", "--all")
    changed, insertions, deletions = diff_stat(project)
    row = Row(name, version_from, tag, changed, insertions, deletions, seconds=seconds)
    row.conflicted = [*report["conflicts"], *report["rejects"]]
    row.removed_named = [*report["deleted_edited"], *report["left_behind"]]
    row.lock_refresh, row.lock_reason = report["lock_refresh"], report["lock_reason"]
    for conflict in report["conflicts"]:
        keep_team_side(project / conflict)
    for reject in report["rejects"]:
        (project / reject).unlink()  # after applying it by hand: here, the team drops the hunk
    if report["lock_refresh"]:
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
        lock(project, answers["package_manager"])  # what `make install` does, without an environment
    commit_all(project, f"chore: update to template {tag}")
    leftovers = subprocess.run(
        ["git", "grep", "-l", "-E", "^(<<<<<<<|>>>>>>>) "],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert not leftovers, f"{project}: conflict markers left in {leftovers}"
    return row


# ---- Output --------------------------------------------------------------------------------------


def _names(names: list[str]) -> str:
    return f"{len(names)}: {', '.join(f'`{name}`' for name in names)}" if names else "0"


def print_rows(rows: list[Row]) -> None:
    """The rows as a Markdown table, to paste into the docs as they are."""
    columns = ["project", "release", "changed", "+/-", "merged", "conflicted", "removed-and-named"]
    print(f"| {' | '.join([*columns, 'lock refresh', 'seconds'])} |")
    print(f"|{' --- |' * (len(columns) + 2)}")
    for row in rows:
        cells = [
            row.project,
            f"{row.version_from} -> {row.version_to}",
            str(row.changed),
            f"+{row.insertions}/-{row.deletions}",
            str(row.merged),
            _names(row.conflicted),
            _names(row.removed_named),
            f"yes: {row.lock_reason}" if row.lock_refresh else "no",
            f"{row.seconds:.1f}",
        ]
        print(f"| {' | '.join(cells)} |")


def print_summary(tag: str, rows: list[Row]) -> None:
    seconds = [row.seconds for row in rows]
    conflicted = sum(len(row.conflicted) for row in rows)
    in_projects = sum(1 for row in rows if row.conflicted)
    parts = [
        f"{len(rows)} projects",
        f"{sum(row.changed for row in rows)} files changed",
        f"{sum(row.merged for row in rows)} merged",
        f"{conflicted} conflicted in {in_projects} projects",
        f"{sum(len(row.removed_named) for row in rows)} removed-and-named",
        f"{sum(row.lock_refresh for row in rows)} lock refreshes",
        f"update median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s",
    ]
    print(f"summary {rows[0].version_from} -> {tag}: {', '.join(parts)}")


# ---- The rehearsal -----------------------------------------------------------------------------


def render_fleet(template: Path, tags: list[str], root: Path) -> dict[str, Path]:
    """Each profile rendered from the first release and edited by its team, committed."""
    first = tags[0]
    questions = questions_at(template, first)
    projects = {}
    for profile in PROFILES:
        answers, dropped = valid_answers(
            {"project_name": f"{profile.name.title()} Model", **profile.answers}, questions
        )
        project = root / profile.name
        copier_copy(template, first, project, answers)
        next_render = None
        if profile.conflict and len(tags) > 1:
            next_render = root / f"{profile.name}-next-release"
            copier_copy(template, tags[1], next_render, answers, "-d", "init_git=false")
        edits = team_edits(project, profile, next_render)
        if next_render is not None:
            shutil.rmtree(next_render)
        note = f"; dropped at {first}: {', '.join(dropped)}" if dropped else ""
        print(f"{profile.name}: {' '.join(f'{k}={v}' for k, v in profile.answers.items())}{note}")
        print(f"  team edits: {'; '.join(edits)}")
        projects[profile.name] = project
    return projects


def main() -> None:
    parser = argparse.ArgumentParser(description="Update a fleet of edited projects release by release.")
    parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fleet-update.") as temporary:
        root = Path(temporary)
        template = clone_releases(root / "template")
        tags = release_tags(template)
        print(f"releases of the clone: {', '.join(tags)}")
        if len(tags) < 2:
            print("nothing to rehearse: the clone has fewer than two releases")
            return
        projects = render_fleet(template, tags, root)
        print()
        for previous, tag in itertools.pairwise(tags):
            rows = [update_and_resolve(project, name, previous, tag) for name, project in projects.items()]
            print_rows(rows)
            print_summary(tag, rows)
            print()


if __name__ == "__main__":
    main()

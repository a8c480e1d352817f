"""What `copier update` leaves for the team to resolve, and moves that keep the team's edits.

Copier runs `_tasks` before it merges the team's changes, so this module runs as migrations
(copier.yml's `_migrations`), in the project folder, with Copier's own interpreter:

- `report`: after every update, print what is left to resolve and write it beside git's own
  merge files (`template-update-report.md` and `.json` in the git directory), where the
  scheduled update job and the after-update message read it;
- `move OLD NEW`: after an update whose template renamed OLD to NEW, carry the team's edits of
  OLD into NEW with a three-way merge (a diff cannot express a rename);
- `recopy-report`: a task after `copier recopy` (or a copy over a repository with history), which
  runs no migration: name the committed files the copy overwrote, in the same report files.

It is also a Jinja extension: the `template_update_report` filter lets the after-update message
say "up to date" only when the report found nothing to resolve.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import yaml
from jinja2 import Environment
from jinja2.ext import Extension

REPORT_NAME = "template-update-report"
MOVES_NAME = "template-update-moves.json"
ANSWERS_FILE = ".copier-answers.yml"
# The scan every guard of a rendered project runs (`make conflicts`, its hook, CI's first step).
CONFLICT_SCAN = Path(__file__).resolve().parents[1] / "template" / "scripts" / "check_conflicts.py"
# What a lock file is made from: a change here makes the committed lock stale. These tables every
# package manager reads; each one's own are `manifest_tables` in its record, read here with YAML
# alone because this module also runs as a script, away from the other extensions.
SHARED_DEPENDENCY_TABLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "pyproject.toml": (
        ("build-system",),
        ("project", "dependencies"),
        ("project", "optional-dependencies"),
        ("project", "requires-python"),
        ("dependency-groups",),
    ),
}
PACKAGE_MANAGER_RECORDS = Path(__file__).with_name("choices") / "package_manager"
# Pipenv makes its lock from the Pipfile alone, whose one package is the project: pyproject.toml's
# runtime dependencies reach the lock through it, and `make lock-check` checks them against the
# lock with the project's own script (see Pipenv's record). The report runs that script too, and
# not the shared tables, so that it asks for a refresh exactly when `make lock-check` fails.
LOCK_SCRIPTS = {"Pipfile.lock": "scripts/pipenv_lock_check.py"}
Tables = dict[str, tuple[tuple[str, ...], ...]]


def dependency_tables(records: Path = PACKAGE_MANAGER_RECORDS) -> dict[str, Tables]:
    """The tables of each manifest each package manager makes its lock file from, by lock file."""
    found: dict[str, Tables] = {}
    for record in sorted(records.glob("*.yml")):
        loaded = yaml.safe_load(record.read_text(encoding="utf-8"))
        shared = {} if loaded["lock_file"] in LOCK_SCRIPTS else SHARED_DEPENDENCY_TABLES
        tables = {manifest: list(keys) for manifest, keys in shared.items()}
        for manifest, keys in loaded["manifest_tables"].items():
            tables.setdefault(manifest, []).extend(tuple(key) for key in keys)
        found[loaded["lock_file"]] = {
            manifest: tuple(dict.fromkeys(keys)) for manifest, keys in tables.items()
        }
    return found


DEPENDENCY_TABLES = dependency_tables()


def git(project: Path, *args: str, check: bool = True) -> str:
    completed = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)
    if check and completed.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed: {completed.stderr.strip()}")
    return completed.stdout


def git_path(project: Path, name: str) -> Path:
    """A file in the git directory (beside MERGE_MSG): never part of the work tree."""
    return project / git(project, "rev-parse", "--git-path", name).strip()


def head_text(project: Path, path: str) -> str | None:
    """The file as the team last committed it, or None where HEAD has no such file."""
    completed = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=project, capture_output=True, check=False)
    return completed.stdout.decode("utf-8", "surrogateescape") if completed.returncode == 0 else None


def _lines(output: str) -> list[str]:
    return [line for line in output.split("\0") if line]


# ---- The template version the project came from -------------------------------------------


def template_source(recorded_source: str, commit: str) -> str:
    """Where to render the recorded version from: the clone of the template Copier made for this
    update (this file's repository, which holds every release) when it has that commit, else the
    recorded source, which for most teams means cloning it again over the network."""
    here = Path(__file__).resolve().parents[1]
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=here,
        capture_output=True,
        check=False,
    )
    return str(here) if found.returncode == 0 else recorded_source


@contextmanager
def previous_render(project: Path) -> Iterator[Path]:
    """The template version recorded at HEAD, rendered with the answers recorded at HEAD: the
    base the team's edits are measured against (Copier's own copy of it is gone by now)."""
    from copier import run_copy  # noqa: PLC0415 - Copier is there only when Copier runs this

    recorded = yaml.safe_load(head_text(project, ANSWERS_FILE) or "{}") or {}
    answers = {key: value for key, value in recorded.items() if not key.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="template-update-base.") as folder:
        run_copy(
            template_source(str(recorded["_src_path"]), str(recorded["_commit"])),
            folder,
            data=answers,
            vcs_ref=str(recorded["_commit"]),
            defaults=True,
            overwrite=True,
            quiet=True,
            unsafe=True,
            skip_tasks=True,
        )
        yield Path(folder)


# ---- The report ---------------------------------------------------------------------------------


# What `move` did with the team's edits of OLD, by the word it records, and the title of the
# report's section for it. `kept`: the team already had NEW, which keeps its version, and OLD stays
# for a person to merge (a merge into a file that may hold Copier's markers would nest them).
MOVE_OUTCOMES = {
    "none": "Moved (no edits of yours to carry):",
    "carried": "Moved with your edits, merged cleanly:",
    "conflicts": "Moved with your edits, which conflict with the template's changes "
    "(resolve the markers in the new file, listed above):",
    "kept": "Renamed by the template onto a file you already had, which keeps your version: "
    "merge your edits of the old file, left in place, into it by hand, then delete the old file:",
}


@dataclass
class Report:
    """What the update (or a recopy) left to resolve. `clean` means nothing: the team can commit."""

    version_from: str = ""
    version_to: str = ""
    operation: str = "update"
    conflicts: list[str] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)
    deleted_edited: list[str] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)
    moved: list[list[str]] = field(default_factory=list)
    # OLD of each move -> a key of MOVE_OUTCOMES.
    moved_edits: dict[str, str] = field(default_factory=dict)
    overwritten: list[str] = field(default_factory=list)
    lock_file: str = ""
    lock_refresh: bool = False
    lock_reason: str = ""
    stale_locks: list[str] = field(default_factory=list)

    @property
    def to_resolve(self) -> int:
        """How many things need a person before the update can be committed."""
        return (
            len(self.conflicts)
            + len(self.rejects)
            + len(self.deleted_edited)
            + len(self.left_behind)
            + list(self.moved_edits.values()).count("kept")
            + len(self.overwritten)
            + len(self.stale_locks)
            + int(self.lock_refresh)
        )

    @property
    def clean(self) -> bool:
        return self.to_resolve == 0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "clean": self.clean, "to_resolve": self.to_resolve}


def work_tree_files(project: Path) -> list[str]:
    """Tracked and new files of the work tree, without what .gitignore excludes."""
    return _lines(git(project, "ls-files", "-z", "--cached", "--others", "--exclude-standard"))


def load_script(path: Path, name: str) -> ModuleType:
    """A project script (standard library only) as a module: the report asks exactly what the
    project's own guards ask."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _conflict_scan() -> ModuleType:
    """The project's conflict scan, as this template version renders it (a verbatim copy): the
    report, `make conflicts`, the hook and CI find exactly the same files."""
    return load_script(CONFLICT_SCAN, "check_conflicts")


def find_conflicts(project: Path) -> tuple[list[str], list[str]]:
    """Files with conflict markers, and `.rej` files, ignored by git or not."""
    findings = _conflict_scan().scan(project)
    return list(findings.conflicts), list(findings.rejects)


def deleted_by_update(project: Path) -> list[str]:
    """Files HEAD has that the work tree lost: the team's tree was clean before the update."""
    return sorted(set(_lines(git(project, "ls-files", "-z", "--deleted"))))


def added_by_update(project: Path) -> set[str]:
    return set(_lines(git(project, "ls-files", "-z", "--others", "--exclude-standard")))


def removed_folders(
    deleted: Iterable[str], base_files: set[str], present: set[str], added: set[str]
) -> list[str]:
    """Folders the update emptied of template files: the template had files there, none of
    them is left and the update added none. The outermost such folders, sorted."""
    candidates = {
        str(parent) for name in deleted for parent in PurePosixPath(name).parents if str(parent) != "."
    }
    removed = sorted(
        folder
        for folder in candidates
        if not any(name.startswith(f"{folder}/") for name in (base_files & present) | added)
    )
    return [folder for folder in removed if not any(folder.startswith(f"{other}/") for other in removed)]


def dependency_view(text: str, tables: tuple[tuple[str, ...], ...]) -> list[Any]:
    """The parts of a manifest its lock file is made from."""
    data = tomllib.loads(text)
    view = []
    for keys in tables:
        value: Any = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        view.append(value)
    return view


def lock_script_verdict(project: Path, lock_file: str) -> str:
    """Why the project's own lock check (LOCK_SCRIPTS), run as `make lock-check` runs it, refuses
    the lock; empty where it accepts it or the manager has none."""
    script = project / LOCK_SCRIPTS[lock_file] if lock_file in LOCK_SCRIPTS else None
    if script is None or not script.is_file() or not (project / lock_file).is_file():
        return ""
    module = load_script(script, "project_lock_check")
    try:
        problems: list[str] = module.unsatisfied(project / "pyproject.toml", project / lock_file)
    except tomllib.TOMLDecodeError:
        return "pyproject.toml does not parse (resolve its conflicts first)"
    except json.JSONDecodeError:
        return f"{lock_file} does not parse"
    return f"{lock_file} does not meet pyproject.toml ({'; '.join(problems)})" if problems else ""


def lock_status(project: Path, lock_file: str) -> tuple[bool, str]:
    """Whether the committed lock must be refreshed, and why: when `make lock-check` would fail."""
    for manifest, tables in DEPENDENCY_TABLES.get(lock_file, SHARED_DEPENDENCY_TABLES).items():
        before, path = head_text(project, manifest), project / manifest
        after = path.read_text(encoding="utf-8") if path.is_file() else None
        if before == after or after is None:
            continue
        try:
            changed = before is None or dependency_view(before, tables) != dependency_view(after, tables)
        except tomllib.TOMLDecodeError:
            return True, f"{manifest} does not parse (resolve its conflicts first)"
        if changed:
            return True, f"the update changed the dependencies in {manifest}"
    if lock_file and not (project / lock_file).is_file():
        return True, f"there is no {lock_file}"
    reason = lock_script_verdict(project, lock_file)
    return bool(reason), reason


def edited_by_team(project: Path, base: Path, name: str) -> bool:
    """Whether the team's committed file differs from what the template rendered for it."""
    committed = (head_text(project, name) or "").encode("utf-8", "surrogateescape")
    return not (base / name).is_file() or (base / name).read_bytes() != committed


def build_report(project: Path, lock_file: str, other_lock_files: Iterable[str]) -> Report:
    report = Report(lock_file=lock_file)
    report.conflicts, report.rejects = find_conflicts(project)
    report.lock_refresh, report.lock_reason = lock_status(project, lock_file)
    report.stale_locks = sorted(name for name in other_lock_files if (project / name).is_file())
    moves = read_moves(project)
    git_path(project, MOVES_NAME).unlink(missing_ok=True)
    report.moved = [[old, new] for old, (new, _) in sorted(moves.items())]
    report.moved_edits = {old: outcome for old, (_, outcome) in sorted(moves.items())}
    deleted = [name for name in deleted_by_update(project) if name not in moves]
    if deleted:
        with previous_render(project) as base:
            base_files = {
                str(path.relative_to(base).as_posix()) for path in base.rglob("*") if path.is_file()
            }
            report.deleted_edited = [name for name in deleted if edited_by_team(project, base, name)]
        present = set(work_tree_files(project)) - set(deleted)
        for folder in removed_folders(deleted, base_files, present, added_by_update(project)):
            report.left_behind += sorted(name for name in present if name.startswith(f"{folder}/"))
    return report


def build_recopy_report(project: Path) -> Report:
    """What a recopy overwrote: every tracked file whose content differs from HEAD's (Copier
    writes the template's version over the team's, with no merge). The answers file is Copier's
    own record, which a recopy to another version rewrites: no edit of the team's."""
    changed = _lines(git(project, "diff", "-z", "--name-only", "--relative", "HEAD", "--", "."))
    return Report(operation="recopy", overwritten=sorted(set(changed) - {ANSWERS_FILE}))


def markdown(report: Report) -> str:
    """The report as the team reads it: in the terminal and in the update's pull request."""
    heading = f"Template {report.operation} {report.version_from} -> {report.version_to}"
    if report.clean:
        return f"{heading}: nothing to resolve. Run `make check`, then commit.\n"
    lines = [f"{heading}: {report.to_resolve} to resolve before you commit.", ""]

    def section(title: str, items: Iterable[str]) -> None:
        entries = list(items)
        if entries:
            lines.extend([title, *(f"- {entry}" for entry in entries), ""])

    section(
        "Conflicts: edit each file to the version you want and delete the markers "
        "(`make check` fails until then):",
        (f"`{name}`" for name in report.conflicts),
    )
    section(
        "Changes the template could not apply: apply each by hand, then delete the .rej file:",
        (f"`{name}`" for name in report.rejects),
    )
    section(
        "Deleted by the update although your team had changed them (restore what you still need):",
        (f"`{name}`: `git checkout HEAD -- {name}`" for name in report.deleted_edited),
    )
    section(
        "Your files left in folders the template removed (move or delete them):",
        (f"`{name}`" for name in report.left_behind),
    )
    section(
        "Lock files of another package manager (delete them: `git rm <file>`):",
        (f"`{name}`" for name in report.stale_locks),
    )
    if report.lock_refresh:
        lines += [
            f"Lock file: {report.lock_reason}. Run `make install`, which writes `{report.lock_file}` "
            "anew, then commit it.",
            "",
        ]
    for outcome, title in MOVE_OUTCOMES.items():
        section(
            title,
            (f"`{old}` -> `{new}`" for old, new in report.moved if report.moved_edits.get(old) == outcome),
        )
    section(
        "Overwritten by the recopy: your last commit has another version (review it with "
        "`git diff -- <file>`; get yours back, whole, with the command):",
        (f"`{name}`: `git checkout HEAD -- {name}`" for name in report.overwritten),
    )
    lines.append("Then: `make check`, `git add --all`, `git commit`.")
    return "\n".join(lines) + "\n"


def write_report(project: Path, report: Report) -> None:
    git_path(project, f"{REPORT_NAME}.json").write_text(json.dumps(report.as_json(), indent=2) + "\n")
    git_path(project, f"{REPORT_NAME}.md").write_text(markdown(report))


def read_report(project: str | Path, version_to: str) -> dict[str, Any] | None:
    """The report of the update to `version_to`, or None where no report was made for it."""
    try:
        found: dict[str, Any] = json.loads(git_path(Path(project), f"{REPORT_NAME}.json").read_text())
    except (OSError, RuntimeError, ValueError):
        return None
    return found if found.get("version_to") == str(version_to) else None


# ---- Moves ------------------------------------------------------------------------------------


def recorded_answers(project: Path, source: str | None) -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = yaml.safe_load(source or "{}") or {}
    return loaded


def recorded_versions(project: Path) -> tuple[str, str]:
    """The template versions the answers file records at HEAD and in the work tree (`_commit`,
    the tag). Copier's environment names them too (VERSION_FROM and VERSION_TO, `git describe`;
    VERSION_PEP440_*), but the forms have differed between the two sides, and the after-update
    message finds the report by `_copier_answers._commit`, which is the work tree's `_commit`."""
    work_tree = project / ANSWERS_FILE
    versions = []
    for source in (
        head_text(project, ANSWERS_FILE),
        work_tree.read_text(encoding="utf-8") if work_tree.is_file() else None,
    ):
        try:
            versions.append(str(recorded_answers(project, source).get("_commit", "")))
        except yaml.YAMLError:
            versions.append("")
    return versions[0], versions[1]


def read_moves(project: Path) -> dict[str, tuple[str, str]]:
    """The moves of this update so far: OLD -> (NEW, a key of MOVE_OUTCOMES)."""
    moves_file = git_path(project, MOVES_NAME)
    loaded: dict[str, list[str]] = json.loads(moves_file.read_text()) if moves_file.is_file() else {}
    return {old: (new, outcome) for old, (new, outcome) in loaded.items()}


def record_move(project: Path, old: str, new: str, outcome: str) -> None:
    moves = read_moves(project)
    moves[old] = (new, outcome)
    git_path(project, MOVES_NAME).write_text(json.dumps(moves))


def move(project: Path, old: str, new: str) -> str:
    """Carry the team's edits of OLD (as committed at HEAD) into NEW, which the template now
    renders; OLD and NEW may name `{answer}`s. Returns what happened, for the log."""
    answers = recorded_answers(project, head_text(project, ANSWERS_FILE))
    old, new = old.format_map(answers), new.format_map(answers)
    team = head_text(project, old)
    if team is None:
        return f"{old}: not in the project, nothing to move"
    with previous_render(project) as base_folder:
        base_file = base_folder / old
        base = base_file.read_text(encoding="utf-8") if base_file.is_file() else ""
        # The team's own NEW (or its edits of the template's): the update has merged it like any
        # file, markers included, and merging OLD into that would nest markers in markers.
        had_new = head_text(project, new) is not None and edited_by_team(project, base_folder, new)
    target = project / new
    if team == base:
        record_move(project, old, new, "none")
        return f"{old} -> {new}: no team edits to carry"
    if had_new:
        (project / old).write_text(team, encoding="utf-8", errors="surrogateescape")
        record_move(project, old, new, "kept")
        return f"{old} -> {new}: the team already had {new}; {old} stays, to merge by hand"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(team, encoding="utf-8")
        record_move(project, old, new, "carried")
        return f"{old} -> {new}: moved as the team left it"
    with tempfile.TemporaryDirectory() as folder:
        ours, common = Path(folder, "ours"), Path(folder, "base")
        ours.write_text(team, encoding="utf-8")
        common.write_text(base, encoding="utf-8")
        merge = subprocess.run(
            [
                "git",
                "merge-file",
                "-p",
                "-L",
                "before updating",
                "-L",
                "last update",
                "-L",
                "after updating",
                str(ours),
                str(common),
                str(target),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    target.write_text(merge.stdout, encoding="utf-8")
    (project / old).unlink(missing_ok=True)
    record_move(project, old, new, "conflicts" if merge.returncode else "carried")
    state = "with conflicts to resolve" if merge.returncode else "merged"
    return f"{old} -> {new}: the team's edits {state}"


# ---- Command line and Jinja -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report_command = commands.add_parser("report", help="report what the update left to resolve")
    report_command.add_argument("--lock-file", default="", help="the lock file of the project's manager")
    report_command.add_argument(
        "--other-lock-files", default="", help="comma-separated lock files of the other managers"
    )
    move_command = commands.add_parser("move", help="carry the team's edits of OLD into NEW")
    move_command.add_argument("old")
    move_command.add_argument("new")
    commands.add_parser("recopy-report", help="report the committed files a recopy overwrote")
    args = parser.parse_args(argv)
    project = Path.cwd()
    if args.command == "move":
        print(f"template update: {move(project, args.old, args.new)}")
        return 0
    if args.command == "recopy-report":
        # A new project has no HEAD yet (its first commit is a later task), and one copied into a
        # folder of another repository (init_git off) is not that repository: nothing overwritten.
        top = git(project, "rev-parse", "--show-toplevel", check=False).strip()
        if not top or Path(top).resolve() != project.resolve():
            return 0
        if not git(project, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
            return 0
        report = build_recopy_report(project)
    else:
        report = build_report(project, args.lock_file, filter(None, args.other_lock_files.split(",")))
    version_from, version_to = recorded_versions(project)
    # Copier gives every migration the versions it updates between; a task gets none.
    report.version_from = version_from or os.environ.get("VERSION_FROM", "")
    report.version_to = version_to or os.environ.get("VERSION_TO", "")
    write_report(project, report)
    # Between Copier's own lines, so that nobody misses it.
    print(f"\n{'=' * 78}\n{markdown(report)}{'=' * 78}\n", file=sys.stderr)
    return 0


class UpdateReport(Extension):
    """Registers `template_update_report` for the after-update message."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["template_update_report"] = read_report


if __name__ == "__main__":
    raise SystemExit(main())

"""The report of what an update (or a recopy) left to resolve, written and read back.

The report of what an update (or a recopy) left to resolve, as the team reads it and as the
scheduled update job and the after-update message read it back."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from . import update_locks, update_moves
from .update_base import edited_by_team, previous_render
from .update_project import (
    ANSWERS_FILE,
    added_by_update,
    changed_since_head,
    deleted_by_update,
    git_path,
    load_script,
    work_tree_files,
)

REPORT_NAME = "template-update-report"
# The scan every guard of a rendered project runs (`make conflicts`, its hook, CI's first step).
CONFLICT_SCAN = Path(__file__).resolve().parents[1] / "template" / "scripts" / "check_conflicts.py"


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


def conflict_scan() -> ModuleType:
    """The project's conflict scan, as this template version renders it (a verbatim copy): the
    report, `make conflicts`, the hook and CI find exactly the same files."""
    return load_script(CONFLICT_SCAN, "check_conflicts")


def find_conflicts(project: Path) -> tuple[list[str], list[str]]:
    """Files with conflict markers, and `.rej` files, ignored by git or not."""
    findings = conflict_scan().scan(project)
    return list(findings.conflicts), list(findings.rejects)


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


def build_report(project: Path, lock_file: str, other_lock_files: Iterable[str]) -> Report:
    report = Report(lock_file=lock_file)
    report.conflicts, report.rejects = find_conflicts(project)
    report.lock_refresh, report.lock_reason = update_locks.lock_status(project, lock_file)
    report.stale_locks = sorted(name for name in other_lock_files if (project / name).is_file())
    moves = update_moves.take_moves(project)
    report.moved = [[old, new] for old, (new, _) in sorted(moves.items())]
    report.moved_edits = {old: outcome for old, (_, outcome) in sorted(moves.items())}
    deleted = [name for name in deleted_by_update(project) if name not in moves]
    if deleted:
        report.deleted_edited, report.left_behind = deleted_findings(project, deleted)
    return report


def deleted_findings(project: Path, deleted: list[str]) -> tuple[list[str], list[str]]:
    """Of the files the update deleted, those the team had edited; and the team's files left in
    the folders the update emptied. Both need the previous render, made only here."""
    with previous_render(project) as base:
        base_files = {str(path.relative_to(base).as_posix()) for path in base.rglob("*") if path.is_file()}
        edited = [name for name in deleted if edited_by_team(project, base, name)]
    present = set(work_tree_files(project)) - set(deleted)
    left_behind: list[str] = []
    for folder in removed_folders(deleted, base_files, present, added_by_update(project)):
        left_behind += sorted(name for name in present if name.startswith(f"{folder}/"))
    return edited, left_behind


def build_recopy_report(project: Path) -> Report:
    """What a recopy overwrote: every tracked file whose content differs from HEAD's (Copier
    writes the template's version over the team's, with no merge). The answers file is Copier's
    own record, which a recopy to another version rewrites: no edit of the team's."""
    return Report(operation="recopy", overwritten=sorted(set(changed_since_head(project)) - {ANSWERS_FILE}))


def markdown(report: Report) -> str:
    """The report as the team reads it: in the terminal and in the update's pull request."""
    heading = f"Template {report.operation} {report.version_from} -> {report.version_to}"
    if report.clean:
        return f"{heading}: nothing to resolve. Run `make check`, then commit.\n"
    lines = [f"{heading}: {report.to_resolve} to resolve before you commit.", ""]
    for block in _blocks(report):
        lines += block
    lines.append("Then: `make check`, `git add --all`, `git commit`.")
    return "\n".join(lines) + "\n"


def _section(title: str, entries: list[str]) -> list[str]:
    """A titled list followed by a blank line; nothing where there are no entries."""
    return [title, *(f"- {entry}" for entry in entries), ""] if entries else []


def _quoted(names: list[str]) -> list[str]:
    return [f"`{name}`" for name in names]


def _restorable(names: list[str]) -> list[str]:
    """Each file with the command that gets the team's committed version back."""
    return [f"`{name}`: `git checkout HEAD -- {name}`" for name in names]


def _moved(report: Report, outcome: str) -> list[str]:
    return [f"`{old}` -> `{new}`" for old, new in report.moved if report.moved_edits.get(old) == outcome]


def _blocks(report: Report) -> Iterator[list[str]]:
    """The parts of a report that is not clean, in the order the team works through them."""
    yield _section(
        "Conflicts: edit each file to the version you want and delete the markers "
        "(`make check` fails until then):",
        _quoted(report.conflicts),
    )
    yield _section(
        "Changes the template could not apply: apply each by hand, then delete the .rej file:",
        _quoted(report.rejects),
    )
    yield _section(
        "Deleted by the update although your team had changed them (restore what you still need):",
        _restorable(report.deleted_edited),
    )
    yield _section(
        "Your files left in folders the template removed (move or delete them):",
        _quoted(report.left_behind),
    )
    yield _section(
        "Lock files of another package manager (delete them: `git rm <file>`):",
        _quoted(report.stale_locks),
    )
    if report.lock_refresh:
        yield [
            f"Lock file: {report.lock_reason}. Run `make install`, which writes `{report.lock_file}` "
            "anew, then commit it.",
            "",
        ]
    for outcome, title in update_moves.MOVE_OUTCOMES.items():
        yield _section(title, _moved(report, outcome))
    yield _section(
        "Overwritten by the recopy: your last commit has another version (review it with "
        "`git diff -- <file>`; get yours back, whole, with the command):",
        _restorable(report.overwritten),
    )


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

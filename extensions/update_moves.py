"""`updates.py move OLD NEW`: carry the team's edits of a renamed file into its new name.

`updates.py move OLD NEW`: carry the team's edits of a file the template renamed into its new
name, with a three-way merge (a diff cannot express a rename), and record what happened for the
report."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from .update_base import edited_by_team, previous_render
from .update_project import ANSWERS_FILE, git_path, head_text, recorded_answers

MOVES_NAME = "template-update-moves.json"
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


def read_moves(project: Path) -> dict[str, tuple[str, str]]:
    """The moves of this update so far: OLD -> (NEW, a key of MOVE_OUTCOMES)."""
    moves_file = git_path(project, MOVES_NAME)
    loaded: dict[str, list[str]] = json.loads(moves_file.read_text()) if moves_file.is_file() else {}
    return {old: (new, outcome) for old, (new, outcome) in loaded.items()}


def take_moves(project: Path) -> dict[str, tuple[str, str]]:
    """The moves of this update, which the report takes: the next update starts with none."""
    moves = read_moves(project)
    git_path(project, MOVES_NAME).unlink(missing_ok=True)
    return moves


def record_move(project: Path, old: str, new: str, outcome: str) -> None:
    moves = read_moves(project)
    moves[old] = (new, outcome)
    git_path(project, MOVES_NAME).write_text(json.dumps(moves))


def move(project: Path, old: str, new: str) -> str:
    """Carry the team's edits of OLD (as committed at HEAD) into NEW, which the template now
    renders; OLD and NEW may name `{answer}`s. Returns what happened, for the log."""
    answers = recorded_answers(head_text(project, ANSWERS_FILE))
    old, new = old.format_map(answers), new.format_map(answers)
    team = head_text(project, old)
    if team is None:
        return f"{old}: not in the project, nothing to move"
    base, had_new = _previous(project, old, new)
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
    merged, conflicts = _merge(team, base, target)
    target.write_text(merged, encoding="utf-8")
    (project / old).unlink(missing_ok=True)
    record_move(project, old, new, "conflicts" if conflicts else "carried")
    state = "with conflicts to resolve" if conflicts else "merged"
    return f"{old} -> {new}: the team's edits {state}"


def _previous(project: Path, old: str, new: str) -> tuple[str, bool]:
    """OLD as the previous release rendered it, and whether the team had a NEW of its own."""
    with previous_render(project) as base_folder:
        base_file = base_folder / old
        base = base_file.read_text(encoding="utf-8") if base_file.is_file() else ""
        # The team's own NEW (or its edits of the template's): the update has merged it like any
        # file, markers included, and merging OLD into that would nest markers in markers.
        had_new = head_text(project, new) is not None and edited_by_team(project, base_folder, new)
    return base, had_new


def _merge(team: str, base: str, target: Path) -> tuple[str, bool]:
    """The team's version of OLD merged with the template's NEW over the previous render of OLD,
    and whether the merge left conflicts (marked as in the rest of the update)."""
    with tempfile.TemporaryDirectory() as folder:
        ours, common = Path(folder, "ours"), Path(folder, "base")
        ours.write_text(team, encoding="utf-8")
        common.write_text(base, encoding="utf-8")
        labels = ("-L", "before updating", "-L", "last update", "-L", "after updating")
        merge = subprocess.run(
            ["git", "merge-file", "-p", *labels, str(ours), str(common), str(target)],
            capture_output=True,
            text=True,
            check=False,
        )
    return merge.stdout, merge.returncode != 0

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

The work is done by its sibling modules `update_*.py`, loaded through _siblings.py both when it
runs as a script and when Copier loads it by path.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment
from jinja2.ext import Extension

if TYPE_CHECKING or __package__ == "extensions":
    from . import update_moves, update_project, update_report
else:
    # Run as a script or loaded by path by Copier: the modules beside this very file.
    import runpy

    update_moves, update_project, update_report = runpy.run_path(
        str(Path(__file__).with_name("_siblings.py"))
    )["siblings"](__file__, "update_moves", "update_project", "update_report")

# Tests load the rendered project's scripts as the report does.
load_script = update_project.load_script


def _parser() -> argparse.ArgumentParser:
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
    return parser


def _recopy_report(project: Path) -> update_report.Report | None:
    """The recopy report, or None where the copy can have overwritten nothing of the team's."""
    # A new project has no HEAD yet (its first commit is a later task), and one copied into a
    # folder of another repository (init_git off) is not that repository: nothing overwritten.
    top = update_project.git(project, "rev-parse", "--show-toplevel", check=False).strip()
    if not top or Path(top).resolve() != project.resolve():
        return None
    if not update_project.git(project, "rev-parse", "--verify", "--quiet", "HEAD", check=False).strip():
        return None
    return update_report.build_recopy_report(project)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Path.cwd()
    if args.command == "move":
        print(f"template update: {update_moves.move(project, args.old, args.new)}")
        return 0
    if args.command == "recopy-report":
        report = _recopy_report(project)
        if report is None:
            return 0
    else:
        others = filter(None, args.other_lock_files.split(","))
        report = update_report.build_report(project, args.lock_file, others)
    version_from, version_to = update_project.recorded_versions(project)
    # Copier gives every migration the versions it updates between; a task gets none.
    report.version_from = version_from or os.environ.get("VERSION_FROM", "")
    report.version_to = version_to or os.environ.get("VERSION_TO", "")
    update_report.write_report(project, report)
    # Between Copier's own lines, so that nobody misses it.
    print(f"\n{'=' * 78}\n{update_report.markdown(report)}{'=' * 78}\n", file=sys.stderr)
    return 0


class UpdateReport(Extension):
    """Registers `template_update_report` for the after-update message."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["template_update_report"] = update_report.read_report


if __name__ == "__main__":
    raise SystemExit(main())

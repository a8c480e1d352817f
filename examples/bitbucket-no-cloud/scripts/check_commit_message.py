"""Refuse a commit message that does not follow the project's convention (Conventional Commits).

Run by the `commit-msg` git hook (.pre-commit-config.yaml) with the message file as argument;
the convention is in CONTRIBUTING.md (and on the docs site's branching page). Standard library
only: the hook needs no network and no package beyond the project's Python.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TYPES = ("feat", "fix", "perf", "refactor", "docs", "test", "build", "ci", "style", "chore", "revert")
MAX_HEADER = 100
HEADER = re.compile(rf"^({'|'.join(TYPES)})(\([a-z0-9][a-z0-9._/-]*\))?!?: \S")
# Messages git writes itself, which a person finishes later (merges, reverts, fixups to squash).
GIT_MADE = re.compile(r"^(Merge |Revert \"|fixup! |squash! |amend! )")


def header_of(message: str) -> str:
    """The first line that is not a comment git added to the message file."""
    for line in message.splitlines():
        if line.strip() and not line.startswith("#"):
            return line.rstrip()
    return ""


def problem(message: str) -> str:
    """Why the message breaks the convention, or "" when it follows it."""
    header = header_of(message)
    if not header:
        return "the commit message is empty"
    if GIT_MADE.match(header):
        return ""
    if len(header) > MAX_HEADER:
        return f"the first line has {len(header)} characters; keep it to {MAX_HEADER}"
    if not HEADER.match(header):
        return (
            f"{header!r} does not start with a type: write '<type>(<optional scope>): <subject>', "
            f"e.g. 'fix(serve): refuse NaN inputs', where <type> is one of {', '.join(TYPES)} "
            "(add '!' before ':' for a breaking change)"
        )
    return ""


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_commit_message.py MESSAGE_FILE", file=sys.stderr)
        return 2
    found = problem(Path(argv[0]).read_text(encoding="utf-8"))
    if found:
        print(f"Commit refused: {found}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

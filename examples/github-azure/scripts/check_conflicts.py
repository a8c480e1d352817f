"""Find what a merge or a template update left unresolved: conflict markers and `.rej` files.

    python3 scripts/check_conflicts.py          # names each one; exit 1 while any is left
    python3 scripts/check_conflicts.py --json   # the same as JSON, for the update report

One scan behind every guard: `make conflicts` (and so `make check`, `make install` and the lock
checks), the `conflicts` pre-commit hook, CI's first step and the report `copier update` prints.
It walks the files themselves, tracked or not, ignored by git or not: a `.rej` file that
`.gitignore` hides is still a change the update could not apply. It skips only `.git`, the
environments and the caches (`SKIPPED_DIRS`), and does not read files over `MAX_BYTES` or binary
ones for markers (nothing the template renders is either).

Quoted markers are not conflicts: in Markdown, markers inside a fenced code block count only in
a file a merge or a template update left conflicted (`merging`), which `git add` does not hide,
or when they carry Copier's labels (a scheduled update commits its conflicts for a person).
Anything else that must hold marker lines (a test
fixture, say) goes in `[tool.check-conflicts] ignore` of pyproject.toml, as glob patterns of
paths from the project's root.

Standard library only, and no environment needed: it runs before `make install`, and even
when the Makefile itself holds markers (the Makefile's first lines call it then).
"""

from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

# The lines git's merges and Copier's inline conflicts start a conflict's two sides with.
MARKERS = (b"<<<<<<<", b">>>>>>>")
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        ".cache",
    }
)
# Copier's labels on an update's inline conflicts (a page that quotes them lists itself in
# `[tool.check-conflicts] ignore`).
COPIER_MARKERS = (b"<<<<<<< before updating", b">>>>>>> after updating")
# DVC's object cache and scratch space: data, never text a merge wrote.
SKIPPED_PATHS = frozenset({".dvc/cache", ".dvc/tmp"})
MAX_BYTES = 5_000_000
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
# In the git directory: the message of a stopped merge, and the last `copier update`'s report.
MERGE_MESSAGE = "MERGE_MSG"
UPDATE_REPORT = "template-update-report.json"
FENCES = ("```", "~~~")


@dataclass
class Findings:
    conflicts: list[str] = field(default_factory=list)
    rejects: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.rejects


def is_marker(line: bytes) -> bool:
    """`<<<<<<< label` or `>>>>>>> label` (or the bare seven characters)."""
    return line.startswith(MARKERS) and line[7:8] in (b" ", b"\n", b"\r", b"")


def _fence(line: bytes) -> bytes | None:
    """The fence a Markdown line opens or closes (indented by at most three spaces), if any."""
    stripped = line.lstrip(b" ")
    if len(line) - len(stripped) > 3:
        return None
    for fence in FENCES:
        if stripped.startswith(fence.encode()):
            char = stripped[:1]
            return stripped[: len(stripped) - len(stripped.lstrip(char))]
    return None


def marker_lines(lines: Sequence[bytes], markdown: bool) -> list[int]:
    """The 1-based numbers of marker lines; in Markdown, outside fenced code blocks, and inside
    them only Copier's own (an update's conflict, which a scheduled job may have committed)."""
    found, open_fence = [], b""
    for number, line in enumerate(lines, start=1):
        if markdown:
            fence = _fence(line)
            if fence is not None and not open_fence:
                open_fence = fence
                continue
            # A fence closes with the same character, at least as long, and nothing after it.
            closes = fence is not None and fence[:1] == open_fence[:1] and len(fence) >= len(open_fence)
            if closes and fence is not None and not line.strip()[len(fence) :]:
                open_fence = b""
                continue
            if open_fence and not line.startswith(COPIER_MARKERS):
                continue
        if is_marker(line):
            found.append(number)
    return found


def read_lines(path: Path) -> list[bytes] | None:
    """The file's lines, or None for a binary file, a large one or one that cannot be read."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None
    return data.splitlines(keepends=True)


def walk(root: Path) -> Iterator[str]:
    """Every file under root, as a POSIX path from root, outside the skipped folders."""
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        dirs[:] = sorted(
            name for name in dirs if name not in SKIPPED_DIRS and f"{prefix}{name}" not in SKIPPED_PATHS
        )
        for name in sorted(files):
            yield f"{prefix}{name}"


def _git(root: Path, *args: str) -> str | None:
    try:
        completed = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    return completed.stdout.decode("utf-8", "surrogateescape") if completed.returncode == 0 else None


def merging(root: Path) -> set[str]:
    """Files a merge or an update left conflicted, even once `git add` (or `commit -a`) has
    staged them: git's unmerged files, those of an unfinished merge's message, and those the
    last template update reported. In these, markers in a Markdown fence are conflicts too."""
    found = set((_git(root, "diff", "--name-only", "-z", "--diff-filter=U") or "").split("\0"))
    for name, read in ((MERGE_MESSAGE, _merge_message_conflicts), (UPDATE_REPORT, _reported_conflicts)):
        path = (_git(root, "rev-parse", "--git-path", name) or "").strip()
        # Usually neither file exists: no merge is under way, no update was made here.
        with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
            if path:
                found |= read((root / path).read_text(encoding="utf-8"))
    return {name for name in found if name}


def _merge_message_conflicts(text: str) -> set[str]:
    """git lists a stopped merge's conflicted paths in its message, as `#\t<path>` lines."""
    lines = text.splitlines()
    if "# Conflicts:" not in lines:
        return set()
    after = lines[lines.index("# Conflicts:") + 1 :]
    return {line[2:] for line in after if line.startswith("#\t")}


def _reported_conflicts(text: str) -> set[str]:
    conflicts = json.loads(text).get("conflicts", [])
    return {name for name in conflicts if isinstance(name, str)}


def ignore_patterns(root: Path) -> tuple[str, ...]:
    """`[tool.check-conflicts] ignore` of pyproject.toml; none while it does not parse."""
    try:
        import tomllib  # noqa: PLC0415 - only here: a python3 older than 3.11 still scans
    except ModuleNotFoundError:
        return ()
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A pyproject.toml with markers does not parse: it is reported, with no ignores.
        return ()
    patterns = data.get("tool", {}).get("check-conflicts", {}).get("ignore", [])
    return tuple(pattern for pattern in patterns if isinstance(pattern, str))


def scan(root: Path) -> Findings:
    patterns = ignore_patterns(root)
    conflicted = merging(root)
    findings = Findings()
    for name in walk(root):
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
            continue
        if name.endswith(".rej"):
            findings.rejects.append(name)
            continue
        lines = read_lines(root / name)
        if lines is None:
            continue
        markdown = Path(name).suffix.lower() in MARKDOWN_SUFFIXES and name not in conflicted
        if marker_lines(lines, markdown):
            findings.conflicts.append(name)
    return findings


def describe(findings: Findings) -> str:
    lines = []
    if findings.conflicts:
        lines.append("Conflicts: edit each file to the version you want and delete the markers:")
        lines += [f"  {name}" for name in findings.conflicts]
        lines.append(
            "(A file that quotes markers on purpose: put them in a Markdown code fence, or list "
            "the file in [tool.check-conflicts] ignore of pyproject.toml.)"
        )
    if findings.rejects:
        lines.append("Changes an update could not apply: apply each by hand, then delete the .rej file:")
        lines += [f"  {name}" for name in findings.rejects]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project (default: here)")
    args = parser.parse_args(argv)
    findings = scan(args.root)
    if args.json:
        print(json.dumps({"conflicts": findings.conflicts, "rejects": findings.rejects}))
    elif not findings.clean:
        print(describe(findings), file=sys.stderr)
    return 0 if findings.clean else 1


if __name__ == "__main__":
    sys.exit(main())

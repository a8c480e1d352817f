"""The generated blocks of hand-written pages: `<!-- generated: NAME -->` ... `<!-- end generated: NAME -->`.

A generator owns some block names and rewrites only those, so one page can hold blocks of several
generators. Each block starts with a notice naming the command that writes it; the prose around
the blocks stays hand-written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

BLOCK = re.compile(
    r"(?P<start><!-- generated: (?P<name>[\w-]+) -->\n).*?(?P<end><!-- end generated: (?P=name) -->)",
    re.DOTALL,
)

Generator = Callable[[], Iterable[str]]


def cell(text: str) -> str:
    """Text as a Markdown table cell: a `|` would end the cell, a `<` start an HTML tag."""
    return text.replace("|", "\\|").replace("<", "&lt;")


def rewrite(text: str, blocks: Mapping[str, Generator], command: str, page: str) -> str:
    """The text with each block named in `blocks` rewritten by its generator; other blocks unchanged."""
    found = {match["name"] for match in BLOCK.finditer(text)}
    missing = sorted(set(blocks) - found)
    if missing:
        raise ValueError(f"{page} lacks the generated blocks {missing}")

    def block(match: re.Match[str]) -> str:
        generator = blocks.get(match["name"])
        if generator is None:
            return match[0]
        body = "\n".join(generator()).strip()
        notice = f"<!-- written by `{command}`: do not edit by hand -->"
        return f"{match['start']}{notice}\n\n{body}\n\n{match['end']}"

    return BLOCK.sub(block, text)


def main(
    argv: list[str] | None,
    description: str,
    pages: Mapping[Path, Mapping[str, Generator]],
    command: str,
    root: Path,
) -> int:
    """`--check` exits 1 when a page is stale; otherwise the blocks are rewritten."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if a block is stale instead of writing it")
    if parser.parse_args(argv).check:
        stale = stale_pages(pages, command, root)
        for page in stale:
            print(f"{page}: stale, run `{command}`", file=sys.stderr)
        return 1 if stale else 0
    write_pages(pages, command, root)
    return 0


def stale_pages(pages: Mapping[Path, Mapping[str, Generator]], command: str, root: Path) -> list[str]:
    """The pages whose blocks differ from what their generators write now."""
    return [
        path.relative_to(root).as_posix()
        for path, blocks in pages.items()
        if (text := path.read_text(encoding="utf-8"))
        != rewrite(text, blocks, command, path.relative_to(root).as_posix())
    ]


def write_pages(pages: Mapping[Path, Mapping[str, Generator]], command: str, root: Path) -> None:
    for path, blocks in pages.items():
        text = path.read_text(encoding="utf-8")
        path.write_text(rewrite(text, blocks, command, path.relative_to(root).as_posix()), encoding="utf-8")

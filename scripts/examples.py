"""Re-render every project under examples/ from its own answers, or check that none is stale.

Each example is a whole render, committed, so that a change's effect on a project shows in its
diff: what the project's first commit would hold, without the files its own .gitignore rules
leave out (the DVC-tracked data). Its `.copier-answers.yml` is the one input: the answers are
read back from it and rendered again from the working tree (uncommitted edits included).
`_commit` and `_src_path` are left out of it, as they name a checkout and a commit, which
differ for every clone and every commit.

    python -m scripts.examples           # rewrite examples/ (make examples)
    python -m scripts.examples --check   # exit 1 and name what differs
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import copier
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ANSWERS_FILE = ".copier-answers.yml"
# What a copy of the template reads; the rest of the repository is its tooling.
TEMPLATE_PARTS = ("copier.yml", "template", "extensions")
# Answers-file lines that name where and at which commit the render was made.
PLACE_KEYS = ("_commit:", "_src_path:")


def names() -> list[str]:
    """The examples, by folder name."""
    return sorted(path.parent.name for path in EXAMPLES.glob(f"*/{ANSWERS_FILE}"))


def answers(name: str) -> dict[str, Any]:
    """An example's answers, as its answers file records them."""
    recorded = yaml.safe_load((EXAMPLES / name / ANSWERS_FILE).read_text(encoding="utf-8"))
    return {key: value for key, value in recorded.items() if not key.startswith("_")}


def template_snapshot(destination: Path) -> Path:
    """The template's parts as they are in the working tree, outside git: Copier then renders
    them as a plain folder, with no clone and no commit of its own. Parts already in destination
    (a clone's) are replaced."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in TEMPLATE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.rmtree(destination / part, ignore_errors=True)
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination


def render(template: Path, name: str, destination: Path) -> Path:
    """One example rendered afresh into destination, its answers file without PLACE_KEYS."""
    copier.run_copy(
        str(template),
        destination,
        data=answers(name),
        defaults=True,
        unsafe=True,
        quiet=True,
    )
    answers_file = destination / ANSWERS_FILE
    lines = answers_file.read_text(encoding="utf-8").splitlines(keepends=True)
    answers_file.write_text(
        "".join(line for line in lines if not line.startswith(PLACE_KEYS)), encoding="utf-8"
    )
    drop_ignored(destination)
    return destination


def drop_ignored(project: Path) -> None:
    """Delete the files the project's own git rules ignore: a clone of this repository has none."""
    subprocess.run(["git", "init", "--quiet", str(project)], check=True)
    for path in ignored(project):
        (project / path).unlink()
    shutil.rmtree(project / ".git")


def ignored(folder: Path) -> set[str]:
    """The files under folder that git ignores (caches a tool left in an example, say)."""
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "-z"],
        cwd=folder,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(filter(None, listed.split("\0")))


def files(folder: Path) -> set[str]:
    """Every file under folder that git does not ignore, as a relative POSIX path."""
    found = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    return found - ignored(folder) if (ROOT / ".git").exists() and folder.is_relative_to(ROOT) else found


def differences(expected: Path, actual: Path) -> Iterator[str]:
    """What differs between an example and a fresh render of it, one line per path."""
    committed, fresh = files(expected), files(actual)
    for path in sorted(committed | fresh):
        if path not in fresh:
            yield f"{path}: no longer rendered"
        elif path not in committed:
            yield f"{path}: newly rendered"
        elif not filecmp.cmp(expected / path, actual / path, shallow=False):
            yield f"{path}: content differs"


def stale(name: str, template: Path, scratch: Path) -> list[str]:
    """How an example differs from a fresh render, prefixed with its name; empty when current."""
    fresh = render(template, name, scratch / name)
    return [f"examples/{name}/{line}" for line in differences(EXAMPLES / name, fresh)]


def rewrite(name: str, template: Path) -> None:
    """Replace an example with a fresh render of its own answers."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = render(template, name, Path(scratch) / name)
        shutil.rmtree(EXAMPLES / name)
        shutil.copytree(fresh, EXAMPLES / name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare instead of rewriting; exit 1 on a difference"
    )
    parser.add_argument("only", nargs="*", help="example names (default: every example)")
    options = parser.parse_args(argv)
    chosen = options.only or names()
    with tempfile.TemporaryDirectory() as scratch:
        template = template_snapshot(Path(scratch) / "template")
        if not options.check:
            for name in chosen:
                rewrite(name, template)
            return 0
        found = [line for name in chosen for line in stale(name, template, Path(scratch) / "renders")]
    for line in found:
        print(line)
    if found:
        print("examples/ is stale: run `make examples` and review the diff", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Create the template's release tags from `main` alone: what `make tags` runs.

    python3 -m scripts.tags             # tag every release commit that has no tag yet
    python3 -m scripts.tags --check     # say what would be tagged; change nothing

Tags do not travel with every copy of a repository (a `--no-tags` clone, a mirror, a fork, a CI
checkout that dropped them), but `main` does. A release is the commit of `main` that dated its
CHANGELOG.md section (`## <version> - <date>`, the commit `make release` makes), so every tag can
be made again from the history: `v<version>` on that commit, annotated with the section as it
read then, by the commit's own committer at the commit's own time. The tag object is therefore
the same in every clone, and pushing it from any of them agrees with the others.

Running it again changes nothing. It refuses, and tags nothing, when a `v<version>` tag already
points at another commit, or when the release commit's pyproject.toml names another version.
It needs only Python 3.11 and git (no environment), so a fresh clone can run it first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scripts import changelog

TAG_PREFIX = "v"


class TagError(Exception):
    """The history and the tags disagree; the message says how."""


@dataclass(frozen=True)
class Release:
    version: str
    commit: str
    # The changelog section as the release commit wrote it: the tag's message.
    notes: str

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.version}"


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False, env=env)
    if completed.returncode != 0:
        raise TagError(f"`git {' '.join(args)}` failed in {repo}:\n{completed.stderr.strip()}")
    return completed.stdout


def _show(repo: Path, commit: str, path: str) -> str | None:
    completed = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=repo, capture_output=True, text=True, check=False
    )
    return completed.stdout if completed.returncode == 0 else None


def _dated_section(text: str | None, heading: str) -> changelog.Section | None:
    sections = changelog.parse(text or "")
    return next((section for section in sections if section.heading == heading), None)


def release_commit(repo: Path, ref: str, heading: str) -> tuple[str, changelog.Section]:
    """The oldest commit reachable from `ref` whose CHANGELOG.md has `heading` as a section."""
    # -S lists the commits that change how often the heading occurs, oldest first here; the
    # first of them whose file holds the heading as a section is the one that dated it.
    candidates = _git(
        repo, "log", "--reverse", "--format=%H", "-S", heading, ref, "--", "CHANGELOG.md"
    ).split()
    for commit in candidates:
        section = _dated_section(_show(repo, commit, "CHANGELOG.md"), heading)
        if section is not None:
            return commit, section
    raise TagError(f"no commit of {ref} adds the changelog heading `{heading}`")


def _version_at(repo: Path, commit: str) -> str | None:
    text = _show(repo, commit, "pyproject.toml")
    if text is None:
        return None
    version = tomllib.loads(text).get("project", {}).get("version")
    return version if isinstance(version, str) else None


def releases(repo: Path, ref: str = "HEAD") -> list[Release]:
    """Every release CHANGELOG.md at `ref` dates, newest first, with the commit that dated it."""
    found: list[Release] = []
    for section in changelog.parse(_show(repo, ref, "CHANGELOG.md") or ""):
        match = changelog.RELEASE_TITLE.match(section.title)
        if match is None:
            continue
        commit, dated = release_commit(repo, ref, section.heading)
        written = _version_at(repo, commit)
        if written != match["version"]:
            raise TagError(
                f"commit {commit[:12]} dates `{section.heading}` but its pyproject.toml says "
                f"version {written!r}: a release commit carries its own version"
            )
        found.append(Release(match["version"], commit, dated.text))
    return found


def tagged_commit(repo: Path, tag: str) -> str | None:
    completed = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() if completed.returncode == 0 else None


def missing(repo: Path, found: Sequence[Release]) -> list[Release]:
    """The releases without a tag; refuses when a tag points elsewhere."""
    wrong = []
    for release in found:
        commit = tagged_commit(repo, release.tag)
        if commit is not None and commit != release.commit:
            wrong.append(
                f"{release.tag} points at {commit[:12]}, but the release commit is "
                f"{release.commit[:12]} (`git log -1 {release.commit[:12]}`)"
            )
    if wrong:
        raise TagError(
            "tags disagree with main's changelog; a pushed tag is never moved, so find out which "
            "is wrong before anything else (docs/releasing.md):\n  " + "\n  ".join(wrong)
        )
    return [release for release in found if tagged_commit(repo, release.tag) is None]


def create(repo: Path, release: Release) -> None:
    name, email, date = (
        _git(repo, "log", "-1", "--format=%cn%x00%ce%x00%cI", release.commit).rstrip("\n").split("\0")
    )
    # The committer's identity and time make the tag object the same in every clone.
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_COMMITTER_DATE": date,
    }
    _git(
        repo,
        "tag",
        "--annotate",
        "--cleanup=whitespace",
        "--message",
        release.notes,
        release.tag,
        release.commit,
        env=env,
    )


def tag_releases(repo: Path, ref: str = "HEAD", check: bool = False) -> list[Release]:
    """Tag every untagged release of `ref`'s history (none with `check`); returns them."""
    todo = missing(repo, releases(repo, ref))
    if not check:
        for release in reversed(todo):
            create(repo, release)
    return todo


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="say what would be tagged; tag nothing")
    parser.add_argument("--ref", default="HEAD", help="the history to read (default: HEAD)")
    parser.add_argument("--repo", type=Path, default=Path.cwd(), help="the template repository")
    args = parser.parse_args(argv)
    try:
        todo = tag_releases(args.repo, args.ref, check=args.check)
    except TagError as error:
        print(f"tags: error: {error}", file=sys.stderr)
        return 1
    verb = "would tag" if args.check else "tagged"
    for release in todo:
        print(f"tags: {verb} {release.tag} on {release.commit[:12]}")
    if not todo:
        print("tags: every release of the changelog has its tag")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Release the template: check everything, date the changelog, tag `v<version>` (never push).

    python -m scripts.release             # what `make release` runs
    python -m scripts.release --dry-run   # every check and the tests; no commit, no tag

The version is `[project] version` of pyproject.toml. The release refuses a dirty tree or a
branch other than main, a version that is not above every `v*` tag, a changelog without a
well-formed section for the version (an `## Unreleased` section on top is dated and committed),
and failing fast tiers. The annotated tag's message is the changelog section, so `git show
v<version>` tells a team what the release brings. docs/releasing.md is the maintainer's guide.
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from scripts import changelog
from scripts.template_version import VersionError, read_version

RELEASE_BRANCH = "main"
DEFAULT_TEST_COMMAND = "make test-fast"


class ReleaseError(Exception):
    """A check failed; the message says what to fix."""


@dataclass(frozen=True)
class ReleaseOptions:
    repo: Path
    test_command: Sequence[str]
    dry_run: bool = False
    # The maintainer's calendar day: the changelog dates releases, not instants.
    today: datetime.date = field(default_factory=datetime.date.today)


def _git(repo: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise ReleaseError(f"`git {' '.join(args)}` failed in {repo}:\n{completed.stderr.strip()}")
    return completed.stdout


def check_clean_main(repo: Path) -> None:
    branch = _git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
    if branch != RELEASE_BRANCH:
        raise ReleaseError(
            f"releases are tagged on {RELEASE_BRANCH}, this is {branch!r}: "
            f"merge into {RELEASE_BRANCH} and run it there (`git switch {RELEASE_BRANCH}`)"
        )
    changes = _git(repo, "status", "--porcelain").splitlines()
    if changes:
        listed = "\n  ".join(changes[:10])
        raise ReleaseError(
            "the working tree is not clean: commit or stash these first, a tag must name exactly "
            f"what projects get:\n  {listed}"
        )


def check_version_is_new(repo: Path, version: Version) -> str:
    """The tag to create; refuses an existing one and a version not above every release tag."""
    tag = f"v{version}"
    tags = _git(repo, "tag", "--list", "v*").split()
    if tag in tags:
        raise ReleaseError(
            f"tag {tag} already exists: raise [project] version in pyproject.toml "
            "(docs/releasing.md says which part)"
        )
    released: list[tuple[Version, str]] = []
    for existing in tags:
        try:
            released.append((Version(existing[1:]), existing))
        except InvalidVersion:
            continue  # Copier ignores tags that are not PEP 440 versions, so does the order here.
    if released:
        latest, latest_tag = max(released)
        if version <= latest:
            raise ReleaseError(
                f"version {version} is not above the latest release tag {latest_tag}: "
                "raise [project] version in pyproject.toml"
            )
    return tag


def check_changelog(repo: Path, version: Version) -> changelog.Section:
    if not (repo / "CHANGELOG.md").is_file():
        raise ReleaseError(f"{repo / 'CHANGELOG.md'} not found: it is what teams read before updating")
    sections = changelog.read(repo)
    found = changelog.problems(sections)
    if found:
        raise ReleaseError("CHANGELOG.md breaks its format (docs/releasing.md):\n  " + "\n  ".join(found))
    try:
        return changelog.release_section(sections, version)
    except ValueError as error:
        raise ReleaseError(f"CHANGELOG.md: {error}") from None


def run_tests(repo: Path, command: Sequence[str]) -> None:
    shown = shlex.join(command)
    print(f"release: running the fast tiers: {shown}", flush=True)
    try:
        # Not captured: the maintainer watches the tests run.
        returncode = subprocess.run(list(command), cwd=repo, check=False).returncode
    except OSError as error:
        raise ReleaseError(f"cannot run the tests (`{shown}`): {error}") from None
    if returncode != 0:
        raise ReleaseError(f"the tests failed (`{shown}` exited {returncode}): fix them, then release")


def commit_dated_changelog(repo: Path, version: Version, today: datetime.date) -> changelog.Section:
    path = repo / "CHANGELOG.md"
    path.write_text(changelog.date_unreleased(path.read_text(encoding="utf-8"), version, today), "utf-8")
    _git(repo, "add", "CHANGELOG.md")
    _git(repo, "commit", "--quiet", "-m", f"Release {version}: date its changelog section")
    return changelog.release_section(changelog.read(repo), version)


def release(options: ReleaseOptions) -> str:
    """Check, date the changelog if needed, tag; returns the tag (to be) created."""
    repo = options.repo
    check_clean_main(repo)
    try:
        version = read_version(repo)
    except VersionError as error:
        raise ReleaseError(str(error)) from None
    tag = check_version_is_new(repo, version)
    section = check_changelog(repo, version)
    run_tests(repo, options.test_command)
    # Tests that write outside the ignored folders would otherwise slip into the release commit.
    check_clean_main(repo)

    if options.dry_run:
        dating = (
            f"date `{section.heading}` as {version} - {options.today}, commit it, "
            if (section.is_unreleased)
            else ""
        )
        print(f"release: dry run, every check passed: would {dating}tag {tag} (nothing changed)")
        return tag
    if section.is_unreleased:
        section = commit_dated_changelog(repo, version, options.today)
    _git(repo, "tag", "--annotate", "--cleanup=whitespace", "--message", section.text, tag)
    print(f"release: tagged {tag} with its changelog section. Publish it with:\n")
    print(f"    git push origin {RELEASE_BRANCH} {tag}\n")
    return tag


def parse_args(argv: Sequence[str] | None) -> ReleaseOptions:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--dry-run", action="store_true", help="check everything and run the tests; change and tag nothing"
    )
    parser.add_argument(
        "--test-command",
        default=DEFAULT_TEST_COMMAND,
        help=f"the command that must pass before tagging (default: {DEFAULT_TEST_COMMAND})",
    )
    parser.add_argument(
        "--repo", type=Path, default=Path.cwd(), help="the template repository (default: the current folder)"
    )
    args = parser.parse_args(argv)
    return ReleaseOptions(repo=args.repo, test_command=shlex.split(args.test_command), dry_run=args.dry_run)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        release(parse_args(argv))
    except ReleaseError as error:
        print(f"release: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

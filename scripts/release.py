"""Release the template: check everything, date the changelog, tag `v<version>` (never push).

    python -m scripts.release             # what `make release` runs
    python -m scripts.release --dry-run   # every check and the tests; no commit, no tag

The version is `[project] version` of pyproject.toml. The release refuses a dirty tree or a
branch other than main, a version released already or not above every release (the changelog's
dated sections and the `v*` tags), a changelog without a well-formed `## Unreleased` section on
top, and failing fast tiers. Then it dates that section and commits it: that commit is the
release, on main, from which `make tags` (scripts/tags.py) makes the same tag in any clone. The
annotated tag's message is the changelog section, so `git show v<version>` tells a team what the
release brings. docs/releasing.md is the maintainer's guide.
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

from scripts import changelog, tags
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


def check_version_is_new(repo: Path, version: Version, sections: Sequence[changelog.Section]) -> str:
    """The tag to create; refuses a version already released and one not above every release.

    The releases are the changelog's dated sections as well as the tags: a clone without tags
    (`make tags` recreates them) must not release a version again.
    """
    tag = f"{tags.TAG_PREFIX}{version}"
    released: list[tuple[Version, str]] = [
        (section.version, section.heading) for section in sections if section.version is not None
    ]
    for existing in _git(repo, "tag", "--list", f"{tags.TAG_PREFIX}*").split():
        try:
            released.append((Version(existing[len(tags.TAG_PREFIX) :]), f"tag {existing}"))
        except InvalidVersion:
            continue  # Copier ignores tags that are not PEP 440 versions, so does the order here.
    for existing_version, where in released:
        if existing_version == version:
            raise ReleaseError(
                f"version {version} is released already ({where}): raise [project] version in "
                "pyproject.toml (docs/releasing.md says which part); `make tags` recreates a "
                "missing tag"
            )
    if released:
        latest, latest_where = max(released)
        if version <= latest:
            raise ReleaseError(
                f"version {version} is not above the latest release ({latest_where}): "
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
    """Check, date the changelog, tag; returns the tag (to be) created."""
    repo = options.repo
    check_clean_main(repo)
    try:
        version = read_version(repo)
    except VersionError as error:
        raise ReleaseError(str(error)) from None
    section = check_changelog(repo, version)
    tag = check_version_is_new(repo, version, changelog.read(repo))
    run_tests(repo, options.test_command)
    # Tests that write outside the ignored folders would otherwise slip into the release commit.
    check_clean_main(repo)

    if options.dry_run:
        print(
            f"release: dry run, every check passed: would date `{section.heading}` as "
            f"{version} - {options.today}, commit it, tag {tag} (nothing changed)"
        )
        return tag
    section = commit_dated_changelog(repo, version, options.today)
    # The tag `make tags` would make of this commit in any clone, so that both agree.
    tags.create(repo, tags.Release(str(version), _git(repo, "rev-parse", "HEAD").strip(), section.text))
    print(f"release: tagged {tag} with its changelog section. Publish the release commit:\n")
    print(f"    git push origin {RELEASE_BRANCH}\n")
    print(
        "The template's CI pushes the tag once the gate passes on main "
        f"(.github/workflows/ci.yml); `git push origin {tag}` pushes it at once."
    )
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

"""Bring the newest release of the project template in on a branch, for a pull request.

The scheduled template-update job runs this; so can a person, in a clean clone. Branch rules:

- while every commit on the update branch beyond the default branch was made by this job, each
  run rebuilds the branch from the default branch and pushes it with a lease on the tip it saw;
- once a person has pushed a commit to it, the branch is never rewritten: the update goes on
  top and is pushed fast-forward only.

Conflicts are committed as inline markers, on purpose: CI stays red until a person resolves
them. Outputs for CI are printed as `name=value` lines (and appended to `$GITHUB_OUTPUT`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

DEFAULT_BRANCH_NAME = "template-update"
BOT_NAME = "template-update-bot"
# `.invalid` is a reserved domain: no person commits with this address, so it marks the job's
# own commits (the committer e-mail decides whether the branch may be rebuilt).
BOT_EMAIL = "template-update-bot@noreply.invalid"
ANSWERS_FILE = ".copier-answers.yml"
# Written by the template's update report (a migration that runs after every `copier update`).
REPORT_NAME = "template-update-report"
# Fetched tips live here, apart from the clone's own branches and remote-tracking refs.
FETCHED = "refs/template-update"
# Built, not written out: a literal marker would make this file itself look conflicted.
BEFORE_MARKER, AFTER_MARKER = "<" * 7 + " before updating", ">" * 7 + " after updating"
CONFLICT_HELP = (
    f"A conflicted file holds both versions between `{BEFORE_MARKER}` and `{AFTER_MARKER}` "
    "markers; `make conflicts` lists what is left."
)

Mode = Literal["new", "restart", "append"]


class UpdateError(Exception):
    """A step failed; the message says which and what to do."""


@dataclass(frozen=True)
class Options:
    remote: str
    base: str
    branch: str
    body_file: str
    output_file: str
    bot_name: str
    bot_email: str
    copier: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """Where the update starts and how it may be pushed."""

    mode: Mode
    start: str
    # The remote tip this run replaces or extends; empty when the branch does not exist yet.
    seen: str


@dataclass(frozen=True)
class Report:
    markdown: str | None
    data: Mapping[str, object] | None


def parse_options(argv: Sequence[str]) -> Options:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--remote",
        default=env("TEMPLATE_UPDATE_REMOTE", "origin"),
        help="remote name or URL to fetch from and push to (env TEMPLATE_UPDATE_REMOTE; origin)",
    )
    parser.add_argument(
        "--base",
        default=env("TEMPLATE_UPDATE_BASE", ""),
        help="default branch (env TEMPLATE_UPDATE_BASE; the remote's HEAD)",
    )
    parser.add_argument(
        "--branch",
        default=env("TEMPLATE_UPDATE_BRANCH", DEFAULT_BRANCH_NAME),
        help=f"update branch (env TEMPLATE_UPDATE_BRANCH; {DEFAULT_BRANCH_NAME})",
    )
    parser.add_argument(
        "--body-file",
        default="",
        help="where to write the pull request body (default: template-update-body.md in .git)",
    )
    parser.add_argument(
        "--output-file",
        default=env("GITHUB_OUTPUT", ""),
        help="file the name=value outputs are appended to (default: $GITHUB_OUTPUT, if set)",
    )
    parser.add_argument("--bot-name", default=env("TEMPLATE_UPDATE_BOT_NAME", BOT_NAME))
    parser.add_argument("--bot-email", default=env("TEMPLATE_UPDATE_BOT_EMAIL", BOT_EMAIL))
    parser.add_argument("--copier", default="copier", help="command that runs Copier (default: copier)")
    args = parser.parse_args(argv)
    return Options(
        remote=str(args.remote),
        base=str(args.base),
        branch=str(args.branch),
        body_file=str(args.body_file),
        output_file=str(args.output_file),
        bot_name=str(args.bot_name),
        bot_email=str(args.bot_email),
        copier=tuple(shlex.split(str(args.copier))),
    )


class Runner:
    """Runs commands; a remote URL (which may hold a token) never appears in what it prints."""

    def __init__(self, remote: str) -> None:
        self.secret = remote if "://" in remote else ""

    def _hide(self, text: str) -> str:
        return text.replace(self.secret, "<remote>") if self.secret else text

    def run(self, args: Sequence[str], env: Mapping[str, str] | None = None, stream: bool = False) -> str:
        """The command's standard output; `stream` shows its output live instead (long steps)."""
        completed = subprocess.run(
            list(args),
            capture_output=not stream,
            text=True,
            env={**os.environ, **(env or {})},
            check=False,
        )
        if completed.returncode != 0:
            output = "" if stream else completed.stdout + completed.stderr
            raise UpdateError(self._hide(f"`{shlex.join(args)}` failed:\n{output}".rstrip()))
        return completed.stdout or ""

    def git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        return self.run(["git", *args], env=env)

    def succeeds(self, *args: str) -> bool:
        return subprocess.run(["git", *args], capture_output=True, check=False).returncode == 0


def default_branch(runner: Runner, remote: str) -> str:
    for line in runner.git("ls-remote", "--symref", remote, "HEAD").splitlines():
        if line.startswith("ref: refs/heads/"):
            return line.split()[1].removeprefix("refs/heads/")
    raise UpdateError("The remote names no default branch: pass --base.")


def fetch_tips(runner: Runner, remote: str, base: str, branch: str) -> tuple[str, str | None]:
    """The remote's base and update-branch tips (None when the branch does not exist)."""
    wanted = {f"refs/heads/{base}", f"refs/heads/{branch}"}
    listed = runner.git("ls-remote", "--heads", remote, *sorted(wanted))
    present = {line.split("\t")[1] for line in listed.splitlines()} & wanted
    if f"refs/heads/{base}" not in present:
        raise UpdateError(f"The remote has no branch {base!r}.")
    names = {base: "base", branch: "branch"}
    refspecs = [f"+{ref}:{FETCHED}/{names[ref.removeprefix('refs/heads/')]}" for ref in sorted(present)]
    runner.git("fetch", "--quiet", "--no-tags", remote, *refspecs)
    base_sha = runner.git("rev-parse", f"{FETCHED}/base").strip()
    has_branch = f"refs/heads/{branch}" in present
    return base_sha, runner.git("rev-parse", f"{FETCHED}/branch").strip() if has_branch else None


def plan_branch(runner: Runner, base_sha: str, branch_sha: str | None, bot_email: str) -> Plan:
    if branch_sha is None:
        return Plan("new", base_sha, "")
    committers = runner.git("log", "--format=%ce", f"{base_sha}..{branch_sha}").split()
    if all(email.lower() == bot_email.lower() for email in committers):
        return Plan("restart", base_sha, branch_sha)
    return Plan("append", branch_sha, branch_sha)


def template_version(runner: Runner, revision: str) -> str:
    """The template release recorded in the answers file at a revision (`_commit`)."""
    answers = runner.git("show", f"{revision}:{ANSWERS_FILE}")
    found = re.search(r"^_commit: *['\"]?([^'\"\s]+)", answers, flags=re.MULTILINE)
    return found.group(1) if found else "an unknown version"


def check_update(runner: Runner, copier: Sequence[str]) -> tuple[bool, str]:
    """Whether a newer template release exists, and the newest release (PEP 440)."""
    output = runner.run([*copier, "check-update", "--output-format", "json"])
    data = json.loads(next(line for line in reversed(output.splitlines()) if line.startswith("{")))
    return bool(data["update_available"]), str(data["latest_version"])


def git_path(runner: Runner, name: str) -> Path:
    """A file in the git directory: never committed, even by `git add --all`."""
    return Path(runner.git("rev-parse", "--git-path", name).strip())


def read_report(runner: Runner) -> Report:
    markdown = git_path(runner, f"{REPORT_NAME}.md")
    data = git_path(runner, f"{REPORT_NAME}.json")
    loaded = json.loads(data.read_text(encoding="utf-8")) if data.is_file() else None
    return Report(
        markdown.read_text(encoding="utf-8").strip() if markdown.is_file() else None,
        loaded if isinstance(loaded, dict) else None,
    )


def reported_paths(report: Report, key: str) -> list[str]:
    value = (report.data or {}).get(key, [])
    return [str(path) for path in value] if isinstance(value, list) else []


def body(options: Options, plan: Plan, versions: tuple[str, str], report: Report) -> str:
    before, after = versions
    report_text = report.markdown or (
        "No update report was produced (this template release writes none): look for conflict "
        f"markers and `.rej` files yourself. {CONFLICT_HELP}"
    )
    appended = (
        "\n\nThis run added the update on top of the commits a person pushed to this branch."
        if plan.mode == "append"
        else ""
    )
    return f"""\
This update brings the project template from `{before}` (on `{options.base}`) to `{after}`,
made by `copier update --defaults --skip-answered --conflict inline` (new questions take their
defaults; every earlier answer is kept).

## Update report

{report_text}

## What to do

1. Check out this branch: `git fetch origin && git switch {options.branch}`.
2. Run `make install` (the environment, and the lock file when the dependencies changed), then
   `make check`.
3. Resolve what the report lists. {CONFLICT_HELP}
   Keep what the project needs and remove the markers; apply each `.rej` file's change by hand,
   then delete it. `make check` fails while a marker is left, so CI stays red until then.
4. Commit with your own identity and push to this branch; merge once CI is green.

## This branch

While it holds only the template-update job's commits, every run rebuilds it from
`{options.base}`. Once a person pushes a commit to it, the job never rewrites it: later updates
are added on top and pushed fast-forward only.{appended}
"""


def write_outputs(outputs: Mapping[str, str], output_file: str) -> None:
    lines = "".join(f"{name}={value}\n" for name, value in outputs.items())
    print(lines, end="")
    if output_file:
        with Path(output_file).open("a", encoding="utf-8") as handle:
            handle.write(lines)


def update(options: Options, runner: Runner) -> dict[str, str]:
    """Everything after the options: the outputs for CI."""
    outputs = {"changed": "false", "branch": options.branch, "base": options.base}
    if runner.git("status", "--porcelain"):
        raise UpdateError("The work tree has changes: run this in a clean clone.")
    base_sha, branch_sha = fetch_tips(runner, options.remote, options.base, options.branch)
    runner.git("checkout", "--quiet", "--detach", base_sha)
    before = template_version(runner, base_sha)
    available, latest = check_update(runner, options.copier)
    if not available:
        print(f"The project is current with the template ({before}): nothing to update.")
        return outputs

    plan = plan_branch(runner, base_sha, branch_sha, options.bot_email)
    print(f"Template {before} -> {latest}: {plan.mode} branch {options.branch!r}.")
    runner.git("checkout", "--quiet", "--detach", plan.start)
    # A report left in .git by an earlier run in this clone must not pass for this one's.
    for suffix in ("md", "json"):
        git_path(runner, f"{REPORT_NAME}.{suffix}").unlink(missing_ok=True)
    runner.run(
        [*options.copier, "update", "--trust", "--defaults", "--skip-answered", "--conflict", "inline"],
        stream=True,
    )
    runner.git("add", "--all")
    if runner.succeeds("diff", "--cached", "--quiet"):
        print(f"Branch {options.branch!r} already holds this update: nothing to push.")
        return outputs
    after = template_version(runner, ":0")
    title = f"chore: update from the project template to {after}"
    identity = {"GIT_AUTHOR_NAME": options.bot_name, "GIT_AUTHOR_EMAIL": options.bot_email}
    identity |= {"GIT_COMMITTER_NAME": options.bot_name, "GIT_COMMITTER_EMAIL": options.bot_email}
    # No hooks: the conflict markers are committed on purpose.
    runner.git("commit", "--quiet", "--no-verify", "--message", title, env=identity)
    if plan.mode == "restart" and not runner.git("diff", "--name-only", plan.seen, "HEAD"):
        print(f"Branch {options.branch!r} already holds this update: nothing to push.")
        return outputs

    report = read_report(runner)
    body_file = Path(options.body_file) if options.body_file else git_path(runner, "template-update-body.md")
    body_file.write_text(body(options, plan, (before, after), report), encoding="utf-8")
    push = ["push", "--quiet"]
    if plan.mode == "restart":
        push.append(f"--force-with-lease=refs/heads/{options.branch}:{plan.seen}")
    # Without a lease the push is fast-forward only: a person's commits are never replaced.
    runner.git(*push, options.remote, f"HEAD:refs/heads/{options.branch}")
    conflicts = reported_paths(report, "conflicts")
    return outputs | {
        "changed": "true",
        "mode": plan.mode,
        "version": after,
        "title": title,
        "body_file": str(body_file.resolve()),
        "report": "true" if report.data is not None else "false",
        "clean": str(bool(report.data and report.data.get("clean"))).lower(),
        "conflicts": str(len(conflicts)),
    }


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(sys.argv[1:] if argv is None else argv)
    runner = Runner(options.remote)
    try:
        if not options.base:
            options = replace(options, base=default_branch(runner, options.remote))
        outputs = update(options, runner)
    except UpdateError as error:
        prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
        # GitHub shows the first line of an annotation; the rest follows in the log.
        print(f"{prefix}{error}", file=sys.stderr)
        return 1
    write_outputs(outputs, options.output_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())

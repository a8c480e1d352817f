"""The first commit of a new project, and the integration branch at it (copier.yml's last task).

Copier prints every task's command line as it runs it, into terminals, CI logs and the bug
reports they end up in: so the author's name and e-mail are read here, from the answers file,
and reach git through its environment, never through a command line. The integration branch
(`develop` under GitFlow) starts at the first commit, so that the branch CI, the dependency bot
and the template updates target exists from the first push.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import yaml


class GitError(Exception):
    """A git command failed; the message is git's own, without the command's environment."""


def git(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False, env=env)


def checked_git(*args: str, env: dict[str, str] | None = None) -> None:
    completed = git(*args, env=env)
    if completed.returncode != 0:
        raise GitError(f"git {args[0]} failed: {completed.stderr.strip()}")


def author_environment(answers_file: Path) -> dict[str, str]:
    """This process's environment with the answers' author as git's author and committer."""
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8"))
    name, email = str(answers["author_name"]), str(answers["author_email"])
    identity = {"GIT_AUTHOR_NAME": name, "GIT_COMMITTER_NAME": name}
    return {**os.environ, **identity, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_EMAIL": email}


def commit_everything(answers_file: Path, message: str) -> bool:
    """Commit every file as the answers' author; whether it did. Only in a repository with no
    commit yet: `copier recopy` runs the copy tasks too, over the team's history and work."""
    if git("rev-parse", "--verify", "--quiet", "HEAD").returncode == 0:
        return False
    checked_git("add", "--all")
    if git("diff", "--cached", "--quiet").returncode == 0:
        return False
    checked_git("commit", "--quiet", "--no-verify", "-m", message, env=author_environment(answers_file))
    return True


def start_branch(branch: str) -> None:
    """Make `branch` at the current commit, unless it is the current branch or exists already."""
    current = git("branch", "--show-current").stdout.strip()
    if branch == current or git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").returncode == 0:
        return
    checked_git("branch", branch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers-file", type=Path, required=True, help="Copier's answers file")
    parser.add_argument("--message", required=True, help="the first commit's message")
    parser.add_argument("--integration-branch", required=True, help="where work lands (main, develop)")
    args = parser.parse_args(argv)
    try:
        if commit_everything(args.answers_file, args.message):
            start_branch(args.integration_branch)
    except GitError as error:
        print(f"first commit: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

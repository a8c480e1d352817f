"""The project an update runs in, as git and the answers file record it, and its own scripts."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ANSWERS_FILE = ".copier-answers.yml"


def git(project: Path, *args: str, check: bool = True) -> str:
    completed = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)
    if check and completed.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed: {completed.stderr.strip()}")
    return completed.stdout


def git_path(project: Path, name: str) -> Path:
    """A file in the git directory (beside MERGE_MSG): never part of the work tree."""
    return project / git(project, "rev-parse", "--git-path", name).strip()


def head_text(project: Path, path: str) -> str | None:
    """The file as the team last committed it, or None where HEAD has no such file."""
    completed = subprocess.run(["git", "show", f"HEAD:{path}"], cwd=project, capture_output=True, check=False)
    return completed.stdout.decode("utf-8", "surrogateescape") if completed.returncode == 0 else None


def _lines(output: str) -> list[str]:
    return [line for line in output.split("\0") if line]


def work_tree_files(project: Path) -> list[str]:
    """Tracked and new files of the work tree, without what .gitignore excludes."""
    return _lines(git(project, "ls-files", "-z", "--cached", "--others", "--exclude-standard"))


def deleted_by_update(project: Path) -> list[str]:
    """Files HEAD has that the work tree lost: the team's tree was clean before the update."""
    return sorted(set(_lines(git(project, "ls-files", "-z", "--deleted"))))


def added_by_update(project: Path) -> set[str]:
    return set(_lines(git(project, "ls-files", "-z", "--others", "--exclude-standard")))


def changed_since_head(project: Path) -> list[str]:
    """Tracked files of the project folder whose content differs from HEAD's."""
    return _lines(git(project, "diff", "-z", "--name-only", "--relative", "HEAD", "--", "."))


def recorded_answers(source: str | None) -> Mapping[str, Any]:
    loaded: Mapping[str, Any] = yaml.safe_load(source or "{}") or {}
    return loaded


def recorded_versions(project: Path) -> tuple[str, str]:
    """The template versions the answers file records at HEAD and in the work tree (`_commit`,
    the tag). Copier's environment names them too (VERSION_FROM and VERSION_TO, `git describe`;
    VERSION_PEP440_*), but the forms have differed between the two sides, and the after-update
    message finds the report by `_copier_answers._commit`, which is the work tree's `_commit`."""
    work_tree = project / ANSWERS_FILE
    versions = []
    for source in (
        head_text(project, ANSWERS_FILE),
        work_tree.read_text(encoding="utf-8") if work_tree.is_file() else None,
    ):
        try:
            versions.append(str(recorded_answers(source).get("_commit", "")))
        except yaml.YAMLError:
            versions.append("")
    return versions[0], versions[1]


def load_script(path: Path, name: str) -> ModuleType:
    """A project script (standard library only) as a module: the report asks exactly what the
    project's own guards ask."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while they are made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module

"""Files the project owns once adopted: their `_exclude` patterns and the list's validator.

Files the project owns once adopted: Copier's `_exclude` patterns for them, and the validator
of the list scripts/adopt.py records in the answers."""

from __future__ import annotations

import re
from typing import Any

# Characters that mean something in a gitignore-style pattern (Copier's `_exclude`).
PATTERN_SPECIALS = re.compile(r"([\\*?\[\]])")


def owned_file_pattern(path: str) -> str:
    """An `_exclude` pattern that matches exactly this project-relative file and nothing else:
    anchored at the project root, with wildcard characters escaped."""
    return "/" + PATTERN_SPECIALS.sub(r"\\\1", path)


def owned_files_problem(value: Any) -> str:
    r"""Why a list of project-owned files cannot be recorded, or "".

    Refuses anything but a list of relative paths inside the project: absolute paths, paths with
    `..` or backslashes, padded or multi-line paths, and `.copier-answers.yml`, which is Copier's.

    >>> owned_files_problem(["README.md", "src/app.py"])
    ''
    >>> print(owned_files_problem("README.md"))
    project_owned_files must be a list of file paths.
    >>> print(owned_files_problem(["docs\\index.md"]))
    'docs\\index.md' is not a file path: use one relative path with forward slashes.
    >>> print(owned_files_problem(["../shared.yml"]))
    '../shared.yml' must be a path inside the project, relative to its root.
    >>> print(owned_files_problem([".copier-answers.yml"]))
    The answers file belongs to Copier and cannot be owned by the project.
    """
    if not isinstance(value, list):
        return "project_owned_files must be a list of file paths."
    return next((problem for path in value if (problem := _owned_path_problem(path))), "")


def _owned_path_problem(path: Any) -> str:
    """Why one entry of the list is not a project file, or "": the first failing rule."""
    if not isinstance(path, str) or not path.strip() or "\n" in path or "\\" in path:
        return f"{path!r} is not a file path: use one relative path with forward slashes."
    if path.startswith("/") or ".." in path.split("/") or path != path.strip():
        return f"{path!r} must be a path inside the project, relative to its root."
    if path == ".copier-answers.yml":
        return "The answers file belongs to Copier and cannot be owned by the project."
    return ""

"""The template's version: `[project] version` of the repository's `pyproject.toml`.

That field is the only place the number is written by hand; the release procedure, its tests
and anything else that needs the number read it through `read_version`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.version import InvalidVersion, Version


class VersionError(ValueError):
    """The version field is missing or not a PEP 440 version in its normal form."""


def read_version(root: Path) -> Version:
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file():
        raise VersionError(f"{pyproject} not found: run from the template repository's root")
    written = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("version")
    if not isinstance(written, str):
        raise VersionError(f"{pyproject} has no [project] version string")
    try:
        version = Version(written)
    except InvalidVersion:
        raise VersionError(
            f"{pyproject}: [project] version {written!r} is not a PEP 440 version (e.g. 1.2.0)"
        ) from None
    # The tag, the changelog heading and Copier's `_commit` all repeat the text: one spelling only.
    if str(version) != written:
        raise VersionError(f"{pyproject}: write [project] version as {str(version)!r}, not {written!r}")
    if version.local is not None:
        raise VersionError(f"{pyproject}: a release version has no local label (+...), got {written!r}")
    return version

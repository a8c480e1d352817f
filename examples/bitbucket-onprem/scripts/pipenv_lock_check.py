"""Exit 1 unless Pipfile.lock satisfies every runtime dependency in pyproject.toml.

Pipenv's own check (`pipenv verify`) compares the lock with the Pipfile only, and this project's
runtime dependencies live in pyproject.toml: after a change there, `make install` relocks when
this check fails, and CI refuses the stale lock.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

try:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
except ImportError:
    # The project's environment has packaging (pytest needs it), and so has the Python Pipenv
    # was installed into (CI's lock-check runs there).
    sys.exit("pipenv_lock_check.py needs `packaging`: run it with `pipenv run python`.")


def unsatisfied(pyproject: Path, lock: Path) -> list[str]:
    """The requirements of pyproject.toml the lock does not meet, as the lines to print."""
    requirements = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    locked = {
        canonicalize_name(name): str(entry.get("version", "")).removeprefix("==")
        for name, entry in json.loads(lock.read_text(encoding="utf-8"))["default"].items()
    }
    problems = []
    for line in requirements:
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = locked.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name}: not in the lock")
        elif version and not requirement.specifier.contains(version, prereleases=True):
            wanted = requirement.specifier
            problems.append(f"{requirement.name}: locked {version}, pyproject.toml wants {wanted}")
    return problems


def main() -> int:
    lock = Path("Pipfile.lock")
    if not lock.is_file():
        print("Pipfile.lock is missing.", file=sys.stderr)
        return 1
    problems = unsatisfied(Path("pyproject.toml"), lock)
    for problem in problems:
        print(f"Pipfile.lock is stale: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

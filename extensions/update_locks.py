"""Whether the update leaves the committed lock file stale: what `make lock-check` would say."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .update_project import head_text, load_script

# What a lock file is made from: a change here makes the committed lock stale. These tables every
# package manager reads; each one's own are `manifest_tables` in its record, read here with YAML
# alone because this module also runs as a script, away from the other extensions.
SHARED_DEPENDENCY_TABLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "pyproject.toml": (
        ("build-system",),
        ("project", "dependencies"),
        ("project", "optional-dependencies"),
        ("project", "requires-python"),
        ("dependency-groups",),
    ),
}

PACKAGE_MANAGER_RECORDS = Path(__file__).with_name("choices") / "package_manager"

# Pipenv makes its lock from the Pipfile alone, whose one package is the project: pyproject.toml's
# runtime dependencies reach the lock through it, and `make lock-check` checks them against the
# lock with the project's own script (see Pipenv's record). The report runs that script too, and
# not the shared tables, so that it asks for a refresh exactly when `make lock-check` fails.
LOCK_SCRIPTS = {"Pipfile.lock": "scripts/pipenv_lock_check.py"}

Tables = dict[str, tuple[tuple[str, ...], ...]]


def dependency_tables(records: Path = PACKAGE_MANAGER_RECORDS) -> dict[str, Tables]:
    """The tables of each manifest each package manager makes its lock file from, by lock file."""
    found: dict[str, Tables] = {}
    for record in sorted(records.glob("*.yml")):
        loaded = yaml.safe_load(record.read_text(encoding="utf-8"))
        shared = {} if loaded["lock_file"] in LOCK_SCRIPTS else SHARED_DEPENDENCY_TABLES
        tables = {manifest: list(keys) for manifest, keys in shared.items()}
        for manifest, keys in loaded["manifest_tables"].items():
            tables.setdefault(manifest, []).extend(tuple(key) for key in keys)
        found[loaded["lock_file"]] = {
            manifest: tuple(dict.fromkeys(keys)) for manifest, keys in tables.items()
        }
    return found


DEPENDENCY_TABLES = dependency_tables()


def dependency_view(text: str, tables: tuple[tuple[str, ...], ...]) -> list[Any]:
    """The parts of a manifest its lock file is made from."""
    data = tomllib.loads(text)
    view = []
    for keys in tables:
        value: Any = data
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        view.append(value)
    return view


def lock_script_verdict(project: Path, lock_file: str) -> str:
    """Why the project's own lock check (LOCK_SCRIPTS), run as `make lock-check` runs it, refuses
    the lock; empty where it accepts it or the manager has none."""
    script = project / LOCK_SCRIPTS[lock_file] if lock_file in LOCK_SCRIPTS else None
    if script is None or not script.is_file() or not (project / lock_file).is_file():
        return ""
    module = load_script(script, "project_lock_check")
    try:
        problems: list[str] = module.unsatisfied(project / "pyproject.toml", project / lock_file)
    except tomllib.TOMLDecodeError:
        return "pyproject.toml does not parse (resolve its conflicts first)"
    except json.JSONDecodeError:
        return f"{lock_file} does not parse"
    return f"{lock_file} does not meet pyproject.toml ({'; '.join(problems)})" if problems else ""


def lock_status(project: Path, lock_file: str) -> tuple[bool, str]:
    """Whether the committed lock must be refreshed, and why: when `make lock-check` would fail."""
    for manifest, tables in DEPENDENCY_TABLES.get(lock_file, SHARED_DEPENDENCY_TABLES).items():
        before, path = head_text(project, manifest), project / manifest
        after = path.read_text(encoding="utf-8") if path.is_file() else None
        if before == after or after is None:
            continue
        try:
            changed = before is None or dependency_view(before, tables) != dependency_view(after, tables)
        except tomllib.TOMLDecodeError:
            return True, f"{manifest} does not parse (resolve its conflicts first)"
        if changed:
            return True, f"the update changed the dependencies in {manifest}"
    if lock_file and not (project / lock_file).is_file():
        return True, f"there is no {lock_file}"
    reason = lock_script_verdict(project, lock_file)
    return bool(reason), reason

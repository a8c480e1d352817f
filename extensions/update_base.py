"""The template version the project came from, rendered again: the base of the team's edits.

The template version the project came from, rendered again: the base the team's edits are
measured against (Copier's own copy of it is gone by the time the migrations run)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from .update_project import ANSWERS_FILE, head_text


def template_source(recorded_source: str, commit: str) -> str:
    """Where to render the recorded version from: the clone of the template Copier made for this
    update (this file's repository, which holds every release) when it has that commit, else the
    recorded source, which for most teams means cloning it again over the network."""
    here = Path(__file__).resolve().parents[1]
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"],
        cwd=here,
        capture_output=True,
        check=False,
    )
    return str(here) if found.returncode == 0 else recorded_source


@contextmanager
def previous_render(project: Path) -> Iterator[Path]:
    """The template version recorded at HEAD, rendered with the answers recorded at HEAD: the
    base the team's edits are measured against (Copier's own copy of it is gone by now)."""
    from copier import run_copy  # noqa: PLC0415 - Copier is there only when Copier runs this

    recorded = yaml.safe_load(head_text(project, ANSWERS_FILE) or "{}") or {}
    answers = {key: value for key, value in recorded.items() if not key.startswith("_")}
    with tempfile.TemporaryDirectory(prefix="template-update-base.") as folder:
        run_copy(
            template_source(str(recorded["_src_path"]), str(recorded["_commit"])),
            folder,
            data=answers,
            vcs_ref=str(recorded["_commit"]),
            defaults=True,
            overwrite=True,
            quiet=True,
            unsafe=True,
            skip_tasks=True,
        )
        yield Path(folder)


def edited_by_team(project: Path, base: Path, name: str) -> bool:
    """Whether the team's committed file differs from what the template rendered for it."""
    committed = (head_text(project, name) or "").encode("utf-8", "surrogateescape")
    return not (base / name).is_file() or (base / name).read_bytes() != committed

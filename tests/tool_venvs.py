"""The Makefile's venvs of tools that clash with .venv's pins, made when a test first needs one."""

from __future__ import annotations

import fcntl
import os
import subprocess
from functools import cache
from pathlib import Path

from scripts.make_targets_reference import MAKE_ENVIRONMENT

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent


@cache
def tool_venv(group: str) -> Path:
    """The bin folder of the Makefile's .venv-<group> (checkov's, Ansible's: tools whose pins
    clash with .venv's), made on first use by the Makefile's own rule: only the tests that run
    them pay for them. One process at a time makes it (pytest-xdist's workers wait on the lock)."""
    venv = TEMPLATE_ROOT / f".venv-{group}"
    with (TEMPLATE_ROOT / "Makefile").open(encoding="utf-8") as makefile:
        fcntl.flock(makefile, fcntl.LOCK_EX)
        if not (venv / ".installed").is_file():
            # Under `make test`, a child make would read the parent's flags and jobserver.
            env = {name: value for name, value in os.environ.items() if name not in MAKE_ENVIRONMENT}
            make = ["make", "--no-print-directory", f"{venv.name}/.installed"]
            subprocess.run(make, cwd=TEMPLATE_ROOT, env=env, check=True)
    return venv / "bin"

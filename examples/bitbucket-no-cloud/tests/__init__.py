"""The project's tests.

pytest imports this package before `conftest.py` and the test modules, and after coverage has
started: the libraries the project imports load here, with coverage paused, so that their
start-up runs at full speed (traced, it takes seconds longer). The project's own modules still
load traced, later, when the tests import them: their module-level lines are measured.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from coverage import Coverage

# The libraries whose import dominates the start-up of the project's own modules.
PACKAGE_LIBRARIES = (
    "pandas",
    "scipy.stats",
    "sklearn.compose",
)


def imported_by_tests(folder: Path = Path(__file__).parent) -> list[str]:
    """The modules that the tests' own modules import by absolute name, the project's aside."""
    names: set[str] = set()
    for path in sorted(folder.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    own = {"my_ml_project", "__future__"}
    return sorted(name for name in names if name.partition(".")[0] not in own)


@contextmanager
def untraced() -> Iterator[None]:
    """Coverage paused, for work whose lines are not this project's or are measured by other
    tests: traced, the libraries it calls run several times slower."""
    coverage = Coverage.current()
    if coverage is None:
        yield
        return
    coverage.stop()
    try:
        yield
    finally:
        coverage.start()


with untraced():
    for library in (*PACKAGE_LIBRARIES, *imported_by_tests()):
        importlib.import_module(library)

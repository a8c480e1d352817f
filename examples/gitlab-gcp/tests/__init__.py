"""The project's tests.

pytest imports this package before `conftest.py` and the test modules, and after coverage has
started: the libraries the project imports load here, with coverage paused, so that their
start-up runs at full speed (traced, it takes seconds longer). The project's own modules still
load traced, later, when the tests import them: their module-level lines are measured.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from coverage import Coverage

# The libraries whose import dominates the tests' start-up.
LIBRARIES = (
    "pandas",
    "scipy.stats",
    "sklearn.compose",
    "torch",
    "mlflow",
    "fastapi.testclient",
)


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
    for library in LIBRARIES:
        importlib.import_module(library)

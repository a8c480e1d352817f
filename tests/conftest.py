"""Fixtures shared by the tiers. The default render is made once per session."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from pytest_copie.plugin import Copie

from tests.helpers import render

RenderRow = Callable[[Mapping[str, Any]], Path]


@pytest.fixture(scope="session")
def default_project(copie_session: Copie) -> Path:
    """The project as `copier copy --defaults` renders it. Tests must not modify it."""
    return render(copie_session)


@pytest.fixture(scope="session")
def render_row(copie_session: Copie) -> RenderRow:
    """The render of a row of tests/combinations.py, made once per session (per worker) and shared
    by every module that tests it: the tests only read it or run tools on it."""
    made: dict[tuple[tuple[str, str], ...], Path] = {}

    def rendered(row: Mapping[str, Any]) -> Path:
        key = tuple(sorted((name, str(value)) for name, value in row.items()))
        if key not in made:
            made[key] = render(copie_session, init_git=False, **row)
        return made[key]

    return rendered

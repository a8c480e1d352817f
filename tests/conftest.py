"""Fixtures shared by the tiers. The default render is made once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from tests.helpers import render


@pytest.fixture(scope="session")
def default_project(copie_session: Copie) -> Path:
    """The project as `copier copy --defaults` renders it. Tests must not modify it."""
    return render(copie_session)

"""Shared fixtures: a small synthetic data set and settings whose paths live in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.config import ENVIRONMENT_VARIABLES, Settings, load_settings
from my_ml_project.data import prepare
from my_ml_project.evaluate import evaluate
from my_ml_project.train import train

from . import session, untraced
from .session import SessionTraining, train_for_session
from .workspace import fill_workspace, make_customers

# pytest takes hooks from the conftest: these skip a test that fails as the session's training did.
pytest_runtest_setup = session.pytest_runtest_setup
pytest_runtest_call = session.pytest_runtest_call


@pytest.fixture(autouse=True)
def default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the default model source, whatever the caller's environment says."""
    for name in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def customers() -> pd.DataFrame:
    return make_customers(240)


@pytest.fixture
def workspace(tmp_path: Path, customers: pd.DataFrame) -> Path:
    """A copy of the project's params.yaml with synthetic raw data beside it."""
    fill_workspace(tmp_path, customers)
    return tmp_path


@pytest.fixture
def settings(workspace: Path) -> Settings:
    return load_settings(workspace / "params.yaml")


# Autouse: the first training loads hundreds of modules the libraries import lazily, which
# traced take seconds longer; this one, untraced, loads them before the first test.
@pytest.fixture(scope="session", autouse=True)
def session_training(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SessionTraining:
    """A workspace trained and evaluated once for the session, or why that failed (see
    session.py). Built untraced: the tests of the stages measure the stages' lines."""
    folder = tmp_path_factory.mktemp("trained")
    settings = fill_workspace(folder, make_customers(240))

    def stages() -> None:
        with untraced():
            prepare(settings)
            train(settings)
            # Evaluation is what makes a trained model the served one.
            evaluate(settings)

    return train_for_session(request.session, folder, stages)


@pytest.fixture(scope="session")
def trained_workspace(session_training: SessionTraining) -> Path:
    """The session's trained workspace: the tests that use it only read it."""
    return session_training.folder_or_skip()


@pytest.fixture(scope="session")
def trained(trained_workspace: Path) -> Settings:
    """The settings of the session's trained workspace: read its model and metrics, never write."""
    return load_settings(trained_workspace / "params.yaml")

"""Shared fixtures: a small synthetic data set and settings whose paths live in a temporary folder,
each with an MLflow store of its own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.store.db import utils as mlflow_database

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
    """Tests see the default model source and never reach a team's tracking server: runs stay in
    each test's workspace. Per test, because MLflow's `set_tracking_uri` exports the URI it is
    given to the environment."""
    for name in ENVIRONMENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def customers() -> pd.DataFrame:
    return make_customers(240)


@pytest.fixture(scope="session")
def schema_head_read_once() -> Iterator[None]:
    """MLflow checks each store it opens against the newest of its migration scripts, which it
    parses anew (some seventy files) every time: once a session is enough, and most tests open a
    store of their own. Where an MLflow release renames the function, stores open as they did."""
    with pytest.MonkeyPatch.context() as patch:
        newest = getattr(mlflow_database, "_get_latest_schema_revision", None)
        if newest is not None:
            patch.setattr(mlflow_database, "_get_latest_schema_revision", cache(newest))
        yield


@pytest.fixture(scope="session")
def empty_tracking_store(tmp_path_factory: pytest.TempPathFactory, schema_head_read_once: None) -> Path:
    """An MLflow database with its schema and nothing else: creating one takes seconds, a copy does not."""
    database = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    with untraced():
        MlflowClient(tracking_uri=f"sqlite:///{database}").search_experiments()
    return database


def fill_tracked_workspace(folder: Path, customers: pd.DataFrame, tracking_store: Path) -> Settings:
    """A copy of the project's params.yaml in `folder`, with the customers as raw data and a copy
    of the MLflow store beside it: its settings."""
    settings = fill_workspace(folder, customers)
    settings.registry.local_store.mkdir()
    shutil.copy(tracking_store, settings.registry.local_store / "mlflow.db")
    return settings


@pytest.fixture
def workspace(tmp_path: Path, customers: pd.DataFrame, empty_tracking_store: Path) -> Path:
    """A copy of the project's params.yaml with synthetic raw data and an empty MLflow store beside it."""
    fill_tracked_workspace(tmp_path, customers, empty_tracking_store)
    return tmp_path


@pytest.fixture
def settings(workspace: Path) -> Settings:
    return load_settings(workspace / "params.yaml")


# Autouse: the first training loads hundreds of modules the libraries import lazily, which
# traced take seconds longer; this one, untraced, loads them before the first test.
@pytest.fixture(scope="session", autouse=True)
def session_training(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, empty_tracking_store: Path
) -> SessionTraining:
    """A workspace trained and evaluated once for the session, or why that failed (see
    session.py). Built untraced: the tests of the stages measure the stages' lines."""
    folder = tmp_path_factory.mktemp("trained")
    settings = fill_tracked_workspace(folder, make_customers(240), empty_tracking_store)

    def stages() -> None:
        # What `default_environment` does for each test, here for the session: session fixtures
        # start before it, and MLflow exports the URI it uses, which later tests must not inherit.
        with untraced(), pytest.MonkeyPatch.context() as patch:
            for name in ENVIRONMENT_VARIABLES:
                patch.delenv(name, raising=False)
            prepare(settings)
            train(settings)
            # Evaluation is what makes a trained model the served one (the champion).
            evaluate(settings)

    return train_for_session(request.session, folder, stages)


@pytest.fixture(scope="session")
def trained_workspace(session_training: SessionTraining) -> Path:
    """The session's trained workspace: the tests that use it only read it."""
    return session_training.folder_or_skip()


@pytest.fixture(scope="session")
def trained(trained_workspace: Path) -> Settings:
    """The settings of the session's trained workspace: read its model, metrics and registry, never write."""
    return load_settings(trained_workspace / "params.yaml")

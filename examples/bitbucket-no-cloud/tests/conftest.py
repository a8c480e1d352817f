"""Shared fixtures: a small synthetic data set and settings whose paths live in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from my_ml_project.config import (
    Settings,
    load_settings,
)
from my_ml_project.data import prepare
from my_ml_project.evaluate import evaluate
from my_ml_project.train import train

from . import untraced

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "my_ml_project"


def make_customers(rows: int, seed: int = 0) -> pd.DataFrame:
    """Customers whose churn depends on tenure and support calls, like the bundled sample."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 73, rows)
    calls = rng.integers(0, 8, rows)
    churned = ((calls * 0.5 - tenure * 0.05 + rng.normal(0, 0.5, rows)) > 0).astype(int)
    return pd.DataFrame(
        {
            "tenure_months": tenure,
            "monthly_charges": rng.uniform(18, 118, rows).round(2),
            "support_calls": calls,
            "contract": rng.choice(["month-to-month", "one-year", "two-year"], rows),
            "payment_method": rng.choice(["electronic-check", "credit-card", "bank-transfer"], rows),
            "churned": churned,
        }
    )


@pytest.fixture(autouse=True)
def default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see the default model source and never reach a team's tracking server: runs stay in
    each test's workspace. Per test, because MLflow's `set_tracking_uri` exports the URI it is
    given to the environment."""
    monkeypatch.delenv("MODEL_SOURCE", raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)


@pytest.fixture
def customers() -> pd.DataFrame:
    return make_customers(240)


@pytest.fixture(scope="session")
def empty_tracking_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLflow database with its schema and nothing else: creating one takes seconds, a copy does not."""
    database = tmp_path_factory.mktemp("mlflow") / "mlflow.db"
    with untraced():
        MlflowClient(tracking_uri=f"sqlite:///{database}").search_experiments()
    return database


def fill_workspace(folder: Path, customers: pd.DataFrame, tracking_store: Path) -> Path:
    """A copy of the project's params.yaml in `folder`, with the customers as raw data and a copy
    of the MLflow store beside it."""
    shutil.copy(PROJECT_ROOT / "params.yaml", folder / "params.yaml")
    settings = load_settings(folder / "params.yaml")
    settings.paths.raw_data.parent.mkdir(parents=True)
    customers.to_csv(settings.paths.raw_data, index=False)
    settings.registry.local_store.mkdir()
    shutil.copy(tracking_store, settings.registry.local_store / "mlflow.db")
    return folder


@pytest.fixture
def workspace(tmp_path: Path, customers: pd.DataFrame, empty_tracking_store: Path) -> Path:
    """A copy of the project's params.yaml with synthetic raw data and an empty MLflow store beside it."""
    return fill_workspace(tmp_path, customers, empty_tracking_store)


@pytest.fixture
def settings(workspace: Path) -> Settings:
    return load_settings(workspace / "params.yaml")


# Autouse: the first training loads hundreds of modules the libraries import lazily, which
# traced take seconds longer; this one, untraced, loads them before the first test.
@pytest.fixture(scope="session", autouse=True)
def trained_workspace(tmp_path_factory: pytest.TempPathFactory, empty_tracking_store: Path) -> Path:
    """A workspace whose model is trained and evaluated once for the session: the tests that use
    it only read it. Built untraced: the tests of the stages measure the stages' lines."""
    folder = fill_workspace(tmp_path_factory.mktemp("trained"), make_customers(240), empty_tracking_store)
    settings = load_settings(folder / "params.yaml")
    # What `default_environment` does for each test, here for the session: session fixtures
    # start before it, and MLflow exports the URI it uses, which later tests must not inherit.
    with untraced(), pytest.MonkeyPatch.context() as patch:
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)
        prepare(settings)
        train(settings)
        # Evaluation is what makes a trained model the served one (the champion).
        evaluate(settings)
    return folder


@pytest.fixture(scope="session")
def trained(trained_workspace: Path) -> Settings:
    """The settings of the session's trained workspace: read its model, metrics and registry, never write."""
    return load_settings(trained_workspace / "params.yaml")

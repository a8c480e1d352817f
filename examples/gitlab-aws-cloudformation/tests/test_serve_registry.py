"""The serving app with MLflow: the registry's champion by default, and no MLflow for the file source."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from my_ml_project.config import Settings
from my_ml_project.data import prepare
from my_ml_project.evaluate import evaluate
from my_ml_project.serve import create_app
from my_ml_project.train import train

from .serving import caller_rows, serve_from_file


def test_the_registry_source_serves_the_champion_only(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default with MLflow: a trained model is not served until evaluation promotes it."""
    monkeypatch.setenv("MODEL_SOURCE", "registry")
    client = TestClient(create_app(settings))
    prepare(settings)
    train(settings)

    waiting = client.get("/ready")
    assert waiting.status_code == 503
    assert "no model is registered" in waiting.json()["detail"]

    evaluate(settings)
    assert client.get("/ready").status_code == 200


# A Python process of its own, which imports the whole stack: `make check-all` and CI run it.
@pytest.mark.e2e
def test_the_file_source_imports_no_mlflow(
    settings: Settings, workspace: Path, customers: pd.DataFrame
) -> None:
    prepare(settings)
    train(settings)

    served = serve_from_file(workspace / "params.yaml", caller_rows(customers, settings, 1), "mlflow")

    assert served == {"statuses": [200, 200], "imported": []}

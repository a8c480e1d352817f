"""The scikit-learn pipeline as the serving image runs it: its ONNX export, with onnxruntime."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.config import Settings
from my_ml_project.data import prepare
from my_ml_project.model import load_model
from my_ml_project.serve.loading import load_serving_model
from my_ml_project.train import train

from .serving import caller_rows, serve_from_file

# What the serving image does without: the ONNX export needs no training stack.
TRAINING_STACK = "pandas sklearn scipy joblib skl2onnx onnx"


# A Python process of its own, which imports the whole stack: `make check-all` and CI run it.
@pytest.mark.e2e
def test_the_file_source_imports_no_training_stack(
    settings: Settings, workspace: Path, customers: pd.DataFrame
) -> None:
    prepare(settings)
    train(settings)

    served = serve_from_file(workspace / "params.yaml", caller_rows(customers, settings, 1), TRAINING_STACK)

    assert served == {"statuses": [200, 200], "imported": []}


def test_the_onnx_export_scores_like_the_pipeline(
    trained: Settings, customers: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the serving image runs (model.onnx, with onnxruntime) against what training fitted."""
    monkeypatch.setenv("MODEL_SOURCE", "file")
    rows = caller_rows(customers, trained)
    columns = {name: [row[name] for row in rows] for name in trained.features.columns}

    exported = load_serving_model(trained).probabilities(columns)
    fitted = load_model(trained.paths.model, trained.features).predict_proba(pd.DataFrame(rows))

    assert len(exported) == len(rows)
    assert exported == pytest.approx(fitted, abs=1e-6)

"""What the evaluate stage writes: metrics, plot data and the model card.

They are small and committed to git, so `dvc metrics diff` and `dvc plots diff` compare any two
commits without pulling data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score, roc_curve

from .config import Settings
from .data import load_csv
from .model_card import write_model_card


def compute_metrics(labels: pd.Series, probabilities: pd.Series, predictions: pd.Series) -> dict[str, float]:
    return {
        "accuracy": round(float(accuracy_score(labels, predictions)), 4),
        "precision": round(float(precision_score(labels, predictions, zero_division=0)), 4),
        "recall": round(float(recall_score(labels, predictions, zero_division=0)), 4),
        "f1": round(float(f1_score(labels, predictions, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(labels, probabilities)), 4),
    }


def write_reports(settings: Settings, test: pd.DataFrame, scored: pd.DataFrame) -> dict[str, float]:
    """Metrics, plot data and the model card of the test rows as scored; returns the metrics."""
    labels = test[settings.data.target]
    metrics = compute_metrics(labels, scored["probability"], scored["prediction"])
    _write_json(settings.paths.metrics, metrics)
    false_positive_rate, true_positive_rate, _ = roc_curve(labels, scored["probability"])
    roc = pd.DataFrame({"fpr": false_positive_rate, "tpr": true_positive_rate}).round(6)
    _write_csv(settings.paths.roc_curve, roc)
    confusion = pd.DataFrame({"actual": labels, "predicted": scored["prediction"]})
    _write_csv(settings.paths.confusion_matrix, confusion)
    write_model_card(settings, metrics, train=load_csv(settings.paths.train_data), test=test)
    return metrics


def _write_json(path: Path, payload: dict[str, float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)

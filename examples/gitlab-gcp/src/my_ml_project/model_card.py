"""The model card: what the model is, what it was trained and tested on, how well it does, and
what it is for. The evaluate stage rewrites it on every run, so it never drifts from the model;
the team's own words come from the `model_card:` section of params.yaml.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from .config import Settings
from .model import FRAMEWORK


def render_model_card(
    settings: Settings, metrics: dict[str, float], train: pd.DataFrame, test: pd.DataFrame
) -> str:
    target = settings.data.target
    lines = [
        "# Model card",
        "",
        "Written by the pipeline's evaluate stage (`make pipeline`); edit `model_card:` in",
        "`params.yaml` rather than this file.",
        "",
        "## Model",
        "",
        f"- Framework: {FRAMEWORK}",
        f"- Seed: {settings.seed}",
        f"- Decision threshold: {settings.evaluate.threshold}",
        "",
        "| parameter | value |",
        "| --- | --- |",
        *(f"| `{name}` | {value} |" for name, value in asdict(settings.model).items()),
        "",
        "## Data",
        "",
        f"- Source: `{settings.paths.raw_data.name}`, split {_percent(1 - settings.data.test_size)} training"
        f" / {_percent(settings.data.test_size)} test, stratified on `{target}`",
        f"- Training rows: {len(train)} ({_percent(train[target].mean(), 1)} positive)",
        f"- Test rows: {len(test)} ({_percent(test[target].mean(), 1)} positive)",
        f"- Numeric features: {_names(settings.features.numeric)}",
        f"- Categorical features: {_names(settings.features.categorical)}",
        "",
        "## Metrics on the test set",
        "",
        "| metric | value |",
        "| --- | --- |",
        *(f"| {name} | {value:.4f} |" for name, value in sorted(metrics.items())),
        "",
        "## Intended use",
        "",
        *(f"- {line}" for line in settings.model_card.intended_use),
        "",
        "## Limitations",
        "",
        *(f"- {line}" for line in settings.model_card.limitations),
    ]
    return "\n".join(lines) + "\n"


def write_model_card(
    settings: Settings, metrics: dict[str, float], train: pd.DataFrame, test: pd.DataFrame
) -> None:
    path = settings.paths.model_card
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_model_card(settings, metrics, train, test), encoding="utf-8")


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(f"`{column}`" for column in columns) or "none"


def _percent(share: float, decimals: int = 0) -> str:
    return f"{share * 100:.{decimals}f}%"

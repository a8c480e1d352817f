"""What the fixtures (conftest.py) are made of: synthetic customers, and workspaces that hold a
copy of the project's params.yaml with them as raw data."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from my_ml_project.config import Settings, load_settings

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


def fill_workspace(folder: Path, customers: pd.DataFrame) -> Settings:
    """A copy of the project's params.yaml in `folder`, with the customers as raw data beside it:
    its settings."""
    shutil.copy(PROJECT_ROOT / "params.yaml", folder / "params.yaml")
    settings = load_settings(folder / "params.yaml")
    settings.paths.raw_data.parent.mkdir(parents=True)
    customers.to_csv(settings.paths.raw_data, index=False)
    return settings

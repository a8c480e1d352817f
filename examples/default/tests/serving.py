"""What the serving tests share: rows as a caller sends them, and the app in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from my_ml_project.config import Settings

# Run in a fresh interpreter, since the tests' own has imported the whole stack.
SERVE_FROM_FILE = """
import json, sys
from pathlib import Path
from fastapi.testclient import TestClient
from my_ml_project.config import load_settings
from my_ml_project.serve import create_app

client = TestClient(create_app(load_settings(Path(sys.argv[1]))))
ready = client.get("/ready").status_code
scored = client.post("/predict", json=json.loads(sys.argv[2])).status_code
heavy = sorted(name for name in sys.modules if name.split(".")[0] in sys.argv[3].split())
print(json.dumps({"statuses": [ready, scored], "imported": heavy}))
"""


def caller_rows(customers: pd.DataFrame, settings: Settings, count: int = 100) -> list[dict[str, Any]]:
    """Rows shaped like the bundled sample, as a caller would send them.

    Synthetic rather than data/raw/: a fresh clone has no raw data until `dvc pull`.
    """
    return [
        {str(key): value for key, value in record.items()}
        for record in customers[list(settings.features.columns)].head(count).to_dict("records")
    ]


def serve_from_file(params_file: Path, rows: list[dict[str, Any]], modules: str) -> dict[str, Any]:
    """`/ready`'s and `/predict`'s statuses from an app that serves the train stage's files
    (MODEL_SOURCE=file, as the serving image does) in a fresh interpreter, and which of `modules`
    (top-level names, space-separated) it imported."""
    served = subprocess.run(
        [sys.executable, "-c", SERVE_FROM_FILE, str(params_file), json.dumps({"rows": rows}), modules],
        env={**os.environ, "MODEL_SOURCE": "file"},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(served.stdout)
    return result

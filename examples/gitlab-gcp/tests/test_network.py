"""What only the neural-network models have: a training configuration and a device."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from my_ml_project.config import Settings
from my_ml_project.model import (
    build_model,
    load_model,
    select_device,
)


def test_a_loaded_model_cannot_be_trained_again(
    customers: pd.DataFrame, settings: Settings, tmp_path: Path
) -> None:
    model = build_model(settings.features, settings.model, settings.seed)
    model.fit(customers, customers["churned"])
    model.save(tmp_path)

    with pytest.raises(ValueError, match="training configuration"):
        load_model(tmp_path, settings.features).fit(customers, customers["churned"])


def test_device_follows_the_preference() -> None:
    assert select_device("cpu").type == "cpu"
    assert select_device("auto").type in {"cpu", "cuda"}

"""The PyTorch model's device: `device:` in params.yaml."""

from __future__ import annotations

from my_ml_project.model import select_device


def test_device_follows_the_preference() -> None:
    assert select_device("cpu").type == "cpu"
    assert select_device("auto").type in {"cpu", "cuda"}

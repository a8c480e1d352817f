"""The `model:` section of params.yaml, apart from model.py so that reading the settings never
imports PyTorch: the serving image loads its model without it where it can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEVICES = ("auto", "cpu", "cuda")
CLASS_WEIGHTS = (None, "balanced")


@dataclass(frozen=True)
class ModelConfig:
    """The `model:` section of params.yaml."""

    hidden_units: int
    epochs: int
    batch_size: int
    learning_rate: float
    class_weight: str | None
    device: str
    threads: int

    @classmethod
    def from_params(cls, raw: Mapping[str, Any]) -> ModelConfig:
        weight = raw.get("class_weight")
        return cls(
            hidden_units=int(raw["hidden_units"]),
            epochs=int(raw["epochs"]),
            batch_size=int(raw["batch_size"]),
            learning_rate=float(raw["learning_rate"]),
            class_weight=None if weight is None else str(weight),
            device=str(raw.get("device", "auto")),
            threads=int(raw.get("threads", 0)),
        )

    def problems(self) -> list[str]:
        problems = [
            f"{name} must be at least 1, got {value}"
            for name, value in (
                ("hidden_units", self.hidden_units),
                ("epochs", self.epochs),
                ("batch_size", self.batch_size),
            )
            if value < 1
        ]
        if self.learning_rate <= 0.0:
            problems.append(f"learning_rate must be positive, got {self.learning_rate}")
        if self.class_weight not in CLASS_WEIGHTS:
            problems.append(f"class_weight must be balanced or null, got {self.class_weight}")
        if self.threads < 0:
            problems.append(f"threads must be 0 (PyTorch's default) or more, got {self.threads}")
        if self.device not in DEVICES:
            problems.append(f"device must be one of {', '.join(DEVICES)}, got {self.device}")
        return problems

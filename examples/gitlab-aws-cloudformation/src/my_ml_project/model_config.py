"""The `model:` section of params.yaml, apart from model.py so that reading the settings never
imports scikit-learn: the serving image loads its model without it where it can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CLASS_WEIGHTS = (None, "balanced")


@dataclass(frozen=True)
class ModelConfig:
    """The `model:` section of params.yaml."""

    regularization: float
    max_iter: int
    class_weight: str | None

    @classmethod
    def from_params(cls, raw: Mapping[str, Any]) -> ModelConfig:
        weight = raw.get("class_weight")
        return cls(
            regularization=float(raw["regularization"]),
            max_iter=int(raw["max_iter"]),
            class_weight=None if weight is None else str(weight),
        )

    def problems(self) -> list[str]:
        problems = []
        if self.regularization <= 0.0:
            problems.append(f"regularization must be positive, got {self.regularization}")
        if self.max_iter < 1:
            problems.append(f"max_iter must be at least 1, got {self.max_iter}")
        if self.class_weight not in CLASS_WEIGHTS:
            problems.append(f"class_weight must be balanced or null, got {self.class_weight}")
        return problems

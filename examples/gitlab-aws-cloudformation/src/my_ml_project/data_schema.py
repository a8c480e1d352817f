"""The values a row of features may hold: a range per numeric column, a list per categorical one.

`schema:` in `params.yaml` declares them, and `config` checks that it names every feature. Where
the project serves the model, the API refuses any other value with a 422 that names the row and
the field, and publishes these limits in its OpenAPI document.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# The largest magnitude a 64-bit integer holds: wider integers are refused, not wrapped.
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class FeaturesConfig:
    """The feature columns of `params.yaml` (here, not in features.py, so that reading the
    settings never imports scikit-learn: the serving image has none)."""

    numeric: tuple[str, ...]
    categorical: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.numeric + self.categorical


@dataclass(frozen=True)
class NumericRange:
    minimum: float
    maximum: float
    # Whole numbers only: refuses 1.5 and `true`/`false`, which JSON would otherwise pass as 1 and 0.
    integer: bool = False

    def problems(self, name: str) -> list[str]:
        if not (math.isfinite(self.minimum) and math.isfinite(self.maximum)):
            return [f"{name}: min and max must be finite numbers"]
        problems = []
        if self.minimum > self.maximum:
            problems.append(f"{name}: min {self.minimum} is above max {self.maximum}")
        if self.integer and max(abs(self.minimum), abs(self.maximum)) > INT64_MAX:
            problems.append(f"{name}: an integer range must fit in 64 bits")
        return problems


@dataclass(frozen=True)
class DataSchema:
    numeric: Mapping[str, NumericRange]
    categorical: Mapping[str, tuple[str, ...]]

    @classmethod
    def from_params(cls, raw: Mapping[str, Any]) -> DataSchema:
        numeric: dict[str, NumericRange] = {}
        categorical: dict[str, tuple[str, ...]] = {}
        for name, spec in raw.items():
            if isinstance(spec, Mapping):
                numeric[str(name)] = NumericRange(
                    minimum=float(spec["min"]), maximum=float(spec["max"]), integer=bool(spec.get("integer"))
                )
            else:
                categorical[str(name)] = tuple(str(value) for value in spec)
        return cls(numeric=numeric, categorical=categorical)

    def problems(self, features: FeaturesConfig) -> list[str]:
        """Sentences saying where the schema and the feature lists disagree; empty when they agree."""
        problems = []
        for kind, declared, expected in (
            ("numeric", self.numeric, features.numeric),
            ("categorical", self.categorical, features.categorical),
        ):
            missing = sorted(set(expected) - set(declared))
            extra = sorted(set(declared) - set(expected))
            if missing:
                problems.append(f"no {kind} entry for the features {missing}")
            if extra:
                problems.append(f"{kind} entries for columns that are not {kind} features: {extra}")
        for name, numeric_range in self.numeric.items():
            problems.extend(numeric_range.problems(name))
        problems.extend(
            f"{name}: list at least one category" for name, values in self.categorical.items() if not values
        )
        return problems

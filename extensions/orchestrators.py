"""How the ML pipeline runs: DVC's local pipeline, or a pipeline system running the same stages.

How the ML pipeline runs: DVC's local pipeline (always there: it versions the data and the
stages), or a pipeline system that runs the same stages elsewhere. The records are
choices/orchestrator/<value>.yml."""

from __future__ import annotations

from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class Orchestrator:
    """An orchestrator choice."""

    label: str
    # The ml_framework values it can run; empty for every one (the prompt refuses the others).
    frameworks: tuple[str, ...]
    # The Python versions its packages ship wheels for; empty for every one.
    python: tuple[str, ...]


ORCHESTRATORS = data.records("orchestrator", Orchestrator)

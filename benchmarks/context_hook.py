"""How often Copier calls the context hook during one default render, and for how long.

    python -m benchmarks.context_hook [--runs 5]

Renders a committed snapshot of the template in this process (`init_git=false`, defaults) with
the hook wrapped in a counter and a timer: the median over the runs of the number of calls, their
total time and the whole render's time. Copier loads the hook's module by path, so the wrapper is
put on the class the moment Jinja instantiates it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import copier
from copier_template_extensions import ContextHook

from tests.helpers import snapshot_template


class HookMeter:
    """Counts and times every call of a ContextHook subclass's `hook`."""

    def __init__(self) -> None:
        self.calls = 0
        self.seconds = 0.0

    def wrap(self, hook: Callable[[Any, dict[str, Any]], None]) -> Callable[[Any, dict[str, Any]], None]:
        def timed(extension: Any, context: dict[str, Any]) -> None:
            start = time.perf_counter()
            try:
                hook(extension, context)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        timed.__wrapped__ = hook  # type: ignore[attr-defined]
        return timed


def measured_render(template: Path, destination: Path) -> tuple[int, float, float]:
    meter = HookMeter()
    original_init = ContextHook.__init__

    def init(extension: Any, environment: Any) -> None:
        cls = type(extension)
        if not hasattr(cls.hook, "__wrapped__"):
            cls.hook = meter.wrap(cls.hook)
        original_init(extension, environment)

    ContextHook.__init__ = init  # type: ignore[method-assign,assignment]
    try:
        start = time.perf_counter()
        copier.run_copy(
            str(template), destination, data={"init_git": False}, defaults=True, unsafe=True, quiet=True
        )
        total = time.perf_counter() - start
    finally:
        ContextHook.__init__ = original_init  # type: ignore[method-assign]
    return meter.calls, meter.seconds, total


def main() -> None:
    parser = argparse.ArgumentParser(description="Context hook calls and time in one render.")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = snapshot_template(root / "template")
        results = [measured_render(template, root / f"run-{index}") for index in range(arguments.runs)]
    calls, hook_seconds, render_seconds = (statistics.median(column) for column in zip(*results, strict=True))
    print(f"median of {arguments.runs} in-process renders (defaults, init_git=false)")
    print(f"  hook calls        {calls:8.0f}")
    print(f"  time in the hook  {hook_seconds:8.3f} s")
    print(f"  whole render      {render_seconds:8.3f} s")


if __name__ == "__main__":
    main()

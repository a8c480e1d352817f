"""Cold start of the served app per framework: import, first `/health` 200, first `/ready` 200.

    python -m benchmarks.cold_start [--runs 5] [--frameworks scikit-learn pytorch tensorflow]
        [--env MODEL_SOURCE=file] [--vcs-ref REF]

Per framework: renders a project (default answers otherwise; PyTorch on Python 3.11, the local
CPU wheel), installs its runtime dependencies with compiled bytecode, as the serve image does,
trains the sample model with the project's own CLI (with MLflow, the default, evaluation
registers the champion), then `--runs` times:
- import: a fresh interpreter imports the app module (`<package>.serve.app`), timed inside it;
- /health and /ready: from spawning `uvicorn --factory <package>.serve.app:app_from_params` (as
  `make serve` and the serve image run it) to the first 200 of each, polled every 20 ms.
Medians are printed, with the slowest start. `--env NAME=VALUE` (repeatable) is passed to those
processes, e.g. `MODEL_SOURCE=file` to load the pipeline's saved model instead of the registry's
champion; `--vcs-ref` renders from a commit or branch of this repository instead of a snapshot
of its working tree.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.served_project import FRAMEWORKS, PACKAGE, Server, probe_result, trained_project
from tests.helpers import TEMPLATE_ROOT, run, snapshot_template

# Timed inside the interpreter: the import alone, without the interpreter's own start.
IMPORT_PROBE = (
    "import json, time; start = time.perf_counter(); import {package}.serve.app; "
    "print(json.dumps({{'seconds': time.perf_counter() - start}}))"
)


def variable(text: str) -> tuple[str, str]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def import_seconds(project: Path, env: dict[str, str]) -> float:
    output = run(["python", "-c", IMPORT_PROBE.format(package=PACKAGE)], cwd=project, env=env)
    seconds: float = probe_result(output)["seconds"]
    return seconds


def start_seconds(project: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Seconds from spawning uvicorn to the first 200 of `/health`, then of `/ready`."""
    with Server(project, env, log) as server:
        return server.wait_for("/health"), server.wait_for("/ready")


def main() -> None:
    parser = argparse.ArgumentParser(description="Import, /health and /ready times of the app per framework.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frameworks", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS))
    parser.add_argument("--env", type=variable, action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--vcs-ref", help="render this commit or branch of the repository")
    arguments = parser.parse_args()
    extra = dict(arguments.env)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        template = TEMPLATE_ROOT if arguments.vcs_ref else snapshot_template(root / "template")
        copier_args = ("--vcs-ref", arguments.vcs_ref) if arguments.vcs_ref else ()
        settings = " ".join(f"{name}={value}" for name, value in extra.items()) or "no extra environment"
        print(f"cold start, median of {arguments.runs} fresh processes ({settings}), seconds")
        print(f"  {'framework':<13}{'import':>8}{'/health':>9}{'/ready':>8}{'slowest /ready':>16}")
        for framework in arguments.frameworks:
            project = root / framework
            env = {**trained_project(template, project, framework, *copier_args), **extra}
            imports = [import_seconds(project, env) for _ in range(arguments.runs)]
            starts = [start_seconds(project, env, root / f"{framework}.log") for _ in range(arguments.runs)]
            health, ready = (statistics.median(times) for times in zip(*starts, strict=True))
            slowest = max(ready for _, ready in starts)
            figures = f"{statistics.median(imports):>8.2f}{health:>9.2f}{ready:>8.2f}{slowest:>16.2f}"
            print(f"  {framework:<13}{figures}", flush=True)


if __name__ == "__main__":
    main()

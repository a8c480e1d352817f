"""Command-line interface: one sub-command per pipeline stage, plus `predict` and `drift`.

DVC runs the stages (see dvc.yaml); people run `predict` and, when debugging, single stages;
a schedule runs `drift` on recent inputs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from . import DISTRIBUTION, __version__
from .artifacts import ModelNotFoundError
from .config import Settings, load_settings
from .data import DataValidationError, prepare
from .params import DEFAULT_PARAMS, ConfigError

# Each command imports its own stage: DVC starts one process per stage, and `prepare` has no use
# for the tracking client, the metrics or the drift tests (seconds of imports).

# Distinct from 1 (an error), so a scheduled job can tell "drift found" from "check broken".
DRIFT_FOUND = 3


def build_parser() -> argparse.ArgumentParser:
    # The command pyproject.toml installs is named as the distribution: usage lines and `--version`
    # say what a person types.
    parser = argparse.ArgumentParser(prog=DISTRIBUTION, description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--params", type=Path, default=DEFAULT_PARAMS, help="parameters file (default: %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare", help="validate the raw data and write the train/test split")
    commands.add_parser("train", help="fit the model on the training set")
    commands.add_parser("evaluate", help="write test-set metrics and plot data")
    scoring = commands.add_parser("predict", help="score a CSV file with the trained (or registered) model")
    scoring.add_argument("input", type=Path, help="CSV file with the feature columns")
    scoring.add_argument("output", type=Path, help="where to write the scored CSV")
    drift = commands.add_parser(
        "drift",
        help=f"test a recent batch for drift against the training split (exit {DRIFT_FOUND} on drift)",
    )
    drift.add_argument("--batch", type=Path, required=True, help="CSV file with the feature columns")
    return parser


def report_drift(settings: Settings, batch: Path) -> int:
    """Print the per-feature table; the exit code says whether any feature drifted."""
    from .monitoring.drift import check_drift, format_table  # noqa: PLC0415

    results = check_drift(settings, batch)
    print(format_table(results, settings.monitoring.p_value))
    return DRIFT_FOUND if any(result.drifted for result in results) else 0


def run(command: str, settings: Settings, arguments: argparse.Namespace) -> str:
    """Run one command and return the line to print."""
    if command == "prepare":
        train_rows, test_rows = prepare(settings)
        return f"prepared {train_rows} training and {test_rows} test rows"
    if command == "train":
        from .train import train  # noqa: PLC0415

        return f"model saved to {train(settings)}"
    if command == "evaluate":
        from .evaluate import evaluate  # noqa: PLC0415

        return json.dumps(evaluate(settings), sort_keys=True)
    from .predict import predict_file  # noqa: PLC0415
    from .trained_model import load_trained_model  # noqa: PLC0415

    model = load_trained_model(settings)
    rows = predict_file(
        model, arguments.input, arguments.output, settings.features, settings.evaluate.threshold
    )
    return f"scored {rows} rows into {arguments.output}"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    # Stages report what they did (e.g. a registry promotion) as log lines on stderr.
    # Libraries stay at WARNING.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    logging.getLogger(__package__).setLevel(logging.INFO)
    try:
        settings = load_settings(arguments.params)
        if arguments.command == "drift":
            return report_drift(settings, arguments.batch)
        print(run(arguments.command, settings, arguments))
    except (ConfigError, DataValidationError, ModelNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0

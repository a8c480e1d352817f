"""The training pipeline on Kubeflow Pipelines (KFP v2): the stages of dvc.yaml as components.

Each component runs one stage of this package's CLI in the project's `train` image, on the
artifacts the previous stage wrote: `prepare`, `train` and `evaluate`.
The values of params.yaml are the pipeline's `params` parameter: a run uses the committed values
unless it is given others.

`make kfp-compile` (this module's `compile` command) writes the spec YAML; `make kfp-run` (its
`run` command) submits it to the endpoint in $KFP_HOST.

DVC still versions the data: the pipeline reads the raw CSV from `raw_data_uri`, a copy of the
DVC-tracked file where the cluster can read it (e.g. `s3://...` or `gs://...`).
"""

# No `from __future__ import annotations`: KFP reads the components' annotations as types
# (Input[Dataset], str), and a string annotation is not one.

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from kfp import dsl
from kfp.dsl import Artifact, Dataset, Input, Markdown, Metrics, Model, Output

from .config import ENVIRONMENT_VARIABLES, Settings
from .params import DEFAULT_PARAMS

PIPELINE_NAME = "my-ml-project-training"
DESCRIPTION = "The stages of dvc.yaml: prepare, train, evaluate"
# Where `make kfp-compile` writes the spec (git-ignored; CI keeps it as an artifact).
SPEC_FILE = Path("build/kfp-pipeline.yaml")
# The `train` target of the Dockerfile, pushed where the cluster can pull it. A component's
# image is fixed in the spec, so it is chosen when the pipeline is compiled.
IMAGE_VARIABLE = "KFP_IMAGE"
DEFAULT_IMAGE = (
    # The project's image repository, tagged `train`: KFP_IMAGE names the one actually pushed.
    "docker.io/acme/my-ml-project:train"
)
# `make kfp-run`: the KFP API endpoint, and the raw data the run reads.
HOST_VARIABLE = "KFP_HOST"
RAW_DATA_VARIABLE = "KFP_RAW_DATA_URI"


class StageError(RuntimeError):
    """A stage of the CLI failed; its own message is in the component's log above."""


def run_stage(command: str, params: str, paths: Mapping[str, str]) -> None:
    """Run one CLI stage on `params` (params.yaml's values as JSON) with its paths replaced by `paths`.

    The other relative paths of params.yaml resolve against the working directory, as they do
    when the stage runs from the project root.
    """
    from .cli import main as run_cli  # noqa: PLC0415 (the stages' imports are not the compiler's)

    raw = Settings.resolved(json.loads(params), Path.cwd())
    raw["paths"] |= paths
    with tempfile.TemporaryDirectory() as folder:
        params_file = Path(folder) / "params.yaml"
        params_file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
        if run_cli(["--params", str(params_file), command]) != 0:
            raise StageError(f"stage {command} failed")


# The components. KFP copies each function's source into the spec and runs it alone in the
# image, so each imports what it uses from this package inside its body.


def prepare(
    *,
    params: str,
    raw_data: Input[Dataset],
    train_data: Output[Dataset],
    test_data: Output[Dataset],
) -> None:
    """Validate the raw data and write the train/test split."""
    from my_ml_project.kfp_pipeline import run_stage  # noqa: PLC0415

    paths = {"raw_data": raw_data.path, "train_data": train_data.path, "test_data": test_data.path}
    run_stage("prepare", params, paths)


def train(*, params: str, train_data: Input[Dataset], model: Output[Model]) -> None:
    """Fit the model on the training split."""
    from my_ml_project.kfp_pipeline import run_stage  # noqa: PLC0415

    run_stage("train", params, {"train_data": train_data.path, "model": model.path})


def evaluate(
    *,
    params: str,
    train_data: Input[Dataset],
    test_data: Input[Dataset],
    model: Input[Model],
    metrics: Output[Metrics],
    plots: Output[Artifact],
    model_card: Output[Markdown],
) -> None:
    """Score the test split: metrics, plot data, model card."""
    import json  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from my_ml_project.kfp_pipeline import run_stage  # noqa: PLC0415

    folder = Path(plots.path)
    paths = {
        "train_data": train_data.path,
        "test_data": test_data.path,
        "model": model.path,
        "metrics": str(folder / "metrics.json"),
        "roc_curve": str(folder / "roc_curve.csv"),
        "confusion_matrix": str(folder / "confusion_matrix.csv"),
        "model_card": model_card.path,
    }
    run_stage("evaluate", params, paths)
    # The KFP UI shows the metrics of a Metrics artifact: the same values as metrics.json.
    for name, value in json.loads((folder / "metrics.json").read_text(encoding="utf-8")).items():
        metrics.log_metric(name, value)


def _component(function: Callable[..., None], image: str) -> Any:
    # kfp comes with the image (a runtime dependency): the component installs nothing at start.
    return dsl.component(function, base_image=image, install_kfp_package=False)


class PipelineOutputs(NamedTuple):
    model: Model
    metrics: Metrics


def build_pipeline(params: str, image: str, environment: Mapping[str, str] | None = None) -> Any:
    """The pipeline, with `params` (params.yaml's values as JSON) as its default parameters and
    `environment` set in every component."""
    prepare_op, train_op, evaluate_op = (_component(stage, image) for stage in (prepare, train, evaluate))

    def configured(task: Any, name: str) -> Any:
        for variable, value in (environment or {}).items():
            task.set_env_variable(variable, value)
        return task.set_display_name(name)

    def training(raw_data_uri: str, params: str = params) -> PipelineOutputs:
        raw_data = dsl.importer(artifact_uri=raw_data_uri, artifact_class=Dataset, reimport=False)
        split = configured(prepare_op(params=params, raw_data=raw_data.output), "prepare")
        fitted = configured(train_op(params=params, train_data=split.outputs["train_data"]), "train")
        scored = configured(
            evaluate_op(
                params=params,
                train_data=split.outputs["train_data"],
                test_data=split.outputs["test_data"],
                model=fitted.outputs["model"],
            ),
            "evaluate",
        )
        return PipelineOutputs(model=fitted.outputs["model"], metrics=scored.outputs["metrics"])

    return dsl.pipeline(name=PIPELINE_NAME, description=DESCRIPTION)(training)


def compile_pipeline(output: Path = SPEC_FILE, params_file: Path = DEFAULT_PARAMS) -> Path:
    """Write the pipeline spec YAML, with params.yaml's values as the defaults."""
    # Imported here: in a component, where kfp runs with only its executor loaded, importing the
    # compiler with this module would be a circular import.
    from kfp import compiler  # noqa: PLC0415

    output.parent.mkdir(parents=True, exist_ok=True)
    image = os.environ.get(IMAGE_VARIABLE) or DEFAULT_IMAGE
    # The project's environment variables (config.py) as set at compile time: the components run in
    # pods of their own, which share a team's servers only through them.
    environment = {name: os.environ[name] for name in ENVIRONMENT_VARIABLES if os.environ.get(name)}
    # One line of JSON: KFP copies a default into the spec's header comment, where a line break
    # would end the comment. JSON keeps the types that a protobuf Struct would turn into floats.
    params = json.dumps(yaml.safe_load(params_file.read_text(encoding="utf-8")))
    pipeline = build_pipeline(params, image, environment)
    compiler.Compiler().compile(pipeline, str(output))
    return output


def submit(spec: Path, host: str, raw_data_uri: str) -> str:
    """Start a run of the compiled spec on the KFP endpoint; returns the run's id."""
    from kfp import Client  # noqa: PLC0415

    run = Client(host=host).create_run_from_pipeline_package(
        str(spec), arguments={"raw_data_uri": raw_data_uri}, experiment_name=PIPELINE_NAME
    )
    return str(run.run_id)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"{__package__}.kfp_pipeline", description=__doc__)
    parser.add_argument("command", choices=["compile", "run"])
    parser.add_argument("--spec", type=Path, default=SPEC_FILE, help="the spec YAML (default: %(default)s)")
    parser.add_argument("--params", type=Path, default=DEFAULT_PARAMS, help="default: %(default)s")
    arguments = parser.parse_args(argv)
    if arguments.command == "compile":
        print(f"pipeline spec written to {compile_pipeline(arguments.spec, arguments.params)}")
        return 0
    missing = [name for name in (HOST_VARIABLE, RAW_DATA_VARIABLE) if not os.environ.get(name)]
    if missing:
        print(
            f"error: set {' and '.join(missing)}: {HOST_VARIABLE} is the Kubeflow Pipelines endpoint "
            f"(e.g. https://kubeflow.example.com/pipeline), {RAW_DATA_VARIABLE} the raw CSV the "
            "cluster reads (a copy of the DVC-tracked data/raw file).",
            file=sys.stderr,
        )
        return 2
    if not arguments.spec.exists():
        print(f"error: {arguments.spec} not found: run 'make kfp-compile' first", file=sys.stderr)
        return 2
    run_id = submit(arguments.spec, os.environ[HOST_VARIABLE], os.environ[RAW_DATA_VARIABLE])
    print(f"submitted run {run_id} to {os.environ[HOST_VARIABLE]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

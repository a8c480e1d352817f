"""The training pipeline on TensorFlow Extended (TFX), on the DVC-tracked raw data.

CsvExampleGen reads the raw CSV and splits it (train/eval as `data.test_size` says);
StatisticsGen, SchemaGen and ExampleValidator describe it and check it against the inferred
schema; Transform and Trainer run tfx_trainer.py (this package's Keras network); Evaluator
blesses the model when its AUC reaches `tfx.min_auc` of params.yaml; Pusher copies a blessed
model to the serving folder as a SavedModel with a `serving_default` signature.

`make tfx-run` (this module's `run` command) runs it here with TFX's LocalDagRunner: artifacts
and ML Metadata under build/tfx/, the pushed model under build/tfx/serving/<version>/.
`make tfx-compile` (`compile`) writes its Kubeflow Pipelines (v2) spec, whose components run in
the image $TFX_IMAGE and read and write the storage in $TFX_DATA_ROOT and $TFX_PIPELINE_ROOT.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tensorflow_model_analysis as tfma
import yaml
from tfx import v1 as tfx

from .config import Settings, load_settings
from .params import DEFAULT_PARAMS, SAFE_LOADER

PIPELINE_NAME = "my-ml-project-tfx"
# What `make tfx-run` writes (git-ignored): TFX's artifacts, its ML Metadata store and the
# pushed model.
PIPELINE_ROOT = Path("build/tfx")
METADATA = PIPELINE_ROOT / "metadata.sqlite"
SERVING = "serving"
# Where `make tfx-compile` writes the spec (CI keeps it as an artifact).
SPEC_FILE = Path("build/tfx-pipeline.json")
# The `train` target of the Dockerfile, pushed where the cluster pulls it: it holds this package.
IMAGE_VARIABLE = "TFX_IMAGE"
DEFAULT_IMAGE = "docker.io/acme/my-ml-project:train"
# For a compiled spec: the folder holding the raw CSV, and the pipeline root, where the cluster
# reads and writes (e.g. gs://bucket/data/raw and gs://bucket/tfx).
DATA_VARIABLE = "TFX_DATA_ROOT"
ROOT_VARIABLE = "TFX_PIPELINE_ROOT"
# The components import the user code from the installed package by these paths.
PREPROCESSING_FN = f"{__package__}.tfx_trainer.preprocessing_fn"
RUN_FN = f"{__package__}.tfx_trainer.run_fn"
# Beam (StatisticsGen, Transform, Evaluator) in this process: the sample data is small.
BEAM_ARGS = ["--direct_running_mode=in_memory", "--direct_num_workers=1"]


def min_auc(params_file: Path = DEFAULT_PARAMS) -> float:
    """`tfx.min_auc` of params.yaml: the Evaluator's threshold for blessing a model."""
    raw = yaml.load(params_file.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return float(raw["tfx"]["min_auc"])


def split_config(test_size: float) -> Any:
    """CsvExampleGen's train/eval split by hash buckets, in the proportion of `data.test_size`."""
    evaluation = max(1, round(100 * test_size))
    splits = [("train", 100 - evaluation), ("eval", evaluation)]
    return tfx.proto.Output(
        split_config=tfx.proto.SplitConfig(
            splits=[tfx.proto.SplitConfig.Split(name=name, hash_buckets=buckets) for name, buckets in splits]
        )
    )


def eval_config(target: str, threshold: float) -> Any:
    """The Evaluator's configuration: AUC on the eval split, blessed at `threshold` or above."""
    auc = tfma.MetricConfig(
        class_name="AUC",
        threshold=tfma.MetricThreshold(
            value_threshold=tfma.GenericValueThreshold(lower_bound={"value": threshold})
        ),
    )
    return tfma.EvalConfig(
        model_specs=[tfma.ModelSpec(signature_name="serving_default", label_key=target)],
        slicing_specs=[tfma.SlicingSpec()],
        metrics_specs=[tfma.MetricsSpec(metrics=[auc])],
    )


def components(settings: Settings, threshold: float, data_root: str, serving_dir: str) -> list[Any]:
    """The eight components, each wired to the artifacts of those before it."""
    raw = settings.paths.raw_data
    example_gen = tfx.components.CsvExampleGen(
        input_base=data_root,
        # The CSV alone: the folder also holds DVC's files.
        input_config=tfx.proto.Input(splits=[tfx.proto.Input.Split(name="single_split", pattern=raw.name)]),
        output_config=split_config(settings.data.test_size),
    )
    examples = example_gen.outputs["examples"]
    statistics = tfx.components.StatisticsGen(examples=examples)
    schema = tfx.components.SchemaGen(statistics=statistics.outputs["statistics"], infer_feature_shape=True)
    validator = tfx.components.ExampleValidator(
        statistics=statistics.outputs["statistics"], schema=schema.outputs["schema"]
    )
    features = settings.features
    transform = tfx.components.Transform(
        examples=examples,
        schema=schema.outputs["schema"],
        preprocessing_fn=PREPROCESSING_FN,
        custom_config={
            "numeric": list(features.numeric),
            "categorical": {name: list(settings.schema.categorical[name]) for name in features.categorical},
            "target": settings.data.target,
        },
    )
    model = settings.model
    trainer = tfx.components.Trainer(
        run_fn=RUN_FN,
        examples=transform.outputs["transformed_examples"],
        transform_graph=transform.outputs["transform_graph"],
        schema=schema.outputs["schema"],
        custom_config={
            "target": settings.data.target,
            "seed": settings.seed,
            "hidden_units": model.hidden_units,
            "epochs": model.epochs,
            "batch_size": model.batch_size,
            "learning_rate": model.learning_rate,
        },
    )
    evaluator = tfx.components.Evaluator(
        examples=examples,
        model=trainer.outputs["model"],
        eval_config=eval_config(settings.data.target, threshold),
    )
    pusher = tfx.components.Pusher(
        model=trainer.outputs["model"],
        model_blessing=evaluator.outputs["blessing"],
        push_destination=tfx.proto.PushDestination(
            filesystem=tfx.proto.PushDestination.Filesystem(base_directory=serving_dir)
        ),
    )
    return [example_gen, statistics, schema, validator, transform, trainer, evaluator, pusher]


def build_pipeline(
    params_file: Path, root: str, data_root: str | None = None, metadata: Path | None = None
) -> Any:
    """The pipeline on params.yaml's values, writing under `root`, reading the raw CSV's folder
    (`data_root`, by default params.yaml's) and recording runs in the SQLite `metadata` store."""
    settings = load_settings(params_file)
    connection = (
        None
        if metadata is None
        else tfx.orchestration.metadata.sqlite_metadata_connection_config(str(metadata))
    )
    return tfx.dsl.Pipeline(
        pipeline_name=PIPELINE_NAME,
        pipeline_root=root,
        components=components(
            settings,
            min_auc(params_file),
            data_root or str(settings.paths.raw_data.parent),
            f"{root}/{SERVING}",
        ),
        metadata_connection_config=connection,
        beam_pipeline_args=BEAM_ARGS,
    )


def run_pipeline(params_file: Path = DEFAULT_PARAMS, root: Path = PIPELINE_ROOT) -> Path | None:
    """Run the pipeline here; the folder of the model it pushed, or None if none was blessed."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    tfx.orchestration.LocalDagRunner().run(
        build_pipeline(params_file, str(root), metadata=root / METADATA.name)
    )
    pushed = (
        sorted((root / SERVING).glob("*"), key=lambda path: path.name) if (root / SERVING).exists() else []
    )
    return pushed[-1] if pushed else None


def compile_pipeline(output: Path = SPEC_FILE, params_file: Path = DEFAULT_PARAMS) -> Path:
    """Write the Kubeflow Pipelines (v2) spec JSON of the pipeline."""
    # The module itself, not tfx.v1's re-export, which is silently absent when the Kubeflow
    # protos (kfp-pipeline-spec) are missing.
    from tfx.orchestration.kubeflow.v2 import kubeflow_v2_dag_runner as v2  # noqa: PLC0415

    output.parent.mkdir(parents=True, exist_ok=True)
    root = os.environ.get(ROOT_VARIABLE) or str(PIPELINE_ROOT.resolve())
    pipeline = build_pipeline(params_file, root, data_root=os.environ.get(DATA_VARIABLE))
    config = v2.KubeflowV2DagRunnerConfig(default_image=os.environ.get(IMAGE_VARIABLE) or DEFAULT_IMAGE)
    v2.KubeflowV2DagRunner(config=config, output_dir=str(output.parent), output_filename=output.name).run(
        pipeline
    )
    return output


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"{__package__}.tfx_pipeline", description=__doc__)
    parser.add_argument("command", choices=["run", "compile"])
    parser.add_argument("--spec", type=Path, default=SPEC_FILE, help="the spec JSON (default: %(default)s)")
    parser.add_argument("--params", type=Path, default=DEFAULT_PARAMS, help="default: %(default)s")
    arguments = parser.parse_args(argv)
    if arguments.command == "compile":
        print(f"pipeline spec written to {compile_pipeline(arguments.spec, arguments.params)}")
        return 0
    pushed = run_pipeline(arguments.params)
    if pushed is None:
        print(f"the model was not blessed (AUC below tfx.min_auc of {arguments.params}): nothing pushed")
        return 1
    print(f"model pushed to {pushed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

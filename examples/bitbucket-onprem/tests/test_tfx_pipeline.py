"""The TFX pipeline: its components and their configuration, its compiled spec, and a local run."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

# tfx 1.21's wheels (ml-metadata, tensorflow-data-validation) need glibc 2.39 or newer.
pytest.importorskip(
    "tfx", reason="tfx is not installed: its wheels need glibc 2.39 or newer (Debian 13, Ubuntu 24.04)"
)

import pandas as pd
import tensorflow as tf

from my_ml_project import tfx_pipeline
from my_ml_project.config import load_settings
from my_ml_project.params import DEFAULT_PARAMS

from .workspace import PROJECT_ROOT

COMPONENTS = [
    "CsvExampleGen",
    "StatisticsGen",
    "SchemaGen",
    "ExampleValidator",
    "Transform",
    "Trainer",
    "Evaluator",
    "Pusher",
]


@pytest.fixture
def project_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project root as the working directory, where `make tfx-compile` runs."""
    monkeypatch.chdir(PROJECT_ROOT)
    return PROJECT_ROOT


@pytest.mark.usefixtures("project_root")
def test_the_pipeline_chains_the_eight_components(tmp_path: Path) -> None:
    pipeline = tfx_pipeline.build_pipeline(DEFAULT_PARAMS, str(tmp_path))

    assert [component.id for component in pipeline.components] == COMPONENTS
    assert pipeline.pipeline_info.pipeline_name == tfx_pipeline.PIPELINE_NAME


def test_the_threshold_and_the_split_come_from_params_yaml(workspace: Path) -> None:
    params = workspace / "params.yaml"
    params.write_text(params.read_text().replace("min_auc: 0.7", "min_auc: 0.65"))

    assert tfx_pipeline.min_auc(params) == 0.65
    config = tfx_pipeline.eval_config("churned", 0.65)
    threshold = config.metrics_specs[0].metrics[0].threshold.value_threshold
    assert threshold.lower_bound.value == 0.65
    test_size = load_settings(params).data.test_size
    splits = tfx_pipeline.split_config(test_size).split_config.splits
    assert [(split.name, split.hash_buckets) for split in splits] == [
        ("train", 100 - round(100 * test_size)),
        ("eval", round(100 * test_size)),
    ]


@pytest.mark.usefixtures("project_root")
def test_module_entry_point_compiles_the_kubeflow_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(tfx_pipeline.IMAGE_VARIABLE, "registry.example.com/team/model:train-1.2.0")
    monkeypatch.setenv(tfx_pipeline.ROOT_VARIABLE, str(tmp_path / "root"))
    spec = tmp_path / "out" / "pipeline.json"
    monkeypatch.setattr("sys.argv", ["tfx_pipeline", "compile", "--spec", str(spec)])
    # Run as `python -m`, which starts from a module not imported yet.
    monkeypatch.delitem(sys.modules, tfx_pipeline.__name__)

    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module(tfx_pipeline.__name__, run_name="__main__")

    assert exit_info.value.code == 0
    assert str(spec) in capsys.readouterr().out
    job: dict[str, Any] = json.loads(spec.read_text())
    assert job["pipelineSpec"]["pipelineInfo"]["name"] == tfx_pipeline.PIPELINE_NAME
    executors = job["pipelineSpec"]["deploymentSpec"]["executors"]
    assert {executor["container"]["image"] for executor in executors.values()} == {
        "registry.example.com/team/model:train-1.2.0"
    }
    assert job["runtimeConfig"]["gcsOutputDirectory"] == str(tmp_path / "root")


# LocalDagRunner runs the eight components, Beam and TensorFlow included, in this process.
@pytest.mark.e2e
def test_the_pipeline_runs_end_to_end_with_the_local_runner(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)

    pushed = tfx_pipeline.run_pipeline(workspace / "params.yaml", workspace / "build" / "tfx")

    # The synthetic customers' churn is learnable: the Evaluator blessed the model.
    assert pushed is not None
    assert pushed.is_relative_to(workspace / "build" / "tfx" / "serving")
    settings = load_settings(workspace / "params.yaml")
    rows = pd.read_csv(settings.paths.raw_data).drop(columns=settings.data.target).to_dict(orient="records")
    row = {str(name): value for name, value in rows[0].items()}
    serve = tf.saved_model.load(str(pushed)).signatures["serving_default"]
    probability = serve(examples=tf.constant([_example(row).SerializeToString()]))["churn_probability"]
    assert 0.0 <= float(probability.numpy()[0][0]) <= 1.0


def _example(row: dict[str, Any]) -> Any:
    """A raw row as the `tf.Example` the serving signature parses."""

    def feature(value: Any) -> Any:
        if isinstance(value, str):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=[value.encode()]))
        if isinstance(value, int):
            return tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))
        return tf.train.Feature(float_list=tf.train.FloatList(value=[value]))

    return tf.train.Example(
        features=tf.train.Features(feature={name: feature(value) for name, value in row.items()})
    )

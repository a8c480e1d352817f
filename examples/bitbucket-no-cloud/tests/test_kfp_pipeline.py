"""The Kubeflow Pipelines pipeline: its compiled spec, its components, and a local run."""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from kfp import local
from kfp.dsl import Artifact, Dataset, Markdown, Metrics, Model

from my_ml_project import kfp_pipeline
from my_ml_project.config import ENVIRONMENT_VARIABLES, load_settings

from .workspace import PROJECT_ROOT

STAGES = ("prepare", "train", "evaluate")


def compiled(tmp_path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(kfp_pipeline.compile_pipeline(tmp_path / "spec.yaml").read_text())
    return spec


@pytest.fixture
def project_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project root as the working directory, where `make kfp-compile` runs."""
    monkeypatch.chdir(PROJECT_ROOT)
    return PROJECT_ROOT


@pytest.mark.usefixtures("project_root")
def test_the_spec_runs_each_stage_in_the_train_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kfp_pipeline.IMAGE_VARIABLE, "registry.example.com/team/model:train-1.2.0")

    spec = compiled(tmp_path)

    assert spec["pipelineInfo"]["name"] == kfp_pipeline.PIPELINE_NAME
    assert set(spec["components"]) == {"comp-importer", *(f"comp-{stage}" for stage in STAGES)}
    executors = spec["deploymentSpec"]["executors"]
    for stage in STAGES:
        container = executors[f"exec-{stage}"]["container"]
        assert container["image"] == "registry.example.com/team/model:train-1.2.0"
        # The image carries kfp: nothing is installed when a component starts.
        assert "pip install" not in " ".join(container["command"])
    tasks = spec["root"]["dag"]["tasks"]
    assert tasks["train"]["dependentTasks"] == ["prepare"]
    assert sorted(tasks["evaluate"]["dependentTasks"]) == ["prepare", "train"]


@pytest.mark.usefixtures("project_root")
def test_the_spec_takes_its_parameters_from_params_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(kfp_pipeline.IMAGE_VARIABLE, raising=False)

    spec = compiled(tmp_path)

    parameters = spec["root"]["inputDefinitions"]["parameters"]
    assert json.loads(parameters["params"]["defaultValue"]) == yaml.safe_load(
        (PROJECT_ROOT / "params.yaml").read_text()
    )
    # The raw data has no default: each run names the copy it reads.
    assert "defaultValue" not in parameters["raw_data_uri"]
    assert set(spec["root"]["outputDefinitions"]["artifacts"]) == {"model", "metrics"}
    image = spec["deploymentSpec"]["executors"]["exec-train"]["container"]["image"]
    assert image == kfp_pipeline.DEFAULT_IMAGE
    assert "env" not in spec["deploymentSpec"]["executors"]["exec-train"]["container"]


@pytest.mark.usefixtures("project_root")
def test_the_components_get_the_project_variables_given_at_compile_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = {name: f"value-of-{name.lower()}" for name in ENVIRONMENT_VARIABLES}
    for name, value in given.items():
        monkeypatch.setenv(name, value)

    spec = compiled(tmp_path)

    for stage in STAGES:
        environment = spec["deploymentSpec"]["executors"][f"exec-{stage}"]["container"]["env"]
        assert environment == [{"name": name, "value": value} for name, value in given.items()]


def test_the_components_run_the_stages_on_their_artifacts(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    params = json.dumps(yaml.safe_load((workspace / "params.yaml").read_text()))
    raw = load_settings(workspace / "params.yaml").paths.raw_data
    train_data, test_data = Dataset(uri=str(tmp_path / "train.csv")), Dataset(uri=str(tmp_path / "test.csv"))
    model = Model(uri=str(tmp_path / "model"))
    metrics, plots = Metrics(uri=str(tmp_path / "metrics")), Artifact(uri=str(tmp_path / "plots"))
    model_card = Markdown(uri=str(tmp_path / "model-card.md"))

    kfp_pipeline.prepare(
        params=params, raw_data=Dataset(uri=str(raw)), train_data=train_data, test_data=test_data
    )
    kfp_pipeline.train(params=params, train_data=train_data, model=model)
    kfp_pipeline.evaluate(
        params=params,
        train_data=train_data,
        test_data=test_data,
        model=model,
        metrics=metrics,
        plots=plots,
        model_card=model_card,
    )

    assert Path(model.path).is_dir()
    written = json.loads((tmp_path / "plots" / "metrics.json").read_text())
    assert metrics.metadata == written
    assert {path.name for path in (tmp_path / "plots").iterdir()} >= {"roc_curve.csv", "confusion_matrix.csv"}
    assert Path(model_card.path).read_text().startswith("#")
    # Nothing was written where params.yaml's own paths point.
    assert not (workspace / "data" / "processed").exists()


def test_a_failing_stage_stops_the_component(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    params = json.dumps(yaml.safe_load((workspace / "params.yaml").read_text()))

    with pytest.raises(kfp_pipeline.StageError, match="stage train failed"):
        kfp_pipeline.train(
            params=params,
            train_data=Dataset(uri=str(tmp_path / "missing.csv")),
            model=Model(uri=str(tmp_path)),
        )


@pytest.mark.usefixtures("project_root")
def test_module_entry_point_compiles_the_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "out" / "pipeline.yaml"
    monkeypatch.setattr("sys.argv", ["kfp_pipeline", "compile", "--spec", str(spec)])
    # Run as `python -m`, which starts from a module not imported yet.
    monkeypatch.delitem(sys.modules, kfp_pipeline.__name__)

    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module(kfp_pipeline.__name__, run_name="__main__")

    assert exit_info.value.code == 0
    assert spec.exists()
    assert str(spec) in capsys.readouterr().out


def test_run_command_says_which_variables_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(kfp_pipeline.HOST_VARIABLE, raising=False)
    monkeypatch.setenv(kfp_pipeline.RAW_DATA_VARIABLE, "s3://bucket/customers.csv")

    assert kfp_pipeline.main(["run", "--spec", str(tmp_path / "spec.yaml")]) == 2

    error = capsys.readouterr().err
    assert f"set {kfp_pipeline.HOST_VARIABLE}:" in error
    assert kfp_pipeline.RAW_DATA_VARIABLE + " and" not in error


def test_run_command_needs_a_compiled_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(kfp_pipeline.HOST_VARIABLE, "https://kubeflow.example.com/pipeline")
    monkeypatch.setenv(kfp_pipeline.RAW_DATA_VARIABLE, "s3://bucket/customers.csv")

    assert kfp_pipeline.main(["run", "--spec", str(tmp_path / "spec.yaml")]) == 2

    assert "make kfp-compile" in capsys.readouterr().err


def test_run_command_submits_the_spec_with_the_raw_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    submitted: dict[str, Any] = {}

    class Client:
        """Stands in for kfp.Client: no cluster here."""

        def __init__(self, host: str) -> None:
            submitted["host"] = host

        def create_run_from_pipeline_package(self, spec: str, **options: Any) -> Any:
            submitted.update(spec=spec, **options)
            return type("Run", (), {"run_id": "run-1"})()

    monkeypatch.setattr("kfp.Client", Client)
    monkeypatch.setenv(kfp_pipeline.HOST_VARIABLE, "https://kubeflow.example.com/pipeline")
    monkeypatch.setenv(kfp_pipeline.RAW_DATA_VARIABLE, "s3://bucket/customers.csv")
    spec = tmp_path / "spec.yaml"
    spec.write_text("{}\n")

    assert kfp_pipeline.main(["run", "--spec", str(spec)]) == 0

    assert submitted == {
        "host": "https://kubeflow.example.com/pipeline",
        "spec": str(spec),
        "arguments": {"raw_data_uri": "s3://bucket/customers.csv"},
        "experiment_name": kfp_pipeline.PIPELINE_NAME,
    }
    assert "submitted run run-1" in capsys.readouterr().out


# KFP's local runner starts a process per component, each importing the whole stack.
@pytest.mark.e2e
# The runner warns that an image without "python" in its name may lack Python; here the
# components run in this environment, not in the image.
@pytest.mark.filterwarnings("ignore:You may be attemping to run a task:RuntimeWarning")
def test_the_pipeline_runs_end_to_end_with_the_local_runner(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(workspace)
    settings = load_settings(workspace / "params.yaml")
    params = json.dumps(yaml.safe_load((workspace / "params.yaml").read_text()))
    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(workspace / "kfp-outputs"))

    run = kfp_pipeline.build_pipeline(params, kfp_pipeline.DEFAULT_IMAGE)(
        raw_data_uri=str(settings.paths.raw_data)
    )

    model, metrics = run.outputs["model"], run.outputs["metrics"]
    assert Path(model.path).is_dir()
    assert set(metrics.metadata) == {"accuracy", "precision", "recall", "f1", "roc_auc"}
    assert 0.5 < metrics.metadata["roc_auc"] <= 1

"""Tier 2: the Kubeflow Pipelines answer (`orchestrator: kubeflow`): `make kfp-compile` writes a
spec of the project's stages with params.yaml as its parameter, `make kfp-run` says what it needs,
and the pipeline runs end to end on the bundled sample data with KFP's local runner (no cluster,
no Docker: each component is a process in the shared gate environment).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RenderRow
from tests.helpers import run

pytestmark = pytest.mark.matrix

ANSWERS = {"orchestrator": "kubeflow", "project_name": "Churn Flow", "package_name": "churn_flow"}
STAGES = ("prepare", "train", "evaluate")
METRICS = {"accuracy", "precision", "recall", "f1", "roc_auc"}


@pytest.fixture(scope="module")
def project(render_row: RenderRow) -> Path:
    return render_row(ANSWERS)


def make(
    project: Path, env: dict[str, str], *targets: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    # RUN= runs the tools straight from the gate environment instead of through the package manager.
    return subprocess.run(
        ["make", "--no-print-directory", *targets, "RUN="],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def test_make_kfp_compile_writes_a_spec_of_the_stages(
    project: Path, gate_environment: dict[str, str], tmp_path: Path
) -> None:
    work = shutil.copytree(project, tmp_path / "project")
    env = dict(gate_environment, PYTHONPATH=str(work / "src"), KFP_IMAGE="registry.example.com/churn:train-1")

    started = time.perf_counter()
    make(work, env, "kfp-compile")
    print(f"make kfp-compile: {time.perf_counter() - started:.1f} s")

    spec = yaml.safe_load((work / "build" / "kfp-pipeline.yaml").read_text())
    assert spec["pipelineInfo"]["name"] == "churn-flow-training"
    assert set(spec["components"]) == {"comp-importer", *(f"comp-{stage}" for stage in STAGES)}
    for stage in STAGES:
        container = spec["deploymentSpec"]["executors"][f"exec-{stage}"]["container"]
        assert container["image"] == "registry.example.com/churn:train-1"
        # The component calls the project's own stage, from the package the image installs.
        assert "from churn_flow.kfp_pipeline import run_stage" in container["command"][-1]
        assert f'run_stage("{stage}"' in container["command"][-1]
    parameters = spec["root"]["inputDefinitions"]["parameters"]
    assert set(parameters) == {"params", "raw_data_uri"}
    assert json.loads(parameters["params"]["defaultValue"]) == yaml.safe_load(
        (work / "params.yaml").read_text()
    )
    assert "defaultValue" not in parameters["raw_data_uri"]
    evaluate = spec["components"]["comp-evaluate"]
    assert set(evaluate["inputDefinitions"]["artifacts"]) == {"train_data", "test_data", "model"}
    assert set(evaluate["outputDefinitions"]["artifacts"]) == {"metrics", "plots", "model_card"}
    assert set(spec["root"]["outputDefinitions"]["artifacts"]) == {"model", "metrics"}
    # The spec is a build output: git ignores it, CI keeps it.
    assert "/build/" in (work / ".gitignore").read_text().splitlines()


def test_make_kfp_run_names_the_missing_endpoint(
    project: Path, gate_environment: dict[str, str], tmp_path: Path
) -> None:
    work = shutil.copytree(project, tmp_path / "project")
    env = {
        name: value
        for name, value in dict(gate_environment, PYTHONPATH=str(work / "src")).items()
        if name not in {"KFP_HOST", "KFP_RAW_DATA_URI"}
    }

    completed = make(work, env, "kfp-run", check=False)

    assert completed.returncode != 0
    assert "error: set KFP_HOST and KFP_RAW_DATA_URI:" in completed.stderr
    # kfp-run compiles first, so what it submits is the working tree's pipeline.
    assert (work / "build" / "kfp-pipeline.yaml").exists()


def test_the_pipeline_runs_end_to_end_on_the_sample_data(
    project: Path, gate_environment: dict[str, str], tmp_path: Path
) -> None:
    work = shutil.copytree(project, tmp_path / "project")
    env = dict(gate_environment, PYTHONPATH=str(work / "src"))
    env.pop("MLFLOW_TRACKING_URI", None)
    script = tmp_path / "local_run.py"
    script.write_text(
        "import json, sys, time\n"
        "from pathlib import Path\n"
        "import yaml\n"
        "from kfp import local\n"
        "from churn_flow import kfp_pipeline\n"
        "params = json.dumps(yaml.safe_load(Path('params.yaml').read_text()))\n"
        "root = str(Path('kfp-outputs').resolve())\n"
        "local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=root)\n"
        "started = time.perf_counter()\n"
        "task = kfp_pipeline.build_pipeline(params, kfp_pipeline.DEFAULT_IMAGE)(\n"
        "    raw_data_uri=str(Path('data/raw/customers.csv').resolve()))\n"
        "Path(sys.argv[1]).write_text(json.dumps({'seconds': time.perf_counter() - started,\n"
        "    'model': task.outputs['model'].path, 'metrics': task.outputs['metrics'].metadata}))\n"
    )

    run(["python", str(script), str(tmp_path / "result.json")], cwd=work, env=env)

    result: dict[str, Any] = json.loads((tmp_path / "result.json").read_text())
    print(f"local end-to-end run: {result['seconds']:.1f} s")
    model = Path(result["model"])
    assert model.is_dir()
    assert any(model.iterdir())
    assert model.is_relative_to(work / "kfp-outputs")
    assert set(result["metrics"]) == METRICS
    # The sample data's churn is learnable: a broken stage would score near chance.
    assert result["metrics"]["roc_auc"] > 0.7
    metrics_file = next((work / "kfp-outputs").glob("*/evaluate/plots/metrics.json"))
    assert json.loads(metrics_file.read_text()) == result["metrics"]
    assert next((work / "kfp-outputs").glob("*/evaluate/model_card")).read_text().startswith("#")
    # Evaluation registered the model in the local MLflow store of the working directory.
    assert (work / "mlruns" / "mlflow.db").exists()
    # DVC's outputs are untouched: the pipeline wrote only its own artifacts.
    assert not (work / "data" / "processed").exists()
    assert not (work / "models").exists()

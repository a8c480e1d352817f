"""The TensorFlow Extended answer (`orchestrator: tfx`).

Tier 2: a TFX render passes ruff and mypy (tfx is untyped) in the shared gate environment,
where tfx cannot install (its wheels need glibc 2.39; this machine may have less) and which
holds no TensorFlow, which the project's tests import first.
Tier 3, extended: in a Debian 13 root (glibc 2.41) with the project's locked dependencies,
`make tfx-run` runs the eight components on the sample data and pushes a model that answers its
`serving_default` signature, and `make tfx-compile` writes the Kubeflow Pipelines spec.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from tests.conftest import RenderRow
from tests.debian_root import MISSING, in_root, mounted, prepared, remove_root
from tests.helpers import TOOLS_BIN, render, run

ANSWERS = {
    "orchestrator": "tfx",
    "ml_framework": "tensorflow",
    "project_name": "Churn Flow",
    "package_name": "churn_flow",
}
SUITE = "trixie"
# Debian 13's Python, which the root runs the project on.
ROOT_PYTHON = "3.13"


@pytest.mark.matrix
def test_a_tfx_render_passes_ruff_and_mypy_where_tfx_cannot_install(
    render_row: RenderRow, gate_environment: dict[str, str], tmp_path: Path
) -> None:
    project = shutil.copytree(render_row(ANSWERS), tmp_path / "project")
    env = dict(gate_environment, PYTHONPATH=str(project / "src"))

    run(["ruff", "check", "."], cwd=project, env=env)
    run(["ruff", "format", "--check", "."], cwd=project, env=env)
    run(["mypy"], cwd=project, env=env)


@pytest.mark.matrix
def test_a_tfx_render_runs_and_compiles_through_make(render_row: RenderRow) -> None:
    project = render_row(ANSWERS)
    makefile = (project / "Makefile").read_text()
    params = (project / "params.yaml").read_text()
    pyproject = (project / "pyproject.toml").read_text()

    assert re.search(r"^\.PHONY: .* tfx-run tfx-compile$", makefile, flags=re.MULTILINE)
    assert "$(RUN) python -m churn_flow.tfx_pipeline run" in makefile
    assert "$(RUN) python -m churn_flow.tfx_pipeline compile" in makefile
    assert "tfx:\n  min_auc: 0.7\n" in params
    # tfx requires `tensorflow` itself and pins scikit-learn.
    assert '"tensorflow>=2.21,<2.22"' in pyproject
    assert "tensorflow-cpu" not in pyproject
    assert '"scikit-learn==1.5.2"' in pyproject
    assert "/build/" in (project / ".gitignore").read_text().splitlines()


def _locked_install(project: Path) -> Callable[[Path], None]:
    """What installs, in a root, the project's runtime dependencies from its uv.lock into
    /opt/venv, as `uv sync` does."""

    def install(root: Path) -> None:
        shutil.copy(TOOLS_BIN / "uv", root / "usr" / "local" / "bin" / "uv")
        shutil.copytree(project, root / "work")
        in_root(root, "cd /work && uv sync --locked --no-dev --no-install-project", ROOT_UV)
        # Neither the project nor uv's cache belongs in the cached root.
        shutil.rmtree(root / "work")
        shutil.rmtree(root / "tmp" / "uv-cache", ignore_errors=True)

    return install


ROOT_UV = {
    "UV_PROJECT_ENVIRONMENT": "/opt/venv",
    "UV_PYTHON": "/usr/bin/python3",
    "UV_PYTHON_DOWNLOADS": "never",
    "UV_CACHE_DIR": "/tmp/uv-cache",
    "UV_LINK_MODE": "copy",
    "UV_COMPILE_BYTECODE": "1",
}
SHOW_SIGNATURE = "saved_model_cli show --dir . --tag_set serve --signature_def serving_default"


@pytest.mark.project
@pytest.mark.extended
@pytest.mark.skipif(
    bool(MISSING), reason=f"needs {', '.join(MISSING)} (.ci/run installs the tools with apt-get as root)"
)
def test_the_pipeline_runs_and_compiles_in_a_debian_13_root(copie: Copie, tmp_path: Path) -> None:
    project = render(copie, init_git=False, package_manager="uv", python_version=ROOT_PYTHON, **ANSWERS)
    run([str(TOOLS_BIN / "uv"), "lock", "--quiet"], cwd=project)
    key = hashlib.sha256((project / "uv.lock").read_bytes()).hexdigest()[:16]
    root = tmp_path / "root"
    try:
        tarball, seconds = prepared(root, SUITE, key, _locked_install(project))
        shutil.copytree(project, root / "work")
        # The project's own Makefile with the root's environment (RUN= runs its tools directly).
        env = {**ROOT_UV, "PYTHONPATH": "/work/src"}
        with mounted(root):
            for target in ("tfx-run", "tfx-compile"):
                started = time.perf_counter()
                in_root(root, f"cd /work && make --no-print-directory {target} RUN=", env)
                seconds[target] = time.perf_counter() - started
            # What the pushed SavedModel answers (the project's end-to-end test calls it).
            signature = in_root(root, f"cd /work/build/tfx/serving/* && {SHOW_SIGNATURE}", env)
        print(f"{tarball.name}: " + ", ".join(f"{step} {value:.0f}" for step, value in seconds.items()))

        assert "inputs['examples'] tensor_info:\n      dtype: DT_STRING" in signature
        assert "outputs['churn_probability'] tensor_info:\n      dtype: DT_FLOAT" in signature
        spec = json.loads((root / "work" / "build" / "tfx-pipeline.json").read_text())
        assert spec["pipelineSpec"]["pipelineInfo"]["name"] == "churn-flow-tfx"
        tasks = spec["pipelineSpec"]["root"]["dag"]["tasks"]
        assert set(tasks) == {
            "CsvExampleGen",
            "StatisticsGen",
            "SchemaGen",
            "ExampleValidator",
            "Transform",
            "Trainer",
            "Evaluator",
            "Pusher",
        }
    finally:
        remove_root(root)

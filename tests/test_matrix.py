"""Tier 2: option combinations render and pass the fast gates; bad answers are refused.

The fast gates (ruff, ruff format, mypy --strict, the project's own pytest) run in one shared
environment built once per session, so each combination costs seconds, not an install.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from pytest_copie.plugin import Copie

from extensions.data import dependencies
from extensions.dependencies import indexed_packages
from extensions.frameworks import FRAMEWORKS
from extensions.package_managers import PACKAGE_MANAGERS
from tests.combinations import fast_gate_rows, params, validator_rows
from tests.conftest import RenderRow
from tests.helpers import TOOLS_BIN, parsed_files, pinned_tool, render, run

pytestmark = pytest.mark.matrix

HADOLINT = TOOLS_BIN / "hadolint"

# Every value of every question but the framework (the gate environment holds scikit-learn), with
# a long project name, a custom package name and quotes, emoji and non-ASCII in the free text.
FAST_GATE_ROWS = params(fast_gate_rows())
# Every valid pair of answers: the cheap checks (hadolint, ruff) of each.
VALIDATOR_ROWS = params(validator_rows())


@dataclass(frozen=True)
class Combination:
    answers: dict[str, Any]
    project: Path


@pytest.fixture(scope="module", params=FAST_GATE_ROWS)
def combination(request: pytest.FixtureRequest, render_row: RenderRow) -> Combination:
    """One render per row, shared by the tests below (which only read it or run gates)."""
    return Combination(request.param, render_row(request.param))


def test_combination_passes_the_fast_gates(
    combination: Combination, gate_environment: dict[str, str], tmp_path: Path
) -> None:
    # On a copy: the render is shared with tests that read every file of it (test_render.py),
    # and the project's own tests leave a coverage file and an MLflow store behind.
    project = shutil.copytree(combination.project, tmp_path / "project")
    env = dict(gate_environment, PYTHONPATH=str(project / "src"))

    run(["ruff", "check", "."], cwd=project, env=env)
    run(["ruff", "format", "--check", "."], cwd=project, env=env)
    run(["mypy"], cwd=project, env=env)
    run(["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, env=env)


def test_combination_renders_its_own_choices(combination: Combination) -> None:
    project, answers = combination.project, combination.answers
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    version = answers["python_version"]

    assert (project / ".python-version").read_text() == f"{version}\n"
    assert pyproject["tool"]["mypy"]["python_version"] == version
    # Ruff reads its target from requires-python (one place for the Python version).
    assert pyproject["project"]["requires-python"].startswith(f">={version},")
    assert "target-version" not in pyproject["tool"]["ruff"]
    assert (project / "Pipfile").exists() == (answers["package_manager"] == "pipenv")
    assert ("dependency-groups" in pyproject) == (answers["package_manager"] != "pipenv")
    makefile = (project / "Makefile").read_text()
    assert f"RUN := {answers['package_manager']} run" in makefile
    licence = (project / "LICENSE").read_text()
    first_line = {
        "MIT": "MIT License",
        "Apache-2.0": "Apache License",
        "BSD-3-Clause": "BSD 3-Clause License",
        "Proprietary": "Copyright (c)",
    }[answers["license"]]
    assert licence.lstrip().startswith(first_line)
    assert ("license" in pyproject["project"]) == (answers["license"] != "Proprietary")
    serves = answers["serving"] == "fastapi"
    package = project / "src" / answers.get("package_name", pyproject["project"]["name"].replace("-", "_"))
    assert (package / "serve" / "app.py").is_file() == serves
    assert (project / "tests" / "test_serve.py").is_file() == serves
    assert (package / "monitoring" / "drift.py").is_file()
    assert ("\nserve:" in makefile) == serves
    assert any(req.startswith("fastapi") for req in pyproject["project"]["dependencies"]) == serves
    # The serving image's group: what serving imports, no more (scikit-learn serves its ONNX export).
    if answers["package_manager"] == "pipenv":
        serving_group = list(tomllib.loads((project / "Pipfile").read_text()).get("serve", {}))
    else:
        serving_group = [Requirement(spec).name for spec in pyproject["dependency-groups"].get("serve", [])]
    native = answers["ml_framework"] != "scikit-learn"
    assert ("fastapi" in serving_group) == serves
    assert ("onnxruntime" in serving_group) == (serves and not native)
    assert ("pandas" in serving_group) == (serves and native)
    assert not [name for name in serving_group if name.startswith("mlflow")]


def test_combination_writes_free_text_as_given(combination: Combination) -> None:
    project = combination.project
    parsed = parsed_files(project)
    answers = parsed[".copier-answers.yml"]
    pyproject = parsed["pyproject.toml"]

    assert pyproject["project"]["description"] == answers["description"]
    author = {"name": answers["author_name"], "email": answers["author_email"]}
    assert pyproject["project"]["authors"] == [author]
    if answers["docs"] == "mkdocs":
        assert parsed["mkdocs.yml"]["site_name"] == answers["project_name"]
        assert parsed["mkdocs.yml"]["site_description"] == answers["description"]
        assert parsed["mkdocs.yml"]["copyright"].endswith(f" {answers['author_name']}")
    assert parsed["params.yaml"]["model_card"]["intended_use"][0] == answers["description"]
    # Characters as themselves: Jinja's `tojson` wrote \u escapes (and surrogates for emoji).
    for name in sorted({"pyproject.toml", "mkdocs.yml", "params.yaml"} & set(parsed)):
        assert "\\u" not in (project / name).read_text(encoding="utf-8"), name


@pytest.mark.parametrize("answers", VALIDATOR_ROWS)
def test_dockerfile_passes_hadolint(answers: dict[str, str], render_row: RenderRow) -> None:
    project = render_row(answers)
    serving = answers["serving"]
    lock_file = PACKAGE_MANAGERS[answers["package_manager"]].lock_file

    run([str(HADOLINT), "Dockerfile"], cwd=project)
    dockerfile = (project / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)$", dockerfile, flags=re.MULTILINE)
    served = serving == "fastapi"
    assert stages == [
        "python",
        "installer",
        "builder",
        *(["serve_builder"] if served else []),
        "runtime",
        "train",
        *(["serve"] if served else []),
    ]
    # One FROM names the base image, pinned by tag and digest; the others build on that stage.
    bases = re.findall(r"^FROM (\S+) AS", dockerfile, flags=re.MULTILINE)
    assert re.fullmatch(r"\$\{PYTHON_IMAGE:-[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}\}", bases[0]), bases[0]
    assert set(bases[1:]) <= set(stages), bases
    assert re.search(rf"^COPY .*\b{re.escape(lock_file)} \./$", dockerfile, flags=re.MULTILINE)
    # The serve image probes /health; the train image, a batch job, says it has nothing to probe.
    probes = re.findall(r"^HEALTHCHECK (\S+)", dockerfile, flags=re.MULTILINE)
    assert probes[0] == "NONE"
    assert (len(probes) == 2 and probes[1] != "NONE") == (serving == "fastapi")
    assert re.search(r"^USER \d+:\d+$", dockerfile, flags=re.MULTILINE)
    # Bytecode for the environment and the code whichever manager installs them, valid whatever
    # mtimes the copies get: a read-only root filesystem must never compile at start.
    compiled = re.findall(r"compileall -q -j 0 --invalidation-mode checked-hash ([^\n]+)", dockerfile)
    assert {".venv", "src"} <= {target for targets in compiled for target in targets.split()}, compiled
    assert "compileall.compile_dir(sysconfig.get_path('stdlib')" in dockerfile
    # The serve image carries the trained model, owned by root, and loads it from that file.
    assert ("\nCOPY --chown=0:0 models/model/ models/model/\n" in dockerfile) == (serving == "fastapi")
    assert ("\nENV MODEL_SOURCE=file\n" in dockerfile) == (serving == "fastapi")
    # The serve image takes its environment from the serve builder (the `serve` group alone).
    copies = re.findall(r"^COPY --from=(\w+) /app/\.venv \.venv$", dockerfile, flags=re.MULTILINE)
    assert copies == ["builder", *(["serve_builder"] if served else [])]
    # Deny by default; nothing under data/ or a dot-folder (.env, .venv, .git) is let back in, and
    # of models/ only the trained model, for the serve image.
    rules = [
        line for line in (project / ".dockerignore").read_text().splitlines() if not line.startswith("#")
    ]
    assert rules[0] == "*"
    assert f"!{lock_file}" in rules
    assert not [rule for rule in rules if rule.startswith(("!data", "!."))]
    models = [rule for rule in rules if rule.startswith("!models")]
    assert models == (["!models/model/"] if serving == "fastapi" else [])


# What the template avoids, and what hadolint says: warnings, and an info alone (consecutive RUNs).
AVOIDED = {
    "FROM python:latest\nRUN pip install --no-cache-dir fastapi\n": ["DL3007 warning", "DL3013 warning"],
    "FROM python:3.12.12-slim\nRUN echo a\nRUN echo b\n": ["DL3059 info"],
}


@pytest.mark.parametrize(("dockerfile", "codes"), AVOIDED.items())
def test_hadolint_flags_what_the_template_avoids(tmp_path: Path, dockerfile: str, codes: list[str]) -> None:
    """The check above only means something if hadolint fails at its default threshold."""
    (tmp_path / "Dockerfile").write_text(dockerfile)
    command = [str(HADOLINT), "--no-color", "Dockerfile"]
    completed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)

    assert completed.returncode == 1
    assert [line.split(" ", 1)[1].split(":")[0] for line in completed.stdout.splitlines()] == codes


@pytest.mark.parametrize("answers", VALIDATOR_ROWS)
def test_every_pair_of_answers_renders_clean_code(answers: dict[str, str], render_row: RenderRow) -> None:
    """Lint and format of each model variant with every other answer; the project tier trains
    each one for real."""
    project = render_row(answers)
    framework, tracking = answers["ml_framework"], answers["experiment_tracking"]
    package = project / "src" / "my_ml_project"

    run([str(pinned_tool(project, "ruff")), "check", "."], cwd=project)
    run([str(pinned_tool(project, "ruff")), "format", "--check", "."], cwd=project)
    assert (package / "tracking.py").exists() == (tracking == "mlflow")
    assert (project / "tests" / "test_network.py").exists() == (framework != "scikit-learn")
    model = (package / "model.py").read_text()
    assert f'FLAVOUR: Final = "{FRAMEWORKS[framework].flavour}"' in model
    params = (project / "params.yaml").read_text()
    assert ("registry:" in params) == (tracking == "mlflow")
    pyproject = (project / "pyproject.toml").read_text()
    assert ("mlflow-skinny" in pyproject) == (tracking == "mlflow")
    # The dedicated indexes (PyTorch's CPU wheels) of the project's packages, where its package
    # manager takes packages from them.
    indexes = {entry["index"] for entry in indexed_packages(**answers)}
    takes_indexes = PACKAGE_MANAGERS[answers["package_manager"]].takes_indexes
    for index in dependencies()["indexes"]:
        assert (f'name = "{index}"' in pyproject) == (index in indexes and takes_indexes), index
    # The fast gates run the project's own tests for scikit-learn only: its import-cycle check here.
    assert _import_cycle(project, package) == []


def _import_cycle(project: Path, package: Path) -> list[str]:
    """What the rendered project's tests/test_imports.py finds in its package (stdlib only)."""
    spec = importlib.util.spec_from_file_location(
        "rendered_test_imports", project / "tests" / "test_imports.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.import_cycle(package))


def test_pipfile_lists_the_dev_tools_and_installs_the_project(copie: Copie) -> None:
    project = render(copie, init_git=False, package_manager="pipenv")
    pipfile = tomllib.loads((project / "Pipfile").read_text())

    assert pipfile["packages"] == {"my-ml-project": {"file": ".", "editable": True}}
    assert "dvc" in pipfile["dev-packages"]
    assert pipfile["requires"]["python_version"] == "3.12"
    # The serving image installs this category alone (the Dockerfile's serve builder).
    assert {"fastapi", "onnxruntime"} <= set(pipfile["serve"])
    assert "pipenv install --categories serve --deploy" in (project / "Dockerfile").read_text()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": ""}, "The project name must not be empty."),
        ({"project_slug": "Bad Slug"}, "'Bad Slug' is not a valid project slug"),
        ({"package_name": "my-package"}, "'my-package' is not a valid package name"),
        ({"package_name": "class"}, "'class' is a Python keyword"),
        ({"package_name": "typing"}, "would shadow the standard library module 'typing'"),
        ({"package_name": "sklearn"}, "would shadow the dependency 'sklearn'"),
        ({"package_name": "test"}, "'test' is a folder or tool name of the project itself"),
        ({"description": "x" * 201}, "The description must be at most 200 characters"),
        ({"author_email": "jane.example.com"}, "'jane.example.com' is not an e-mail address"),
        ({"organization": "-acme"}, "'-acme' is not a GitHub or GitLab owner"),
        ({"copyright_year": 1900}, "The copyright year must be between 1970"),
        ({"python_version": "3.10"}, "Invalid choice"),
        ({"package_manager": "conda"}, "Invalid choice"),
        ({"ml_framework": "jax"}, "Invalid choice"),
        ({"orchestrator": "tfx", "ml_framework": "pytorch"}, "runs tensorflow models only, not pytorch"),
        ({"code_owners": "ml-team"}, "'ml-team' is not a code owner"),
        ({"cloud_provider": "gcp", "cloud_region": "eu-west-1"}, "'eu-west-1' is not a gcp region name"),
        ({"resource_prefix": "my-ml"}, "'my-ml' is not a resource prefix"),
        (
            {"cloud_provider": "gcp", "iac_tool": "cloudformation"},
            "AWS CloudFormation creates resources on aws only, not on gcp",
        ),
        ({"project_owned_files": ["../outside"]}, "'../outside' must be a path inside the project"),
        # One of each kind the static tier tries by the dozen (tests/test_answers.py).
        ({"project_name": "Churn\u202emodel"}, "invisible or control characters (found U+202E)"),
        ({"author_name": "Jane Doe "}, "The author name must not start or end with spaces."),
        ({"organization": "acme/../ml"}, "'acme/../ml' is not a GitHub or GitLab owner"),
        ({"description": "Scores {{ churn }}"}, "The description must not contain Jinja delimiters"),
        ({"author_email": "$(id)@example.com"}, "'$(id)@example.com' is not an e-mail address"),
        ({"project_name": "x" * 65}, "The project name must be at most 64 characters"),
        ({"project_slug": "numpy"}, "'numpy' is the name of a dependency of the project"),
        # A group path is a GitLab owner only.
        ({"organization": "acme/ml"}, "GitHub owners are one name, not a group path like 'acme/ml'"),
        ({"organization": "acme/ml", "ci_provider": "bitbucket"}, "Bitbucket owners are one name"),
    ],
)
def test_bad_answers_are_refused_before_any_file_is_written(
    copie: Copie, answers: dict[str, Any], message: str
) -> None:
    result = copie.copy(extra_answers=answers)

    assert result.exception is not None
    assert message in str(result.exception)
    assert result.project_dir is None
    written = [path for path in copie.test_dir.rglob("*") if path.is_file()]
    assert written == []

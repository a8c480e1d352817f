"""Tier 4: an existing project adopts the template with scripts/adopt.py, then `copier update` works.

The projects are made the way teams made theirs: one is rendered by the `cookiecutter` package
from a local template shaped like cookiecutter-data-science and carries cruft's `.cruft.json`,
one has only a `pyproject.toml`, one only its folder name. The template is a throwaway git copy,
tagged v1.0.0 and v1.1.0 (which changes a file the adopted project takes from the template and
one it keeps its own version of).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from cookiecutter.main import cookiecutter
from copier import run_update

from extensions import data
from scripts import adopt
from tests.helpers import TEMPLATE_ROOT, commit_all, git, run, snapshot_template, tool_env
from tests.update_helpers import tag_version

pytestmark = pytest.mark.update

ADOPT = TEMPLATE_ROOT / "scripts" / "adopt.py"
EDITORCONFIG_ADDITION = "\n[*.md]\ntrim_trailing_whitespace = false\n"
README_ADDITION = "\n## Template news\n\nA section the template added in v1.1.0.\n"
# What a team answered when cookiecutter rendered its project (cookiecutter-data-science's keys).
CCDS_ANSWERS = {
    "project_name": "Churn Prediction",
    "repo_name": "churn-model",
    "module_name": "churn_model",
    "author_name": "Data Team",
    "description": "Predicts which customers leave next month.",
    "open_source_license": "BSD-3-Clause",
    "python_version": "3.10",
}
CCDS_FILES = {
    "README.md": "# {{ cookiecutter.project_name }}\n\n{{ cookiecutter.description }}\n",
    "Makefile": "data:\n\tpython -m {{ cookiecutter.module_name }}.dataset\n",
    ".gitignore": "/data/\n*.pyc\n.env\n",
    "{{ cookiecutter.module_name }}/__init__.py": "",
    "{{ cookiecutter.module_name }}/dataset.py": '"""Loads the raw data."""\n',
    "data/raw/.gitkeep": "",
    "notebooks/.gitkeep": "",
}


@dataclass(frozen=True)
class TemplateRepo:
    path: Path
    first: str
    second: str


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepo:
    repo = snapshot_template(tmp_path_factory.mktemp("template-repo"))
    tag_version(repo, "v1.0.0")
    for relative, addition in (
        (".editorconfig", EDITORCONFIG_ADDITION),
        ("README.md.jinja", README_ADDITION),
    ):
        path = repo / "template" / relative
        path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    tag_version(repo, "v1.1.0")
    return TemplateRepo(repo, "v1.0.0", "v1.1.0")


def _ccds_project(root: Path) -> Path:
    """A project rendered by cookiecutter from a local cookiecutter-data-science look-alike, with
    the `.cruft.json` cruft writes beside it, committed."""
    template = root / "ccds-template"
    for relative, text in CCDS_FILES.items():
        path = template / "{{ cookiecutter.repo_name }}" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    defaults = dict.fromkeys(CCDS_ANSWERS, "") | {"open_source_license": ["MIT", "BSD-3-Clause"]}
    (template / "cookiecutter.json").write_text(json.dumps(defaults), encoding="utf-8")
    git(template, "init", "--quiet", "--initial-branch=main")
    commit_all(template, "cookiecutter template")
    # cookiecutter keeps replays and downloads under the home folder unless told otherwise.
    config = root / "cookiecutter-config.yaml"
    config.write_text(
        yaml.safe_dump({"cookiecutters_dir": str(root / "cc-dir"), "replay_dir": str(root / "cc-replay")})
    )
    output = root / "projects"
    project = Path(
        cookiecutter(
            str(template),
            no_input=True,
            extra_context=CCDS_ANSWERS,
            output_dir=str(output),
            config_file=str(config),
        )
    )
    cruft: dict[str, Any] = {
        "template": str(template),
        "commit": git(template, "rev-parse", "HEAD").strip(),
        "checkout": None,
        "context": {"cookiecutter": {**CCDS_ANSWERS, "_template": str(template)}},
        "directory": None,
        "skip": [],
    }
    (project / ".cruft.json").write_text(json.dumps(cruft, indent=2) + "\n", encoding="utf-8")
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "start from cookiecutter-data-science")
    return project


def _adopt(project: Path, template: TemplateRepo, *options: str) -> str:
    template_options = ["--vcs-ref", template.first, "--template", str(template.path)]
    # The script keeps its scratch render for the team's diffs: here it lands in pytest's tmp dir.
    env = tool_env({"TMPDIR": str(project.parent)})
    return run([sys.executable, str(ADOPT), *template_options, *options, str(project)], project.parent, env)


def _answers(project: Path) -> dict[str, Any]:
    answers: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    return answers


def _changed(project: Path) -> list[str]:
    return sorted(line[3:] for line in git(project, "status", "--porcelain").splitlines())


def _assert_the_answers_come_from_cruft(answers: dict[str, Any], template_repo: TemplateRepo) -> None:
    assert answers["_commit"] == template_repo.first
    assert answers["_src_path"] == str(template_repo.path)
    assert answers["project_name"] == "Churn Prediction"
    assert answers["project_slug"] == "churn-model"
    assert answers["package_name"] == "churn_model"
    assert answers["author_name"] == "Data Team"
    assert answers["description"] == CCDS_ANSWERS["description"]
    assert answers["license"] == "BSD-3-Clause"
    assert answers["python_version"] == "3.11"


def _assert_the_project_keeps_its_files_and_gets_the_templates(project: Path, own: dict[str, bytes]) -> None:
    assert set(own) <= set(_answers(project)["project_owned_files"])
    assert {name: (project / name).read_bytes() for name in own} == own
    assert (project / "churn_model" / "dataset.py").is_file()
    for added in (".editorconfig", "pyproject.toml", "dvc.yaml", "src/churn_model/train.py"):
        assert (project / added).is_file(), added
    assert "BSD 3-Clause" in (project / "LICENSE").read_text(encoding="utf-8")
    assert all(line.startswith("??") for line in git(project, "status", "--porcelain").splitlines())


def _assert_the_script_says_what_is_left_to_do(output: str) -> None:
    assert ".cruft.json module_name" in output
    # The project's own .gitignore hides the template's data folder: the script says so.
    hidden = output.split("hide these added files from git")[1].split("\n\n", maxsplit=1)[0]
    assert "data/raw/customers.csv.dvc" in hidden
    assert "data/raw/customers.csv\n" not in hidden
    assert "move its modules into src/churn_model/." in output
    assert 'git commit -m "Adopt the ML project template v1.0.0"' in output


def test_a_cookiecutter_project_adopts_and_then_updates(tmp_path: Path, template_repo: TemplateRepo) -> None:
    project = _ccds_project(tmp_path)
    own = {name: (project / name).read_bytes() for name in ("README.md", "Makefile", ".gitignore")}

    output = _adopt(project, template_repo)

    _assert_the_answers_come_from_cruft(_answers(project), template_repo)
    _assert_the_project_keeps_its_files_and_gets_the_templates(project, own)
    _assert_the_script_says_what_is_left_to_do(output)

    commit_all(project, "adopt the ML project template")
    run_update(
        str(project), defaults=True, overwrite=True, unsafe=True, quiet=True, vcs_ref=template_repo.second
    )

    assert (project / ".editorconfig").read_text(encoding="utf-8").endswith(EDITORCONFIG_ADDITION)
    assert (project / "README.md").read_bytes() == own["README.md"]
    assert list(project.rglob("*.rej")) == []
    assert _changed(project) == [".copier-answers.yml", ".editorconfig"]
    assert _answers(project)["_commit"] == template_repo.second


def oldest_copier(version: str) -> Path:
    """The bin folder of a venv with exactly this Copier and the extension packages the
    template-update CI job installs beside it, from the package index with pip. Kept in the
    repository's git-ignored build/, by version: the next run reuses it instead of downloading."""
    requirements = [f"copier=={version}", *data.dependencies()["ci_tools"]["copier"][1:]]
    venv = TEMPLATE_ROOT / "build" / "oldest-copier" / version
    # Written last, with what was installed: a half-made venv, or one made for other ranges of
    # the extension packages, is made again.
    installed = venv / "requirements.txt"
    wanted = "\n".join(requirements) + "\n"
    if not installed.is_file() or installed.read_text(encoding="utf-8") != wanted:
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "-m", "venv", str(venv)], venv.parent)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run([*pip, *requirements], venv.parent)
        installed.write_text(wanted, encoding="utf-8")
    return venv / "bin"


def test_the_oldest_allowed_copier_keeps_the_adopted_projects_own_files(
    tmp_path: Path, template_repo: TemplateRepo
) -> None:
    """Adoption and the first update with the `_min_copier_version` release itself: a floor below
    the first Copier that splits `_exclude` on newlines fails here, with the project's README.md
    merged with the template's into conflict markers."""
    minimum = str(adopt.min_copier_version())
    bin_dir = oldest_copier(minimum)
    env = tool_env({"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "TMPDIR": str(tmp_path)})
    assert run([str(bin_dir / "copier"), "--version"], tmp_path, env).split() == ["copier", minimum]
    project = _ccds_project(tmp_path)
    readme = (project / "README.md").read_bytes()

    template_options = ["--vcs-ref", template_repo.first, "--template", str(template_repo.path)]
    run([str(bin_dir / "python"), str(ADOPT), *template_options, str(project)], tmp_path, env)
    assert "README.md" in _answers(project)["project_owned_files"]
    commit_all(project, "adopt the ML project template")
    run(
        [str(bin_dir / "copier"), "update", "--trust", "--defaults", "--vcs-ref", template_repo.second],
        project,
        env,
    )

    assert b"<<<<<<<" not in (project / "README.md").read_bytes()
    assert (project / "README.md").read_bytes() == readme
    assert (project / ".editorconfig").read_text(encoding="utf-8").endswith(EDITORCONFIG_ADDITION)
    assert list(project.rglob("*.rej")) == []
    assert _changed(project) == [".copier-answers.yml", ".editorconfig"]


def test_a_project_without_cruft_takes_its_answers_from_pyproject(
    tmp_path: Path, template_repo: TemplateRepo
) -> None:
    project = tmp_path / "fraud-detector"
    pyproject = (
        '[project]\nname = "fraud-detector"\ndescription = "Flags fraudulent card payments."\n'
        'requires-python = ">=3.13"\nlicense = "Apache-2.0"\n'
        'authors = [{ name = "Risk Analytics", email = "risk@example.com" }]\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "README.md": "# Fraud detector\n",
        "src/fraud_detector/__init__.py": "",
    }
    for relative, text in files.items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text, encoding="utf-8")
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "start")

    _adopt(project, template_repo)

    answers = _answers(project)
    assert answers["project_slug"] == "fraud-detector"
    assert answers["project_name"] == "Fraud Detector"
    assert answers["package_name"] == "fraud_detector"
    assert answers["python_version"] == "3.13"
    assert answers["license"] == "Apache-2.0"
    assert (answers["author_name"], answers["author_email"]) == ("Risk Analytics", "risk@example.com")
    assert sorted(answers["project_owned_files"]) == sorted(files)
    assert {relative: (project / relative).read_text(encoding="utf-8") for relative in files} == files
    assert (project / "src" / "fraud_detector" / "train.py").is_file()


def test_answers_only_changes_nothing_and_a_dirty_tree_is_refused(
    tmp_path: Path, template_repo: TemplateRepo, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demand_forecast"
    project.mkdir()
    (project / "README.md").write_text("# Demand\n", encoding="utf-8")
    git(project, "init", "--quiet", "--initial-branch=main")
    commit_all(project, "start")

    output = _adopt(project, template_repo, "--answers-only")

    assert _changed(project) == []
    data_file = Path(output.split("Answers written to ")[1].split(";")[0])
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    assert (data["project_name"], data["project_slug"]) == ("Demand Forecast", "demand-forecast")
    assert data["project_owned_files"] == ["README.md"]
    assert f"--data-file {data_file}" in output

    (project / "README.md").write_text("# Demand, edited\n", encoding="utf-8")

    assert adopt.main([str(project)]) == 1
    assert "uncommitted changes" in capsys.readouterr().err
    assert not (project / ".copier-answers.yml").exists()

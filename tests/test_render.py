"""Tier 1: the default project renders; in a render of every value of every question, every file
parses and nothing is left unrendered."""

from __future__ import annotations

import re
import subprocess
import tomllib
from http import HTTPStatus
from pathlib import Path

import pytest
import yaml
from pytest_copie.plugin import Copie

from scripts import generated_blocks, make_targets_reference
from tests.combinations import each_value, params
from tests.conftest import RenderRow
from tests.helpers import (
    TOOLS_BIN,
    git,
    parsed_files,
    project_files,
    render,
    run,
    snapshot_template,
    text_files,
    tool_env,
)

pytestmark = pytest.mark.render

# `${{ ... }}` is CI-expression syntax, not Jinja; anything else with these markers is a leftover.
JINJA_LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|%\}")
# infra/ansible holds Ansible's own Jinja: there, only expressions of the roles' prefixed
# variables, Ansible's own and a loop's are not leftovers (a name of the template's would be).
ANSIBLE_DIR = "infra/ansible/"
ANSIBLE_EXPRESSION = re.compile(
    r"\{\{ \[?(?:mlflow_server_|dvc_remote_|ansible_|item\b|key\b)[^{}]*\}\}"
    r"|\{% (?:for key in dvc_remote_\w+|endfor) %\}"
)
NOT_PORTABLE = re.compile(r'[<>:"|?*\\]|[. ]$')


def test_make_targets_of_getting_started_are_what_each_render_lists() -> None:
    # Renders the Makefile once per value of every choice question, so an answer that adds or
    # removes a target, or a changed help text, fails here until the page is regenerated.
    pages = {
        make_targets_reference.GETTING_STARTED: make_targets_reference.PAGES[
            make_targets_reference.GETTING_STARTED
        ]
    }

    assert (
        generated_blocks.stale_pages(pages, make_targets_reference.COMMAND, make_targets_reference.ROOT) == []
    ), "the make targets in docs/getting-started.md are stale: run `make make-targets-reference`"


@pytest.fixture(scope="module")
def template_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template as a repository, for `copier copy` run as a person runs it."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(params=params(each_value()))
def each_value_project(request: pytest.FixtureRequest, render_row: RenderRow) -> Path:
    """A render per row of `each_value()`: every value of every question, in few renders."""
    return render_row(request.param)


def test_every_structured_file_parses(each_value_project: Path) -> None:
    expected = {"pyproject.toml", "dvc.yaml", "params.yaml", ".pre-commit-config.yaml", ".copier-answers.yml"}

    assert expected <= set(parsed_files(each_value_project))


def test_no_jinja_is_left_over(each_value_project: Path) -> None:
    for relative in text_files(each_value_project):
        text = (each_value_project / relative).read_text(encoding="utf-8")
        if relative.as_posix().startswith(ANSIBLE_DIR):
            text = ANSIBLE_EXPRESSION.sub("", text)
        assert not JINJA_LEFTOVER.search(text), f"unrendered Jinja in {relative}"
        assert "my_ml_project" in str(relative) or "{{" not in str(relative)


def test_file_names_are_portable(each_value_project: Path) -> None:
    names = [path.as_posix() for path in project_files(each_value_project)]
    for name in names:
        assert name.isascii(), name
        for part in name.split("/"):
            assert not NOT_PORTABLE.search(part), name
    assert len({name.lower() for name in names}) == len(names), "names differ only by case"


def test_text_files_end_with_one_newline_and_no_trailing_spaces(each_value_project: Path) -> None:
    # The template's one whitespace check (the project tier's pre-commit run tests the hooks).
    for relative in text_files(each_value_project):
        text = (each_value_project / relative).read_text(encoding="utf-8")
        if not text:
            continue
        assert text.endswith("\n"), relative
        assert not text.endswith("\n\n"), relative
        assert not any(line != line.rstrip() for line in text.splitlines()), relative


# A rule's name at the start of a line (`name:` or `name: prerequisites`), not `NAME :=`.
MAKE_RULE = re.compile(r"^(?P<target>[a-z][a-z-]*):(?!=)", re.MULTILINE)


def test_the_phony_line_names_every_target_of_the_makefile(each_value_project: Path) -> None:
    """`.PHONY` comes from extensions/make_targets.py, the rules from the template and the choices'
    makefile.jinja snippets: a target one of them adds without the other fails here."""
    makefile = (each_value_project / "Makefile").read_text(encoding="utf-8")
    phony_lines = re.findall(r"^\.PHONY: (.*)$", makefile, flags=re.MULTILINE)
    rules = [match["target"] for match in MAKE_RULE.finditer(makefile)]

    assert len(phony_lines) == 1, "one .PHONY line lists every target"
    assert sorted(phony_lines[0].split()) == sorted(rules)


def test_answers_file_records_every_answer(default_project: Path) -> None:
    answers = yaml.safe_load((default_project / ".copier-answers.yml").read_text())

    assert answers["_src_path"]
    assert answers["project_slug"] == "my-ml-project"
    assert answers["package_name"] == "my_ml_project"
    assert answers["package_manager"] == "poetry"
    assert answers["python_version"] == "3.12"
    assert isinstance(answers["copyright_year"], int)


def test_defaults_are_derived_from_earlier_answers(copie: Copie) -> None:
    project = render(copie, project_name="Fraud Détection 2", init_git=False)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())

    assert answers["project_slug"] == "fraud-detection-2"
    assert answers["package_name"] == "fraud_detection_2"
    assert (project / "src" / "fraud_detection_2" / "cli.py").is_file()
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["scripts"] == {
        "fraud-detection-2": "fraud_detection_2.cli:main"
    }


def test_a_name_starting_with_digits_still_renders_with_defaults(copie: Copie) -> None:
    project = render(copie, project_name="2024 Forecast", init_git=False)

    assert (project / "src" / "forecast" / "model.py").is_file()
    assert 'name = "2024-forecast"' in (project / "pyproject.toml").read_text()


def test_pyproject_is_pep_621_with_the_pinned_dependencies(default_project: Path) -> None:
    pyproject = tomllib.loads((default_project / "pyproject.toml").read_text())

    project = pyproject["project"]
    assert project["name"] == "my-ml-project"
    assert project["requires-python"] == ">=3.12,<3.13"
    assert project["license"] == "MIT"
    assert any(req.startswith("scikit-learn>=") for req in project["dependencies"])
    assert any(req.startswith("dvc>=") for req in pyproject["dependency-groups"]["dev"])
    assert pyproject["build-system"]["build-backend"] == "poetry.core.masonry.api"
    assert pyproject["tool"]["mypy"]["strict"] is True


def test_dvc_pointer_matches_the_bundled_data(default_project: Path) -> None:
    pointer = yaml.safe_load((default_project / "data" / "raw" / "customers.csv.dvc").read_text())["outs"][0]

    assert (default_project / "data" / "raw" / pointer["path"]).stat().st_size == pointer["size"]
    assert (default_project / "data" / "raw" / ".gitignore").read_text() == "/customers.csv\n"


def test_first_commit_holds_everything_but_ignored_data(default_project: Path) -> None:
    assert git(default_project, "status", "--porcelain") == ""
    assert git(default_project, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(default_project, "branch", "--show-current").strip() == "main"
    tracked = git(default_project, "ls-files").split()
    assert "data/raw/customers.csv.dvc" in tracked
    assert "data/raw/customers.csv" not in tracked
    # Trunk-based: `main` is the only branch.
    assert git(default_project, "for-each-ref", "--format=%(refname:short)", "refs/heads").split() == ["main"]


def test_what_dvc_plots_writes_is_ignored(default_project: Path) -> None:
    # `dvc plots show` and `dvc plots diff` (the experiments page) write their page to
    # dvc_plots/ unless told otherwise: it is made again from reports/, never committed.
    assert git(default_project, "check-ignore", "dvc_plots/index.html").strip() == "dvc_plots/index.html"


def test_a_gitflow_copy_starts_develop_at_the_first_commit_and_prints_no_author(
    template_snapshot: Path, tmp_path: Path
) -> None:
    author = {"author_name": "Zoë Quill-Hartmann", "author_email": "zoe.quill@example.org"}
    project = tmp_path / "project"
    completed = subprocess.run(
        [
            str(TOOLS_BIN / "copier"),
            "copy",
            "--trust",
            "--defaults",
            "--data=branching_model=gitflow",
            "--data=organization=acme",
            *(f"--data={name}={value}" for name, value in author.items()),
            str(template_snapshot),
            str(project),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env=tool_env(),
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    # Copier prints each task's command: the first commit's must not carry the author.
    for personal in author.values():
        assert personal not in output
    assert git(project, "log", "--format=%an <%ae>").strip() == "Zoë Quill-Hartmann <zoe.quill@example.org>"
    branches = git(project, "for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads")
    (main_commit,) = {line.split()[1] for line in branches.splitlines()}
    assert sorted(line.split()[0] for line in branches.splitlines()) == ["develop", "main"]
    assert main_commit == git(project, "rev-parse", "HEAD").strip()
    assert "git push -u origin main develop" in (project / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_without_git_no_repository_is_made(copie: Copie) -> None:
    project = render(copie, init_git=False)

    assert not (project / ".git").exists()
    assert (project / "pyproject.toml").is_file()


def test_mlflow_ui_opens_the_store_params_yaml_names(copie: Copie) -> None:
    project = render(copie, init_git=False)
    params = project / "params.yaml"
    params.write_text(
        params.read_text().replace("  local_store: mlruns\n", "  local_store: elsewhere/store\n")
    )
    # The settings loader needs PyYAML only: this venv's python stands in for the project's
    # environment (RUN=), with the package importable from src/.
    env = tool_env({"PYTHONPATH": str(project / "src")})

    planned = run(["make", "--dry-run", "mlflow-ui", "RUN="], cwd=project, env=env)

    assert f"--backend-store-uri 'sqlite:///{project / 'elsewhere' / 'store' / 'mlflow.db'}'" in planned
    assert "mlruns" not in planned
    params.write_text("registry: {}\n")
    broken = subprocess.run(
        ["make", "--dry-run", "mlflow-ui", "RUN="],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode != 0
    assert "no MLflow store: params.yaml did not load" in broken.stderr


# How the serving page words the default body limit's headroom (limits.py's HEADROOM).
HEADROOM_WORDS = {2: "twice", 3: "three times"}


def test_the_serving_page_states_the_limits_the_app_applies(default_project: Path) -> None:
    """The variable the page says sets the body limit, the default's headroom and the statuses it
    says come before parsing are limits.py's."""
    limits = next(default_project.glob("src/*/serve/limits.py")).read_text(encoding="utf-8")
    page = (default_project / "docs" / "conventions" / "serving.md").read_text(encoding="utf-8")
    section = page.split("## The body limit\n", 1)[1]
    [variable] = re.findall(r'^MAX_BODY_VARIABLE = "(\w+)"$', limits, flags=re.MULTILINE)
    [headroom] = re.findall(r"^HEADROOM = (\d+)$", limits, flags=re.MULTILINE)
    answered = {HTTPStatus[name].value for name in re.findall(r"HTTPStatus\.(\w+)", limits)}

    assert f"set `{variable}`" in section
    assert f"it is {HEADROOM_WORDS[int(headroom)]} the largest body 1,000 rows" in section
    assert {int(status) for status in re.findall(r"^\| (\d{3}) \|", page, flags=re.MULTILINE)} == answered

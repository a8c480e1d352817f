"""Tier 2: the rendered project's docs site. For every docs x branching_model x ci_provider
combination the site builds with `properdocs build --strict`, silently, and what its pages state is what the
project has: the `make` targets they name are the Makefile's, the CI jobs are the pipeline's, the
paths exist. The branching model reaches the CI triggers, the branch protection and the bots."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from extensions.branching import BRANCHING_MODELS
from extensions.ci_providers import CI_PROVIDERS
from extensions.package_managers import PACKAGE_MANAGERS
from tests.ci import ci_files
from tests.combinations import docs_site_rows, params, product
from tests.conftest import RenderRow
from tests.helpers import pinned_tool, tool_env

pytestmark = pytest.mark.matrix

# Every value of the three questions that shape the site, crossed (tests/combinations.py); the
# other answers at their defaults, with a cloud (aws), so that the infrastructure page and the
# branch protection as code are rendered.
COMBINATIONS = docs_site_rows()
WITH_SITE = [answers for answers in COMBINATIONS if answers["docs"] == "mkdocs"]
# CloudFormation (AWS) changes the infrastructure page and the CI job that checks infra/, and
# leaves branch protection to the settings: its site, for each CI provider, builds and names only
# what the project has too.
CLOUDFORMATION = product("iac_tool", "ci_provider", where=lambda row: row["iac_tool"] == "cloudformation")
CONVENTIONS = (
    "branching",
    "code-review",
    "code-style",
    "testing",
    "dependencies",
    "data",
    "experiments",
    "releases",
    "infrastructure",
    "security",
    "template-updates",
)
# The theme, extensions and plugins the rendered mkdocs.yml loads, installed with ProperDocs at the
# project's own ranges.
DOCS_PACKAGES = ("properdocs-theme-mkdocs", "pymdown-extensions", "mkdocstrings-python")
# What a build must not print: Material for MkDocs' end-of-life box, a warning (logged, or printed
# by a plugin that urges another engine).
NOISE = re.compile(r"end of life|^\s*WARNING\b", re.IGNORECASE | re.MULTILINE)
MAKE_TARGET = re.compile(r"\bmake ([a-z][a-z-]*)")
NAMED_JOB = re.compile(r"`([a-z][a-z-]*)` jobs?\b")
BACKTICKED = re.compile(r"`([^`\s]+)`")
# A repository path as pages write it: a known file name, or a folder path.
PATH_LIKE = re.compile(r"^\.?[\w.-]+(/[\w.-]+)*/?$")
FILE_SUFFIXES = (".md", ".py", ".yaml", ".yml", ".toml", ".lock", ".cfg", ".json", ".tf", ".csv", ".ipynb")


@pytest.fixture
def project(request: pytest.FixtureRequest, render_row: RenderRow) -> Path:
    return render_row(request.param)


def answers_of(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    return loaded


def pages(project: Path) -> dict[str, str]:
    return {
        path.relative_to(project / "docs").as_posix(): path.read_text(encoding="utf-8")
        for path in sorted((project / "docs").rglob("*.md"))
    }


def makefile_targets(project: Path) -> set[str]:
    text = (project / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


def ci_jobs(project: Path) -> dict[str, dict[str, Any]]:
    """Every CI job by name, as the CI service's module of tests/ci reads them."""
    return ci_files(answers_of(project)["ci_provider"]).jobs(project)


def produced_paths(project: Path) -> set[str]:
    """Paths that exist only once the pipeline ran, the site was built or `make install` locked."""
    params = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    outputs = {str(path) for path in params["paths"].values()}
    made = {"site/", "mlruns/", "reports/", "models/", "data/processed/", ".venv/", "dvc.lock"}
    return outputs | made | {PACKAGE_MANAGERS[answers_of(project)["package_manager"]].lock_file}


def repository_paths(text: str) -> set[str]:
    """Backticked tokens that name repository files or folders."""
    found = set()
    for token in BACKTICKED.findall(text):
        # NNNN is the placeholder of a record's number (docs/adr/template.md).
        if not PATH_LIKE.match(token) or token.startswith(("http", "-")) or "NNNN" in token:
            continue
        if "/" in token or token.endswith(FILE_SUFFIXES):
            found.add(token)
    return found


def build_site(project: Path, site: Path) -> tuple[int, str]:
    """`make docs`'s command, with the project's pinned ProperDocs, into `site`: its exit code and
    everything it printed."""
    properdocs = pinned_tool(project, "properdocs", *DOCS_PACKAGES)
    command = [str(properdocs), "build", "--strict", "--config-file", "mkdocs.yml", "--site-dir", str(site)]
    built = subprocess.run(command, cwd=project, env=tool_env(), capture_output=True, text=True, check=False)
    return built.returncode, built.stdout + built.stderr


@pytest.mark.parametrize("project", params(WITH_SITE + CLOUDFORMATION), indirect=True)
def test_site_builds_strict_with_every_page(project: Path, tmp_path: Path) -> None:
    # Outside the project: the render is shared with other tests, which read its files as rendered.
    site = tmp_path / "site"
    code, output = build_site(project, site)
    assert code == 0, output
    assert NOISE.search(output) is None, output
    for name in CONVENTIONS:
        assert (site / "conventions" / name / "index.html").is_file(), name
    for record in ("0001-project-layout", "0002-docs-engine"):
        assert (site / "adr" / record / "index.html").is_file(), record
    assert (site / "model-card" / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    package = answers_of(project)["package_name"]
    # mkdocstrings rendered the package's modules and their docstrings, not an empty page.
    assert f"{package}.data" in api
    assert f"{package}.train" in api


@pytest.mark.parametrize("project", params(WITH_SITE[:1]), indirect=True)
def test_a_broken_link_fails_the_build(project: Path, tmp_path: Path) -> None:
    """Strict means strict: one link to a page that does not exist fails the build and names it."""
    broken = tmp_path / "project"
    shutil.copytree(project, broken, ignore=shutil.ignore_patterns(".venv", ".git"))
    with (broken / "docs" / "index.md").open("a", encoding="utf-8") as index:
        index.write("\nSee [the old page](no-such-page.md).\n")
    code, output = build_site(broken, tmp_path / "site")
    assert code != 0
    assert "no-such-page.md" in output


@pytest.mark.parametrize("project", params(WITH_SITE + CLOUDFORMATION), indirect=True)
def test_pages_name_only_what_the_project_has(project: Path) -> None:
    targets = makefile_targets(project)
    jobs = set(ci_jobs(project))
    produced = produced_paths(project)
    problems = []
    for page, text in pages(project).items():
        if page == "adr/template.md":
            continue
        problems += [f"{page}: make {name}" for name in MAKE_TARGET.findall(text) if name not in targets]
        problems += [f"{page}: `{name}` job" for name in NAMED_JOB.findall(text) if name not in jobs]
        for path in repository_paths(text):
            if not (project / path).exists() and path not in produced and path.rstrip("/") not in produced:
                problems.append(f"{page}: `{path}`")
    assert problems == []


@pytest.mark.parametrize("project", params(WITH_SITE), indirect=True)
def test_review_page_requires_exactly_the_checks_that_report(project: Path) -> None:
    """The jobs that run on every pull request are the ones the code review page and the branch
    protection as code require: a required check that never reports blocks every merge."""
    on_requests = ci_files(answers_of(project)["ci_provider"]).request_jobs(project)
    protection = (project / "infra" / "terraform" / "repository.tf").read_text(encoding="utf-8")
    required = re.search(r"required_checks = (\[.*\])", protection)
    assert required is not None
    assert set(yaml.safe_load(required.group(1))) == on_requests
    review = pages(project)["conventions/code-review.md"]
    assert set(NAMED_JOB.findall(review)) >= on_requests


@pytest.mark.parametrize("project", params(COMBINATIONS), indirect=True)
def test_branching_model_reaches_triggers_protection_and_bots(project: Path) -> None:
    model = BRANCHING_MODELS[answers_of(project)["branching_model"]]
    protection = (project / "infra" / "terraform" / "repository.tf").read_text(encoding="utf-8")
    assert f"protected_branches       = {list(model.protected)!r}".replace("'", '"') in protection
    ci = ci_files(answers_of(project)["ci_provider"])
    assert ci.gated_branches(project) == set(model.protected)
    assert ci.bot_base(project) == model.integration
    staging = (project / "infra" / "terraform" / "environments" / "staging" / "terraform.tfvars").read_text()
    trusted = set(re.findall(r'(?:refs/heads/|ref_type:branch:ref:)([\w-]+)"', staging))
    # A CI service whose subjects name no branch (trusted by prefix) has none to trust here.
    exact = CI_PROVIDERS[answers_of(project)["ci_provider"]].oidc.subject_match == "exact"
    assert trusted == (set(model.protected) if exact else set())


@pytest.mark.parametrize("project", params([a for a in COMBINATIONS if a["docs"] == "none"]), indirect=True)
def test_without_a_site_nothing_refers_to_one(project: Path) -> None:
    assert not (project / "docs").exists()
    assert not (project / "mkdocs.yml").exists()
    assert not (project / "scripts" / "docs_hooks.py").exists()
    assert not {"docs", "docs-serve"} & makefile_targets(project)
    assert not {"docs", "pages"} & set(ci_jobs(project))
    pyproject = (project / "pyproject.toml").read_text(encoding="utf-8")
    assert "mkdocs" not in pyproject
    assert "properdocs" not in pyproject


# The answers that decide what a release ships and where its model comes from.
RELEASE_ROWS = product("serving", "experiment_tracking", "deployment")
# The model folder the serve stage copies in (`COPY --chown=0:0 models/model/ models/model/`).
MODEL_COPY = re.compile(r"^COPY (?:--\S+ )*(models/\S*) (\S+)$", re.MULTILINE)
# What the releases page said before the image carried its model: the claim must not come back.
NO_MODEL_CLAIM = re.compile(r"not the model|holds no model|without (?:the|a) model|MLFLOW_\w+")


def page_section(page: str, heading: str) -> str:
    """The text under a `## ` heading of a Markdown page, up to the next one."""
    return page.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("project", params(RELEASE_ROWS), indirect=True)
def test_the_releases_page_says_where_the_served_model_comes_from(project: Path) -> None:
    """What the releases page says a tag ships is what the Dockerfile builds: the model source it
    sets and the model folder it copies, or, without a serve image, no image at all."""
    dockerfile = (project / "Dockerfile").read_text(encoding="utf-8")
    released = page_section(
        (project / "docs" / "conventions" / "releases.md").read_text(encoding="utf-8"), "What the tag starts"
    )
    named_sources = set(re.findall(r"\bMODEL_SOURCE=(\w+)", released))
    sources = re.findall(r"^ENV MODEL_SOURCE=(\S+)$", dockerfile, flags=re.MULTILINE)
    if sources:
        [(copied, destination)] = MODEL_COPY.findall(dockerfile)
        assert named_sources == set(sources)
        assert f"copies `{copied}`" in released
        assert f"`{destination}`" in released
        # Up to the sentence's full stop, not the dot of `params.yaml`.
        holds = re.search(r"The image holds (.*?)\.\s", released, flags=re.DOTALL)
        assert holds is not None
        assert "model" in holds[1]
        assert NO_MODEL_CLAIM.search(released) is None, NO_MODEL_CLAIM.search(released)
        if (project / "deploy").is_dir():
            assert "`deploy/`" in released
        return
    # No serve stage: nothing is built on a tag, and whoever scores gets the trained model with DVC.
    assert MODEL_COPY.search(dockerfile) is None
    assert "image" not in released
    params_file = yaml.safe_load((project / "params.yaml").read_text(encoding="utf-8"))
    assert f"`{params_file['paths']['model'].rstrip('/')}/`" in released
    # `predict` reads MODEL_SOURCE's default (the first of config.py's MODEL_SOURCES) unless the
    # page says otherwise; only the file source scores with the model DVC fetched.
    package = answers_of(project)["package_name"]
    config = (project / "src" / package / "config.py").read_text(encoding="utf-8")
    match = re.search(r'^MODEL_SOURCES = \("(\w+)"', config, flags=re.MULTILINE)
    assert match is not None
    assert named_sources == (set() if match[1] == "file" else {"file"})


COMMIT_MESSAGES = {
    "feat: score a batch from the CLI": True,
    "fix(serve)!: refuse NaN inputs\n\nBREAKING CHANGE: 422 instead of 500": True,
    "build(deps): bump ruff": True,
    "Merge branch 'develop' into main": True,
    "fixup! feat: score a batch": True,
    "# a comment git wrote\nchore: tidy": True,
    "Add a model": False,
    "feat:no space": False,
    "feature: not a type": False,
    "": False,
    f"docs: {'x' * 100}": False,
}


@pytest.mark.parametrize(("message", "accepted"), COMMIT_MESSAGES.items(), ids=range(len(COMMIT_MESSAGES)))
def test_commit_message_hook(default_project: Path, tmp_path: Path, message: str, accepted: bool) -> None:
    message_file = tmp_path / "COMMIT_EDITMSG"
    message_file.write_text(message + "\n", encoding="utf-8")
    checked = subprocess.run(
        [sys.executable, "scripts/check_commit_message.py", str(message_file)],
        cwd=default_project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode == 0) == accepted, checked.stderr
    if not accepted:
        assert checked.stderr.startswith("Commit refused: ")

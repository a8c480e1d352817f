"""Tier 0: copier.yml, the extensions and the template's files, without rendering."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.version import Version

from extensions import (
    branching,
    ci_providers,
    container,
    context,
    data,
    delivery,
    dependencies,
    environment,
    filters,
    frameworks,
    infrastructure,
    package_managers,
)
from scripts import adopt
from tests.helpers import TEMPLATE_ROOT, git

pytestmark = pytest.mark.static

COPIER_YML: dict[str, Any] = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text(encoding="utf-8"))
QUESTIONS = {name: spec for name, spec in COPIER_YML.items() if not name.startswith("_")}


def test_settings_follow_copier_conventions() -> None:
    assert COPIER_YML["_subdirectory"] == "template"
    assert COPIER_YML["_templates_suffix"] == ".jinja"
    assert COPIER_YML["_answers_file"] == ".copier-answers.yml"
    minimum = Version(COPIER_YML["_min_copier_version"])
    assert minimum <= Version(copier.__version__)
    extensions = COPIER_YML["_jinja_extensions"]
    for entry in extensions[1:]:
        module_path = entry.split(":")[0]
        assert (TEMPLATE_ROOT / module_path).is_file(), entry


# A requirement on Copier (`copier>=9.18,<10`) and a floor stated in prose ("Copier 9.18 or
# newer", "Copier 9.18+", "Copier older than 9.18"); a version named for another reason ("Copier
# 9.6 added ...") is history, not a floor.
COPIER_REQUIREMENT = re.compile(r"\bcopier\s*(?:>=|~=|==)\s*(\d+(?:\.\d+)*)", re.IGNORECASE)
COPIER_FLOOR_PROSE = re.compile(
    r"\bCopier (?:older than (\d+(?:\.\d+)*)|(\d+(?:\.\d+)*)(?:\+| or newer| or later))"
)
# Locks pin whatever release was current, the changelog keeps past floors, and the generated pages
# are rewritten from the sources checked here (test_repository.py keeps them current).
NOT_A_FLOOR = (":!requirements/*.lock", ":!CHANGELOG.md", ":!docs/questions.md", ":!docs/architecture.md")


def test_every_copier_range_agrees_with_the_minimum_version() -> None:
    """`_min_copier_version` is the floor: a CI job, a dependency group, the adoption script or a
    page that allowed an older Copier would let an adopted project's own files be merged with the
    template's (as conflicts), and one that asked for a newer one would contradict the template."""
    minimum = Version(COPIER_YML["_min_copier_version"])
    # -I skips binary files; tracked files only, so nothing under .venv or build/ is read.
    found = git(TEMPLATE_ROOT, "grep", "-I", "-n", "-i", "copier", "--", ".", *NOT_A_FLOOR)
    stated: list[tuple[str, Version]] = []
    for line in found.splitlines():
        for pattern in (COPIER_REQUIREMENT, COPIER_FLOOR_PROSE):
            for match in pattern.finditer(line):
                version = next(group for group in match.groups() if group)
                stated.append((line, Version(version)))
    disagreeing = [line for line, version in stated if version != minimum]
    assert disagreeing == [], f"these name another Copier floor than {minimum}:\n" + "\n".join(disagreeing)
    assert {line.split(":")[0] for line, _ in stated} >= {
        "extensions/dependencies.yml",
        "pyproject.toml",
        "docs/index.md",
        "docs/adopting.md",
    }
    assert adopt.min_copier_version() == minimum
    # What the template-update CI job installs, as the context hook renders it.
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    copier_setup = delivery.delivery_values(answers)["ci"]["copier_setup"]
    assert [Version(version) for version in COPIER_REQUIREMENT.findall(copier_setup)] == [minimum]


def test_every_copy_only_task_is_guarded_by_the_operation() -> None:
    for task in COPIER_YML["_tasks"]:
        assert "_copier_operation == 'copy'" in task["when"], task


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_every_question_has_type_help_and_default(name: str) -> None:
    spec = QUESTIONS[name]
    assert spec.get("type") in {"str", "bool", "int", "float", "yaml", "json"}, name
    assert spec.get("help", "").strip(), f"{name} has no help"
    assert "default" in spec, f"{name} has no default"


@pytest.mark.parametrize(
    "name", sorted(name for name, spec in QUESTIONS.items() if spec["type"] in {"str", "int"})
)
def test_free_answers_are_validated(name: str) -> None:
    spec = QUESTIONS[name]
    assert "choices" in spec or "validator" in spec, f"{name} accepts anything"


def test_choices_match_the_context_hook() -> None:
    labels = {value: label for label, value in QUESTIONS["package_manager"]["choices"].items()}
    assert labels == {name: manager.label for name, manager in package_managers.PACKAGE_MANAGERS.items()}
    licenses = {value: label for label, value in QUESTIONS["license"]["choices"].items()}
    assert licenses == {name: licence.label for name, licence in environment.LICENSES.items()}
    frameworks_ = {value: label for label, value in QUESTIONS["ml_framework"]["choices"].items()}
    assert frameworks_ == {name: framework.label for name, framework in frameworks.FRAMEWORKS.items()}
    assert QUESTIONS["python_version"]["default"] in QUESTIONS["python_version"]["choices"]


# What an entry of dependencies.yml may say (its header explains each key).
DEPENDENCY_KEYS = {
    "name",
    "spec",
    "marker",
    "imports",
    "index",
    "when",
    "typed",
    "serve",
    "model",
    "pytest_plugin",
    "ignore_warnings",
}


def test_every_dependency_pin_is_a_valid_requirement() -> None:
    pins = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))
    assert set(pins) == {
        "runtime",
        "dev",
        "mypy_unfollowed",
        "indexes",
        "ci_tools",
        "actions",
        "container",
    }
    for group in ("runtime", "dev"):
        for dependency in pins[group]:
            assert set(dependency) <= DEPENDENCY_KEYS, dependency
            requirement = Requirement(dependencies.requirement(dependency))
            assert requirement.specifier, dependency
            assert isinstance(dependency["imports"], list)
            serve = dependency.get("serve", False)
            assert group == "runtime" or not serve, dependency
            assert group == "runtime" or "model" not in dependency, dependency
            assert group == "dev" or "pytest_plugin" not in dependency, dependency


def test_every_entry_of_the_serve_group_installs_on_the_linux_image() -> None:
    """The serve group is what the (Linux) serving image installs: an entry whose marker leaves
    Linux out is never needed there, and Pipenv's lock turns one into a requirement it refuses."""
    pins = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))
    for dependency in pins["runtime"]:
        if dependency.get("serve", False) is not False and "marker" in dependency:
            assert Marker(dependency["marker"]).evaluate({"sys_platform": "linux"}), dependency


def _choice_values(question: str) -> set[str]:
    choices = QUESTIONS[question]["choices"]
    return set(choices.values() if isinstance(choices, dict) else choices)


def test_every_framework_choice_states_its_python_support() -> None:
    for support in frameworks.FRAMEWORKS.values():
        assert set(support.python) <= _choice_values("python_version") | {"3.10", "3.14"}


def test_container_base_images_and_tools_are_pinned_exactly() -> None:
    pins = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))["container"]
    assert {version.base_image for version in container.PYTHON_VERSIONS.values()} == set(pins["base_images"])
    for version, image in pins["base_images"].items():
        tag, digest = image.split("@")
        assert re.fullmatch(rf"python:{re.escape(version)}\.\d+-slim-[a-z]+", tag), image
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest), image
    managers = package_managers.PACKAGE_MANAGERS.values()
    assert {manager.image_pin for manager in managers} == set(pins["package_managers"])
    for manager in managers:
        assert re.fullmatch(rf"{manager.image_pin}==[\d.]+", pins["package_managers"][manager.image_pin])
        assert manager.lock_file in manager.container.manifest_files


def test_dependencies_follow_the_answers() -> None:
    pytorch = dependencies.dependency_specs(ml_framework="pytorch", experiment_tracking="none")
    tensorflow = dependencies.dependency_specs(ml_framework="tensorflow", experiment_tracking="none")

    assert any(spec.startswith("torch>=") for spec in pytorch["runtime"])
    assert not any(spec.startswith("tensorflow") for spec in pytorch["runtime"])
    assert "tensorflow-cpu>=2.20,<3; sys_platform != 'darwin'" in tensorflow["runtime"]
    served, unserved = (
        dependencies.dependency_specs(serving="fastapi"),
        dependencies.dependency_specs(serving="none"),
    )
    assert any(spec.startswith("fastapi>=") for spec in served["runtime"])
    assert any(spec.startswith("httpx2>=") for spec in served["dev"])
    assert not any(spec.startswith(("fastapi", "uvicorn")) for spec in unserved["runtime"])
    # The serving image's group: scikit-learn serves its ONNX export, the others their framework.
    onnx = dependencies.dependency_specs(serving="fastapi", ml_framework="scikit-learn")["serve"]
    assert "onnxruntime>=1.20,<2" in onnx
    assert not any(spec.startswith(("pandas", "scikit-learn", "scipy", "mlflow")) for spec in onnx)
    assert any(spec.startswith("torch>=") for spec in pytorch["serve"])
    assert any(spec.startswith("pandas>=") for spec in pytorch["serve"])
    assert unserved["serve"] == ()
    assert any(spec.startswith("scipy>=") for spec in unserved["runtime"])


@pytest.mark.parametrize("manager", sorted(package_managers.PACKAGE_MANAGERS))
def test_derived_values_per_package_manager(manager: str) -> None:
    defaults = {
        name: str(spec["default"]) for name, spec in QUESTIONS.items() if name in data.choice_questions()
    }
    # A hidden question's default may be a Jinja expression; its rendered value is a choice.
    defaults["deployment"] = "kubernetes"
    derived = context.derive(tuple(sorted({**defaults, "package_manager": manager}.items())))

    assert derived["python_requires"] == ">=3.12,<3.13"
    pytest_floor = f"pytest>={derived['pytest_minversion']},"
    assert any(req.startswith(pytest_floor) for req in derived["dev_dependencies"])
    assert derived["pm"]["run"].split()[0] == manager
    assert any(req.startswith("scikit-learn") for req in derived["runtime_dependencies"])
    assert len(derived["pipfile_dev_packages"]) == len(derived["dev_dependencies"])
    assert derived["pipfile_dev_packages"][0].startswith('pytest = ">=')
    assert derived["docker"]["base_image"].startswith("python:3.12.")
    assert derived["docker"]["package_manager_requirement"].startswith(f"{manager}==")
    assert manager in derived["docker"]["install_project"]


def test_the_hook_waits_for_valid_choices() -> None:
    complete = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    assert context.answers_of(complete) is not None
    assert context.answers_of({**complete, "ml_framework": "jax"}) is None
    assert context.answers_of({key: value for key, value in complete.items() if key != "license"}) is None


def test_pipfile_entry_splits_name_and_specifier() -> None:
    assert dependencies.pipfile_entry("pandas-stubs>=2.2") == 'pandas-stubs = ">=2.2"'
    assert dependencies.pipfile_entry("ruff>=0.12,<0.18") == 'ruff = ">=0.12,<0.18"'


def test_files_with_jinja_syntax_carry_the_suffix() -> None:
    """A file that uses Jinja but lacks `.jinja` would be copied verbatim, braces and all."""
    for path in (TEMPLATE_ROOT / "template").rglob("*"):
        if path.is_file() and path.suffix not in {".jinja", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text, path
            assert "{%" not in text, path


def test_ignore_files_in_the_template_are_suffixed() -> None:
    """A raw `.gitignore` under template/ would hide files from the template repository itself."""
    assert list((TEMPLATE_ROOT / "template").rglob(".gitignore")) == []


def test_bundled_sample_data_is_what_the_generator_makes() -> None:
    spec = importlib.util.spec_from_file_location(
        "generate", TEMPLATE_ROOT / "scripts" / "generate_sample_data.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    raw_dir: Path = generator.RAW_DIR

    expected = generator.render_csv().encode()
    assert (raw_dir / generator.CSV_NAME).read_bytes() == expected
    assert (raw_dir / f"{generator.CSV_NAME}.dvc").read_text() == generator.render_dvc_pointer(expected)
    assert expected.count(b"\n") == generator.ROWS + 1


class TestValidators:
    """The rules behind copier.yml's validators, answer by answer."""

    @pytest.mark.parametrize("good", ["My ML Project", "Churn (v2)", "Détection de fraude", "x"])
    def test_project_name_accepts(self, good: str) -> None:
        assert filters.project_name_problem(good) == ""

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ("", "must not be empty"),
            ("   ", "must not be empty"),
            (" padded", "must not start or end with spaces"),
            ("x" * 65, "at most 64 characters"),
            ("two\nlines", "single line"),
            ("!!!", "at least one letter or digit"),
        ],
    )
    def test_project_name_refuses(self, bad: str, message: str) -> None:
        assert message in filters.project_name_problem(bad)

    @pytest.mark.parametrize("good", ["churn-model", "a", "model2-v3", "2024-forecast"])
    def test_slug_accepts(self, good: str) -> None:
        assert filters.project_slug_problem(good) == ""

    @pytest.mark.parametrize(
        "bad", ["Churn-Model", "churn_model", "-churn", "churn-", "churn--model", "a b", ""]
    )
    def test_slug_refuses(self, bad: str) -> None:
        assert "lowercase letters, digits and single hyphens" in filters.project_slug_problem(bad)

    @pytest.mark.parametrize(
        ("slug", "package"),
        [("churn-model", "churn_model"), ("2024-forecast", "forecast"), ("model-2", "model_2"), ("42", "")],
    )
    def test_package_default_from_slug(self, slug: str, package: str) -> None:
        assert filters.package_name_from_slug(slug) == package

    def test_slug_refuses_long(self) -> None:
        assert "at most 64" in filters.project_slug_problem("a" * 65)

    @pytest.mark.parametrize("good", ["churn_model", "my_ml_project", "m2"])
    def test_package_accepts(self, good: str) -> None:
        assert filters.package_name_problem(good) == ""

    @pytest.mark.parametrize(
        ("bad", "message"),
        [
            ("Churn", "not a valid package name"),
            ("churn-model", "not a valid package name"),
            ("2churn", "not a valid package name"),
            ("", "not a valid package name"),
            ("class", "Python keyword"),
            ("match", "Python keyword"),
            ("typing", "standard library module 'typing'"),
            ("json", "standard library module 'json'"),
            ("sklearn", "dependency 'sklearn'"),
            ("pandas", "dependency 'pandas'"),
            ("yaml", "dependency 'yaml'"),
            ("test", "folder or tool name"),
            ("tests", "folder or tool name"),
            ("a" * 65, "at most 64"),
        ],
    )
    def test_package_refuses(self, bad: str, message: str) -> None:
        assert message in filters.package_name_problem(bad)

    @pytest.mark.parametrize("good", ["jane@example.com", "ml.team+bots@corp.example.co.uk"])
    def test_email_accepts(self, good: str) -> None:
        assert filters.email_problem(good) == ""

    @pytest.mark.parametrize(
        "bad", ["", "jane", "jane@", "@example.com", "jane@example", "jane doe@example.com", "a@b@c.com"]
    )
    def test_email_refuses(self, bad: str) -> None:
        assert "is not an e-mail address" in filters.email_problem(bad)

    @pytest.mark.parametrize("good", ["acme", "acme-ml", "Acme.Labs", "group/sub-group", "a"])
    def test_organization_accepts(self, good: str) -> None:
        assert filters.organization_problem(good) == ""

    @pytest.mark.parametrize("bad", ["", "-acme", "acme-", "ac me", "acme--ml", "a" * 40, "group/", "acme!"])
    def test_organization_refuses(self, bad: str) -> None:
        assert "is not a GitHub or GitLab owner" in filters.organization_problem(bad)

    def test_description_and_author(self) -> None:
        assert filters.description_problem("Predicts churn") == ""
        assert "at most 200" in filters.description_problem("x" * 201)
        assert "must not be empty" in filters.author_name_problem("")

    def test_copyright_year(self) -> None:
        assert filters.copyright_year_problem(filters.current_year()) == ""
        assert "between 1970" in filters.copyright_year_problem(1969)
        assert "between 1970" in filters.copyright_year_problem(filters.current_year() + 1)

    @pytest.mark.parametrize("framework", sorted(frameworks.FRAMEWORKS))
    def test_framework_python_support(self, framework: str) -> None:
        for version in frameworks.FRAMEWORKS[framework].python:
            assert filters.framework_python_problem(framework, version) == ""
        message = filters.framework_python_problem(framework, "3.9")
        assert message.startswith(frameworks.FRAMEWORKS[framework].release)
        assert "supports Python 3.11, 3.12, 3.13, not 3.9" in message

    @pytest.mark.parametrize(
        "good", ["@acme", "@acme/ml-team", "@group/sub/team", "@a @b/c", "ml@example.com"]
    )
    def test_code_owners_accepts(self, good: str) -> None:
        assert filters.code_owners_problem(good) == ""

    @pytest.mark.parametrize("bad", ["acme", "@", "@acme/", "@-acme", "@acme team", "@acme,@b"])
    def test_code_owners_refuses(self, bad: str) -> None:
        assert "is not a code owner" in filters.code_owners_problem(bad)

    def test_code_owners_needs_one(self) -> None:
        assert "at least one code owner" in filters.code_owners_problem("  ")

    @pytest.mark.parametrize(
        ("cloud", "good", "bad"),
        [
            ("aws", "us-gov-west-1", "europe-west1"),
            ("gcp", "northamerica-northeast1", "eu-west-1"),
            ("azure", "eastus2", "West Europe"),
        ],
    )
    def test_cloud_regions(self, cloud: str, good: str, bad: str) -> None:
        assert filters.cloud_region_problem(filters.default_cloud_region(cloud), cloud) == ""
        assert filters.cloud_region_problem(good, cloud) == ""
        assert f"is not a {cloud} region name" in filters.cloud_region_problem(bad, cloud)

    @pytest.mark.parametrize("cloud", sorted(filters.CLOUD_REGIONS))
    def test_each_clouds_default_and_examples_pass_its_rule(self, cloud: str) -> None:
        _, default, example = filters.CLOUD_REGIONS[cloud]
        examples = re.findall(r"'([^']+)'", example)

        assert examples
        for region in (default, *examples):
            assert filters.cloud_region_problem(region, cloud) == "", region

    def test_no_cloud_has_no_region(self) -> None:
        assert filters.default_cloud_region("none") == ""
        assert filters.cloud_region_problem("", "none") == ""

    @pytest.mark.parametrize(
        ("slug", "prefix"),
        [("my-ml-project", "mymlproject"), ("customer-lifetime-value", "customerlife"), ("2x", "xmodel")],
    )
    def test_resource_prefix_from_slug(self, slug: str, prefix: str) -> None:
        assert filters.resource_prefix_from_slug(slug) == prefix
        assert filters.resource_prefix_problem(prefix) == ""

    @pytest.mark.parametrize("bad", ["ab", "my-ml", "1abc", "Abc", "a" * 13])
    def test_resource_prefix_refuses(self, bad: str) -> None:
        assert "is not a resource prefix" in filters.resource_prefix_problem(bad)

    def test_slugify(self) -> None:
        assert filters.slugify("My ML Project") == "my-ml-project"
        assert filters.slugify("Détection de Fraude!") == "detection-de-fraude"

    def test_git_defaults_fall_back(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(filters, "_git_config", lambda key: "")
        assert filters.git_user_name("ML Team") == "ML Team"
        assert filters.git_user_email("team@example.com") == "team@example.com"


# --- Infrastructure: names and dependencies the context hook derives for infra/terraform ---------

LONGEST_PREFIX = "abcdefghijkl"


@pytest.mark.parametrize("environment", infrastructure.ENVIRONMENTS)
def test_cloud_names_fit_the_clouds_limits_even_with_the_longest_prefix(environment: str) -> None:
    assert filters.resource_prefix_problem(LONGEST_PREFIX) == ""
    backend_lines = infrastructure.state_backend("azure", LONGEST_PREFIX, "westeurope", environment)
    azure_state = {
        key.strip(): value.strip('"') for key, value in (line.split(" = ") for line in backend_lines)
    }
    accounts = (
        infrastructure.storage_name(LONGEST_PREFIX, "azure", environment),
        azure_state["storage_account_name"],
    )

    # Azure storage accounts: 3 to 24 lowercase letters and digits.
    for account in accounts:
        assert re.fullmatch(r"[a-z0-9]{3,24}", account), account
    # Buckets: at most 63 characters.
    assert len(infrastructure.storage_name(LONGEST_PREFIX, "aws", environment)) <= 63
    # Google Cloud project IDs: 6 to 30 characters.
    values = infrastructure.infra_values(
        {"cloud_provider": "gcp", "ci_provider": "github", "branching_model": "trunk"},
        LONGEST_PREFIX,
        "x",
        "a/b",
    )
    assert 6 <= len(values["gcp_project_ids"][environment]) <= 30


@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUDS))
def test_the_dvc_plugin_follows_the_cloud(cloud: str) -> None:
    # DVC's plugin of a remote is named after the URL scheme: dvc-s3, dvc-gs, dvc-azure.
    extra = f"dvc-{infrastructure.CLOUDS[cloud].dvc_scheme}"
    chosen = dependencies.dependency_specs(cloud_provider=cloud)["dev"]
    without_cloud = dependencies.dependency_specs(cloud_provider="none")["dev"]

    assert [spec for spec in chosen if spec.startswith("dvc-")] == [
        next(s for s in chosen if s.startswith(extra))
    ]
    assert not any(spec.startswith("dvc-") for spec in without_cloud)


def test_infra_values_without_a_cloud_require_no_terraform_job() -> None:
    values = infrastructure.infra_values(
        {"cloud_provider": "none", "ci_provider": "github"}, "", "", "acme/x"
    )

    assert values["cloud"] is None


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("branching_model", sorted(branching.BRANCHING_MODELS))
def test_ci_subjects_are_exact_and_name_the_repository(ci_provider: str, branching_model: str) -> None:
    answers = {"cloud_provider": "aws", "ci_provider": ci_provider, "branching_model": branching_model}
    values = infrastructure.infra_values(answers, "acme", "eu-west-1", "acme/x")

    if ci_providers.CI_PROVIDERS[ci_provider].oidc.subject_match == "prefix":
        # Trusted by prefix in the provider's own ci_oidc.tf, from UUIDs the team copies in.
        assert values["ci_subjects"] == {"staging": (), "production": ()}
        return
    for subjects in values["ci_subjects"].values():
        assert subjects
        assert all("acme/x:" in subject and "*" not in subject for subject in subjects)
    # Pushes to every protected branch run the gate, which may read the staging data.
    for branch in branching.BRANCHING_MODELS[branching_model].protected:
        assert any(
            subject.endswith((f"refs/heads/{branch}", f"ref:{branch}"))
            for subject in values["ci_subjects"]["staging"]
        )
    assert not any("develop" in subject for subject in values["ci_subjects"]["production"])
    assert values["dvc_cloud_remote"]["url"] == "s3://acme-staging-ml/dvc"


# ---- Delivery: CI/CD values of the context hook ----------------------------------------------


def test_every_action_is_pinned_to_a_full_commit() -> None:
    actions = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))["actions"]
    for name, pin in actions.items():
        assert re.fullmatch(r"[0-9a-f]{40}", pin["sha"]), name
        assert re.fullmatch(r"v\d+\.\d+\.\d+", pin["version"]), name
        assert delivery.action(name) == f"{pin['repo']}@{pin['sha']} # {pin['version']}"


def test_ci_tools_are_valid_requirements() -> None:
    tools = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))["ci_tools"]
    assert {manager.ci_tool for manager in package_managers.PACKAGE_MANAGERS.values()} < set(tools)
    for specs in tools.values():
        assert all(Requirement(spec).specifier for spec in specs), specs


@pytest.mark.parametrize(("manager", "ecosystem"), [("poetry", "pip"), ("uv", "uv"), ("pipenv", "pip")])
def test_delivery_values_per_package_manager(manager: str, ecosystem: str) -> None:
    answers = {name: sorted(values)[0] for name, values in data.choice_questions().items()}
    values = delivery.delivery_values({**answers, "package_manager": manager})["ci"]

    assert values["dependabot_ecosystem"] == ecosystem
    assert values["pm_setup"].startswith(f'python -m pip install --quiet "{manager}>=')
    assert values["cache_variable"].startswith(manager.upper())


@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUD_PROVIDERS))
def test_a_cloud_has_a_region_and_sign_ins_exactly_when_it_has_infrastructure(cloud: str) -> None:
    record = infrastructure.CLOUD_PROVIDERS[cloud]
    has_infrastructure = record.infrastructure is not None

    assert (record.region is not None) == has_infrastructure
    assert (record.shell_login is not None) == has_infrastructure
    assert bool(record.github_login) == has_infrastructure
    if record.shell_login is not None:
        # The placeholder the CI record renames: a line reading another variable would get no token.
        assert "$OIDC_TOKEN" in record.shell_login.terraform_auth
        assert re.search(r"\$\{?OIDC_TOKEN\}?", record.shell_login.registry_login)


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUDS))
def test_shell_sign_ins_read_the_ci_providers_token(ci_provider: str, cloud: str) -> None:
    variable = ci_providers.CI_PROVIDERS[ci_provider].oidc.token_variable
    login = infrastructure.shell_login(cloud, ci_provider, "a-region-1")

    assert (login is None) == (variable is None)
    if login is not None and variable is not None:
        lines = login["terraform_auth"] + login["registry_login"]
        assert variable in lines
        assert not re.search(r"(?<![A-Za-z0-9_])OIDC_TOKEN", lines)
        assert "{region}" not in str(login)


def test_sign_in_steps_call_pinned_actions() -> None:
    steps = [
        *(step for record in infrastructure.CLOUD_PROVIDERS.values() for step in record.github_login),
        *(step for cloud in infrastructure.CLOUD_PROVIDERS.values() for step in cloud.github_registry_login),
        *(step for provider in ci_providers.CI_PROVIDERS.values() for step in provider.registry.login),
    ]
    assert steps
    # Each step either calls an action or runs a command.
    assert all(bool(step.uses) != bool(step.run) for step in steps)
    assert {step.uses for step in steps if step.uses} <= set(data.dependencies()["actions"])


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
def test_ci_records_name_builtin_schemas_of_check_jsonschema(ci_provider: str) -> None:
    spec = importlib.util.find_spec("check_jsonschema")
    assert spec is not None
    assert spec.origin is not None
    builtin = Path(spec.origin).parent / "builtin_schemas"
    for schema in ci_providers.CI_PROVIDERS[ci_provider].schemas:
        kind, name = schema.split(".", 1)
        assert (builtin / kind / f"{name}.json").is_file(), schema


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
@pytest.mark.parametrize("cloud", sorted(infrastructure.CLOUD_PROVIDERS))
def test_repository_values_follow_the_provider_and_the_cloud(ci_provider: str, cloud: str) -> None:
    answers = {"organization": "Acme-Labs", "project_slug": "churn", "cloud_region": "eu-west-1"}
    provider = ci_providers.CI_PROVIDERS[ci_provider]
    record = infrastructure.CLOUD_PROVIDERS[cloud]
    values = delivery.repository_values(answers, ci_provider, cloud)

    assert values["repository_url"] == f"https://{provider.git_host}/Acme-Labs/churn.git"
    # Registries want lowercase names; a cloud's registry address comes from Terraform.
    assert values["default_image"] == f"{provider.registry.host}/acme-labs/churn"
    assert values["release_image"] == (
        f"{provider.registry.variable}/churn" if record.infrastructure else values["default_image"]
    )
    assert [step["name"] for step in values["cloud_login"]] == [step.name for step in record.github_login]
    logins = values["registry_login"]
    actions = [step["uses"] for step in logins if "uses" in step]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v[\d.]+", uses) for uses in actions)
    assert "{region}" not in str(logins)


def test_github_signs_in_to_aws_in_the_projects_region() -> None:
    github_aws = delivery.repository_values(
        {"organization": "Acme-Labs", "project_slug": "churn", "cloud_region": "eu-west-1"}, "github", "aws"
    )
    assert [step["uses"].split("@")[0] for step in github_aws["registry_login"]] == [
        "aws-actions/configure-aws-credentials",
        "aws-actions/amazon-ecr-login",
    ]
    assert github_aws["cloud_login"][0]["with"]["aws-region"] == "eu-west-1"

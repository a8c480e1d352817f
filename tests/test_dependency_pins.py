"""Tier 0: the pins of extensions/dependencies.yml and the dependencies each answer brings."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement

from extensions import (
    ci_providers,
    container,
    data,
    dependencies,
    frameworks,
    infrastructure,
    package_managers,
    repository,
)

pytestmark = pytest.mark.static

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
    return set(data.choice_values()[question])


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


def test_pipfile_entry_splits_name_and_specifier() -> None:
    assert dependencies.pipfile_entry("pandas-stubs>=2.2") == 'pandas-stubs = ">=2.2"'
    assert dependencies.pipfile_entry("ruff>=0.12,<0.18") == 'ruff = ">=0.12,<0.18"'


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


def test_every_action_is_pinned_to_a_full_commit() -> None:
    actions = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))["actions"]
    for name, pin in actions.items():
        assert re.fullmatch(r"[0-9a-f]{40}", pin["sha"]), name
        assert re.fullmatch(r"v\d+\.\d+\.\d+", pin["version"]), name
        assert repository.action(name) == f"{pin['repo']}@{pin['sha']} # {pin['version']}"


def test_ci_tools_are_valid_requirements() -> None:
    tools = yaml.safe_load(data.DEPENDENCIES_FILE.read_text(encoding="utf-8"))["ci_tools"]
    assert {manager.ci_tool for manager in package_managers.PACKAGE_MANAGERS.values()} < set(tools)
    for specs in tools.values():
        assert all(Requirement(spec).specifier for spec in specs), specs


@pytest.mark.parametrize("ci_provider", sorted(ci_providers.CI_PROVIDERS))
def test_ci_records_name_builtin_schemas_of_check_jsonschema(ci_provider: str) -> None:
    spec = importlib.util.find_spec("check_jsonschema")
    assert spec is not None
    assert spec.origin is not None
    builtin = Path(spec.origin).parent / "builtin_schemas"
    for schema in ci_providers.CI_PROVIDERS[ci_provider].schemas:
        kind, name = schema.split(".", 1)
        assert (builtin / kind / f"{name}.json").is_file(), schema

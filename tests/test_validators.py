"""Tier 0: the rules behind copier.yml's validators, answer by answer (extensions/filters.py)."""

from __future__ import annotations

import re

import pytest

from extensions import filters, frameworks, orchestrators

pytestmark = pytest.mark.static


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

    @pytest.mark.parametrize("orchestrator", sorted(orchestrators.ORCHESTRATORS))
    def test_orchestrator_takes_what_its_record_lists(self, orchestrator: str) -> None:
        record = orchestrators.ORCHESTRATORS[orchestrator]
        for framework in record.frameworks or tuple(frameworks.FRAMEWORKS):
            for version in record.python or frameworks.FRAMEWORKS[framework].python:
                assert filters.orchestrator_problem(orchestrator, framework, version) == ""

    def test_tfx_refuses_other_frameworks_and_pythons(self) -> None:
        message = filters.orchestrator_problem("tfx", "pytorch", "3.12")
        assert message.startswith("TensorFlow Extended (TFX) runs tensorflow models only, not pytorch:")
        message = filters.orchestrator_problem("tfx", "tensorflow", "3.14")
        assert "supports Python 3.11, 3.12, 3.13, not 3.14" in message

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

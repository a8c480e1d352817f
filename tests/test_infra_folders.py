"""Tier 1: infra/ holds a folder per kind of infrastructure (terraform, cloudformation, ansible),
each named with its condition, and nothing without one: Copier makes every folder it walks, so
copier.yml excludes infra/ where no condition holds; an empty folder would otherwise stay behind.
`make infra-check` runs Terraform's checks, or says it skipped them without terraform.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_copie.plugin import Copie

from tests.expectations import expected
from tests.helpers import render, run, tool_env

pytestmark = pytest.mark.render

# One render per kind of infrastructure, and one without any.
INFRA_FOLDERS = {
    "none": ({"cloud_provider": "none"}, set()),
    "onprem": ({"cloud_provider": "onprem"}, {"ansible"}),
    "cloudformation": ({"cloud_provider": "aws", "iac_tool": "cloudformation"}, {"cloudformation"}),
    "terraform": ({"cloud_provider": "gcp", "iac_tool": "terraform"}, {"terraform"}),
}


def empty_folders(project: Path) -> list[str]:
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_dir() and not any(path.iterdir())
    )


@pytest.mark.parametrize("kind", INFRA_FOLDERS)
def test_infra_holds_the_folder_of_its_kind_and_no_folder_is_left_empty(copie: Copie, kind: str) -> None:
    answers, folders = INFRA_FOLDERS[kind]
    project = render(copie, init_git=False, **answers)
    infra = project / "infra"
    rendered = {path.name for path in infra.iterdir()} if infra.exists() else set()

    assert empty_folders(project) == []
    assert rendered == folders
    assert infra.exists() == bool(folders)


def test_without_a_cloud_no_infrastructure_is_rendered(copie: Copie) -> None:
    project = render(copie, init_git=False, cloud_provider="none")
    config = (project / ".dvc" / "config").read_text()
    pyproject = (project / "pyproject.toml").read_text()

    assert not list(project.rglob("*.tf"))
    assert 'remote "cloud"' not in config
    assert "url = ../../my-ml-project-dvc-storage" in config
    for facts in expected("cloud_provider").values():
        assert facts["dvc_extra"] not in pyproject
    assert "infra-check" not in (project / "Makefile").read_text()
    assert ".terraform/" not in (project / ".gitignore").read_text()


def fake_terraform(bin_dir: Path, log: Path) -> None:
    """A `terraform` that records its arguments, so make's recipe is checked without a network."""
    script = bin_dir / "terraform"
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    script.chmod(0o755)


def path_with_make_only(bin_dir: Path) -> str:
    bin_dir.mkdir(exist_ok=True)
    make = run(["sh", "-c", "command -v make"], cwd=bin_dir).strip()
    (bin_dir / "make").symlink_to(make)
    return str(bin_dir)


def test_make_infra_check_runs_terraform_or_says_it_skipped(copie: Copie, tmp_path: Path) -> None:
    project = render(copie, init_git=False, cloud_provider="gcp")
    bin_dir = tmp_path / "bin"
    env = tool_env({"PATH": path_with_make_only(bin_dir)})

    skipped = run([str(bin_dir / "make"), "infra-check"], cwd=project, env=env)
    assert "infra-check skipped: no terraform on PATH" in skipped

    log = tmp_path / "terraform.log"
    fake_terraform(bin_dir, log)
    run([str(bin_dir / "make"), "infra-check"], cwd=project, env=env)
    assert log.read_text().splitlines() == [
        "-chdir=infra/terraform fmt -check -recursive",
        "-chdir=infra/terraform init -backend=false -input=false",
        "-chdir=infra/terraform validate",
    ]

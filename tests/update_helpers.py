"""Helpers of the update tests: throwaway releases of the template, projects copied from them,
`copier update` run as a team runs it, and conflicts resolved as a team would."""

from __future__ import annotations

import json
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pytest_copie.plugin import Copie

from tests.helpers import TOOLS_BIN, commit_all, git, run, tool_env

PACKAGE = "my_ml_project"
TEAM_FEATURE = '\n\ndef team_feature() -> int:\n    """The team\'s own feature."""\n    return 42\n'
# The `move` migration docs/updating.md gives for a rename, run by the update to `{version}`.
RENAME_MIGRATION = """_migrations:
  - version: {version}
    command:
      - "{{{{ _copier_python }}}}"
      - "{{{{ _copier_conf.src_path }}}}/extensions/updates.py"
      - move
      - src/{{package_name}}/features.py
      - src/{{package_name}}/featurize.py
"""


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def rename_features(repo: Path, version: str) -> None:
    """Make the next release of a throwaway template copy rename `features.py` to `featurize.py`,
    its imports with it, with the `move` migration for the update to `version`."""
    package = repo / "template" / "src" / "{{package_name}}"
    git(repo, "mv", str(package / "features.py"), str(package / "featurize.py"))
    for module in package.rglob("*"):
        text = module.read_text(encoding="utf-8") if module.is_file() else ""
        if "features import" in text:
            module.write_text(text.replace("features import", "featurize import"), encoding="utf-8")
    replace_once(repo / "copier.yml", "_migrations:\n", RENAME_MIGRATION.format(version=version))


def tag_version(repo: Path, tag: str) -> None:
    """Commit what changed in a throwaway template copy, if anything, and tag it as a release
    would (Copier reads versions from PEP 440 tags)."""
    if git(repo, "status", "--porcelain"):
        commit_all(repo, f"release {tag}")
    git(repo, "tag", tag)


def keep_team_side(path: Path) -> None:
    """Resolve every conflict of a file as a team keeping its own side ("before updating") would,
    with or without diff3's base section."""
    kept, side = [], "both"
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("<<<<<<< "):
            side = "ours"
        elif line.startswith("||||||| ") and side == "ours":
            side = "base"
        elif line.startswith("=======") and side in {"ours", "base"}:
            side = "theirs"
        elif line.startswith(">>>>>>> ") and side == "theirs":
            side = "both"
        elif side in {"both", "ours"}:
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")


def write_pipenv_lock(project: Path) -> None:
    """A Pipfile.lock that `make lock-check` accepts, written without resolving anything: Pipenv's
    own hash of the Pipfile, and each runtime dependency at the lowest version its range allows."""
    digest = run(
        [
            str(TOOLS_BIN / "python"),
            "-c",
            "from pipenv.project import Project; print(Project().pipfile.calculate_hash())",
        ],
        cwd=project,
    ).split()[-1]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    default = {}
    for line in pyproject["project"]["dependencies"]:
        requirement = Requirement(line)
        lowest = next(spec.version for spec in requirement.specifier if spec.operator == ">=")
        default[canonicalize_name(requirement.name)] = {"version": f"=={lowest}"}
    lock = {"_meta": {"hash": {"sha256": digest}, "pipfile-spec": 6}, "default": default, "develop": {}}
    (project / "Pipfile.lock").write_text(json.dumps(lock, indent=4) + "\n", encoding="utf-8")


def copy_release(copie: Copie, template: Path, version: str, **answers: str) -> Path:
    """A project copied from a release tag of a throwaway template repository, with uv (whose
    lock the update tests can write in seconds) unless the answers say otherwise."""
    result = copie.copy(
        template_dir=template, vcs_ref=version, extra_answers={"package_manager": "uv", **answers}
    )
    assert result.exception is None, result.exception
    assert result.project_dir is not None
    return Path(result.project_dir)


def update_report_file(project: Path, suffix: str = ".json") -> Path:
    """Where the last `copier update` (or recopy) wrote its report, in the git directory."""
    return project / git(project, "rev-parse", "--git-path", f"template-update-report{suffix}").strip()


def update_project(project: Path, version: str, *options: str, command: str = "update") -> tuple[str, Any]:
    """`copier update` (or `recopy`) from the command line, as a team runs it; `-d name=value`
    options change answers. Returns what it printed and the report it wrote."""
    output = run(
        [str(TOOLS_BIN / "copier"), command, "--trust", "--defaults", "--vcs-ref", version, *options],
        cwd=project,
    )
    return output, json.loads(update_report_file(project).read_text(encoding="utf-8"))


def commit_with_hooks(project: Path) -> subprocess.CompletedProcess[str]:
    """`git commit -a` with the project's pre-commit hooks active; only the conflicts hook runs,
    the others need the project's environment, which the update tests do not build."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    others = [hook["id"] for repo in config["repos"] for hook in repo["hooks"] if hook["id"] != "conflicts"]
    run([str(TOOLS_BIN / "pre-commit"), "install"], cwd=project)
    return subprocess.run(
        ["git", "-c", "user.name=Team", "-c", "user.email=team@example.com", "commit", "-am", "update"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=tool_env({"SKIP": ",".join(others)}),
    )


@dataclass(frozen=True)
class Outcome:
    """What one `copier update` or `copier recopy` printed and reported."""

    output: str
    report: dict[str, Any]
    markdown: str


def copier_outcome(project: Path, command: str, version: str, *options: str) -> Outcome:
    """`copier update` or `copier recopy` from the command line, with the report in both forms."""
    output, report = update_project(project, version, *options, command=command)
    return Outcome(output, report, update_report_file(project, ".md").read_text(encoding="utf-8"))

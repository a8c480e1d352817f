"""Tier 4: the scheduled template update (`scripts/template_update.py` of a rendered project),
run outside CI against a local bare repository standing in for GitHub or GitLab.

Each test releases a throwaway template copy as v1.0.0, renders a project from it, commits a
team edit and pushes `main` to a bare `origin`. Every run of the script happens in a fresh clone,
as a CI job's checkout would.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import TEMPLATE_ROOT, commit_all, git, run, snapshot_template
from tests.update_helpers import tag_version

pytestmark = pytest.mark.update

SCRIPT = Path("scripts") / "template_update.py"
BRANCH = "template-update"
# The last line of README.md: the team and release v1.1.0 both change it (a conflict).
README_LINE = "Generated from the ML project template; `copier update` brings in its new versions."
TEAM_LINE = "Generated from the ML project template; the platform team reviews its updates."
TEMPLATE_LINE = "Generated from the ML project template, which `copier update` keeps current."
EDITORCONFIG_ADDITION = "\n[*.md]\ntrim_trailing_whitespace = false\n"
ATTRIBUTES_ADDITION = "*.ipynb diff=jupyternotebook\n"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("template_update", TEMPLATE_ROOT / "template" / SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up in sys.modules while the module runs.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BOT_EMAIL: str = _load_script().BOT_EMAIL


@dataclass(frozen=True)
class Scenario:
    template: Path
    origin: Path
    root: Path

    def clone(self, name: str) -> Path:
        destination = self.root / name
        run(["git", "clone", "--quiet", str(self.origin), str(destination)], cwd=self.root)
        return destination

    def update(self, name: str) -> tuple[str, Path]:
        """Run the script in a fresh clone; its output and the body file it was told to write."""
        clone = self.clone(name)
        body = self.root / f"{name}-body.md"
        output = run([sys.executable, str(SCRIPT), "--body-file", str(body)], cwd=clone)
        return output, body

    def origin_git(self, *args: str) -> str:
        return git(self.origin, *args).strip()

    def bot_commits(self) -> list[str]:
        """Committer e-mails of the update branch's commits beyond main, newest first."""
        return self.origin_git("log", "--format=%ce", f"main..{BRANCH}").split()

    def release(self, tag: str, edits: Mapping[str, Callable[[str], str]]) -> None:
        """Edit files of the template copy (paths under template/) and tag the result."""
        for path, edit in edits.items():
            file = self.template / "template" / path
            before = file.read_text(encoding="utf-8")
            after = edit(before)
            assert after != before, file
            file.write_text(after, encoding="utf-8")
        tag_version(self.template, tag)


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    template = snapshot_template(tmp_path / "template")
    tag_version(template, "v1.0.0")
    project = tmp_path / "project"
    run(["copier", "copy", "--trust", "--defaults", "--quiet", str(template), str(project)], cwd=tmp_path)
    readme = project / "README.md"
    rendered = readme.read_text(encoding="utf-8")
    assert README_LINE in rendered
    readme.write_text(rendered.replace(README_LINE, TEAM_LINE), encoding="utf-8")
    commit_all(project, "team edits")
    origin = tmp_path / "origin.git"
    run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(origin)], cwd=tmp_path)
    git(project, "push", "--quiet", str(origin), "main")
    return Scenario(template, origin, tmp_path)


def _release_with_a_conflict(scenario: Scenario) -> None:
    """v1.1.0 rewords the README line the team changed, and adds to .editorconfig."""
    scenario.release(
        "v1.1.0",
        {
            "README.md.jinja": lambda text: text.replace(README_LINE, TEMPLATE_LINE),
            ".editorconfig": lambda text: text + EDITORCONFIG_ADDITION,
        },
    )


def test_a_current_project_is_left_alone(scenario: Scenario) -> None:
    output, body = scenario.update("run")

    assert "current with the template (v1.0.0)" in output
    assert "changed=false" in output.splitlines()
    assert scenario.origin_git("branch", "--list", BRANCH) == ""
    assert not body.exists()


def test_a_release_opens_the_branch_with_one_bot_commit(scenario: Scenario) -> None:
    _release_with_a_conflict(scenario)

    output, body = scenario.update("run")

    outputs = set(output.splitlines())
    assert {"changed=true", "mode=new", f"branch={BRANCH}", "version=v1.1.0"} <= outputs
    assert {"report=true", "clean=false", "conflicts=1"} <= outputs
    assert scenario.bot_commits() == [BOT_EMAIL]
    assert "_commit: v1.1.0" in scenario.origin_git("show", f"{BRANCH}:.copier-answers.yml")
    editorconfig = scenario.origin_git("show", f"{BRANCH}:.editorconfig")
    assert editorconfig.endswith(EDITORCONFIG_ADDITION.strip())
    readme = scenario.origin_git("show", f"{BRANCH}:README.md")
    assert "<<<<<<< before updating" in readme
    assert TEAM_LINE in readme
    assert TEMPLATE_LINE in readme
    text = body.read_text(encoding="utf-8")
    assert "`v1.0.0` (on `main`) to `v1.1.0`" in text
    assert "README.md" in text
    assert "make install" in text
    assert "never rewrites it" in text


def test_a_persons_commit_stays_and_the_next_update_goes_on_top(scenario: Scenario) -> None:
    _release_with_a_conflict(scenario)
    scenario.update("first")
    person = scenario.clone("person")
    git(person, "switch", "--quiet", BRANCH)
    readme = person / "README.md"
    resolved = [
        line
        for line in readme.read_text(encoding="utf-8").splitlines()
        if not line.startswith(("<<<<<<<", "=======", ">>>>>>>")) and line != TEMPLATE_LINE
    ]
    readme.write_text("\n".join(resolved) + "\n", encoding="utf-8")
    commit_all(person, "resolve the README conflict")
    git(person, "push", "--quiet", "origin", BRANCH)
    persons_commit = git(person, "rev-parse", "HEAD").strip()
    scenario.release("v1.2.0", {".gitattributes": lambda text: text + ATTRIBUTES_ADDITION})

    output, body = scenario.update("second")

    assert {"changed=true", "mode=append", "version=v1.2.0"} <= set(output.splitlines())
    tip = scenario.origin_git("rev-parse", BRANCH)
    assert scenario.origin_git("rev-parse", f"{tip}^") == persons_commit
    assert scenario.bot_commits() == [BOT_EMAIL, "ci@example.com", BOT_EMAIL]
    assert "_commit: v1.2.0" in scenario.origin_git("show", f"{BRANCH}:.copier-answers.yml")
    assert scenario.origin_git("show", f"{BRANCH}:.gitattributes").endswith(ATTRIBUTES_ADDITION.strip())
    assert "<<<<<<<" not in scenario.origin_git("show", f"{BRANCH}:README.md")
    assert "added the update on top of the commits a person pushed" in body.read_text(encoding="utf-8")


def test_a_branch_of_bot_commits_restarts_from_main(scenario: Scenario) -> None:
    _release_with_a_conflict(scenario)
    scenario.update("first")
    stale = scenario.origin_git("rev-parse", BRANCH)
    team = scenario.clone("team")
    (team / "NOTES.md").write_text("# Team notes\n", encoding="utf-8")
    commit_all(team, "team notes")
    git(team, "push", "--quiet", "origin", "main")

    output, _ = scenario.update("second")

    assert {"changed=true", "mode=restart", "version=v1.1.0"} <= set(output.splitlines())
    tip = scenario.origin_git("rev-parse", BRANCH)
    assert scenario.origin_git("rev-parse", f"{tip}^") == scenario.origin_git("rev-parse", "main")
    assert scenario.bot_commits() == [BOT_EMAIL]
    assert "NOTES.md" in scenario.origin_git("ls-tree", "--name-only", BRANCH)
    assert stale not in scenario.origin_git("rev-list", BRANCH)

    output, _ = scenario.update("third")

    assert "changed=false" in output.splitlines()
    assert scenario.origin_git("rev-parse", BRANCH) == tip

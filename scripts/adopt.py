"""Adopt this template in an existing project, so that `copier update` works from then on.

    python <template>/scripts/adopt.py [--answers-only] [--vcs-ref vX] [--template SRC] PROJECT_DIR

The answers come from the project's own metadata (see `adopt_answers`). The template is rendered
once into a scratch folder to see which of its files the project already has: those stay the
project's, recorded in the `project_owned_files` answer, which `copier.yml` turns into `_exclude`
patterns, so neither this copy nor any later update writes them. Every other template file is
added. Nothing is committed: the team reviews and commits.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.metadata
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

if __package__ in {None, ""}:
    # Run as a file (`python <template>/scripts/adopt.py`): the template's own modules, and the
    # rules of its validators in `extensions/`, become importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import copier
import yaml
from packaging.version import Version

from scripts.adopt_answers import TEMPLATE_ROOT, DerivedAnswer, derive_answers

ANSWERS_FILE = ".copier-answers.yml"
OWNED_ANSWER = "project_owned_files"


def min_copier_version(template_root: Path = TEMPLATE_ROOT) -> Version:
    """The template's Copier floor, `_min_copier_version`: the first Copier that splits an
    `_exclude` entry on newlines, without which the owned files are merged like any other."""
    settings: dict[str, Any] = yaml.safe_load((template_root / "copier.yml").read_text(encoding="utf-8"))
    return Version(str(settings["_min_copier_version"]))


class AdoptionRefusedError(Exception):
    """The project is not in a state this script can adopt safely."""


@dataclass(frozen=True)
class Comparison:
    """The template's files, by what the project already has at each path."""

    added: list[str]
    identical: list[str]
    owned: list[str]


def _git(project: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise AdoptionRefusedError(f"`git {' '.join(args)}` failed in {project}: {completed.stderr.strip()}")
    return completed.stdout


def refuse_old_copier() -> None:
    installed = importlib.metadata.version("copier")
    wanted = min_copier_version()
    if Version(installed) < wanted:
        raise AdoptionRefusedError(
            f"Copier {installed} cannot keep the project's own files out of updates: "
            f"install copier>={wanted}."
        )


def refuse_unless_adoptable(project: Path) -> None:
    if not project.is_dir():
        raise AdoptionRefusedError(f"{project} is not a folder.")
    if (project / ANSWERS_FILE).exists():
        raise AdoptionRefusedError(f"{project} already has {ANSWERS_FILE}: run `copier update` instead.")
    try:
        _git(project, "rev-parse", "--verify", "--quiet", "HEAD")
    except AdoptionRefusedError as error:
        raise AdoptionRefusedError(
            f"{project} is not a git repository with a commit: `git init`, commit, and run again "
            "(copier update only works on git-tracked projects)."
        ) from error
    if _git(project, "status", "--porcelain"):
        raise AdoptionRefusedError(
            f"{project} has uncommitted changes: commit or stash them first, so the adoption's "
            "changes are the only ones in `git status`."
        )


def render_template(
    template: str, vcs_ref: str | None, answers: dict[str, Any], destination: Path
) -> dict[str, Any]:
    """Render the template with these answers (defaults for the rest) into an empty folder;
    return every answer it recorded, `_commit` included."""
    copier.run_copy(
        template,
        str(destination),
        data={**answers, "init_git": False},
        defaults=True,
        unsafe=True,
        vcs_ref=vcs_ref,
        quiet=True,
    )
    recorded: dict[str, Any] = yaml.safe_load((destination / ANSWERS_FILE).read_text(encoding="utf-8"))
    return recorded


def compare(reference: Path, project: Path) -> Comparison:
    added: list[str] = []
    identical: list[str] = []
    owned: list[str] = []
    for path in sorted(reference.rglob("*")):
        relative = PurePosixPath(path.relative_to(reference).as_posix())
        if path.is_dir() or str(relative) == ANSWERS_FILE:
            continue
        theirs = project / relative
        if _blocked(project, relative):
            owned.append(str(relative))
        elif not theirs.exists() and not theirs.is_symlink():
            added.append(str(relative))
        elif theirs.is_file() and filecmp.cmp(path, theirs, shallow=False):
            identical.append(str(relative))
        else:
            owned.append(str(relative))
    return Comparison(added, identical, owned)


def _blocked(project: Path, relative: PurePosixPath) -> bool:
    """A file of the project stands where the template has a folder on this path."""
    return any((project / parent).is_file() for parent in relative.parents if parent != PurePosixPath("."))


def copy_into_project(template: str, vcs_ref: str, project: Path, data: dict[str, Any]) -> None:
    """Copy the template over the project. The owned files are excluded by the answers; skipping
    every existing file as well means no file the project has can be overwritten, even by a
    template whose `copier.yml` lacks the exclusion."""
    copier.run_copy(
        template,
        str(project),
        data=data,
        defaults=True,
        unsafe=True,
        vcs_ref=vcs_ref,
        skip_if_exists=["*"],
        quiet=True,
    )
    changed = [
        line for line in _git(project, "status", "--porcelain").splitlines() if not line.startswith("??")
    ]
    if changed:
        raise AdoptionRefusedError(
            "Copier changed files the project had (restore them with git):\n" + "\n".join(changed)
        )


def ignored_by_git(folder: Path, files: list[str]) -> set[str]:
    """The files the ignore rules in this git work tree hide from git."""
    completed = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=folder,
        input="\n".join(files),
        capture_output=True,
        text=True,
        check=False,
    )
    return set(completed.stdout.splitlines())


def hidden_by_the_project(project: Path, reference: Path, added: list[str]) -> list[str]:
    """Added files the project's ignore rules hide although the template's do not (its DVC
    data stays ignored by design), so a commit would silently miss them."""
    _git(reference, "init", "--quiet")
    return sorted(ignored_by_git(project, added) - ignored_by_git(reference, added))


def adoption_data(recorded: dict[str, Any], comparison: Comparison) -> dict[str, Any]:
    """The answers of the scratch render, so the copy renders exactly the same files, with the
    project's own files recorded."""
    data = {name: value for name, value in recorded.items() if not name.startswith("_")}
    data[OWNED_ANSWER] = comparison.owned
    return data


def report_answers(derived: list[DerivedAnswer], refused: list[str], recorded: dict[str, Any]) -> None:
    sources = {answer.name: answer.source for answer in derived}
    print("Answers (the project's own where it states them; the template's defaults otherwise):")
    width = max(len(name) for name in recorded)
    for name, value in recorded.items():
        if not name.startswith("_") and name not in {"init_git", OWNED_ANSWER}:
            print(f"  {name:<{width}} = {value!r:<40} <- {sources.get(name, 'template default')}")
    for reason in refused:
        print(f"  not used: {reason}")


def report_files(comparison: Comparison, project: Path, reference: Path) -> None:
    tops = sorted({path.split("/")[0] for path in comparison.added})
    print(f"\nAdded {len(comparison.added)} template files the project did not have, in: {', '.join(tops)}")
    print(f"Already identical to the template: {len(comparison.identical)} files.")
    if comparison.owned:
        print(
            f"\nKept {len(comparison.owned)} files of the project that differ from the template's "
            "version.\nMerge what you want from the template's version by hand; updates never touch them:"
        )
        for path in comparison.owned:
            theirs, ours = shlex.quote(str(reference / path)), shlex.quote(str(project / path))
            print(f"  {path:<32} diff -u {theirs} {ours}")
    hidden = hidden_by_the_project(project, reference, comparison.added)
    if hidden:
        print("\nThe project's ignore rules hide these added files from git (commit them with `git add -f`,")
        print("or merge the template's .gitignore):")
        for path in hidden:
            print(f"  {path}")
    print(f"\nThe template's version of every file: {reference} (delete it when done).")


def report_flat_package(project: Path, package: str) -> None:
    """The template's code lives in `src/<package>/`: a package of the same name at the top would
    shadow it whenever the project root is on the import path (pytest, notebooks)."""
    if (project / package / "__init__.py").is_file():
        print(
            f"\nThe project's package {package}/ has the name of the template's src/{package}/ and\n"
            f"shadows it when run from the project root: move its modules into src/{package}/."
        )


def report_next_steps(project: Path, commit: str) -> None:
    print("\nNext (nothing is committed for you):")
    print(f"  cd {shlex.quote(str(project))}")
    print("  git status                       # the template's files are new, untracked ones")
    if (project / ".cruft.json").exists():
        print("  git rm --quiet .cruft.json       # cruft no longer manages this project")
    print(f'  git add --all && git commit -m "Adopt the ML project template {commit}"')
    print("Later template versions: copier update --trust --defaults")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("project", type=Path, help="the existing project's folder (a clean git work tree)")
    parser.add_argument("--vcs-ref", help="template version (git tag) to adopt; default: its latest tag")
    parser.add_argument(
        "--template",
        default=str(TEMPLATE_ROOT),
        help="template location to record for updates (path or git URL); default: this repository",
    )
    parser.add_argument(
        "--answers-only",
        action="store_true",
        help="write the answers and print the copier command, without changing the project",
    )
    args = parser.parse_args(argv)
    project: Path = args.project.resolve()
    try:
        refuse_old_copier()
        refuse_unless_adoptable(project)
        derived, refused = derive_answers(project)
        scratch = Path(tempfile.mkdtemp(prefix=f"adopt-{project.name}-"))
        reference = scratch / "template-version"
        recorded = render_template(
            args.template, args.vcs_ref, {answer.name: answer.value for answer in derived}, reference
        )
        # The version the scratch render resolved, so the copy renders the very same files.
        version = str(recorded["_commit"])
        comparison = compare(reference, project)
        data = adoption_data(recorded, comparison)
        data_file = scratch / "answers.yml"
        data_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        report_answers(derived, refused, recorded)
        if args.answers_only:
            command = ["copier", "copy", "--trust", "--defaults", "--vcs-ref", version]
            command += ["--data-file", str(data_file), "--skip", "*", args.template, str(project)]
            print(f"\nAnswers written to {data_file}; {len(comparison.owned)} files stay the project's.")
            print(f"Adopt with:\n  {shlex.join(command)}")
            return 0
        copy_into_project(args.template, version, project, data)
    except AdoptionRefusedError as error:
        print(f"adopt: {error}", file=sys.stderr)
        return 1
    report_files(comparison, project, reference)
    report_flat_package(project, str(data["package_name"]))
    report_next_steps(project, version)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Write the generated blocks of docs/conventions.md: branching models, repo-review's skipped checks.

    python -m scripts.conventions_reference          # rewrite the block
    python -m scripts.conventions_reference --check  # exit 1 if the block is stale

The branching rows come from `BRANCHING_MODELS` of the context hook, which the CI files, the
branch protection as code, the staging OIDC subjects and the bots' configuration are rendered
from; the matrix tier (tests/test_docs_site.py) checks each rendered file follows it. The
repo-review rows come from extensions/repo_review.yml, which each project's `[tool.repo-review]`
is rendered from; the render tier (tests/test_repo_review.py) runs repo-review on the examples. A
static test compares the blocks with this output.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from extensions.branching import BRANCHING_MODELS
from extensions.reviewers import ignored_checks
from scripts import generated_blocks

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "conventions.md"
COPIER_FILE = ROOT / "copier.yml"
COMMAND = "make conventions-reference"


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def branching_models_block() -> Iterator[str]:
    specs = yaml.safe_load(COPIER_FILE.read_text(encoding="utf-8"))["branching_model"]
    default = specs["default"]
    yield (
        "| answer | work branches | merged into (base of the bots' and template updates' requests) "
        "| protected, gated on push and trusted by staging's OIDC |"
    )
    yield "| --- | --- | --- | --- |"
    for answer, model in BRANCHING_MODELS.items():
        shown = f"`{answer}` (default)" if answer == default else f"`{answer}`"
        prefixes = ", ".join(f"`{prefix}…`" for prefix in model.work_prefixes)
        yield f"| {shown}: {model.label} | {prefixes} | `{model.integration}` | {_names(model.protected)} |"


def repo_review_block() -> Iterator[str]:
    yield "| check | skipped in | why (the reason the project's `pyproject.toml` gives) |"
    yield "| --- | --- | --- |"
    for entry in ignored_checks():
        answers = "; ".join(
            f"{question}: {' or '.join(f'`{value}`' for value in values)}"
            for question, values in entry.when.items()
        )
        check = f"`{entry.check}` (the family)" if entry.check.isalpha() else f"`{entry.check}`"
        yield f"| {check} | {answers or 'every project'} | {generated_blocks.cell(entry.reason)} |"


PAGES: dict[Path, dict[str, generated_blocks.Generator]] = {
    PAGE: {"branching-models": branching_models_block, "repo-review-ignored": repo_review_block}
}


def main(argv: list[str] | None = None) -> int:
    return generated_blocks.main(argv, __doc__.splitlines()[0], PAGES, COMMAND, ROOT)


if __name__ == "__main__":
    sys.exit(main())

"""Write the README's table of test tiers from the pytest markers declared in pyproject.toml.

Write the README's table of test tiers from the pytest markers declared in pyproject.toml, and
the counts of the answer combinations each tier renders from tests/combinations.py.

    python -m scripts.tiers_reference          # rewrite the block
    python -m scripts.tiers_reference --check  # exit 1 if the block is stale

Each marker is declared as `<marker>: <what it checks> (tier <n>; <cost>)`, so the tier, what it
checks and its cost live with the marker that `--strict-markers` enforces, and a static test
compares the block with this output.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts import generated_blocks
from tests import combinations

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
README = ROOT / "README.md"
COMMAND = "make tiers-reference"
# A tier, or a selection across tiers (`extended`), which sorts after them.
MARKER = re.compile(
    r"^(?P<name>\w+): (?P<checks>.+) \((?:tier (?P<tier>\d+)|(?P<selection>selection)); (?P<cost>[^()]+)\)$",
    re.DOTALL,
)
SELECTION = 99


@dataclass(frozen=True)
class Tier:
    number: int
    marker: str
    checks: str
    cost: str


def tiers() -> list[Tier]:
    """The declared markers, by tier number."""
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"][
        "markers"
    ]
    found = []
    for declaration in declared:
        match = MARKER.match(declaration)
        if match is None:
            raise ValueError(
                f"pyproject.toml: marker {declaration!r} is not "
                "`<marker>: <what> (tier <n>; <cost>)` or `<marker>: <what> (selection; <cost>)`"
            )
        number = SELECTION if match["selection"] else int(match["tier"])
        found.append(Tier(number, match["name"], match["checks"], match["cost"]))
    return sorted(found, key=lambda tier: tier.number)


def tiers_block() -> Iterator[str]:
    yield "| tier | marker | what it checks | cost |"
    yield "| --- | --- | --- | --- |"
    for tier in tiers():
        checks, cost = generated_blocks.cell(tier.checks), generated_blocks.cell(tier.cost)
        number = "any" if tier.number == SELECTION else str(tier.number)
        yield f"| {number} | `{tier.marker}` | {checks} | {cost} |"


def combinations_block() -> Iterator[str]:
    """How many rows each set of combinations has, against the full product of its questions."""
    yield "| row set | derived from copier.yml by | rows | full product |"
    yield "| --- | --- | --- | --- |"
    for use, (how, rows, full) in combinations.counts().items():
        yield f"| {use} | {how} | {rows} | {full} |"


PAGES: dict[Path, dict[str, generated_blocks.Generator]] = {
    README: {"test-tiers": tiers_block, "test-combinations": combinations_block}
}


def main(argv: list[str] | None = None) -> int:
    return generated_blocks.main(argv, __doc__.splitlines()[0], PAGES, COMMAND, ROOT)


if __name__ == "__main__":
    sys.exit(main())

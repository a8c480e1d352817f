"""What the tests expect of each value of a choice, written apart from its record.

The records (extensions/choices/) say what the template renders; these files say what a render
must then contain, so a test never only reads back the data the template was rendered from.
`tests/expected/<question>/<value>.yml` holds one value's expectations; every value of the
question (but `none`) has one, with the same keys (test_combinations.py checks both).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

EXPECTED = Path(__file__).parent / "expected"


@cache
def expected(question: str) -> dict[str, dict[str, Any]]:
    """Each value's expectations for a question, by value."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((EXPECTED / question).glob("*.yml"))
    }


def questions() -> tuple[str, ...]:
    """The questions that have expectations."""
    return tuple(sorted(path.name for path in EXPECTED.iterdir() if path.is_dir()))

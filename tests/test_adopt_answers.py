"""Tier 0: how scripts/adopt_answers.py maps an existing project's facts to the template's
choices, and the patterns that keep the project's own files out of updates. test_adopt.py runs
the adoption itself."""

from __future__ import annotations

import pytest

from extensions.filters import owned_file_pattern, owned_files_problem
from scripts.adopt_answers import license_id, nearest_python

pytestmark = pytest.mark.static


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("MIT", "MIT"),
        ("MIT License", "MIT"),
        ("BSD-3-Clause", "BSD-3-Clause"),
        ("BSD 3-Clause License", "BSD-3-Clause"),
        ("Apache Software License", "Apache-2.0"),
        ("No license file", "Proprietary"),
        ("GPL-3.0-only", "Proprietary"),
    ],
)
def test_licences_map_to_the_template_ids(name: str, expected: str) -> None:
    assert license_id(name) == expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [("3.10", "3.11"), ("3.12", "3.12"), (">=3.13,<4", "3.13"), ("^3.9", "3.11"), ("3.14", "3.13")],
)
def test_python_maps_to_the_nearest_supported_choice(version: str, expected: str) -> None:
    assert nearest_python(version, ["3.11", "3.12", "3.13"]) == expected


def test_owned_files_become_exact_patterns_and_stay_inside_the_project() -> None:
    assert owned_file_pattern("docs/[draft]*.md") == "/docs/\\[draft\\]\\*.md"
    assert owned_files_problem(["README.md", "src/pkg/__init__.py"]) == ""
    for bad in (["../outside"], ["/etc/passwd"], [".copier-answers.yml"], "README.md", ["a\\b"]):
        assert owned_files_problem(bad), bad

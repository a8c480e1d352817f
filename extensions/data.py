"""The one loader of the template's data files: dependencies.yml, gitlab_clouds.yml and the
questions of copier.yml, each parsed once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEPENDENCIES_FILE = Path(__file__).with_name("dependencies.yml")
GITLAB_CLOUDS_FILE = Path(__file__).with_name("gitlab_clouds.yml")
COPIER_FILE = Path(__file__).parent.parent / "copier.yml"

# libyaml's loader parses several times faster; PyYAML built without it has only the Python one.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one YAML file of the template, read with the fastest safe loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


@cache
def dependencies() -> dict[str, Any]:
    """dependencies.yml: every pin of the rendered project, its CI tools and its images."""
    loaded: dict[str, Any] = load_yaml(DEPENDENCIES_FILE)
    return loaded


@cache
def gitlab_clouds() -> dict[str, Any]:
    """How a GitLab job signs in to each cloud with its `id_tokens` OIDC token."""
    loaded: dict[str, Any] = load_yaml(GITLAB_CLOUDS_FILE)
    return loaded


@cache
def choice_questions() -> dict[str, frozenset[str]]:
    """The values each choice question of copier.yml accepts."""
    questions: dict[str, Any] = load_yaml(COPIER_FILE)
    return {
        name: frozenset(
            str(value)
            for value in (spec["choices"].values() if isinstance(spec["choices"], dict) else spec["choices"])
        )
        for name, spec in questions.items()
        if not name.startswith("_") and isinstance(spec, dict) and "choices" in spec
    }

"""The filters and globals of copier.yml's defaults and validators and of the templates.

Each ``*_problem`` filter returns an empty string for a good answer and otherwise the message
Copier shows at the prompt, so the rules live in Python (testable) and not in YAML strings.

A validator's docstring is its documentation: the summary line, then what it refuses, then
examples. The static tier runs the examples as doctests (whitespace normalised, ``...`` matches
anything) and scripts/questions_reference.py shows them in docs/questions.md, so the messages
documented there are the messages Copier prints.

The filters live by concern in the modules of `MODULES`; this one registers each under its
function's name and names it here, so scripts and tests reach every one as `filters.<name>`.
It keeps the git identity globals, which read the configuration of whoever renders.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from jinja2.ext import Extension

if TYPE_CHECKING or __package__ == "extensions":
    from . import (
        answers_cloud,
        answers_names,
        answers_pairs,
        answers_people,
        answers_text,
        owned_files,
        quoting,
    )
else:
    # Loaded by path by Copier: the modules beside this very file, see _siblings.py.
    import runpy

    answers_cloud, answers_names, answers_pairs, answers_people, answers_text, owned_files, quoting = (
        runpy.run_path(str(Path(__file__).with_name("_siblings.py")))["siblings"](
            __file__,
            "answers_cloud",
            "answers_names",
            "answers_pairs",
            "answers_people",
            "answers_text",
            "owned_files",
            "quoting",
        )
    )


@cache
def _git_config(key: str) -> str:
    try:
        result = subprocess.run(
            ["git", "config", "--get", key], capture_output=True, text=True, check=False, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def git_user_name(fallback: str) -> str:
    """The git user name of whoever renders the project, or the fallback."""
    return _git_config("user.name") or fallback


def git_user_email(fallback: str) -> str:
    """The git user e-mail of whoever renders the project, or the fallback."""
    return _git_config("user.email") or fallback


slugify = answers_names.slugify
package_name_from_slug = answers_names.package_name_from_slug
project_slug_problem = answers_names.project_slug_problem
package_name_problem = answers_names.package_name_problem
project_name_problem = answers_text.project_name_problem
description_problem = answers_text.description_problem
author_name_problem = answers_text.author_name_problem
email_problem = answers_people.email_problem
organization_problem = answers_people.organization_problem
copyright_year_problem = answers_people.copyright_year_problem
code_owners_problem = answers_people.code_owners_problem
current_year = answers_people.current_year
current_date = answers_people.current_date
framework_python_problem = answers_pairs.framework_python_problem
orchestrator_problem = answers_pairs.orchestrator_problem
ci_cloud_problem = answers_pairs.ci_cloud_problem
ci_owner_problem = answers_pairs.ci_owner_problem
iac_tool_problem = answers_pairs.iac_tool_problem
CLOUD_REGIONS = answers_cloud.CLOUD_REGIONS
default_cloud_region = answers_cloud.default_cloud_region
cloud_region_problem = answers_cloud.cloud_region_problem
resource_prefix_from_slug = answers_cloud.resource_prefix_from_slug
resource_prefix_problem = answers_cloud.resource_prefix_problem
owned_file_pattern = owned_files.owned_file_pattern
owned_files_problem = owned_files.owned_files_problem
toml_string = quoting.toml_string
yaml_string = quoting.yaml_string

# The modules the filters come from, whose docstring examples the static tier runs.
MODULES = (answers_names, answers_text, answers_people, answers_pairs, answers_cloud, owned_files, quoting)
# In the order docs/architecture.md lists them.
FILTERS: tuple[Callable[..., Any], ...] = (
    slugify,
    package_name_from_slug,
    project_name_problem,
    project_slug_problem,
    package_name_problem,
    description_problem,
    author_name_problem,
    email_problem,
    organization_problem,
    copyright_year_problem,
    framework_python_problem,
    orchestrator_problem,
    ci_cloud_problem,
    ci_owner_problem,
    iac_tool_problem,
    code_owners_problem,
    default_cloud_region,
    cloud_region_problem,
    resource_prefix_from_slug,
    resource_prefix_problem,
    owned_file_pattern,
    toml_string,
    yaml_string,
    owned_files_problem,
)
GLOBALS: tuple[Callable[..., Any], ...] = (git_user_name, git_user_email, current_year, current_date)


class TemplateFilters(Extension):
    """Registers `FILTERS` and `GLOBALS` in Copier's Jinja environment, each under its name."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update({function.__name__: function for function in FILTERS})
        environment.globals.update({function.__name__: function for function in GLOBALS})

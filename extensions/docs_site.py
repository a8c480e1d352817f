"""The project's docs site (ProperDocs, from mkdocs.yml): `make docs`, a CI job that builds it strict, Pages.

The records are choices/docs/<value>.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class Docs:
    """A docs choice."""

    label: str
    # Whether the project builds a docs site: `make docs`, a CI job that builds it strict, Pages.
    site: bool


DOCS = data.records("docs", Docs)


@dataclass(frozen=True)
class SiteValues:
    """The context's names for the docs site."""

    has_site: bool


def has_site(answers: Mapping[str, str]) -> bool:
    """Whether the project has a docs site."""
    return DOCS[answers["docs"]].site


def site_values(answers: Mapping[str, str]) -> SiteValues:
    """The docs site's names."""
    return SiteValues(has_site=has_site(answers))

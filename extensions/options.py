"""The optional parts of a project: experiment tracking, the serving app, its deployment and the
docs site; the records are choices/<question>/<value>.yml, `none` included."""

from __future__ import annotations

from dataclasses import dataclass

from . import data


@dataclass(frozen=True)
class Tracking:
    """An experiment_tracking choice (its packages are in dependencies.yml, under `when`)."""

    label: str


@dataclass(frozen=True)
class Serving:
    """A serving choice."""

    label: str
    # Whether the project builds a serving image: its Dockerfile, its CI jobs and its release.
    image: bool


@dataclass(frozen=True)
class Deployment:
    """A deployment choice."""

    label: str
    # Whether an Argo CD application follows the repository's manifests (deploy/).
    gitops: bool


@dataclass(frozen=True)
class Docs:
    """A docs choice."""

    label: str
    # Whether the project builds a docs site: `make docs`, a CI job that builds it strict, Pages.
    site: bool


TRACKINGS = data.records("experiment_tracking", Tracking)
SERVINGS = data.records("serving", Serving)
DEPLOYMENTS = data.records("deployment", Deployment)
DOCS = data.records("docs", Docs)

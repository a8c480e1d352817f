"""Churn model: data checks, features, training, evaluation and scoring, with a CLI."""

from importlib.metadata import PackageNotFoundError, version

# The distribution (pyproject.toml `name`) that installs this package.
DISTRIBUTION = "my-ml-project"

try:
    __version__ = version(DISTRIBUTION)
except PackageNotFoundError:  # pragma: no cover - only when running from a bare checkout
    __version__ = "0.0.0"

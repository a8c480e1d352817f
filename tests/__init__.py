"""Tests of the template, in tiers selected by marker (see pyproject.toml)."""

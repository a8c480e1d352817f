"""The rendered project's dependencies for a set of answers, from dependencies.yml.

The rendered project's dependencies for a set of answers, from dependencies.yml: requirement
strings per group, pytest plugins, indexes, untyped modules and warning filters."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from . import data


def requirement(dep: dict[str, Any]) -> str:
    """The PEP 508 requirement string of one dependencies.yml entry."""
    marker = f"; {dep['marker']}" if "marker" in dep else ""
    return f"{dep['name']}{dep['spec']}{marker}"


@cache
def dependency_specs(**answers: str) -> dict[str, tuple[str, ...]]:
    """PEP 508 requirement strings per group for a project with these answers; entries whose
    `when` names an answer that is not given are kept (all of them, with no answers). `serve` is
    the runtime entries the serving image installs (none for a project that does not serve)."""
    specs = {
        group: tuple(requirement(dep) for dep in data.dependencies()[group] if _applies(dep, answers))
        for group in ("runtime", "dev")
    }
    serving = answers.get("serving", "fastapi") == "fastapi"
    specs["serve"] = tuple(
        requirement(dep)
        for dep in data.dependencies()["runtime"]
        if serving and _applies(dep, answers) and _serves(dep, answers)
    )
    return specs


@cache
def pytest_plugins(**answers: str) -> tuple[str, ...]:
    """The pytest plugins the rendered tests use (`pytest_plugin`), by entry-point name."""
    return tuple(
        dep["pytest_plugin"]
        for dep in data.dependencies()["dev"]
        if "pytest_plugin" in dep and _applies(dep, answers)
    )


@cache
def model_packages(**answers: str) -> tuple[str, ...]:
    """The runtime distributions that loading this project's logged model needs (`model: true`)."""
    return tuple(
        dep["name"] for dep in data.dependencies()["runtime"] if dep.get("model") and _applies(dep, answers)
    )


def _serves(dep: dict[str, Any], answers: dict[str, str]) -> bool:
    """Whether the serving image needs an entry: `serve: true`, or answers among those listed."""
    serve = dep.get("serve", False)
    if isinstance(serve, bool):
        return serve
    return all(answers.get(key, values[0]) in values for key, values in serve.items())


def _applies(dep: dict[str, Any], answers: dict[str, str]) -> bool:
    """Whether an entry belongs to a project with these answers (unknown answers match): `when`
    names a value, or a list of the values that keep it."""
    return all(
        key not in answers or answers[key] in (value if isinstance(value, list) else [value])
        for key, value in dep.get("when", {}).items()
    )


@cache
def indexed_packages(**answers: str) -> tuple[dict[str, str], ...]:
    """The packages this project takes from a dedicated index, with the index's name and URL."""
    return tuple(
        {"package": dep["name"], "index": dep["index"], "url": data.dependencies()["indexes"][dep["index"]]}
        for group in ("runtime", "dev")
        for dep in data.dependencies()[group]
        if "index" in dep and _applies(dep, answers)
    )


@cache
def untyped_modules(**answers: str) -> tuple[str, ...]:
    """Top-level modules of this project's dependencies that ship no type information."""
    return tuple(
        sorted(
            module
            for group in ("runtime", "dev")
            for dep in data.dependencies()[group]
            if dep.get("typed", True) is False and _applies(dep, answers)
            for module in dep["imports"]
        )
    )


@cache
def minimum_version(name: str) -> str:
    """The lowest version a dependency's range allows: the `>=` bound of its dependencies.yml entry."""
    spec = next(
        dep["spec"]
        for group in ("runtime", "dev")
        for dep in data.dependencies()[group]
        if dep["name"] == name
    )
    bound = re.match(r">=([0-9.]+)", spec)
    if bound is None:
        raise ValueError(f"dependencies.yml: {name} has no lower bound ({spec})")
    return bound.group(1)


@cache
def warning_filters(**answers: str) -> tuple[str, ...]:
    """pytest filters for warnings this project's dependencies raise from their own code."""
    filters = (
        rule
        for group in ("runtime", "dev")
        for dep in data.dependencies()[group]
        if _applies(dep, answers)
        for rule in dep.get("ignore_warnings", ())
    )
    return tuple(dict.fromkeys(filters))


def pipfile_entry(spec: str) -> str:
    """`name = "spec"` as a Pipfile line, from a PEP 508 requirement (its marker, if any, kept)."""
    spec, _, marker = spec.partition("; ")
    index = next(i for i, char in enumerate(spec) if char in "<>=!~")
    if marker:
        return f'{spec[:index]} = {{version = "{spec[index:]}", markers = "{marker}"}}'
    return f'{spec[:index]} = "{spec[index:]}"'

"""The package's modules import one another without a cycle.

A cycle makes the import order matter (a module may see its partner half-initialised) and ties
modules together that should load alone: serving reads the settings without MLflow or pandas.
Imports inside functions count too: they only postpone the cycle to the first call.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "src" / "my_ml_project"


def _module_names(package_dir: Path) -> dict[str, Path]:
    """Every module of the package by dotted name; a package is its `__init__.py`."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _targets(node: ast.Import | ast.ImportFrom, package: str, modules: set[str]) -> set[str]:
    """The modules that one import statement of a module of `package` loads by name.

    The packages above a module load before it, implicitly: those imports are not edges, or
    every package whose `__init__` imports its own modules would be a cycle.
    """
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names} & modules
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
    # `from package import name` names a module when there is one by that name.
    return {
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
    } & modules


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports, anywhere in it."""
    paths = _module_names(package_dir)
    modules = set(paths)
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        # Relative imports start from the package itself in an `__init__.py`, else from the module's.
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
        graph[name] = set[str]().union(*(_targets(node, package, modules) for node in imports)) - {name}
    return graph


def import_cycle(package_dir: Path) -> list[str]:
    """One import cycle of the package, as the chain of modules, or [] when there is none."""
    try:
        tuple(TopologicalSorter(import_graph(package_dir)).static_order())
    except CycleError as error:
        return list(error.args[1])
    return []


def test_the_package_has_no_import_cycle() -> None:
    assert import_cycle(PACKAGE_DIR) == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from .orders import Order\n")
    (package / "sub" / "orders.py").write_text("from ..config import Settings\n")
    (package / "config.py").write_text("def load() -> None:\n    from .sub import orders\n")

    assert sorted(set(import_cycle(package))) == ["shop.config", "shop.sub.orders"]
    assert import_graph(package) == {
        "shop": set(),
        "shop.config": {"shop.sub.orders"},
        "shop.sub": {"shop.sub.orders"},
        "shop.sub.orders": {"shop.config"},
    }

"""Imports the sibling modules of an extension that Copier loaded by its file path.

copier-templates-extensions executes `extensions/context.py`, `extensions/filters.py` and
`extensions/updates.py` as `copier_template_extensions.<stem>`, and copier.yml's migrations run
`updates.py` as a script, so `extensions` is not a package they can import from. This
file makes their directory one under a name derived from the directory itself: a render from a
cloned or tagged copy of the template then runs that copy's modules, never those of another copy
(a working tree on `sys.path`, another render in the same process). The entry modules run it with
`runpy.run_path`, so it needs no package of its own to be found.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def siblings(entry_file: str, *names: str) -> tuple[ModuleType, ...]:
    """The modules `names` of the directory of `entry_file`, loaded afresh as one package.

    Afresh, as the extension loader executes the entry module itself again on every load: a
    changed file of the same directory is read again, as before the split."""
    directory = Path(entry_file).resolve().parent
    package = f"_template_extensions_{hashlib.sha256(str(directory).encode()).hexdigest()[:16]}"
    for loaded in [name for name in sys.modules if name == package or name.startswith(f"{package}.")]:
        del sys.modules[loaded]
    spec = importlib.util.spec_from_file_location(
        package, directory / "__init__.py", submodule_search_locations=[str(directory)]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {directory} as a package")
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    spec.loader.exec_module(module)
    return tuple(importlib.import_module(f"{package}.{name}") for name in names)

"""The names a project is known by: its slug (repository and distribution) and its import name.

Validators of the `project_slug` and `package_name` answers and the filters that derive their
defaults; both names must not collide with what the project installs or a system reserves.
"""

from __future__ import annotations

import keyword
import re
import sys

from slugify import slugify as _slugify

from . import data

# Names the rendered project already uses for folders or tooling: a package called like one of
# them imports the wrong thing or confuses pytest's rootdir discovery.
RESERVED_NAMES = frozenset(
    {"test", "tests", "src", "docs", "data", "models", "reports", "notebooks", "conftest", "setup", "site"}
)

MAX_NAME_LENGTH = 64

# Names Windows gives to devices: a folder or module called like one cannot be created there.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{digit}" for port in ("com", "lpt") for digit in "123456789")}
)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

PACKAGE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


def dependency_imports() -> frozenset[str]:
    """Top-level modules installed by any of the rendered project's dependencies."""
    return frozenset(
        module
        for group in ("runtime", "dev")
        for dep in data.dependencies()[group]
        for module in dep["imports"]
    )


def dependency_distributions() -> frozenset[str]:
    """Distribution names of the rendered project's dependencies, normalised as PEP 503 does."""
    return frozenset(
        re.sub(r"[-_.]+", "-", dep["name"]).lower()
        for group in ("runtime", "dev")
        for dep in data.dependencies()[group]
    )


def slugify(text: str) -> str:
    """Lowercase-hyphenated form of a display name ("My ML Project" -> "my-ml-project")."""
    return _slugify(text, separator="-", lowercase=True)


def package_name_from_slug(slug: str) -> str:
    """Default import name for a slug: hyphens become underscores, leading digits are dropped
    ("2024-forecast" -> "forecast"), so the default is an identifier whenever one can be made."""
    return slug.replace("-", "_").lstrip("0123456789_")


def project_slug_problem(value: str) -> str:
    """Why a repository/distribution name cannot be used, or "".

    Refuses anything but lowercase letters and digits in words joined by single hyphens, and more
    than 64 characters. A slug may start with a digit: distribution and repository names can.

    >>> project_slug_problem("2024-forecast")
    ''
    >>> print(project_slug_problem("Bad Slug"))
    'Bad Slug' is not a valid project slug: use lowercase letters, digits and single hyphens
    between them (e.g. 'churn-model').
    >>> print(project_slug_problem("churn--model"))
    'churn--model' is not a valid project slug: ...
    >>> print(project_slug_problem("x" * 70))
    The project slug must be at most 64 characters (got 70).
    >>> print(project_slug_problem("pandas"))
    'pandas' is the name of a dependency of the project, which cannot depend on itself; choose
    another project slug.
    >>> print(project_slug_problem("aux"))
    'aux' is a device name on Windows, where no folder can have it; choose another project slug.
    """
    if len(value) > MAX_NAME_LENGTH:
        return f"The project slug must be at most {MAX_NAME_LENGTH} characters (got {len(value)})."
    if not SLUG_PATTERN.fullmatch(value):
        return (
            f"'{value}' is not a valid project slug: use lowercase letters, digits and single "
            "hyphens between them (e.g. 'churn-model')."
        )
    if value in dependency_distributions():
        return (
            f"'{value}' is the name of a dependency of the project, which cannot depend on itself; "
            "choose another project slug."
        )
    if value in WINDOWS_DEVICE_NAMES:
        return (
            f"'{value}' is a device name on Windows, where no folder can have it; "
            "choose another project slug."
        )
    return ""


def package_name_problem(value: str) -> str:
    """Why a Python import name cannot be used, or "".

    The first failing rule gives the message: at most 64 characters; lowercase letters, digits and
    underscores, starting with a letter; not a keyword or soft keyword of the Python running
    Copier; not a standard library module; not a module a dependency of the project installs (the
    `imports` lists of dependencies.yml, so a new dependency is refused automatically); not one of
    the project's folder or tool names (`RESERVED_NAMES`); not a Windows device name (`con`, `nul`,
    `com1`, ...).

    >>> print(package_name_problem("a" * 65))
    The package name must be at most 64 characters (got 65).
    >>> print(package_name_problem("my-package"))
    'my-package' is not a valid package name: use lowercase letters, digits and underscores,
    starting with a letter (e.g. 'churn_model').
    >>> print(package_name_problem("match"))
    'match' is a Python keyword; choose another package name.
    >>> print(package_name_problem("typing"))
    'typing' would shadow the standard library module 'typing'; choose another package name.
    >>> print(package_name_problem("sklearn"))
    'sklearn' would shadow the dependency 'sklearn' of the project; choose another package name.
    >>> print(package_name_problem("tests"))
    'tests' is a folder or tool name of the project itself; choose another package name.
    >>> print(package_name_problem("nul"))
    'nul' is a device name on Windows, where no folder can have it; choose another package name.
    """
    return _package_name_shape_problem(value) or _package_name_clash_problem(value)


def _package_name_shape_problem(value: str) -> str:
    """The rules of an identifier this project can use: length, characters, no keyword."""
    checks = (
        (
            len(value) > MAX_NAME_LENGTH,
            f"The package name must be at most {MAX_NAME_LENGTH} characters (got {len(value)}).",
        ),
        (
            not PACKAGE_PATTERN.fullmatch(value),
            f"'{value}' is not a valid package name: use lowercase letters, digits and underscores, "
            "starting with a letter (e.g. 'churn_model').",
        ),
        (
            keyword.iskeyword(value) or keyword.issoftkeyword(value),
            f"'{value}' is a Python keyword; choose another package name.",
        ),
    )
    return next((message for failed, message in checks if failed), "")


def _package_name_clash_problem(value: str) -> str:
    """The names taken already: by Python, the project's dependencies, its folders, Windows."""
    checks = (
        (
            value in sys.stdlib_module_names,
            f"'{value}' would shadow the standard library module '{value}'; choose another package name.",
        ),
        (
            value in dependency_imports(),
            f"'{value}' would shadow the dependency '{value}' of the project; choose another package name.",
        ),
        (
            value in RESERVED_NAMES,
            f"'{value}' is a folder or tool name of the project itself; choose another package name.",
        ),
        (
            value in WINDOWS_DEVICE_NAMES,
            f"'{value}' is a device name on Windows, where no folder can have it; "
            "choose another package name.",
        ),
    )
    return next((message for failed, message in checks if failed), "")

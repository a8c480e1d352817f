"""Filters and globals that copier.yml's defaults and validators use.

Each ``*_problem`` filter returns an empty string for a good answer and otherwise the message
Copier shows at the prompt, so the rules live in Python (testable) and not in YAML strings.

A validator's docstring is its documentation: the summary line, then what it refuses, then
examples. The static tier runs the examples as doctests (whitespace normalised, ``...`` matches
anything) and scripts/questions_reference.py shows them in docs/questions.md, so the messages
documented there are the messages Copier prints.
"""

from __future__ import annotations

import datetime
import keyword
import re
import subprocess
import sys
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from jinja2.ext import Extension
from slugify import slugify as _slugify

if TYPE_CHECKING or __package__ == "extensions":
    from . import ci_providers, data, frameworks, iac_tools, infrastructure, orchestrators
else:
    # Loaded by path by Copier: the modules beside this very file, see _siblings.py.
    import runpy

    ci_providers, data, frameworks, iac_tools, infrastructure, orchestrators = runpy.run_path(
        str(Path(__file__).with_name("_siblings.py"))
    )["siblings"](
        __file__, "ci_providers", "data", "frameworks", "iac_tools", "infrastructure", "orchestrators"
    )

# Names the rendered project already uses for folders or tooling: a package called like one of
# them imports the wrong thing or confuses pytest's rootdir discovery.
RESERVED_NAMES = frozenset(
    {"test", "tests", "src", "docs", "data", "models", "reports", "notebooks", "conftest", "setup", "site"}
)
MAX_NAME_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 200
# RFC 5321's limits: what mail servers (and the package index's metadata) accept.
MAX_EMAIL_LENGTH = 254
MAX_EMAIL_LOCAL_LENGTH = 64
MAX_REGION_LENGTH = 32
# Jinja's delimiters: free text holding them looks like a rendering leftover in every file, and
# `${{` starts an expression in a GitHub workflow.
JINJA_DELIMITERS = ("{{", "}}", "{%", "%}", "{#", "#}")
# Line breaks as Python, YAML and TOML count them: each would split a one-line answer.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# A name is shown in Markdown, HTML (the docs site) and shell-adjacent files (the Makefile's help,
# commit identities): backticks, `$` and angle brackets mean something in each of them.
NAME_SPECIALS = frozenset("`$<>")
# Joins emoji into one (👩‍🔬) and shapes several scripts: the one invisible character kept.
ZERO_WIDTH_JOINER = "\u200d"
# Names Windows gives to devices: a folder or module called like one cannot be created there.
WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"{port}{digit}" for port in ("com", "lpt") for digit in "123456789")}
)
# Host paths that GitLab refuses for a group (they collide with its routes).
RESERVED_HANDLE_SUFFIXES = (".git", ".atom")
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PACKAGE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
# The HTML living standard's "valid e-mail address", with at least one dot in the domain.
DOMAIN_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# The local part is a dot-atom without the characters a shell or a template reads (`$`, a
# backtick, `|`, braces, `/`): real addresses do not use them.
EMAIL_ATOM = r"[A-Za-z0-9!#%&'*+=?^_~-]+"
EMAIL_PATTERN = re.compile(rf"{EMAIL_ATOM}(?:\.{EMAIL_ATOM})*@{DOMAIN_LABEL}(?:\.{DOMAIN_LABEL})+")
# GitHub handles and GitLab group paths (with subgroups): alphanumeric at both ends.
HANDLE_SEGMENT = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,37}[A-Za-z0-9])?"
HANDLE_PATTERN = re.compile(rf"{HANDLE_SEGMENT}(?:/{HANDLE_SEGMENT})*")
CODE_OWNER_PATTERN = re.compile(rf"@{HANDLE_SEGMENT}(?:/{HANDLE_SEGMENT})*|{EMAIL_PATTERN.pattern}")
# Region names as each cloud spells them, with the default a new project starts in (the records
# of choices/cloud_provider).
CLOUD_REGIONS: dict[str, tuple[re.Pattern[str], str, str]] = {
    name: (re.compile(record.region.pattern), record.region.default, record.region.example)
    for name, record in infrastructure.CLOUD_PROVIDERS.items()
    if record.region
}
# Letters and digits only: Azure storage accounts allow no hyphen, and a short prefix leaves
# room for the suffixes in bucket and registry names.
RESOURCE_PREFIX_PATTERN = re.compile(r"[a-z][a-z0-9]{2,11}")
# Characters that mean something in a gitignore-style pattern (Copier's `_exclude`).
PATTERN_SPECIALS = re.compile(r"([\\*?\[\]])")


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


def _hidden_character(value: str) -> str | None:
    """The first character that is invisible or a control character, if any.

    A zero-width joiner between two non-ASCII characters is kept: emoji sequences and several
    scripts need it, and it cannot hide an ASCII look-alike."""
    for index, char in enumerate(value):
        if char.isprintable():
            continue
        joins = char == ZERO_WIDTH_JOINER and 0 < index < len(value) - 1
        if joins and not value[index - 1].isascii() and not value[index + 1].isascii():
            continue
        return char
    return None


def _single_line_problem(value: str, label: str, max_length: int) -> str:
    """The rules every free-text answer follows; the first that fails gives the message."""
    hidden = _hidden_character(value)
    found = f" (found U+{ord(hidden):04X})" if hidden else ""
    hidden_message = f"{label} must not contain invisible or control characters{found}."
    checks = (
        (not value.strip(), f"{label} must not be empty."),
        (value != value.strip(), f"{label} must not start or end with spaces."),
        (len(value) > max_length, f"{label} must be at most {max_length} characters (got {len(value)})."),
        (any(char in LINE_BREAKS for char in value), f"{label} must be a single line."),
        (hidden is not None, hidden_message),
        (
            unicodedata.normalize("NFC", value) != value,
            f"{label} must use composed characters (Unicode NFC): retype the accented letters.",
        ),
        (
            any(delimiter in value for delimiter in JINJA_DELIMITERS),
            f"{label} must not contain Jinja delimiters ({', '.join(JINJA_DELIMITERS)}).",
        ),
    )
    return next((message for failed, message in checks if failed), "")


def _name_problem(value: str, label: str) -> str:
    """The free-text rules plus no character that is syntax in Markdown, HTML or a shell."""
    problem = _single_line_problem(value, label, MAX_NAME_LENGTH)
    specials = sorted({char for char in value if char in NAME_SPECIALS})
    if not problem and specials:
        problem = f"{label} must not contain {' or '.join(repr(char) for char in specials)}."
    return problem


def project_name_problem(value: str) -> str:
    r"""Why a display name cannot be used, or "".

    Refuses an empty, padded or multi-line name, one over 64 characters, invisible or control
    characters (zero-width spaces, bidirectional overrides), decomposed accents (not Unicode
    NFC), Jinja delimiters, a backtick, `$`, `<` or `>`, and a name with no letter or digit to
    make a slug of. Quotes, backslashes, accents and emoji are fine.

    >>> project_name_problem("Détection de fraude 🚀")
    ''
    >>> print(project_name_problem(" "))
    The project name must not be empty.
    >>> print(project_name_problem(" Churn"))
    The project name must not start or end with spaces.
    >>> print(project_name_problem("x" * 70))
    The project name must be at most 64 characters (got 70).
    >>> print(project_name_problem("Churn\nModel"))
    The project name must be a single line.
    >>> print(project_name_problem("Churn\u202eModel"))
    The project name must not contain invisible or control characters (found U+202E).
    >>> print(project_name_problem(unicodedata.normalize("NFD", "Détection")))
    The project name must use composed characters (Unicode NFC): retype the accented letters.
    >>> print(project_name_problem("Churn {{ model }}"))
    The project name must not contain Jinja delimiters ({{, }}, {%, %}, {#, #}).
    >>> print(project_name_problem("Churn $(id)"))
    The project name must not contain '$'.
    >>> print(project_name_problem("!!!"))
    The project name needs at least one letter or digit, e.g. 'Churn Model'.
    """
    problem = _name_problem(value, "The project name")
    if not problem and not slugify(value):
        problem = "The project name needs at least one letter or digit, e.g. 'Churn Model'."
    return problem


def description_problem(value: str) -> str:
    r"""Why a one-line description cannot be used, or "".

    The project name's rules up to the Jinja delimiters, with a 200-character limit: a backtick,
    `$` and angle brackets are fine in a sentence.

    >>> print(description_problem(""))
    The description must not be empty.
    >>> print(description_problem("Scores churn "))
    The description must not start or end with spaces.
    >>> print(description_problem("x" * 201))
    The description must be at most 200 characters (got 201).
    >>> print(description_problem("Scores\nchurn"))
    The description must be a single line.
    >>> print(description_problem("Scores\u200bchurn"))
    The description must not contain invisible or control characters (found U+200B).
    >>> print(description_problem("Scores {% raw %}churn"))
    The description must not contain Jinja delimiters ({{, }}, {%, %}, {#, #}).
    """
    return _single_line_problem(value, "The description", MAX_DESCRIPTION_LENGTH)


def author_name_problem(value: str) -> str:
    r"""Why an author name cannot be used, or "".

    The project name's rules without the slug rule; an e-mail address in angle brackets gets
    its own message, since it has its own question.

    >>> author_name_problem("山田 O'Brien \\ Ørsted")
    ''
    >>> print(author_name_problem(""))
    The author name must not be empty.
    >>> print(author_name_problem("x" * 65))
    The author name must be at most 64 characters (got 65).
    >>> print(author_name_problem("Jane <jane@example.com>"))
    The author name must not contain an e-mail address: the next question asks for it.
    >>> print(author_name_problem("Jane <b>"))
    The author name must not contain '<' or '>'.
    """
    if "@" in value and "<" in value:
        return "The author name must not contain an e-mail address: the next question asks for it."
    return _name_problem(value, "The author name")


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


def email_problem(value: str) -> str:
    """Why an e-mail address is malformed, or "".

    Refuses anything that is not a valid e-mail address in the sense of the HTML standard with
    at least one dot in the domain, a local part with a leading, trailing or doubled dot or
    with `$`, a backtick, `|`, braces or `/` in it, and more than 254 characters (64 before the
    `@`).

    >>> email_problem("o'brien+ml@example.co.uk")
    ''
    >>> print(email_problem("jane@example"))
    'jane@example' is not an e-mail address like 'jane@example.com'.
    >>> print(email_problem("a@b@c.com"))
    'a@b@c.com' is not an e-mail address ...
    >>> print(email_problem("$(id)@example.com"))
    '$(id)@example.com' is not an e-mail address ...
    >>> print(email_problem("j" * 65 + "@example.com"))
    The e-mail address must have at most 64 characters before the '@' (got 65).
    """
    local = value.rpartition("@")[0]
    if len(value) > MAX_EMAIL_LENGTH:
        return f"The e-mail address must be at most {MAX_EMAIL_LENGTH} characters (got {len(value)})."
    if len(local) > MAX_EMAIL_LOCAL_LENGTH:
        return (
            f"The e-mail address must have at most {MAX_EMAIL_LOCAL_LENGTH} characters before the '@' "
            f"(got {len(local)})."
        )
    if not EMAIL_PATTERN.fullmatch(value):
        return f"'{value}' is not an e-mail address like 'jane@example.com'."
    return ""


def organization_problem(value: str) -> str:
    """Why a GitHub/GitLab owner handle is malformed, or "".

    Accepts one or more segments separated by `/` (GitLab subgroups), each of letters, digits,
    `-`, `_` and `.`, starting and ending with a letter or digit, at most 39 characters, with no
    `--` anywhere and none ending in `.git` or `.atom` (GitLab keeps those for its own routes).

    >>> organization_problem("group/sub-group")
    ''
    >>> print(organization_problem("-acme"))
    '-acme' is not a GitHub or GitLab owner: use letters, digits, '-', '_' or '.', starting and
    ending with a letter or digit, at most 39 characters (GitLab subgroups as 'group/subgroup').
    >>> print(organization_problem("acme--ml"))
    'acme--ml' is not a GitHub or GitLab owner: ...
    >>> print(organization_problem("acme/../ml"))
    'acme/../ml' is not a GitHub or GitLab owner: ...
    """
    reserved = any(segment.endswith(RESERVED_HANDLE_SUFFIXES) for segment in value.split("/"))
    if not HANDLE_PATTERN.fullmatch(value) or "--" in value or reserved:
        return (
            f"'{value}' is not a GitHub or GitLab owner: use letters, digits, '-', '_' or '.', "
            "starting and ending with a letter or digit, at most 39 characters "
            "(GitLab subgroups as 'group/subgroup')."
        )
    return ""


def copyright_year_problem(value: int) -> str:
    """Why a copyright year is implausible, or "".

    Refuses years before 1970 and after the current one.

    >>> print(copyright_year_problem(1969))
    The copyright year must be between 1970 and ...
    """
    this_year = current_year()
    if not 1970 <= value <= this_year:
        return f"The copyright year must be between 1970 and {this_year}."
    return ""


def framework_python_problem(
    framework: str, python_version: str, records: Mapping[str, frameworks.Framework] | None = None
) -> str:
    """Why the framework's pinned release cannot run on this Python, or "".

    Refuses a framework whose pinned release ships no wheels for the chosen Python version (the
    `python` list of its record, extensions/choices/ml_framework/<framework>.yml).

    >>> print(framework_python_problem("tensorflow", "3.14"))
    TensorFlow ... supports Python ..., not 3.14: choose another framework, or go back and choose
    one of those Python versions.
    """
    support = (frameworks.FRAMEWORKS if records is None else records).get(framework)
    if support is None or python_version in support.python:
        return ""
    versions = ", ".join(support.python)
    return (
        f"{support.release} supports Python {versions}, not {python_version}: choose another "
        "framework, or go back and choose one of those Python versions."
    )


def ci_cloud_problem(
    cloud: str, ci_provider: str, records: Mapping[str, ci_providers.CiProvider] | None = None
) -> str:
    """Why the cloud's CI identity cannot trust the CI service's OIDC tokens, or "".

    Refuses a cloud listed in `oidc.untrusted_by` of the CI service's record
    (extensions/choices/ci_provider/<ci_provider>.yml).

    >>> ci_cloud_problem("aws", "github")
    ''
    >>> print(ci_cloud_problem("azure", "bitbucket"))
    Azure cannot trust Bitbucket's OIDC tokens: its identities need exact subjects, and
    Bitbucket's end with each job's own ID. Choose aws, gcp, none or onprem, or go back and
    choose another CI service.
    >>> ci_cloud_problem("onprem", "bitbucket")
    ''
    """
    provider = (ci_providers.CI_PROVIDERS if records is None else records).get(ci_provider)
    if provider is None or cloud not in provider.oidc.untrusted_by:
        return ""
    # Every other value, `none` and `onprem` too (they sign in to no cloud).
    trusted = [name for name in infrastructure.CLOUD_PROVIDERS if name not in provider.oidc.untrusted_by]
    return (
        f"{infrastructure.CLOUDS[cloud].label} cannot trust {provider.host_label}'s OIDC tokens: its "
        f"identities need exact subjects, and {provider.host_label}'s end with each job's own ID. "
        f"Choose {', '.join(trusted[:-1])} or {trusted[-1]}, or go back and choose another CI service."
    )


def ci_owner_problem(ci_provider: str, organization: str) -> str:
    """Why the owner cannot own a repository on the CI service's host, or "".

    Refuses a group path (`group/subgroup`) where the host's owners are one name (the
    `nested_owners` of extensions/choices/ci_provider/<ci_provider>.yml): the repository URL, the
    image name and the OIDC subjects would name an owner that cannot exist.

    >>> ci_owner_problem("gitlab", "acme/ml")
    ''
    >>> print(ci_owner_problem("github", "acme/ml"))
    GitHub owners are one name, not a group path like 'acme/ml': choose a CI service whose host
    has nested groups (gitlab), or go back and give the owner without '/'.
    """
    provider = ci_providers.CI_PROVIDERS.get(ci_provider)
    if provider is None or provider.nested_owners or "/" not in organization:
        return ""
    nesting = [name for name, record in ci_providers.CI_PROVIDERS.items() if record.nested_owners]
    return (
        f"{provider.host_label} owners are one name, not a group path like {organization!r}: choose "
        f"a CI service whose host has nested groups ({', '.join(nesting)}), or go back and give the "
        "owner without '/'."
    )


def orchestrator_problem(
    orchestrator: str,
    framework: str,
    python_version: str,
    records: Mapping[str, orchestrators.Orchestrator] | None = None,
) -> str:
    """Why the orchestrator cannot run this framework or Python version, or "".

    Refuses a framework or a Python version that the orchestrator's record
    (extensions/choices/orchestrator/<orchestrator>.yml) leaves out of its non-empty `frameworks`
    or `python` list.

    >>> orchestrator_problem("dvc", "pytorch", "3.13")
    ''
    """
    record = (orchestrators.ORCHESTRATORS if records is None else records).get(orchestrator)
    if record is None:
        return ""
    if record.frameworks and framework not in record.frameworks:
        return (
            f"{record.label} runs {', '.join(record.frameworks)} models only, not {framework}: choose "
            "another orchestrator, or go back and choose one of those frameworks."
        )
    if record.python and python_version not in record.python:
        return (
            f"{record.label} supports Python {', '.join(record.python)}, not {python_version}: choose "
            "another orchestrator, or go back and choose one of those Python versions."
        )
    return ""


def iac_tool_problem(tool: str, cloud: str, records: Mapping[str, iac_tools.IacTool] | None = None) -> str:
    """Why the infrastructure tool cannot create this cloud's resources, or "".

    Refuses a cloud that the tool's record (extensions/choices/iac_tool/<tool>.yml) leaves out
    of its non-empty `clouds` list.

    >>> iac_tool_problem("terraform", "azure")
    ''
    >>> iac_tool_problem("cloudformation", "aws")
    ''
    >>> print(iac_tool_problem("cloudformation", "gcp"))
    AWS CloudFormation creates resources on aws only, not on gcp: choose terraform, or go back and
    choose aws.
    """
    table = iac_tools.IAC_TOOLS if records is None else records
    record = table.get(tool)
    if record is None or not record.clouds or cloud in record.clouds:
        return ""
    others = [name for name, other in table.items() if not other.clouds or cloud in other.clouds]
    return (
        f"{record.label} creates resources on {', '.join(record.clouds)} only, not on {cloud}: "
        f"choose {' or '.join(others)}, or go back and choose {' or '.join(record.clouds)}."
    )


def code_owners_problem(value: str) -> str:
    r"""Why a CODEOWNERS owner list is malformed, or "".

    Refuses an empty list, owners separated by anything but single spaces (a line break would
    start a CODEOWNERS rule with no owner), and any owner that is neither `@handle`, `@org/team`
    (GitLab: `@group/subgroup`) nor an e-mail address.

    >>> code_owners_problem("@acme/ml-team jane@example.com")
    ''
    >>> print(code_owners_problem(""))
    Name at least one code owner, e.g. '@acme/ml-team'.
    >>> print(code_owners_problem("ml-team"))
    'ml-team' is not a code owner: use '@user', '@org/team' (GitLab: '@group/subgroup') or an
    e-mail address, separated by spaces.
    >>> print(code_owners_problem("@acme\n@evil"))
    Separate the code owners by single spaces, with none before the first or after the last.
    """
    owners = value.split()
    if not owners:
        return "Name at least one code owner, e.g. '@acme/ml-team'."
    if value != " ".join(owners):
        return "Separate the code owners by single spaces, with none before the first or after the last."
    bad = [owner for owner in owners if not CODE_OWNER_PATTERN.fullmatch(owner)]
    if bad:
        return (
            f"'{bad[0]}' is not a code owner: use '@user', '@org/team' (GitLab: '@group/subgroup') "
            "or an e-mail address, separated by spaces."
        )
    return ""


def default_cloud_region(cloud: str) -> str:
    """The region a new project starts in, or "" when there is no cloud."""
    known = CLOUD_REGIONS.get(cloud)
    return known[1] if known else ""


def cloud_region_problem(value: str, cloud: str) -> str:
    """Why a region name is not one the cloud would accept, or "".

    Checks the shape of the name only, and its length (at most 32 characters); Terraform reports
    a region that does not exist.

    >>> print(cloud_region_problem("eu-west-1", "gcp"))
    'eu-west-1' is not a gcp region name like 'europe-west1' or 'us-central1'.
    """
    known = CLOUD_REGIONS.get(cloud)
    if known is None or (known[0].fullmatch(value) and len(value) <= MAX_REGION_LENGTH):
        return ""
    return f"'{value}' is not a {cloud} region name like {known[2]}."


def resource_prefix_from_slug(slug: str) -> str:
    """The slug's letters and digits, starting with a letter, cut to 12 characters
    (padded with "model" when the slug has fewer than three)."""
    prefix = re.sub(r"[^a-z0-9]", "", slug).lstrip("0123456789")[:12]
    return prefix if len(prefix) >= 3 else f"{prefix}model"[:12]


def resource_prefix_problem(value: str) -> str:
    """Why a cloud resource name prefix cannot be used, or "".

    Refuses anything but 3 to 12 lowercase letters and digits starting with a letter: Azure
    storage account names allow nothing else, and the short prefix leaves room for the suffixes
    cloud names need.

    >>> print(resource_prefix_problem("my-ml"))
    'my-ml' is not a resource prefix: use 3 to 12 lowercase letters and digits, starting with a
    letter (cloud names such as Azure storage accounts allow nothing else).
    """
    if not RESOURCE_PREFIX_PATTERN.fullmatch(value):
        return (
            f"'{value}' is not a resource prefix: use 3 to 12 lowercase letters and digits, "
            "starting with a letter (cloud names such as Azure storage accounts allow nothing else)."
        )
    return ""


# Escapes TOML basic strings and YAML double-quoted scalars share; anything else that is not
# printable becomes \uXXXX or \UXXXXXXXX, which both formats read.
SHARED_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _double_quoted(value: str) -> str:
    """`value` between double quotes, with its characters as they are and only quotes,
    backslashes and unprintable characters (but the zero-width joiner) escaped. Jinja's
    `tojson` escapes every non-ASCII character instead, and writes an emoji as a surrogate
    pair, which TOML refuses."""
    parts = []
    for char in value:
        code = ord(char)
        if char in SHARED_ESCAPES:
            parts.append(SHARED_ESCAPES[char])
        elif 0xD800 <= code <= 0xDFFF:
            # A lone surrogate is no character: neither format can hold it.
            raise ValueError(f"{value!r} holds a lone surrogate (U+{code:04X}), which no file can hold")
        elif char.isprintable() or char == ZERO_WIDTH_JOINER:
            parts.append(char)
        else:
            parts.append(f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return '"' + "".join(parts) + '"'


def toml_string(value: str) -> str:
    r"""A TOML basic string of any text, its characters written as themselves (pyproject.toml).

    >>> print(toml_string('山田 "Ops" \\ 🚀'))
    "山田 \"Ops\" \\ 🚀"
    >>> print(toml_string("bidi\u202eoverride"))
    "bidi\u202Eoverride"
    """
    return _double_quoted(str(value))


def yaml_string(value: str) -> str:
    r"""A YAML double-quoted scalar of any text, its characters written as themselves.

    YAML reads the same escapes as TOML; line separators (U+2028, U+0085) are escaped with the
    other unprintable characters, so a value is never folded.

    >>> print(yaml_string("Détection: 🚀 # not a comment"))
    "Détection: 🚀 # not a comment"
    """
    return _double_quoted(str(value))


def owned_file_pattern(path: str) -> str:
    """An `_exclude` pattern that matches exactly this project-relative file and nothing else:
    anchored at the project root, with wildcard characters escaped."""
    return "/" + PATTERN_SPECIALS.sub(r"\\\1", path)


def owned_files_problem(value: Any) -> str:
    r"""Why a list of project-owned files cannot be recorded, or "".

    Refuses anything but a list of relative paths inside the project: absolute paths, paths with
    `..` or backslashes, padded or multi-line paths, and `.copier-answers.yml`, which is Copier's.

    >>> owned_files_problem(["README.md", "src/app.py"])
    ''
    >>> print(owned_files_problem("README.md"))
    project_owned_files must be a list of file paths.
    >>> print(owned_files_problem(["docs\\index.md"]))
    'docs\\index.md' is not a file path: use one relative path with forward slashes.
    >>> print(owned_files_problem(["../shared.yml"]))
    '../shared.yml' must be a path inside the project, relative to its root.
    >>> print(owned_files_problem([".copier-answers.yml"]))
    The answers file belongs to Copier and cannot be owned by the project.
    """
    if not isinstance(value, list):
        return "project_owned_files must be a list of file paths."
    for path in value:
        if not isinstance(path, str) or not path.strip() or "\n" in path or "\\" in path:
            return f"{path!r} is not a file path: use one relative path with forward slashes."
        if path.startswith("/") or ".." in path.split("/") or path != path.strip():
            return f"{path!r} must be a path inside the project, relative to its root."
        if path == ".copier-answers.yml":
            return "The answers file belongs to Copier and cannot be owned by the project."
    return ""


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


def current_year() -> int:
    """The current year (UTC)."""
    return datetime.datetime.now(tz=datetime.UTC).year


def current_date() -> str:
    """Today as YYYY-MM-DD: the date of the records written on copy."""
    return datetime.datetime.now(tz=datetime.UTC).date().isoformat()


class TemplateFilters(Extension):
    """Registers the filters and globals above in Copier's Jinja environment."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            {
                "slugify": slugify,
                "package_name_from_slug": package_name_from_slug,
                "project_name_problem": project_name_problem,
                "project_slug_problem": project_slug_problem,
                "package_name_problem": package_name_problem,
                "description_problem": description_problem,
                "author_name_problem": author_name_problem,
                "email_problem": email_problem,
                "organization_problem": organization_problem,
                "copyright_year_problem": copyright_year_problem,
                "framework_python_problem": framework_python_problem,
                "ci_cloud_problem": ci_cloud_problem,
                "ci_owner_problem": ci_owner_problem,
                "orchestrator_problem": orchestrator_problem,
                "iac_tool_problem": iac_tool_problem,
                "code_owners_problem": code_owners_problem,
                "default_cloud_region": default_cloud_region,
                "cloud_region_problem": cloud_region_problem,
                "resource_prefix_from_slug": resource_prefix_from_slug,
                "resource_prefix_problem": resource_prefix_problem,
                "owned_file_pattern": owned_file_pattern,
                "toml_string": toml_string,
                "yaml_string": yaml_string,
                "owned_files_problem": owned_files_problem,
            }
        )
        environment.globals.update(
            {
                "git_user_name": git_user_name,
                "git_user_email": git_user_email,
                "current_year": current_year,
                "current_date": current_date,
            }
        )

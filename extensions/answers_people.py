"""Who owns and maintains the project: author, repository owner, code owners, copyright year.

Who owns and maintains the project: the author's e-mail address, the repository owner, the
code owners, and the copyright year (with the date the records written on copy carry)."""

from __future__ import annotations

import datetime
import re

# RFC 5321's limits: what mail servers (and the package index's metadata) accept.
MAX_EMAIL_LENGTH = 254

MAX_EMAIL_LOCAL_LENGTH = 64

# Host paths that GitLab refuses for a group (they collide with its routes).
RESERVED_HANDLE_SUFFIXES = (".git", ".atom")

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


def current_year() -> int:
    """The current year (UTC)."""
    return datetime.datetime.now(tz=datetime.UTC).year


def current_date() -> str:
    """Today as YYYY-MM-DD: the date of the records written on copy."""
    return datetime.datetime.now(tz=datetime.UTC).date().isoformat()


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

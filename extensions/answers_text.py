"""The rules of free-text answers: the project name, its description and the author's name.

Each lands in Markdown, HTML, TOML, YAML and shell-adjacent files, so the rules refuse what
would break one of them or hide in it (line breaks, invisible characters, Jinja delimiters).
"""

from __future__ import annotations

import unicodedata

from . import answers_names

MAX_DESCRIPTION_LENGTH = 200
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
    problem = _single_line_problem(value, label, answers_names.MAX_NAME_LENGTH)
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
    if not problem and not answers_names.slugify(value):
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

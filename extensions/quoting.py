"""Answers written into TOML and YAML files as quoted strings, their characters as themselves."""

from __future__ import annotations

from . import answers_text

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
        elif char.isprintable() or char == answers_text.ZERO_WIDTH_JOINER:
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

"""The one loader of the template's data files: dependencies.yml, the choice records, copier.yml.

The records of the choices are choices/<question>/<value>.yml."""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DEPENDENCIES_FILE = Path(__file__).with_name("dependencies.yml")
COPIER_FILE = Path(__file__).parent.parent / "copier.yml"

# libyaml's loader parses several times faster; PyYAML built without it has only the Python one.
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one YAML file of the template, read with the fastest safe loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)


@cache
def dependencies() -> dict[str, Any]:
    """dependencies.yml: every pin of the rendered project, its CI tools and its images."""
    loaded: dict[str, Any] = load_yaml(DEPENDENCIES_FILE)
    return loaded


@cache
def choice_values() -> dict[str, tuple[str, ...]]:
    """The values of each choice question of copier.yml, in the order the prompt lists them."""
    questions: dict[str, Any] = load_yaml(COPIER_FILE)
    return {
        name: tuple(
            str(value)
            for value in (spec["choices"].values() if isinstance(spec["choices"], dict) else spec["choices"])
        )
        for name, spec in questions.items()
        if not name.startswith("_") and isinstance(spec, dict) and "choices" in spec
    }


@cache
def choice_questions() -> dict[str, frozenset[str]]:
    """The values each choice question of copier.yml accepts."""
    return {name: frozenset(values) for name, values in choice_values().items()}


CHOICES_DIR = Path(__file__).with_name("choices")
Record = typing.TypeVar("Record")


def record_files(question: str) -> dict[str, Path]:
    """The record file of each value of a choice question, `choices/<question>/<value>.yml`, in
    the order of copier.yml, then any file that is no value of it (which the static tests refuse)."""
    order = {value: index for index, value in enumerate(choice_values().get(question, ()))}
    files = {path.name.removesuffix(".yml"): path for path in (CHOICES_DIR / question).glob("*.yml")}
    return dict(sorted(files.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


# The schema each question's records are built with, as the concern modules ask for them: the
# architecture page lists it, so a new question's schema needs no hand-written entry there.
SCHEMAS: dict[str, type] = {}


class RecordMismatchError(LookupError):
    """copier.yml's choices of a question and its record files disagree."""


def check_record_files(question: str) -> None:
    """Fail, naming the file, when a value of copier.yml has no record or a record no value.

    Without this a new choice would render until some module looks its record up, and fail there
    with a bare KeyError of the value."""
    values = choice_values().get(question, ())
    files = record_files(question)
    where = CHOICES_DIR.relative_to(CHOICES_DIR.parent.parent).as_posix()
    if missing := [value for value in values if value not in files]:
        names = ", ".join(f"{where}/{question}/{value}.yml" for value in missing)
        raise RecordMismatchError(
            f"copier.yml gives {question} the choices {missing} without a record: add {names} "
            "(docs/architecture.md, 'Add a choice value')"
        )
    if extra := [value for value in files if value not in values]:
        names = ", ".join(f"{where}/{question}/{value}.yml" for value in extra)
        raise RecordMismatchError(
            f"{names}: no choice of {question} in copier.yml; add it there or delete the file"
        )


def records(question: str, schema: type[Record]) -> dict[str, Record]:
    """Every value's record of a choice question, built as `schema`: a value without a record, a
    key the schema does not have, or a field the record leaves out, fails here, at the first render."""
    check_record_files(question)
    SCHEMAS[question] = schema
    return {
        value: build(schema, load_yaml(path), path.relative_to(CHOICES_DIR.parent).as_posix())
        for value, path in record_files(question).items()
    }


def build(schema: type[Record], mapping: Any, where: str) -> Record:
    """`schema` (a dataclass) from YAML data: lists become tuples, nested dataclasses are built."""
    if not isinstance(mapping, dict):
        raise TypeError(f"{where}: expected a mapping for {schema.__name__}, got {type(mapping).__name__}")
    hints = typing.get_type_hints(schema)
    names = {field.name for field in dataclasses.fields(schema)}  # type: ignore[arg-type]
    if unknown := set(mapping) - names:
        raise TypeError(f"{where}: {schema.__name__} has no field {', '.join(sorted(unknown))}")
    return schema(**{key: _value(hints[key], value, f"{where}: {key}") for key, value in mapping.items()})


def _value(hint: Any, value: Any, where: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)  # type: ignore[arg-type]
    origin = typing.get_origin(hint)
    convert = _CONVERTERS.get(types.UnionType if origin is typing.Union else origin)
    if convert is None or value is None:
        return value
    return convert(typing.get_args(hint), value, where)


def _sequence(arguments: tuple[Any, ...], value: Any, where: str) -> Any:
    """A YAML list as a tuple of its items, each built."""
    if not isinstance(value, list):
        return value
    item = arguments[0] if arguments else Any
    return tuple(_value(item, element, where) for element in value)


def _mapping(arguments: tuple[Any, ...], value: Any, where: str) -> Any:
    """A YAML mapping with each value built."""
    if not isinstance(value, dict):
        return value
    return {key: _value(arguments[1], element, where) for key, element in value.items()}


def _optional(arguments: tuple[Any, ...], value: Any, where: str) -> Any:
    """A value of `X | None`, built as X; a union of several types is taken as it is."""
    members = [member for member in arguments if member is not type(None)]
    return _value(members[0], value, where) if len(members) == 1 else value


_CONVERTERS: dict[Any, typing.Callable[[tuple[Any, ...], Any, str], Any]] = {
    tuple: _sequence,
    dict: _mapping,
    types.UnionType: _optional,
}


View = typing.TypeVar("View")


def pick(view: type[View], source: object, **computed: Any) -> View:
    """`view` (a dataclass of what templates read) from the same-named attributes of `source` (a
    record), the fields `source` lacks or that are derived given as keyword arguments."""
    names = [field.name for field in dataclasses.fields(view) if field.name not in computed]  # type: ignore[arg-type]
    return view(**{name: getattr(source, name) for name in names}, **computed)

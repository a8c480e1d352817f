"""The template's CHANGELOG.md: its sections, the rules they follow, and dating a release.

Sections are level-2 headings, newest first: at most one `## Unreleased` on top, then
`## <version> - <YYYY-MM-DD>` per release. Each holds exactly the subsections of SUBSECTIONS, in
that order, none empty ("None." says there is nothing), because that is what a team reads before
`copier update`. docs/releasing.md describes the format.
"""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.version import Version

SUBSECTIONS = ("What projects get", "What a team must do", "Migrations")
UNRELEASED = "Unreleased"
RELEASE_TITLE = re.compile(r"^(?P<version>\S+) - (?P<date>\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Section:
    title: str
    line: int
    body: str

    @property
    def heading(self) -> str:
        return f"## {self.title}"

    @property
    def text(self) -> str:
        """The heading and its body, as a release tag's message carries it."""
        return f"{self.heading}\n{self.body}".strip() + "\n"

    @property
    def is_unreleased(self) -> bool:
        return self.title == UNRELEASED

    @property
    def version(self) -> Version | None:
        """The released version, or None for Unreleased and malformed headings."""
        # Imported here: `make tags` reads the headings with a bare python3, without packaging.
        from packaging.version import InvalidVersion, Version  # noqa: PLC0415

        match = RELEASE_TITLE.match(self.title)
        if match is None:
            return None
        try:
            return Version(match["version"])
        except InvalidVersion:
            return None

    def subsections(self) -> list[tuple[str, str]]:
        """(title, body) of each `### ` subsection, in order."""
        found: list[tuple[str, list[str]]] = []
        for line in self.body.splitlines():
            if line.startswith("### "):
                found.append((line[4:].strip(), []))
            elif found:
                found[-1][1].append(line)
        return [(title, "\n".join(lines).strip()) for title, lines in found]


def parse(text: str) -> list[Section]:
    """The `## ` sections of a changelog, in file order; text before the first is the preamble."""
    sections: list[tuple[str, int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            sections.append((line[3:].strip(), number, []))
        elif sections:
            sections[-1][2].append(line)
    return [Section(title, number, "\n".join(lines)) for title, number, lines in sections]


def read(root: Path) -> list[Section]:
    return parse((root / "CHANGELOG.md").read_text(encoding="utf-8"))


def _title_problem(section: Section) -> str | None:
    if section.is_unreleased:
        return None
    match = RELEASE_TITLE.match(section.title)
    if match is None:
        return f"`{section.heading}` is neither `## {UNRELEASED}` nor `## <version> - <YYYY-MM-DD>`"
    if section.version is None:
        return f"`{section.heading}`: {match['version']!r} is not a PEP 440 version"
    try:
        datetime.date.fromisoformat(match["date"])
    except ValueError:
        return f"`{section.heading}`: {match['date']!r} is not a date"
    return None


def _subsection_problems(section: Section) -> list[str]:
    subsections = section.subsections()
    titles = tuple(title for title, _ in subsections)
    if titles != SUBSECTIONS:
        expected = ", ".join(f"`### {title}`" for title in SUBSECTIONS)
        return [f"`{section.heading}` must have exactly the subsections {expected}, in this order"]
    return [
        f'`{section.heading}`: `### {title}` is empty (write "None." when there is nothing to say)'
        for title, body in subsections
        if not body
    ]


def _section_problems(section: Section, first: bool) -> list[str]:
    """What breaks the format in one section, each prefixed with its line."""
    found = [problem for problem in (_title_problem(section),) if problem is not None]
    if section.is_unreleased and not first:
        found.append(f"`## {UNRELEASED}` must be the first section, and only one")
    found.extend(_subsection_problems(section))
    return [f"line {section.line}: {problem}" for problem in found]


def _order_problems(sections: list[Section]) -> list[str]:
    """Releases out of order or repeated: newest first, each version once."""
    versions = [(section, section.version) for section in sections if section.version is not None]
    return [
        f"line {older.line}: `{older.heading}` comes after `{newer.heading}`: "
        "releases go newest first, each version once"
        for (newer, newer_version), (older, older_version) in itertools.pairwise(versions)
        if newer_version <= older_version
    ]


def problems(sections: list[Section]) -> list[str]:
    """Every way the changelog breaks the format, each naming its heading and line."""
    if not sections:
        return [f"there is no `## ` section: add `## {UNRELEASED}` with the subsections"]
    found = [
        problem
        for index, section in enumerate(sections)
        for problem in _section_problems(section, index == 0)
    ]
    return found + _order_problems(sections)


def newest_release(sections: list[Section]) -> Section | None:
    return next((section for section in sections if section.version is not None), None)


def release_section(sections: list[Section], version: Version) -> Section:
    """The section the release of `version` publishes: its own, or `## Unreleased` on top.

    Raises ValueError saying what to add when neither exists, or when both do (the entries under
    Unreleased would be left out of the release).
    """
    own = next((section for section in sections if section.version == version), None)
    unreleased = sections[0] if sections and sections[0].is_unreleased else None
    if own is not None and unreleased is not None:
        raise ValueError(
            f"both `## {UNRELEASED}` and `{own.heading}` exist: move the Unreleased entries into "
            f"{version}'s section, or raise the version for them"
        )
    if own is not None:
        return own
    if unreleased is not None:
        return unreleased
    raise ValueError(
        f"there is no section for {version}: add `## {UNRELEASED}` on top, with the subsections "
        + ", ".join(f"`### {title}`" for title in SUBSECTIONS)
    )


def date_unreleased(text: str, version: Version, day: datetime.date) -> str:
    """The changelog with its `## Unreleased` heading turned into the release's heading."""
    heading = re.compile(rf"^## {UNRELEASED}[ \t]*$", flags=re.MULTILINE)
    dated, count = heading.subn(f"## {version} - {day.isoformat()}", text, count=1)
    if count != 1:
        raise ValueError(f"there is no `## {UNRELEASED}` heading to date")
    return dated

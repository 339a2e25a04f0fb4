"""The objects every check returns: an :class:`Issue` per problem, a :class:`Report` per run.

An issue is one line for people and one JSON object for machines::

    csv/statements.csv row 14, column speaker_id: value "ali-khamenie" is not an actor_id in csv/actors.csv (rule: foreign key)

``row`` counts records the way frictionless does: the header is row 1, the first data row is
row 2. Cells may not contain line breaks, so in a valid file this is also the line number.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Iterable

_MAX_VALUE = 120


def show_value(value: str) -> str:
    """Render a cell for a one-line message: control characters escaped, long values shortened."""
    # keep non-ASCII letters readable; escape only the control characters
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in value)
    if len(text) > _MAX_VALUE:
        text = text[: _MAX_VALUE - 1] + "…"
    return text


@dataclass(frozen=True)
class Issue:
    """One problem found in the data: where it is, what the value was, and which rule it breaks."""

    file: str
    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def location(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return where

    def __str__(self) -> str:
        value = f'value "{show_value(self.value)}" ' if self.value is not None else ""
        return f"{self.location()}: {value}{self.message} (rule: {self.rule})"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """The outcome of a validation run: every issue found, in file and row order."""

    issues: list[Issue] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)  # table name -> rows checked

    @property
    def valid(self) -> bool:
        return not self.issues

    def __bool__(self) -> bool:  # a report is truthy when the data is valid
        return self.valid

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def sorted(self) -> "Report":
        key = lambda i: (i.file, i.row if i.row is not None else 0, i.column or "", i.rule)  # noqa: E731
        return Report(sorted(dict.fromkeys(self.issues), key=key), dict(self.checked))

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "issue_count": len(self.issues),
            "checked": self.checked,
            "issues": [i.to_dict() for i in self.issues],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self.issues)


class DataError(ValueError):
    """Raised when data cannot be read as its schema promises.

    The documented exception of the package for bad data: ``.issues`` holds the structured
    details (file, row, column, value, rule) of every problem found.
    """

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        shown = "\n".join(str(i) for i in self.issues[:20])
        more = len(self.issues) - 20
        super().__init__(shown + (f"\n... and {more} more" if more > 0 else ""))

"""How every problem is told: an :class:`Issue` per problem, a :class:`DataError` that carries them.

Ground floor: imports nothing of the package. The rule each issue names is one of the ids
registered in :mod:`iran_palestine_data.rulebook`.

An issue is one line for people and one JSON object for machines::

    csv/statements.csv row 14, column speaker_id: value "ali-khamenie" is not an actor_id in csv/actors.csv (rule: foreign key)

``row`` counts records the way frictionless does: the header is row 1, the first data row is
row 2. Cells may not contain line breaks, so in a valid file this is also the line number.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

_MAX_VALUE = 120
FIRST_DATA_ROW = 2  # the header is row 1
MAX_ISSUES = 50  # issues a DataError carries (and shows); validate() reports everything


def file_row(index: int) -> int:
    """The file row number (header = 1) of the record at 0-based position ``index``."""
    return index + FIRST_DATA_ROW


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


class DataError(ValueError):
    """Raised when data cannot be read as its schema promises.

    The documented exception of the package for bad data: ``.issues`` holds the structured
    details (file, row, column, value, rule) of every problem found.
    """

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        shown = "\n".join(str(i) for i in self.issues[:MAX_ISSUES])
        more = len(self.issues) - MAX_ISSUES
        super().__init__(shown + (f"\n... and {more} more" if more > 0 else ""))

"""The outcome of one validation run: a :class:`Report` holding every :class:`~iran_palestine_data.errors.Issue` found."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable

from ..errors import Issue


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

"""A row's history: the row as each release published it, the cells that changed, and the
CHANGELOG entry of the release that changed it — read from the release store (no checkout needed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ..contract.published import Release, load_release, released_versions, rows_path, store_lines, versions
from ..paths import resolve_root
from ..read.lookup import UnknownIdError, suggest
from .diff import read_side

RETIRED = "retired"


@dataclass(frozen=True)
class Revision:
    """The row in one version. ``status``: ``added`` (first published here), ``changed``,
    ``unchanged``, ``retired`` (gone, with the reason ``csv/retired.csv`` gives), ``absent`` (not
    yet published, or gone); ``changes`` maps each changed column to ``[old, new]`` (a column that
    appears or disappears has ``None`` on the side without it)."""

    version: str
    date: str
    status: str
    table: str | None = None
    row: dict[str, str] | None = None
    changes: dict[str, list[str | None]] = field(default_factory=dict)
    reason: str = ""
    notes: str = ""
    released: bool = True

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "date": self.date,
            "released": self.released,
            "status": self.status,
            "table": self.table,
            "row": self.row,
            "changes": self.changes,
            "reason": self.reason,
            "notes": self.notes,
        }


def _parse(header: str, record: str) -> dict[str, str]:
    columns = next(csv.reader([header]))
    cells = next(csv.reader([record]), [])
    return {c: cells[i] if i < len(cells) else "" for i, c in enumerate(columns)}


class _Rows:
    """The row store, read lazily, one table at a time."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.held: dict[str, dict[str, str]] = {}

    def get(self, table: str, ref: str) -> str:
        if table not in self.held:
            self.held[table] = store_lines(self.base, rows_path(table))
        return self.held[table][ref]


def _in_release(release: Release, row_id: str, store: _Rows) -> tuple[str | None, dict | None, dict]:
    """(table, row, retired rows) of ``row_id`` in a released version."""
    found_table, found_row, retired = None, None, {}
    for name, entry in release.tables().items():
        if name == RETIRED:
            header = store.get(name, entry.header or "")
            retired = {k: _parse(header, store.get(name, ref)) for k, ref in entry.rows}
        for key, ref in entry.rows:
            if key == row_id and name != RETIRED:
                found_table, found_row = (
                    name,
                    _parse(store.get(name, entry.header or ""), store.get(name, ref)),
                )
    return found_table, found_row, retired


def _in_folder(row_id: str, base: Path) -> tuple[str | None, dict | None, dict]:
    """(table, row, retired rows) of ``row_id`` in the data folder itself (the tables as
    :func:`~.diff.read_side` reads them, keyed by primary key: an id table's key is its id)."""
    found_table, found_row, retired = None, None, {}
    for name, side in read_side(base).items():
        if name == RETIRED:
            retired = side.rows
        elif side.key == [side.columns[0]] and row_id in side.rows:
            found_table, found_row = name, side.rows[row_id]
    return found_table, found_row, retired


def _all_ids(base: Path) -> list[str]:
    ids: set[str] = set()
    for version in released_versions(base):
        for name, keys in load_release(version, base).keys().items():
            if name != RETIRED:
                ids.update(k for k in keys if "|" not in k)
    return sorted(ids)


def history(row_id: str, *, root: str | Path | None = None) -> list[Revision]:
    """The row ``row_id`` in every version (oldest first, see :func:`versions`): its cells, what
    changed since the version before, and the CHANGELOG entry of that release.

    Raises :class:`~iran_palestine_data.read.lookup.UnknownIdError` (with the closest ids) if no
    version ever held the id.
    """
    base = resolve_root(root)
    store = _Rows(base)
    released = released_versions(base)
    out: list[Revision] = []
    previous: dict[str, str] | None = None
    ever = False
    for version in versions(base):
        if version in released:
            release = load_release(version, base)
            table, row, retired = _in_release(release, row_id, store)
            date, notes, is_released = release.date, release.notes, True
        else:
            table, row, retired = _in_folder(row_id, base)
            date, notes, is_released = "", "", False
        changes: dict[str, list[str | None]] = {}
        if row is None:
            why = retired.get(row_id)
            status = "retired" if why else "absent"
            reason = why.get("reason", "") if why else ""
            if why and why.get("replaced_by"):
                reason += f" (replaced by {why['replaced_by']})"
        else:
            reason = ""
            if previous is None:
                status = "added"
            else:
                cols = list(previous) + [c for c in row if c not in previous]
                # a column new in this release (or gone) is a change only where it holds a value
                changes = {
                    c: [previous.get(c), row.get(c)]
                    for c in cols
                    if (previous.get(c) or "") != (row.get(c) or "")
                }
                status = "changed" if changes else "unchanged"
            ever = True
        out.append(Revision(version, date, status, table, row, changes, reason, notes, is_released))
        previous = row if row is not None else previous
    if not ever:
        raise UnknownIdError(row_id, suggest(row_id, _all_ids(base)), where="history")
    return out


__all__ = ["Revision", "history", "versions"]

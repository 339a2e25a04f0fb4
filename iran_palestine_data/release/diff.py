"""Row-level changelog: what was added, retired and changed between two versions of the dataset,
cell by cell.

Either side may be a released version (rebuilt from the release store, so no checkout is needed)
or a dataset directory; the new side defaults to the installed data. Rows are matched by primary
key (as :func:`~iran_palestine_data.contract.published.row_key` writes it), and each table is read
with its own side's Table Schema, so a column added or removed between versions is reported as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..contract.published import materialise, released_versions, row_key
from ..contract.schema import package
from ..contract.semver import is_version
from ..paths import DESCRIPTOR, resolve_root
from ..read.strings import read_strings

Rows = dict[str, dict[str, str]]  # key -> column -> cell ("" for empty)


class Side(NamedTuple):
    """One table on one side of a diff: its columns, its primary key, its rows by key."""

    columns: list[str]
    key: list[str]
    rows: Rows


Tables = dict[str, Side]


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key -> changed columns
    # key -> column -> [old, new]; None for the side a column does not exist on
    cells: dict[str, dict[str, list[str | None]]] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)  # removed keys the new side's retired table lists
    unchanged: int = 0
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    key_change: list[list[str]] = field(default_factory=list)  # [old key, new key] if the key changed
    table: str = "same"  # "same", "new" or "dropped"

    @property
    def empty(self) -> bool:
        return self.table == "same" and not (
            self.added
            or self.removed
            or self.changed
            or self.columns_added
            or self.columns_removed
            or self.key_change
        )

    def summary(self) -> dict[str, int]:
        """Counts: added, retired (removed and listed as retired), removed (without retirement),
        changed, unchanged."""
        return {
            "added": len(self.added),
            "retired": len(self.retired),
            "removed": len(self.removed) - len(self.retired),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
        }


def side_root(side: str | Path | None, root: str | Path | None = None) -> Path:
    """The folder of one side: ``None`` is the installed data (or ``root``), a released version is
    rebuilt from the store of ``root``, anything else is a dataset directory or its datapackage.json."""
    if side is None:
        return resolve_root(root)
    path = Path(side)
    if path.name == DESCRIPTOR:
        path = path.parent
    if (path / DESCRIPTOR).is_file():
        return path
    text = str(side)
    if is_version(text) or text in released_versions(root):
        return materialise(text, root)
    known = ", ".join(released_versions(root)) or "none"
    raise KeyError(
        f"no manifest for version {text!r} and no dataset directory there (released versions: {known})"
    )


def read_side(folder: Path) -> Tables:
    """Every table of a dataset folder as strings, keyed by primary key."""
    pkg = package(folder)
    out: Tables = {}
    for tbl in pkg.tables.values():
        data = read_strings(tbl, root=pkg.root).to_pylist()
        rows: Rows = {}
        for r in data:
            cells = {c: "" if r[c] is None else r[c] for c in tbl.field_names}
            rows[row_key([cells[k] for k in tbl.primary_key])] = cells
        out[tbl.name] = Side(tbl.field_names, list(tbl.primary_key), rows)
    return out


def _retired_ids(tables: Tables) -> set[str]:
    side = tables.get("retired")
    return {r["id"] for r in side.rows.values()} if side and "id" in side.columns else set()


def _pairs(o: Side, n: Side) -> list[tuple[str, str]]:
    """(old key, new key) of the rows that are one row on both sides: by key; if the key changed,
    by the key columns both keys share, in file order (the first new row with that partial key is
    the old row's successor, any further one is added)."""
    if o.key == n.key:
        return [(k, k) for k in n.rows if k in o.rows]
    common = [c for c in n.key if c in o.key]
    if not common:
        return []
    waiting: dict[str, list[str]] = {}
    for k, r in o.rows.items():
        waiting.setdefault(row_key([r[c] for c in common]), []).append(k)
    out = []
    for k, r in n.rows.items():
        olds = waiting.get(row_key([r[c] for c in common]))
        if olds:
            out.append((olds.pop(0), k))
    return out


def compare(old: Tables, new: Tables) -> dict[str, TableDiff]:
    retired = _retired_ids(new)
    out: dict[str, TableDiff] = {}
    for name in list(old) + [n for n in new if n not in old]:
        d = TableDiff()
        o, n = old.get(name), new.get(name)
        if o is None:
            assert n is not None  # the name comes from one side or the other
            d.table, d.added = "new", sorted(n[1])
        elif n is None:
            d.table, d.removed = "dropped", sorted(o[1])
        else:
            d.columns_added = [c for c in n.columns if c not in o.columns]
            d.columns_removed = [c for c in o.columns if c not in n.columns]
            if o.key != n.key:
                d.key_change = [o.key, n.key]
            pairs = _pairs(o, n)
            d.added = sorted(set(n.rows) - {k for _, k in pairs})
            d.removed = sorted(set(o.rows) - {k for k, _ in pairs})
            for okey, key in sorted(pairs, key=lambda p: p[1]):
                before, after = o.rows[okey], n.rows[key]
                # a column on one side only is a change where it holds a value
                cells: dict[str, list[str | None]] = {
                    c: [before.get(c), after.get(c)]
                    for c in n.columns + d.columns_removed
                    if (before.get(c) or "") != (after.get(c) or "")
                }
                if cells:
                    d.changed[key] = list(cells)
                    d.cells[key] = cells
                else:
                    d.unchanged += 1
        d.retired = [k for k in d.removed if k in retired]
        out[name] = d
    return out


def diff(
    old: str | Path, new: str | Path | None = None, *, root: str | Path | None = None
) -> dict[str, TableDiff]:
    """Compare two versions of the dataset: each a released version (``"0.3.0"``) or a dataset
    directory; ``new`` defaults to the installed data (or ``root``)."""
    return compare(read_side(side_root(old, root)), read_side(side_root(new, root)))


def _short(value: str | None, width: int = 60, start: int = 0) -> str:
    """A cell for one line: JSON-quoted, from ``start`` (where it first differs from the other side,
    less some context), cut at ``width`` characters."""
    if value is None:
        return "null"
    text = value[start:]
    cut = len(text) > width
    shown = json.dumps(text[:width] if cut else text, ensure_ascii=False)
    return ("…" if start else "") + (shown[:-1] + '…"' if cut else shown)


def _from(before: str | None, after: str | None, context: int = 20) -> int:
    """Where two long values start to differ, less ``context`` characters (0 if early)."""
    if not before or not after:
        return 0
    n = 0
    while n < min(len(before), len(after)) and before[n] == after[n]:
        n += 1
    return n - context if n > 2 * context else 0


def to_markdown(
    result: dict[str, TableDiff], *, retired: dict[str, str] | None = None, values: bool = False
) -> str:
    """The diff as CHANGELOG-ready Markdown; ``retired`` maps retired ids to their reasons;
    ``values`` adds each changed cell's old → new value."""
    lines = []
    for name, d in result.items():
        if d.empty:
            continue
        lines.append(f"- `{name}`:" + {"new": " new table", "dropped": " table dropped", "same": ""}[d.table])
        if d.columns_added or d.columns_removed:
            lines.append(
                f"  columns added {d.columns_added or 'none'}, removed {d.columns_removed or 'none'}"
            )
        if d.key_change:
            lines.append(
                f"  primary key {d.key_change[0]} → {d.key_change[1]} (rows matched on the columns both share)"
            )
        if d.added:
            lines.append(f"  added {len(d.added)}: {', '.join(d.added)}")
        if d.removed:
            reasons = retired or {}
            shown = ", ".join(f"{k} ({reasons[k]})" if k in reasons else k for k in d.removed)
            lines.append(f"  removed {len(d.removed)}: {shown}")
        if d.changed:
            lines.append(
                f"  changed {len(d.changed)}: "
                + "; ".join(f"{k} ({', '.join(c)})" for k, c in d.changed.items())
            )
            if values:
                for key, cells in d.cells.items():
                    for col, (before, after) in cells.items():
                        at = _from(before, after)
                        lines.append(
                            f"    {key} {col}: {_short(before, start=at)} → {_short(after, start=at)}"
                        )
    return "\n".join(lines) if lines else "no changes"


def summary_table(result: dict[str, TableDiff]) -> list[tuple[str, dict[str, int]]]:
    """Per table: its counts (see :meth:`TableDiff.summary`), in table order."""
    return [(name, d.summary()) for name, d in result.items()]


def to_json(result: dict[str, TableDiff]) -> str:
    return json.dumps(
        {n: {**d.__dict__, "summary": d.summary()} for n, d in result.items()}, ensure_ascii=False, indent=2
    )

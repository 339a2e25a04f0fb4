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

from ..contract.published import materialise, released_versions, row_key
from ..contract.schema import package
from ..contract.semver import is_version
from ..paths import DESCRIPTOR, resolve_root
from ..read.strings import read_strings

Rows = dict[str, dict[str, str]]  # key -> column -> cell ("" for empty)
Tables = dict[str, tuple[list[str], Rows]]  # table -> (columns, rows)


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key -> changed columns
    cells: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # key -> column -> [old, new]
    retired: list[str] = field(default_factory=list)  # removed keys the new side's retired table lists
    unchanged: int = 0
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    table: str = "same"  # "same", "new" or "dropped"

    @property
    def empty(self) -> bool:
        return self.table == "same" and not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
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
        out[tbl.name] = (tbl.field_names, rows)
    return out


def _retired_ids(tables: Tables) -> set[str]:
    columns, rows = tables.get("retired", ([], {}))
    return {r["id"] for r in rows.values()} if "id" in columns else set()


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
            (ocols, orows), (ncols, nrows) = o, n
            d.columns_added = [c for c in ncols if c not in ocols]
            d.columns_removed = [c for c in ocols if c not in ncols]
            shared = [c for c in ncols if c in ocols]
            d.added = sorted(set(nrows) - set(orows))
            d.removed = sorted(set(orows) - set(nrows))
            for key in sorted(set(orows) & set(nrows)):
                before, after = orows[key], nrows[key]
                cols = [c for c in shared if before[c] != after[c]]
                if cols:
                    d.changed[key] = cols
                    d.cells[key] = {c: [before[c], after[c]] for c in cols}
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


def _short(value: str, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 4] + '…"'


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
                        lines.append(f"    {key} {col}: {_short(before)} → {_short(after)}")
    return "\n".join(lines) if lines else "no changes"


def summary_table(result: dict[str, TableDiff]) -> list[tuple[str, dict[str, int]]]:
    """Per table: its counts (see :meth:`TableDiff.summary`), in table order."""
    return [(name, d.summary()) for name, d in result.items()]


def to_json(result: dict[str, TableDiff]) -> str:
    return json.dumps(
        {n: {**d.__dict__, "summary": d.summary()} for n, d in result.items()}, ensure_ascii=False, indent=2
    )

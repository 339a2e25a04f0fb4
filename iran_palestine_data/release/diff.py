"""Row-level changelog: what was added, retired and changed between two versions of the dataset.

Either side may be a dataset directory (a folder holding datapackage.json) or a released version
whose manifest is in ``releases/``. Rows are compared by primary key, cells by hash, so a released
version can be compared without its data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import DESCRIPTOR
from .manifest import Manifest, load_release, row_hashes


@dataclass
class TableDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # key -> changed columns
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    table: str = "same"  # "same", "new" or "dropped"

    @property
    def empty(self) -> bool:
        return self.table == "same" and not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )


def resolve(side: str, root: str | Path | None = None) -> Manifest:
    """The row hashes of ``side``: a dataset directory, its datapackage.json, or a released version."""
    path = Path(side)
    if path.name == DESCRIPTOR:
        path = path.parent
    if (path / DESCRIPTOR).is_file():
        return row_hashes(path)
    return load_release(side, root)


def compare(old: Manifest, new: Manifest) -> dict[str, TableDiff]:
    out: dict[str, TableDiff] = {}
    for name in list(old) + [n for n in new if n not in old]:
        d = TableDiff()
        o, n = old.get(name), new.get(name)
        if o is None:
            assert n is not None  # the name comes from one side or the other
            d.table, d.added = "new", sorted(n.rows)
        elif n is None:
            d.table, d.removed = "dropped", sorted(o.rows)
        else:
            d.columns_added = [c for c in n.columns if c not in o.columns]
            d.columns_removed = [c for c in o.columns if c not in n.columns]
            shared = [c for c in n.columns if c in o.columns]
            d.added = sorted(set(n.rows) - set(o.rows))
            d.removed = sorted(set(o.rows) - set(n.rows))
            for key in sorted(set(o.rows) & set(n.rows)):
                (oh, ocells), (nh, ncells) = o.rows[key], n.rows[key]
                if oh == nh:
                    continue
                cols = [c for c in shared if ocells[o.columns.index(c)] != ncells[n.columns.index(c)]]
                d.changed[key] = cols or ["(row)"]
        out[name] = d
    return out


def diff(old: str, new: str, *, root: str | Path | None = None) -> dict[str, TableDiff]:
    """Compare two versions (directories or released versions)."""
    return compare(resolve(old, root), resolve(new, root))


def to_markdown(result: dict[str, TableDiff], *, retired: dict[str, str] | None = None) -> str:
    """The diff as CHANGELOG-ready Markdown; ``retired`` maps retired ids to their reasons."""
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
    return "\n".join(lines) if lines else "no changes"


def to_json(result: dict[str, TableDiff]) -> str:
    return json.dumps({n: d.__dict__ for n, d in result.items()}, ensure_ascii=False, indent=2)

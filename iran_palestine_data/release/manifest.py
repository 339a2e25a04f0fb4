"""Writing release manifests (``releases/<version>.json``; see :mod:`iran_palestine_data.contract.history`
for what they hold and how they are read): ``iran-palestine-data release bump`` writes one per release,
and it is never edited after. It lets anyone check that a published version has not silently changed,
that no published id disappeared without being retired (``csv/retired.csv``), and diff two versions
row by row without their data.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import write_text
from ..contract.history import (
    Manifest,
    TableHashes,
    load_release,
    released_versions,
    releases_dir,
    row_key,
    short_hash,
)
from ..contract.schema import package
from ..read.strings import read_strings
from .jsonfile import dump_json

__all__ = [
    "Manifest",
    "TableHashes",
    "load_release",
    "released_versions",
    "row_hashes",
    "to_json",
    "write_release",
]


def row_hashes(root: str | Path | None = None) -> Manifest:
    """Hash every row of the dataset at ``root``."""
    pkg = package(root)
    out: Manifest = {}
    for tbl in pkg.tables.values():
        data = read_strings(tbl, root=pkg.root).to_pylist()
        rows = {}
        for r in data:
            cells = ["" if r[c] is None else r[c] for c in tbl.field_names]
            key = row_key([cells[tbl.field_names.index(k)] for k in tbl.primary_key])
            rows[key] = (
                short_hash(json.dumps(cells, ensure_ascii=False), 16),
                [short_hash(c, 8) for c in cells],
            )
        out[tbl.name] = TableHashes(tbl.field_names, rows)
    return out


def to_json(version: str, date: str, manifest: Manifest) -> str:
    tables = {
        name: {"columns": t.columns, "rows": {k: [h, " ".join(cells)] for k, (h, cells) in t.rows.items()}}
        for name, t in manifest.items()
    }
    return dump_json({"version": version, "date": date, "tables": tables})


def write_release(version: str, date: str, root: str | Path | None = None) -> Path:
    folder = releases_dir(root)
    folder.mkdir(exist_ok=True)
    path = folder / f"{version}.json"
    return write_text(path, to_json(version, date, row_hashes(root)))

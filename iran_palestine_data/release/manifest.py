"""Release manifests: for each released version, the id of every row of every table and its hashes.

``releases/<version>.json`` is written by ``iran-palestine-data release bump`` and never edited. It lets
anyone check that a published version has not silently changed, that no published id disappeared
without being retired (``csv/retired.csv``), and diff two versions row by row without their data.

A row's key is its primary key (joined by ``|``; a long key such as an exclusion's quote is shortened
to its first 12 hex digits of SHA-256). Each row stores a 16-hex hash of the whole row and an 8-hex
hash of each cell, in the order of ``columns``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_text
from ..contract.schema import package
from ..contract.versions import is_version, version_key
from ..paths import resolve_root
from ..read.strings import read_strings
from .jsonfile import dump_json

RELEASES = "releases"
_KEY_MAX = 80


def _h(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def row_key(values: list[str]) -> str:
    key = "|".join(values)
    return (
        key
        if len(key) <= _KEY_MAX
        else "|".join(v if len(v) <= 40 else "sha256:" + _h(v, 12) for v in values)
    )


@dataclass
class TableHashes:
    columns: list[str]
    rows: dict[str, tuple[str, list[str]]]  # key -> (row hash, cell hashes)


Manifest = dict[str, TableHashes]  # table name -> its rows' hashes


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
            rows[key] = (_h(json.dumps(cells, ensure_ascii=False), 16), [_h(c, 8) for c in cells])
        out[tbl.name] = TableHashes(tbl.field_names, rows)
    return out


def to_json(version: str, date: str, manifest: Manifest) -> str:
    tables = {
        name: {"columns": t.columns, "rows": {k: [h, " ".join(cells)] for k, (h, cells) in t.rows.items()}}
        for name, t in manifest.items()
    }
    return dump_json({"version": version, "date": date, "tables": tables})


def from_json(text: str) -> tuple[str, Manifest]:
    data = json.loads(text)
    manifest = {
        name: TableHashes(t["columns"], {k: (h, cells.split(" ")) for k, (h, cells) in t["rows"].items()})
        for name, t in data["tables"].items()
    }
    return data["version"], manifest


def releases_dir(root: str | Path | None = None) -> Path:
    return resolve_root(root) / RELEASES


def released_versions(root: str | Path | None = None) -> list[str]:
    """Versions with a manifest, oldest first."""
    folder = releases_dir(root)
    found = [p.stem for p in folder.glob("*.json") if is_version(p.stem)] if folder.is_dir() else []
    return sorted(found, key=version_key)


def load_release(version: str, root: str | Path | None = None) -> Manifest:
    path = releases_dir(root) / f"{version}.json"
    if not path.is_file():
        known = ", ".join(released_versions(root)) or "none"
        raise KeyError(f"no manifest for version {version!r} (released versions: {known})")
    return from_json(path.read_text(encoding="utf-8"))[1]


def write_release(version: str, date: str, root: str | Path | None = None) -> Path:
    folder = releases_dir(root)
    folder.mkdir(exist_ok=True)
    path = folder / f"{version}.json"
    return write_text(path, to_json(version, date, row_hashes(root)))

"""Writing the release store (what it holds and how it is read: :mod:`iran_palestine_data.contract.published`).

:func:`add_release` takes a dataset folder as it is released — its descriptor, Table Schemas, CSVs
and source snapshots — and adds it to the store of a repository: a release index
``releases/<version>.json``, plus the rows and whole files the store did not hold yet. ``release
bump`` calls it; ``scripts/rebuild_release_store.py`` used it to rebuild 0.1.0–0.4.0 from the git
history. A released version is never rewritten.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

from ..atomic import write_text
from ..contract.published import (
    RELEASES,
    ROWS,
    blobs_path,
    ref_of,
    release_files,
    released_versions,
    row_key,
    rows_path,
    store_lines,
)
from ..contract.schema import read_json
from ..paths import DESCRIPTOR, read_inside, resolve_root
from .jsonfile import dump_json

SNAPSHOTS = "sources"


class StoreError(RuntimeError):
    """The store cannot take this release; the message says why."""


def split_records(data: bytes) -> list[bytes]:
    """A CSV file's bytes cut into its records, each with its own line ending: a record ends at a
    line feed outside double quotes. ``b"".join`` of the result gives the bytes back exactly."""
    records: list[bytes] = []
    start, quoted = 0, False
    for m in re.finditer(rb'["\n]', data):
        if m.group() == b'"':
            quoted = not quoted
        elif not quoted:
            records.append(data[start : m.end()])
            start = m.end()
    if start < len(data):
        records.append(data[start:])
    return records


def changelog_entry(text: str, version: str) -> str:
    """The body of the ``## <version>`` entry of a CHANGELOG (without its heading), or ``""``."""
    m = re.search(rf"^## {re.escape(version)}(?: [^\n]*)?\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1).strip() + "\n" if m else ""


def _primary_key(schema: dict) -> list[str]:
    pk = schema.get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def _table_rows(data: bytes, pk: list[str], path: str) -> tuple[str, list[tuple[str, str]]]:
    """The header record and the (key, record) of each row of a CSV file."""
    try:
        records = [r.decode("utf-8") for r in split_records(data)]
    except UnicodeDecodeError:
        raise StoreError(f"{path} is not UTF-8; validate the release before storing it") from None
    if not records:
        raise StoreError(f"{path} is empty")
    header = next(csv.reader([records[0]]))
    missing = [c for c in pk if c not in header]
    if missing:
        raise StoreError(f"{path} lacks its primary key column(s) {missing}")
    index = [header.index(c) for c in pk]
    rows = []
    for rec in records[1:]:
        cells = next(csv.reader([rec]), [])
        rows.append((row_key([cells[i] if i < len(cells) else "" for i in index]), rec))
    return records[0], rows


def _files_of(folder: Path) -> dict[str, bytes]:
    """The files a release consists of: the descriptor, each resource's Table Schema and data, and
    the source snapshots."""
    descriptor = read_json(folder, DESCRIPTOR)
    out = {DESCRIPTOR: read_inside(folder, DESCRIPTOR)}
    for res in descriptor.get("resources", []):
        for key in ("schema", "path"):
            if isinstance(res.get(key), str):
                out[res[key]] = read_inside(folder, res[key])
    snapshots = folder / SNAPSHOTS
    if snapshots.is_dir():
        for p in sorted(snapshots.iterdir()):
            if p.is_file() and not p.is_symlink() and not p.name.startswith("."):
                out[f"{SNAPSHOTS}/{p.name}"] = read_inside(folder, f"{SNAPSHOTS}/{p.name}")
    return out


class _Store:
    """The row and blob stores of a repository, read once, appended to, written at the end."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.files: dict[str, dict[str, str]] = {}
        self.added: dict[str, list[str]] = {}

    def _load(self, rel: str) -> dict[str, str]:
        if rel not in self.files:
            self.files[rel] = store_lines(self.base, rel)
        return self.files[rel]

    def put(self, rel: str, content: str) -> str:
        ref = ref_of(content.encode("utf-8"))
        held = self._load(rel)
        if ref in held:
            if held[ref] != content:  # 64 bits of SHA-256 alike, content not: never overwrite
                raise StoreError(f"two different contents share the reference {ref} in {rel}")
            return ref
        held[ref] = content
        self.added.setdefault(rel, []).append(ref)
        return ref

    def write(self) -> None:
        for rel, refs in self.added.items():
            path = self.base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            old = read_inside(self.base, rel).decode("utf-8") if path.is_file() else ""
            new = "".join(json.dumps([r, self.files[rel][r]], ensure_ascii=False) + "\n" for r in refs)
            write_text(path, old + new)


def add_release(
    version: str,
    date: str,
    folder: str | Path,
    *,
    store: str | Path | None = None,
    notes: str = "",
    commit: str | None = None,
) -> Path:
    """Add the dataset in ``folder`` to the store of the repository ``store`` (default: ``folder``)
    as released ``version``, and check that the store gives it back byte for byte."""
    src = resolve_root(folder)
    base = resolve_root(store) if store is not None else src
    if version in released_versions(base):
        raise StoreError(f"version {version} is already in the store; a published version never changes")
    descriptor = read_json(src, DESCRIPTOR)
    tables = {
        r["path"]: (r["name"], r.get("schema"))
        for r in descriptor.get("resources", [])
        if isinstance(r, dict) and isinstance(r.get("path"), str) and isinstance(r.get("name"), str)
    }
    store_ = _Store(base)
    files: dict[str, dict] = {}
    for path, data in _files_of(src).items():
        entry: dict = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        if path in tables:
            name, schema_ref = tables[path]
            schema = read_json(src, schema_ref) if isinstance(schema_ref, str) else schema_ref or {}
            header, rows = _table_rows(data, _primary_key(schema), path)
            entry["table"] = name
            entry["header"] = store_.put(rows_path(name), header)
            entry["rows"] = [[key, store_.put(rows_path(name), rec)] for key, rec in rows]
        else:
            try:
                entry["blob"] = store_.put(blobs_path(), data.decode("utf-8"))
            except UnicodeDecodeError:
                raise StoreError(f"{path} is not UTF-8 text") from None
        files[path] = entry
    index: dict = {"version": version, "date": date}
    if commit:
        index["commit"] = commit
    index["notes"] = notes
    index["files"] = files
    store_.write()
    (base / RELEASES).mkdir(exist_ok=True)
    manifest = write_text(base / RELEASES / f"{version}.json", dump_json(index))
    release_files(version, base)  # the store gives the release back, byte for byte, or this raises
    return manifest


__all__ = ["ROWS", "StoreError", "add_release", "changelog_entry", "split_records"]

"""The downloads the home page offers, built beside the pages: the dataset's files in one zip, the
SQLite database and the Parquet files (``iran_palestine_data.publish.exporters.export``).

The zip holds the files the data package names (``datapackage.json``, ``CITATION.cff``, every table's
CSV and Table Schema, ``curation/``) and the source snapshots, each read through the one safe opener
(:func:`iran_palestine_data.paths.read_inside`), under one folder named for the version. Entries carry a
fixed time stamp, so that the same data gives the same zip.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from pathlib import Path

from ..contract.schema import Package
from ..contract.semver import is_version
from ..errors import DataError
from ..paths import DESCRIPTOR, read_inside
from ..publish.exporters import export
from ..read.strings import read_strings

_STAMP = (1980, 1, 1, 0, 0, 0)


def _members(pkg: Package) -> list[str]:
    names = [DESCRIPTOR, "CITATION.cff"]
    for tbl in pkg.tables.values():
        names += [tbl.path, tbl.schema_path]
    if "sources" in pkg.tables:
        names += [s for s in read_strings("sources", root=pkg.root).column("snapshot").to_pylist() if s]
    return list(dict.fromkeys(n for n in names if n))


def _zip(target: Path, files: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def _entry(folder: Path, file: str, name: str, fmt: str, description: str) -> dict:
    data = (folder / file).read_bytes()
    return {
        "name": name,
        "file": file,
        "path": f"downloads/{file}",
        "format": fmt,
        "description": description,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def build(folder: Path, pkg: Package, skipped: list[str]) -> list[dict]:
    """Write the downloads into ``folder`` (the site's ``downloads/``) and describe each."""
    folder.mkdir(parents=True, exist_ok=True)
    version = pkg.version if is_version(pkg.version) else ""
    if pkg.version and not version:
        skipped.append(f"version {pkg.version!r}: not a semantic version, left out of the zip's name")
    stem = f"iran-palestine-data-{version}" if version else "iran-palestine-data"
    files = []
    for rel in _members(pkg):
        try:
            files.append((f"{stem}/{rel}", read_inside(pkg.root, rel)))
        except DataError as exc:
            if rel != "CITATION.cff":  # older releases have none
                skipped.append(f"file {rel!r}: {'; '.join(i.message for i in exc.issues)}")
    _zip(folder / f"{stem}-csv.zip", files)
    made = [
        _entry(
            folder,
            f"{stem}-csv.zip",
            "CSV data package",
            "application/zip",
            "the data package: datapackage.json, the CSV tables, their Table Schemas, the curation "
            "files and the source snapshots (Frictionless Data Package)",
        ),
    ]
    if _export(folder, pkg, "sqlite", skipped):
        (folder / "metadata.json").unlink(missing_ok=True)  # Datasette's: the database alone is offered
        made.append(
            _entry(
                folder,
                "iran_palestine.db",
                "SQLite database",
                "application/vnd.sqlite3",
                "every table with declared types and keys, full-text search, and views with the actors' names",
            )
        )
    if _export(folder, pkg, "parquet", skipped):
        made.append(
            _entry(
                folder,
                "parquet.zip",
                "Parquet files",
                "application/zip",
                "one Parquet file per table, typed and documented as load() gives it",
            )
        )
    return made


def _export(folder: Path, pkg: Package, format: str, skipped: list[str]) -> bool:
    """Run one export into ``folder`` (Parquet: zipped); False, with a line in ``skipped``, if the data
    cannot be exported (a broken key the database refuses, a cell the file format cannot hold)."""
    try:
        if format == "sqlite":
            export("sqlite", folder, root=pkg.root)
        else:
            with tempfile.TemporaryDirectory(dir=folder) as tmp:
                written = export("parquet", tmp, root=pkg.root)
                _zip(folder / "parquet.zip", [(p.name, p.read_bytes()) for p in written])
    except OSError:
        raise
    except Exception as exc:  # the data is not valid: the site is built without this download
        skipped.append(f"download {format}: the data cannot be exported ({type(exc).__name__}: {exc})")
        return False
    return True

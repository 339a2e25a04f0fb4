"""Exports for other tools: SQLite (with a Datasette metadata.json), Parquet, Stata, JSON Lines, and the
quotes as W3C Web Annotations.

Every export is built from the same typed tables the loaders use, so the formats and the CSVs hold the
same rows and ids (the tests check the round trip). Every file is written beside its target and renamed
over it (:mod:`iran_palestine_data.atomic`).

* ``sqlite`` — ``iran_palestine.db`` and ``metadata.json`` for Datasette (:mod:`.sqlite_export`,
  :mod:`.datasette_meta`): declared types, keys, CHECK constraints and indexes; full-text search on
  quotes, titles, summaries and actors; views with the actors' names joined in; canned queries
  (contradictions, a timeline, funding by donor); licence and source on every table.
  ``datasette iran_palestine.db -m metadata.json``.
* ``parquet`` — one file per table, as ``load()`` gives it (derived columns included): the same
  dtypes come back from ``pd.read_parquet`` (list columns aside: :mod:`.parquet_export` says why), and
  every description is in the file.
* ``stata`` — one ``.dta`` per table (format 118, UTF-8): value labels for every vocabulary, variable
  labels from the descriptions, Stata dates (:mod:`.stata_export`).
* ``jsonl`` — one JSON object per row of each CSV, lists as arrays, missing as ``null``, dates as ISO
  strings.
* ``annotations`` — ``annotations.jsonld``: every row with a quote as a W3C Web Annotation, in one
  JSON-LD ``AnnotationCollection`` (:mod:`.web_annotations`).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic import replacing
from ..contract.schema import Package, package
from ..read.casts import read_typed

FORMATS = ("sqlite", "parquet", "stata", "jsonl", "annotations")


def to_jsonl(out: Path, pkg: Package) -> list[Path]:
    written = []
    for tbl in pkg.tables.values():
        path = out / f"{tbl.name}.jsonl"
        with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for row in read_typed(tbl, root=pkg.root).to_pylist():
                fh.write(
                    json.dumps(
                        {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        written.append(path)
    return written


def export(format: str, out: str | Path, *, root: str | Path | None = None) -> list[Path]:
    """Write the dataset to the folder ``out`` and return the files written. ``format`` is one of:

    ``sqlite``
        ``iran_palestine.db`` (types, keys, full-text search, views with names) and Datasette's
        ``metadata.json`` (descriptions, licence, search boxes, canned queries).
    ``parquet``
        one ``<table>.parquet`` per table, typed and documented as ``load()`` gives it.
    ``stata``
        one ``<table>.dta`` per table (Stata 14+), with value and variable labels.
    ``jsonl``
        one ``<table>.jsonl`` per table, one JSON object per row.
    ``annotations``
        ``annotations.jsonld``: the quotes as W3C Web Annotations (JSON-LD).

    Examples
    --------
    >>> from iran_palestine_data import export
    >>> files = export("parquet", "build/parquet")  # doctest: +SKIP
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    pkg = package(root)
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is not a folder; name a folder to export into")
    target.mkdir(parents=True, exist_ok=True)  # an unwritable place raises OSError, which says why
    if format == "sqlite":
        from .sqlite_export import to_sqlite

        return to_sqlite(target, pkg)
    if format == "parquet":
        from .parquet_export import to_parquet

        return to_parquet(target, pkg)
    if format == "stata":
        from .stata_export import to_stata

        return to_stata(target, pkg)
    if format == "annotations":
        from .web_annotations import write as to_annotations

        return to_annotations(target, pkg)
    return to_jsonl(target, pkg)

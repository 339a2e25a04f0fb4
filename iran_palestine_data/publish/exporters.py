"""Exports for other tools: SQLite (with a Datasette metadata.json), Parquet, JSON Lines, and the
quotes as W3C Web Annotations.

Every export is built from the same typed tables the loaders use, so the three formats and the CSVs
hold the same rows and ids (the tests check the round trip).

* ``sqlite`` — ``iran_palestine.db``: one table per resource, declared types (TEXT, INTEGER, REAL,
  DATE), NOT NULL for required columns, CHECK constraints for vocabularies, primary keys, real foreign
  keys (``PRAGMA foreign_key_check`` is clean), indexes on ids, keys and dates; lists are JSON arrays.
  ``metadata.json`` gives Datasette the titles, descriptions, licence and source of every table and
  column: ``datasette iran_palestine.db -m metadata.json``.
* ``parquet`` — one file per table: dates as ``date32``, vocabularies as dictionaries, amounts as
  ``float64``, lists as ``list<string>``; descriptions in the schema metadata.
* ``jsonl`` — one JSON object per row, lists as arrays, missing as ``null``, dates as ISO strings.
* ``annotations`` — ``annotations.jsonld``: every row with a quote as a W3C Web Annotation, in one
  JSON-LD ``AnnotationCollection`` (:mod:`.web_annotations`).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..atomic import replacing, write_text
from ..contract.schema import Package, Table, package
from ..read.casts import read_typed

FORMATS = ("sqlite", "parquet", "jsonl", "annotations")
DB_NAME = "iran_palestine"
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "date": "DATE", "list": "TEXT"}
_MAX_CHECK = 60  # vocabularies longer than this (ISO code lists) get no CHECK constraint


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _ddl(pkg: Package, tbl: Table) -> list[str]:
    cols = []
    for f in tbl.fields:
        col = f"{_q(f.name)} {_SQL_TYPES.get(f.type, 'TEXT')}"
        if f.required:
            col += " NOT NULL"
        if f.enum and len(f.enum) <= _MAX_CHECK:
            allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in f.enum)
            col += f" CHECK ({_q(f.name)} IN ({allowed}))"
        cols.append(col)
    cols.append(f"PRIMARY KEY ({', '.join(map(_q, tbl.primary_key))})")
    for fk in tbl.foreign_keys:
        target = pkg.tables.get(fk.resource, tbl) if fk.resource else tbl
        here, there = ", ".join(map(_q, fk.fields)), ", ".join(map(_q, fk.reference_fields))
        cols.append(f"FOREIGN KEY ({here}) REFERENCES {_q(target.name)} ({there})")
    statements = [f"CREATE TABLE {_q(tbl.name)} (\n  " + ",\n  ".join(cols) + "\n)"]
    indexed = {c for fk in tbl.foreign_keys for c in fk.fields} | {
        f.name
        for f in tbl.fields
        if f.name in ("date_start", "date_end", "source_id") or f.ext("refersToAny")
    }
    for column in sorted(indexed - set(tbl.primary_key[:1])):
        statements.append(f"CREATE INDEX {_q(f'idx_{tbl.name}_{column}')} ON {_q(tbl.name)} ({_q(column)})")
    return statements


def _table_order(pkg: Package) -> list[Table]:
    """Tables ordered so that referenced tables come first (self references aside)."""
    done: list[Table] = []
    pending = list(pkg.tables.values())
    while pending:
        for tbl in pending:
            deps = {fk.resource for fk in tbl.foreign_keys if fk.resource and fk.resource != tbl.name}
            if deps <= {t.name for t in done}:
                done.append(tbl)
                pending.remove(tbl)
                break
        else:  # a cycle between tables: keep descriptor order for the rest
            done += pending
            break
    return done


def _sql_value(value):
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def to_sqlite(out: Path, pkg: Package) -> list[Path]:
    db = out / f"{DB_NAME}.db"
    with replacing(db) as tmp:
        _fill_sqlite(tmp, pkg)
    meta = out / "metadata.json"
    write_text(meta, json.dumps(datasette_metadata(pkg), ensure_ascii=False, indent=2) + "\n")
    return [db, meta]


def _fill_sqlite(db: Path, pkg: Package) -> None:
    """Create every table in the (empty) database file ``db`` and load the rows, keys checked."""
    con = sqlite3.connect(db, isolation_level=None)  # explicit transactions only
    try:
        con.execute("PRAGMA foreign_keys = ON")
        order = _table_order(pkg)
        for tbl in order:
            for statement in _ddl(pkg, tbl):
                con.execute(statement)
        con.execute("BEGIN")
        # self references (actors.affiliation_id) are checked at commit
        con.execute("PRAGMA defer_foreign_keys = ON")
        for tbl in order:
            marks = ", ".join("?" for _ in tbl.fields)
            rows = (
                [_sql_value(v) for v in row.values()] for row in read_typed(tbl, root=pkg.root).to_pylist()
            )
            con.executemany(f"INSERT INTO {_q(tbl.name)} VALUES ({marks})", rows)
        con.execute("COMMIT")
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key violations in the export: {problems[:5]}")
        con.execute("ANALYZE")
    finally:
        con.close()


def datasette_metadata(pkg: Package) -> dict:
    """Datasette metadata: titles, descriptions, licence and source of the database, tables and columns."""
    d = pkg.descriptor
    licence = (d.get("licenses") or [{}])[0]
    tables = {}
    for tbl in pkg.tables.values():
        entry = {
            "title": tbl.resource.get("title", tbl.name),
            "description": tbl.description,
            "columns": {f.name: f.description for f in tbl.fields},
        }
        if "name" in tbl.field_names and tbl.id_field:
            entry["label_column"] = "name"
        elif "title" in tbl.field_names and tbl.name != "sources":
            entry["label_column"] = "title"
        tables[tbl.name] = entry
    return {
        "title": d.get("title", d.get("name")),
        "description": d.get("description", ""),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": f"{d.get('name')} v{pkg.version}: {len(d.get('sources', []))} archived source documents",
        "databases": {DB_NAME: {"title": f"{d.get('title')} (v{pkg.version})", "tables": tables}},
    }


def _arrow_table(tbl: Table, root: Path):
    import pyarrow as pa

    typed = read_typed(tbl, root=root)
    columns, fields = [], []
    for f in tbl.fields:
        col = typed.column(f.name)
        if f.enum:
            col = col.cast(pa.string()).dictionary_encode()
        columns.append(col)
        fields.append(
            pa.field(f.name, col.type, nullable=not f.required, metadata={"description": f.description})
        )
    schema = pa.schema(fields, metadata={"table": tbl.name, "description": tbl.description})
    return pa.table(columns, schema=schema)


def to_parquet(out: Path, pkg: Package) -> list[Path]:
    import pyarrow.parquet as pq

    written = []
    for tbl in pkg.tables.values():
        path = out / f"{tbl.name}.parquet"
        with replacing(path) as tmp:
            pq.write_table(_arrow_table(tbl, pkg.root), tmp)
        written.append(path)
    return written


def to_jsonl(out: Path, pkg: Package) -> list[Path]:
    written = []
    for tbl in pkg.tables.values():
        path = out / f"{tbl.name}.jsonl"
        with replacing(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
            for row in read_typed(tbl, root=pkg.root).to_pylist():
                fh.write(
                    json.dumps(
                        {k: _sql_value(v) if hasattr(v, "isoformat") else v for k, v in row.items()},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        written.append(path)
    return written


def export(format: str, out: str | Path, *, root: str | Path | None = None) -> list[Path]:
    """Write the dataset to ``out`` as ``sqlite``, ``parquet``, ``jsonl`` or ``annotations`` (W3C Web
    Annotations of the quotes, one JSON-LD file); return the files written.

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
    if format == "annotations":
        from .web_annotations import write as to_annotations

        return to_annotations(target, pkg)
    return {"sqlite": to_sqlite, "parquet": to_parquet, "jsonl": to_jsonl}[format](target, pkg)

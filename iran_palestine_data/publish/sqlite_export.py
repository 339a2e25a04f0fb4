"""The ``sqlite`` export: ``iran_palestine.db`` and the Datasette ``metadata.json`` beside it.

* one table per resource, with declared types (TEXT, INTEGER, REAL, DATE), NOT NULL for required
  columns, CHECK constraints for vocabularies, primary keys, real foreign keys (``PRAGMA
  foreign_key_check`` is clean) and indexes on ids, keys and dates; lists are JSON arrays;
* full-text search (SQLite FTS5, external content, ``unicode61`` without diacritics): ``<table>_fts``
  over the quote, title, summary, name, aliases and description columns of each table that has them,
  e.g. ``SELECT * FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH
  'Soleimani')``; Datasette shows a search box on those tables;
* views with the actors' names joined in (:data:`.datasette_meta.VIEWS`), and canned queries in
  ``metadata.json`` (:data:`.datasette_meta.QUERIES`).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .. import rulebook as rule
from ..atomic import replacing, write_text
from ..contract.schema import Package, Table
from ..errors import DataError, Issue
from ..read.casts import read_typed
from .datasette_meta import DB_NAME, datasette_metadata, fts_columns, views

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


def _fts(tbl: Table) -> list[str]:
    """The FTS5 index of a table's searchable text (external content: the rows stay in the table)."""
    columns = fts_columns(tbl)
    if not columns:
        return []
    fts = _q(f"{tbl.name}_fts")
    spec = ", ".join(map(_q, columns))
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({spec}, content={_q(tbl.name)}, "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


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


def sql_value(value):
    """A cell as SQLite stores it: a list as a JSON array, a date as its ISO string."""
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


def _refused(where: str, reason: str) -> DataError:
    """Data that SQLite's keys and constraints refuse: the validator's rule, in a DataError (bad data
    never raises anything else)."""
    kinds = (
        ("FOREIGN KEY", rule.FOREIGN_KEY),
        ("UNIQUE", rule.UNIQUE),
        ("NOT NULL", rule.REQUIRED),
        ("CHECK", rule.ENUM),
    )
    rule_id = next((r for word, r in kinds if word in reason), rule.FOREIGN_KEY)
    message = f"cannot be exported to SQLite ({reason}); run `iran-palestine-data validate` to find the rows"
    return DataError([Issue(where, rule_id, message)])


def _dangling(pkg: Package, con: sqlite3.Connection, reason: str) -> DataError:
    """The foreign key failure found at commit, named by the table that holds the dangling key."""
    problem = con.execute("PRAGMA foreign_key_check").fetchone()
    if problem is None or problem[0] not in pkg.tables:
        return _refused(DB_NAME + ".db", reason)
    table, _, parent, _ = problem
    return _refused(pkg.tables[table].path, f"{reason}: a key that names no row of {parent}")


def _fill_sqlite(db: Path, pkg: Package) -> None:
    """Create every table in the (empty) database file ``db``, load the rows, keys checked, then the
    full-text indexes and the views."""
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
                [sql_value(v) for v in row.values()] for row in read_typed(tbl, root=pkg.root).to_pylist()
            )
            try:
                con.executemany(f"INSERT INTO {_q(tbl.name)} VALUES ({marks})", rows)
            except sqlite3.IntegrityError as exc:
                raise _refused(tbl.path, str(exc)) from None
        try:
            con.execute("COMMIT")
        except sqlite3.IntegrityError as exc:  # keys are checked at commit: say which table fails
            raise _dangling(pkg, con, str(exc)) from None
        if con.execute("PRAGMA foreign_key_check").fetchone():
            raise _dangling(pkg, con, "FOREIGN KEY constraint failed")
        con.execute("BEGIN")
        for tbl in order:
            for statement in _fts(tbl):
                con.execute(statement)
        for name, (_, sql) in views(pkg).items():
            con.execute(f"CREATE VIEW {_q(name)} AS {sql}")
        con.execute("COMMIT")
        con.execute("ANALYZE")
    finally:
        con.close()

"""The reference engine: ``frictionless`` itself checks what the Table Schemas promise (and the
descriptor against the Data Package profile), and its errors are translated into our issues through
the same message builders as the fast engine (:mod:`.messages`), so both word every problem alike.
"""

from __future__ import annotations

import re

from .. import rulebook as rule
from ..contract.cells import type_words
from ..contract.schema import Package, Table
from ..errors import Issue
from ..paths import DESCRIPTOR
from . import messages

_FK_NOTE = re.compile(
    r'for "(?P<fields>[^"]+)": values "(?P<values>.*)" not found in the lookup table "(?P<table>[^"]*)" as "(?P<ref>[^"]+)"'
)
_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_POSITION = re.compile(r"position \"?([0-9]+)")


_RESOURCE_KEYS = ("name", "path", "type", "format", "mediatype", "encoding")


def frictionless_issues(pkg: Package, *, skip_rows: set[str]):
    """Run frictionless on the package's readable tables and translate its errors into our issues.

    frictionless sees a descriptor built here from the contract (inline schemas, the contract's
    relative paths, no remote ``path`` or ``profile``), rooted at the folder under test; the tables in
    ``skip_rows`` (unreadable, or refused before opening) are left out, so it never opens a file the
    byte checks refused. Hash and size are checked by our own code for both engines.
    """
    from frictionless import Package as FPackage

    # only what frictionless needs, and nothing it could fetch: no dialect, profile or schema by URL
    resources = [
        {k: v for k, v in tbl.resource.items() if k in _RESOURCE_KEYS}
        | {"schema": _without_keys_into(tbl.schema, skip_rows)}
        for tbl in pkg.tables.values()
        if tbl.name not in skip_rows
    ]
    descriptor = {
        "name": pkg.descriptor.get("name", "dataset"),
        "profile": "data-package",
        "resources": resources,
    }
    try:
        report = FPackage(descriptor, basepath=str(pkg.root)).validate()
    except Exception as exc:  # frictionless raises for descriptors it cannot even open
        yield Issue(DESCRIPTOR, rule.DESCRIPTOR, f"frictionless cannot open the package: {exc}")
        return
    by_name = pkg.tables
    for task in report.tasks:
        tbl = by_name.get(task.name)
        rel = tbl.path if tbl else task.name
        for err in task.errors:
            if err.type == "foreign-key" and _references_broken(err, skip_rows):
                continue  # the referenced table could not be read: its own issues say why
            issue = _translate(pkg, tbl, rel, err)
            if issue is not None:
                yield issue
    for err in report.errors:
        yield Issue(DESCRIPTOR, rule.DESCRIPTOR, err.message)


def _without_keys_into(schema: dict, skipped: set[str]) -> dict:
    """The schema without its foreign keys into tables left out (as the fast engine skips them)."""
    keys = [fk for fk in schema.get("foreignKeys", []) if fk["reference"].get("resource", "") not in skipped]
    return schema | {"foreignKeys": keys} if "foreignKeys" in schema else schema


def _references_broken(err, broken: set[str]) -> bool:
    m = _FK_NOTE.search(getattr(err, "note", "") or "")
    return bool(m and m.group("table") in broken)


def _translate(pkg: Package, tbl: Table | None, rel: str, err) -> Issue | None:
    """One frictionless error in our words, through the same builders as the fast engine."""
    kind = err.type
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    value = None if cell in (None, "") else str(cell)
    if kind in ("encoding-error", "source-error", "scheme-error", "format-error"):
        return None  # reported by our byte-level checks
    if tbl is None:
        return Issue(rel, kind, err.message, row=row, column=column, value=value)
    if kind == "type-error" and column in tbl.field_names:
        return Issue(
            rel, rule.TYPE, f"is not {type_words(tbl.field(column))}", row=row, column=column, value=value
        )
    if kind == "constraint-error" and column in tbl.field_names:
        m = _CONSTRAINT.search(note)
        return messages.constraint_issue(tbl, row, column, value, m.group(1) if m else "constraint")
    if kind in ("unique-error", "primary-key"):
        m = _POSITION.search(note)
        earlier = int(m.group(1)) if m else None
        if kind == "unique-error":
            return messages.duplicate_issue(tbl, row, column, value, earlier)
        cells = list(getattr(err, "cells", None) or [])
        values = [
            cells[tbl.field_names.index(n)] if tbl.field_names.index(n) < len(cells) else ""
            for n in tbl.primary_key
        ]
        return messages.primary_key_issue(tbl, row, [] if 'all "None"' in note else values, earlier)
    if kind == "foreign-key":
        m = _FK_NOTE.search(note)
        if not m:
            return Issue(rel, rule.FOREIGN_KEY, note, row=row)
        return messages.foreign_key_issue(
            pkg,
            tbl,
            row,
            m.group("fields").split(", "),
            [m.group("values")],
            m.group("table"),
            m.group("ref").split(", "),
        )
    if kind in ("extra-cell", "missing-cell"):
        what = "more" if kind == "extra-cell" else "fewer"
        return Issue(
            rel,
            rule.STRUCTURE,
            f"this row has {what} cells than the header",
            row=row,
            column=column,
            value=value,
        )
    if kind == "blank-row":
        return messages.blank_row_issue(tbl, row)
    if kind in ("extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label"):
        return Issue(rel, rule.HEADER, err.message, row=row, column=column)
    return Issue(rel, kind, err.message, row=row, column=column, value=value)

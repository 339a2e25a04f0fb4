"""Validate a copy of the dataset: one :class:`~iran_palestine_data.report.Report` of every problem.

Order of the checks, each adding issues to the same report:

1. the descriptor and schemas can be read; every resource declares utf-8, hash and bytes;
2. each file's bytes (:mod:`iran_palestine_data.files`): present, UTF-8 without BOM, LF line endings,
   no NUL, no empty line, ends with a newline, has rows;
3. header (names and order as in the schema) and CSV structure;
4. what the Table Schemas promise: constraints, primary, unique and foreign keys, hash and bytes;
5. :mod:`iran_palestine_data.rules`: the rules a Table Schema cannot express.

Step 4 has two engines with the same verdicts and messages. ``engine="fast"`` (the default) checks
column-wise with pyarrow (:mod:`iran_palestine_data.constraints`) and hashes the files itself, in
a worker thread while they are parsed; ``engine="reference"`` runs ``frictionless`` itself, which also validates the
descriptor against the Data Package profile, and translates its errors. ``tests/test_engines.py``
holds the two to the same answers on every corruption of the mutation suite.

Bad data never raises: it becomes issues. Only a bug in this package would.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import constraints
from .files import count_issues, scan_file, start_digest
from .loader import read_strings, type_words
from .paths import DESCRIPTOR
from .report import DataError, Issue, Report
from .schema import Package, Table, package

_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


ENGINES = ("fast", "reference")


def validate(root: str | Path | None = None, *, engine: str = "fast") -> Report:
    """Check the dataset at ``root`` (default: the shipped data) against every rule it promises.

    ``engine`` is ``"fast"`` (vectorised, the default) or ``"reference"`` (frictionless); both give
    the same issues, but only the reference engine checks the descriptor against the Data Package profile.

    Examples
    --------
    >>> from iran_palestine_data import validate
    >>> report = validate()
    >>> report.valid
    True
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    fast = engine == "fast"
    report = Report()
    try:
        pkg = package(root)
    except DataError as exc:
        report.extend(exc.issues)
        return report
    report.extend(_descriptor_issues(pkg))
    if fast:
        report.extend(constraints.unsupported(pkg))
    raw, broken, one_line = {}, set(), set()
    with ThreadPoolExecutor(max_workers=1) as pool:  # hashes are computed while the files are parsed
        digests = {name: start_digest(pkg.root, tbl, pool) for name, tbl in pkg.tables.items()} if fast else {}
        for tbl in pkg.tables.values():
            scan = scan_file(pkg.root, tbl)
            file_issues = scan.issues
            if not scan.unreadable:
                try:
                    raw[tbl.name] = read_strings(tbl, root=pkg.root)
                    report.checked[tbl.name] = raw[tbl.name].num_rows
                    if raw[tbl.name].num_rows == 0 and not tbl.may_be_empty:
                        file_issues.append(Issue(tbl.path, "empty table", "has a header but no rows"))
                except DataError as exc:
                    file_issues += exc.issues
            if any(i.rule not in ("bom", "line endings", "empty table") for i in file_issues):
                broken.add(tbl.name)
            elif not scan.carriage_returns and scan.newlines == raw[tbl.name].num_rows + 1:
                one_line.add(tbl.name)  # one line per record: no cell can hold a line break
            report.extend(file_issues)
        for name, tbl in pkg.tables.items():
            if fast:
                report.extend(count_issues(pkg.root, tbl, digests[name]))
    readable = {k: v for k, v in raw.items() if k not in broken}
    from .rules import run

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        schema_checks = pool.submit(lambda: list(constraints.check(pkg, readable))) if fast else None
        if not fast:
            report.extend(_frictionless_issues(pkg, skip_rows=broken))
        report.extend(run(pkg, readable, one_line=one_line, pool=pool))
        if schema_checks is not None:
            report.extend(schema_checks.result())
    return report.sorted()


def _descriptor_issues(pkg: Package):
    version = pkg.version
    if not _SEMVER.match(version):
        yield Issue(DESCRIPTOR, "descriptor", f"version {version!r} is not semantic (MAJOR.MINOR.PATCH)")
    for tbl in pkg.tables.values():
        res = tbl.resource
        for key, want in (("encoding", "utf-8"), ("type", "table")):
            if res.get(key) != want:
                yield Issue(DESCRIPTOR, "descriptor", f"resource {tbl.name} must declare \"{key}\": \"{want}\"")
        for key in ("hash", "bytes"):
            if key not in res:
                yield Issue(DESCRIPTOR, "descriptor", f"resource {tbl.name} has no {key} (run `iran-palestine-data release refresh`)")
        missing = [f.name for f in tbl.fields if not f.description]
        if missing:
            yield Issue(tbl.schema_path, "descriptor", f"fields without a description: {', '.join(missing)}")


# --- frictionless -------------------------------------------------------------------------------

_FK_NOTE = re.compile(r'for "(?P<fields>[^"]+)": values "(?P<values>.*)" not found in the lookup table "(?P<table>[^"]*)" as "(?P<ref>[^"]+)"')
_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_POSITION = re.compile(r"position \"?(\d+)")
_COUNTS = re.compile(r'expected is "(.*)" and actual is "(.*)"')


def _frictionless_issues(pkg: Package, *, skip_rows: set[str]):
    """Run frictionless on the package and translate its errors into our issues."""
    from frictionless import Package as FPackage

    try:
        report = FPackage(str(pkg.root / DESCRIPTOR)).validate()
    except Exception as exc:  # frictionless raises for descriptors it cannot even open
        yield Issue(DESCRIPTOR, "descriptor", f"frictionless cannot open the package: {exc}")
        return
    by_name = pkg.tables
    for task in report.tasks:
        tbl = by_name.get(task.name)
        rel = tbl.path if tbl else task.name
        for err in task.errors:
            if tbl is not None and tbl.name in skip_rows and err.type not in ("hash-count", "byte-count"):
                continue
            if err.type == "foreign-key" and _references_broken(err, skip_rows):
                continue  # the referenced table could not be read: its own issues say why
            issue = _translate(pkg, tbl, rel, err)
            if issue is not None:
                yield issue
    for err in report.errors:
        yield Issue(DESCRIPTOR, "descriptor", err.message)


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
    if kind in ("hash-count", "byte-count"):
        m = _COUNTS.search(note)
        return constraints.count_issue(tbl, "hash" if kind == "hash-count" else "bytes", *(m.groups() if m else (note, "?")))
    if kind == "type-error" and column in tbl.field_names:
        return Issue(rel, "type", f"is not {type_words(tbl.field(column))}", row=row, column=column, value=value)
    if kind == "constraint-error" and column in tbl.field_names:
        m = _CONSTRAINT.search(note)
        return constraints.constraint_issue(tbl, row, column, value, m.group(1) if m else "constraint")
    if kind in ("unique-error", "primary-key"):
        m = _POSITION.search(note)
        earlier = int(m.group(1)) if m else None
        if kind == "unique-error":
            return constraints.duplicate_issue(tbl, row, column, value, earlier)
        cells = list(getattr(err, "cells", None) or [])
        values = [cells[tbl.field_names.index(n)] if tbl.field_names.index(n) < len(cells) else "" for n in tbl.primary_key]
        return constraints.primary_key_issue(tbl, row, [] if "all \"None\"" in note else values, earlier)
    if kind == "foreign-key":
        m = _FK_NOTE.search(note)
        if not m:
            return Issue(rel, "foreign key", note, row=row)
        return constraints.foreign_key_issue(pkg, tbl, row, m.group("fields").split(", "), [m.group("values")],
                                             m.group("table"), m.group("ref").split(", "))
    if kind in ("extra-cell", "missing-cell"):
        what = "more" if kind == "extra-cell" else "fewer"
        return Issue(rel, "structure", f"this row has {what} cells than the header", row=row, column=column, value=value)
    if kind == "blank-row":
        return constraints.blank_row_issue(tbl, row)
    if kind in ("extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label"):
        return Issue(rel, "header", err.message, row=row, column=column)
    return Issue(rel, kind, err.message, row=row, column=column, value=value)

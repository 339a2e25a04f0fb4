"""Validate a copy of the dataset: one :class:`~iran_palestine_data.report.Report` of every problem.

Order of the checks, each adding issues to the same report:

1. the descriptor and schemas can be read; every resource declares utf-8, hash and bytes;
2. each file's bytes: present, UTF-8 without BOM, LF line endings, no NUL, ends with a newline, has rows;
3. header (names and order as in the schema) and CSV structure;
4. frictionless: types, constraints, primary and foreign keys, hash and bytes;
5. :mod:`iran_palestine_data.rules`: the rules frictionless cannot express.

Bad data never raises: it becomes issues. Only a bug in this package would.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .loader import read_strings
from .paths import DESCRIPTOR
from .report import DataError, Issue, Report
from .schema import Package, Table, package

_CHUNK = 1 << 24
NEWLINE = b"\n"
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


def validate(root: str | Path | None = None) -> Report:
    """Check the dataset at ``root`` (default: the shipped data) against every rule it promises.

    Examples
    --------
    >>> from iran_palestine_data import validate
    >>> report = validate()
    >>> report.valid
    True
    """
    report = Report()
    try:
        pkg = package(root)
    except DataError as exc:
        report.extend(exc.issues)
        return report
    report.extend(_descriptor_issues(pkg))
    raw, broken = {}, set()
    for tbl in pkg.tables.values():
        file_issues = list(_file_issues(pkg.root, tbl))
        if not any(i.rule in ("file", "encoding", "empty file") for i in file_issues):
            try:
                raw[tbl.name] = read_strings(tbl, root=pkg.root)
                report.checked[tbl.name] = raw[tbl.name].num_rows
                if raw[tbl.name].num_rows == 0 and not tbl.may_be_empty:
                    file_issues.append(Issue(tbl.path, "empty table", "has a header but no rows"))
            except DataError as exc:
                file_issues += exc.issues
        if any(i.rule not in ("bom", "line endings", "empty table") for i in file_issues):
            broken.add(tbl.name)
        report.extend(file_issues)
    report.extend(_frictionless_issues(pkg, skip_rows=broken))
    from .rules import run

    report.extend(run(pkg, {k: v for k, v in raw.items() if k not in broken}))
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


def _file_issues(root: Path, tbl: Table):
    """Byte-level problems, each reported once at its first line."""
    path = root / tbl.path
    if not path.is_file():
        yield Issue(tbl.path, "file", "is missing")
        return
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, first, last, seen = 1, True, b"", set()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            if first:
                first = False
                if chunk.startswith(codecs.BOM_UTF8):
                    yield Issue(tbl.path, "bom", "begins with a byte order mark (BOM); save it as UTF-8 without BOM", row=1)
            for token, rule, message in ((b"\r", "line endings", "has CR or CRLF line endings; use LF only"),
                                         (b"\x00", "nul byte", "contains a NUL byte")):
                pos = chunk.find(token)
                if pos >= 0 and rule not in seen:
                    seen.add(rule)
                    at = line + chunk.count(NEWLINE, 0, pos)
                    yield Issue(tbl.path, rule, f"{message} (first at line {at})", row=at)
            if "encoding" not in seen:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    seen.add("encoding")
                    bad = chunk[exc.start:exc.start + 1]
                    at = line + chunk.count(NEWLINE, 0, exc.start)
                    yield Issue(tbl.path, "encoding", f"is not valid UTF-8: byte 0x{bad.hex()} at line {at} (Latin-1 or Windows-1252?)", row=at)
            line += chunk.count(NEWLINE)
            last = chunk
    if not last:
        yield Issue(tbl.path, "empty file", "is empty (not even a header row)")
    elif not last.endswith(NEWLINE):
        yield Issue(tbl.path, "truncated", "does not end with a line break; the file may be truncated", row=line)


# --- frictionless -------------------------------------------------------------------------------

_FK_NOTE = re.compile(r'for "(?P<fields>[^"]+)": values "(?P<values>.*)" not found in the lookup table "(?P<table>[^"]*)" as "(?P<ref>[^"]+)"')
_CONSTRAINT = re.compile(r'constraint "(\w+)"')
_POSITION = re.compile(r"position \"?(\d+)")
_TYPE_WORDS = {"date": "a date (YYYY-MM-DD)", "number": "a number", "integer": "an integer", "list": "a list", "string": "text"}


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
    kind = err.type
    row = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    value = None if cell in (None, "") else str(cell)
    if kind in ("hash-count", "byte-count"):
        what = "hash" if kind == "hash-count" else "bytes"
        return Issue(rel, what, f"does not match the {what} recorded in {DESCRIPTOR}: {note} (after a deliberate change run `iran-palestine-data release refresh`)")
    if kind == "type-error":
        ftype = tbl.field(column).type if tbl and column in tbl.field_names else "its type"
        return Issue(rel, "type", f"is not {_TYPE_WORDS.get(ftype, ftype)}", row=row, column=column, value=value)
    if kind == "constraint-error":
        return _constraint(tbl, rel, row, column, value, note)
    if kind in ("unique-error", "primary-key"):
        m = _POSITION.search(note)
        first = f" of row {m.group(1)}" if m else ""
        if kind == "primary-key" and tbl is not None and len(tbl.primary_key) > 1:
            cells = getattr(err, "cells", None) or []
            return Issue(rel, "primary key", f"repeats the primary key ({', '.join(tbl.primary_key)}){first}", row=row,
                         column=", ".join(tbl.primary_key), value=",".join(map(str, cells)) or None)
        if tbl is not None and (column or tbl.id_field) == tbl.id_field:
            ids = getattr(err, "cells", None) or [cell]
            return Issue(rel, "duplicate id", f"repeats the id{first}", row=row, column=tbl.id_field, value=str(ids[0]) if ids and ids[0] is not None else value)
        return Issue(rel, "unique", f"repeats the value{first}; the column must be unique", row=row, column=column, value=value)
    if kind == "foreign-key":
        m = _FK_NOTE.search(note)
        if not m:
            return Issue(rel, "foreign key", note, row=row)
        target = pkg.tables.get(m.group("table")) if m.group("table") else tbl
        target_path = target.path if target else m.group("table")
        ref = m.group("ref")
        article = "an" if ref[0] in "aeiou" else "a"
        return Issue(rel, "foreign key", f"is not {article} {ref} in {target_path}", row=row, column=m.group("fields"), value=m.group("values"))
    if kind in ("extra-cell", "missing-cell"):
        what = "more" if kind == "extra-cell" else "fewer"
        return Issue(rel, "structure", f"this row has {what} cells than the header", row=row, column=column, value=value)
    if kind in ("extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label", "blank-row"):
        return Issue(rel, "header" if "label" in kind else "blank row", err.message, row=row, column=column)
    if kind in ("encoding-error", "source-error", "scheme-error", "format-error"):
        return None  # reported by our byte-level checks
    return Issue(rel, kind, err.message, row=row, column=column, value=value)


def _constraint(tbl: Table | None, rel: str, row, column, value, note: str) -> Issue:
    m = _CONSTRAINT.search(note)
    name = m.group(1) if m else "constraint"
    field = tbl.field(column) if tbl is not None and column in tbl.field_names else None
    if name == "required":
        return Issue(rel, "required", "is empty, but the column is required", row=row, column=column)
    if name == "enum" and field is not None:
        allowed = field.enum or ()
        shown = ", ".join(allowed) if len(allowed) <= 30 else f"one of the {len(allowed)} codes listed in {tbl.schema_path}"
        return Issue(rel, "enum", f"is not in the {column} vocabulary ({shown})", row=row, column=column, value=value)
    if name == "pattern" and field is not None:
        rule = "id pattern" if tbl.id_field == column else "pattern"
        return Issue(rel, rule, f"does not match the pattern {field.pattern}", row=row, column=column, value=value)
    if name == "minimum" and field is not None:
        return Issue(rel, "minimum", f"is below the minimum {field.minimum}", row=row, column=column, value=value)
    return Issue(rel, name, note, row=row, column=column, value=value)

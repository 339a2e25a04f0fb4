"""What a Table Schema itself promises, checked column by column: constraints, unique and primary
keys, foreign keys, blank rows. This is the fast engine's replacement for the row loop of
``frictionless validate``: the same verdicts with the same messages (built by :mod:`.messages`),
from vectorised pyarrow compute over the all-string tables of
:func:`iran_palestine_data.read.strings.read_strings`. Python runs only over failing rows.

Semantics follow frictionless 5: a cell that is not of its type counts as missing for the keys and
is not checked against constraints; a pattern is anchored as ``^pattern$``; a duplicate names the
most recent earlier row with the same value; a row with every cell empty is a blank row and
nothing else but an empty primary key.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import rulebook as rule
from ..contract.cells import LEXICAL, uri_flags
from ..contract.schema import Field, Package, Table
from ..errors import Issue, file_row
from ..kernels.columns import flags, in_set, indices, repeats, single
from ..read.casts import calendar_dates
from .messages import blank_row_issue, constraint_issue, duplicate_issue, foreign_key_issue, primary_key_issue

Raw = dict[str, pa.Table]  # table name -> all-string table (tables that could not be read are absent)

# what the fast engine checks, per field type; anything else is reported, never silently skipped
SUPPORTED = {
    "string": {"required", "unique", "enum", "pattern", "minLength", "maxLength"},
    "number": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "integer": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "date": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "list": {"required", "minLength", "maxLength"},
}
FORMATS = {"string": {"default", "uri"}}
_BOUNDS = {
    rule.MINIMUM: pc.less,
    rule.MAXIMUM: pc.greater,
    rule.EXCLUSIVE_MINIMUM: pc.less_equal,
    rule.EXCLUSIVE_MAXIMUM: pc.greater_equal,
}


def unsupported(pkg: Package) -> Iterator[Issue]:
    """Types, formats and constraints the fast engine does not check (none in this dataset's schemas)."""
    for tbl in pkg.tables.values():
        for f in tbl.fields:
            if f.type not in SUPPORTED:
                yield Issue(
                    tbl.schema_path,
                    rule.DESCRIPTOR,
                    f"field {f.name} has type {f.type!r}, which the fast engine cannot check; use engine='reference'",
                )
                continue
            fmt = f.descriptor.get("format", "default")
            if fmt not in FORMATS.get(f.type, {"default"}):
                yield Issue(
                    tbl.schema_path,
                    rule.DESCRIPTOR,
                    f"field {f.name} has format {fmt!r}, which the fast engine cannot check; use engine='reference'",
                )
            for name in set(f.constraints) - SUPPORTED[f.type]:
                yield Issue(
                    tbl.schema_path,
                    rule.DESCRIPTOR,
                    f"field {f.name} has the constraint {name!r}, which the fast engine cannot check "
                    f"for a {f.type}; use engine='reference'",
                )


def _typed(f: Field, col: pa.ChunkedArray) -> pa.ChunkedArray:
    """The cells as frictionless reads them: typed values, null where empty or not of the type."""
    if f.type in ("number", "integer", "date"):
        ok = pc.match_substring_regex(col, LEXICAL[f.type][0])
        kept = pc.if_else(ok, col, pa.scalar(None, pa.string()))
        if f.type == "date":
            return calendar_dates(kept)
        return pc.cast(kept, pa.float64())
    if f.descriptor.get("format") == "uri":
        return pc.if_else(pc.fill_null(uri_flags(col), False), col, pa.scalar(None, pa.string()))
    return col


def _literal(f: Field, values) -> pa.Array:
    """Constraint values (an enum, a bound) as an array of the field's typed values."""
    if f.type == "date":
        return calendar_dates(pa.array([str(v) for v in values], pa.string()))
    if f.type in ("number", "integer"):
        return pa.array([float(v) for v in values], pa.float64())
    return pa.array([str(v) for v in values], pa.string())


def _full_match(col: pa.Array, pattern: str) -> pa.Array:
    """frictionless's ``re.match('^pattern$')``, in RE2 when it can compile the pattern."""
    anchored = f"^{pattern}$"
    try:
        return pc.match_substring_regex(col, anchored)
    except (
        pa.ArrowInvalid
    ):  # a construct RE2 lacks (look-around, back-references): Python re on distinct values
        regex = re.compile(anchored)
        encoded = single(col).dictionary_encode()
        good = pa.array([regex.match(v) is not None for v in encoded.dictionary.to_pylist()], pa.bool_())
        return pc.take(good, encoded.indices)


def _cell_constraints(
    tbl: Table, f: Field, col: pa.ChunkedArray, typed: pa.ChunkedArray, skip: np.ndarray
) -> Iterator[Issue]:
    present = pc.is_valid(typed)  # not empty, and of its type
    for name, limit in f.constraints.items():
        if name == rule.REQUIRED:
            if limit:
                bad = pc.is_null(col)
            else:
                continue
        elif name == rule.ENUM:
            bad = pc.invert(pc.is_in(typed, value_set=_literal(f, limit)))
        elif name == rule.PATTERN:
            bad = pc.invert(_full_match(typed, limit))
        elif name in _BOUNDS:
            bad = _BOUNDS[name](typed, _literal(f, [limit])[0])
        elif name in (rule.MIN_LENGTH, rule.MAX_LENGTH):
            size = (
                pc.list_value_length(pc.split_pattern(typed, f.delimiter or ","))
                if f.type == "list"
                else pc.utf8_length(typed)
            )
            bad = pc.less(size, limit) if name == rule.MIN_LENGTH else pc.greater(size, limit)
        else:
            continue  # unique is a table check; anything unsupported is reported by unsupported()
        if name != rule.REQUIRED:
            bad = pc.and_(present, bad)
        for i in indices(bad).tolist():
            if not skip[i]:
                yield constraint_issue(tbl, file_row(i), f.name, col[i].as_py(), name)


def _duplicates(arrays: list, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Among ``rows``, those whose values repeat an earlier row's, and that earlier row."""
    if len(rows) < len(arrays[0]):
        picked = pa.array(rows)
        arrays = [arr.take(picked) for arr in arrays]
    later, earlier = repeats(arrays)
    return rows[later], rows[earlier]


def _keys(tbl: Table, raw: pa.Table, typed: dict[str, pa.ChunkedArray]) -> Iterator[Issue]:
    for f in tbl.fields:
        if f.unique and f.name != tbl.id_field:
            values = typed[f.name]
            for r, e in zip(*_duplicates([values], indices(pc.is_valid(values)))):
                yield duplicate_issue(
                    tbl, file_row(int(r)), f.name, raw.column(f.name)[int(r)].as_py(), file_row(int(e))
                )
    if not tbl.primary_key:
        return
    key_cols = [typed[n] for n in tbl.primary_key]
    empty = np.ones(raw.num_rows, dtype=bool)
    for arr in key_cols:
        empty &= flags(pc.is_null(arr))
    shown = lambda i: [raw.column(n)[i].as_py() or "" for n in tbl.primary_key]  # noqa: E731
    for i in np.flatnonzero(empty).tolist():
        yield primary_key_issue(tbl, file_row(i), ["" for _ in tbl.primary_key], None)
    for r, e in zip(*_duplicates(key_cols, np.flatnonzero(~empty))):
        yield primary_key_issue(tbl, file_row(int(r)), shown(int(r)), file_row(int(e)))


def _join(arrays: list) -> pa.Array | pa.ChunkedArray:
    """Several columns as one string per row (for composite foreign keys)."""
    if len(arrays) == 1:
        return arrays[0]
    parts = [pc.fill_null(pc.cast(a, pa.string()), "\x00") for a in arrays]
    return pc.binary_join_element_wise(*parts, "\x1f")


def _foreign_keys(
    pkg: Package, tbl: Table, raw: pa.Table, typed: dict[str, dict[str, pa.ChunkedArray]], lookups: dict
) -> Iterator[Issue]:
    for fk in tbl.foreign_keys:
        target = fk.resource or tbl.name
        if target not in typed:
            continue  # the referenced table could not be read: its own issues say why
        key = (target, fk.reference_fields)  # the referenced values: _lookups()
        cols = [typed[tbl.name][n] for n in fk.fields]
        some = pc.is_valid(cols[0])
        for arr in cols[1:]:
            some = pc.or_(some, pc.is_valid(arr))
        missing = pc.and_(some, pc.invert(in_set(_join(cols), lookups[key])))
        for i in indices(missing).tolist():
            values = [raw.column(n)[i].as_py() if typed[tbl.name][n][i].is_valid else None for n in fk.fields]
            yield foreign_key_issue(
                pkg, tbl, file_row(i), fk.fields, values, fk.resource, fk.reference_fields
            )


def check(pkg: Package, raw: Raw) -> Iterator[Issue]:
    """Every schema promise, for the tables in ``raw`` (tables that could not be read are absent).

    The tables are checked side by side in threads (pyarrow compute releases the GIL): first each
    table's cells, then, once every table is typed, its keys and the keys it refers to. The issues
    come in the same order as one table after the other would give them.
    """
    names = list(raw)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        cells = list(pool.map(lambda name: _table_cells(pkg.table(name), raw[name]), names))
        typed = {name: columns for name, (columns, _) in zip(names, cells)}
        for _, issues in cells:
            yield from issues
        lookups = _lookups(pkg, names, typed)
        keys = pool.map(
            lambda name: [
                *_keys(pkg.table(name), raw[name], typed[name]),
                *_foreign_keys(pkg, pkg.table(name), raw[name], typed, lookups),
            ],
            names,
        )
        for issues in keys:
            yield from issues


def _table_cells(tbl: Table, table: pa.Table) -> tuple[dict[str, pa.ChunkedArray], list[Issue]]:
    """A table's columns with their schema types, and the issues of its rows and cells."""
    columns = {f.name: table.column(f.name) for f in tbl.fields}
    typed = {f.name: _typed(f, columns[f.name]) for f in tbl.fields}
    blank = np.ones(table.num_rows, dtype=bool)
    for col in columns.values():
        blank &= flags(pc.is_null(col))
    issues = [blank_row_issue(tbl, file_row(i)) for i in np.flatnonzero(blank).tolist()]
    for f in tbl.fields:
        issues += _cell_constraints(tbl, f, columns[f.name], typed[f.name], blank)
    return typed, issues


def _lookups(pkg: Package, names: list[str], typed: dict[str, dict[str, pa.ChunkedArray]]) -> dict:
    """The distinct values of every referenced key, once per (table, columns)."""
    lookups: dict = {}
    for name in names:
        for fk in pkg.table(name).foreign_keys:
            target = fk.resource or name
            key = (target, fk.reference_fields)
            if target not in typed or key in lookups:
                continue  # an unreadable referenced table: its own issues say why
            refs = [typed[target][n] for n in fk.reference_fields]
            some = pc.is_valid(refs[0])
            for arr in refs[1:]:
                some = pc.or_(some, pc.is_valid(arr))
            lookups[key] = pc.unique(single(_join([pc.filter(arr, some) for arr in refs])))
    return lookups

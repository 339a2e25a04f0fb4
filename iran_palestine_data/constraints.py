"""What a Table Schema itself promises, checked column by column: constraints, unique and primary
keys, foreign keys, blank rows. This is the fast engine's replacement for the row loop of
``frictionless validate``: the same verdicts with the same messages, from vectorised pyarrow compute
over the all-string tables of :func:`iran_palestine_data.loader.read_strings`. Python runs only over
failing rows.

The message builders below are shared with the reference engine, which translates frictionless's
errors through them, so that both engines word every problem alike (``tests/test_engines.py`` runs
both on every corruption of the mutation suite).

Semantics follow frictionless 5: a cell that is not of its type counts as missing for the keys and
is not checked against constraints; a pattern is anchored as ``^pattern$``; a duplicate names the
most recent earlier row with the same value; a row with every cell empty is a blank row and
nothing else but an empty primary key.
"""

from __future__ import annotations

import re
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .loader import LEXICAL, calendar_dates, is_uri
from .paths import DESCRIPTOR
from .report import Issue
from .schema import Field, Package, Table
from .vector import flags, in_set, indices, repeats, single

Raw = dict[str, pa.Table]

# what the fast engine checks, per field type; anything else is reported, never silently skipped
SUPPORTED = {
    "string": {"required", "unique", "enum", "pattern", "minLength", "maxLength"},
    "number": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "integer": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "date": {"required", "unique", "enum", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
    "list": {"required", "minLength", "maxLength"},
}
FORMATS = {"string": {"default", "uri"}}
_BOUNDS = {"minimum": (pc.less, "below the minimum"), "maximum": (pc.greater, "above the maximum"),
           "exclusiveMinimum": (pc.less_equal, "not above the exclusive minimum"),
           "exclusiveMaximum": (pc.greater_equal, "not below the exclusive maximum")}


# --- messages, shared by both engines ---------------------------------------------------------------

def constraint_issue(tbl: Table, row: int | None, column: str, value: str | None, name: str) -> Issue:
    """A cell that breaks the named constraint of its field."""
    rel, field = tbl.path, tbl.field(column) if column in tbl.field_names else None
    limit = field.constraints.get(name) if field is not None else None
    if name == "required":
        return Issue(rel, "required", "is empty, but the column is required", row=row, column=column)
    if name == "enum" and field is not None:
        allowed = [str(v) for v in field.enum or ()]
        shown = ", ".join(allowed) if len(allowed) <= 30 else f"one of the {len(allowed)} codes listed in {tbl.schema_path}"
        return Issue(rel, "enum", f"is not in the {column} vocabulary ({shown})", row=row, column=column, value=value)
    if name == "pattern" and field is not None:
        rule = "id pattern" if tbl.id_field == column else "pattern"
        return Issue(rel, rule, f"does not match the pattern {limit}", row=row, column=column, value=value)
    if name in _BOUNDS:
        return Issue(rel, name, f"is {_BOUNDS[name][1]} {limit}", row=row, column=column, value=value)
    if name in ("minLength", "maxLength"):
        unit = "items" if field is not None and field.type == "list" else "characters"
        return Issue(rel, name, f"is {'shorter' if name == 'minLength' else 'longer'} than {limit} {unit}", row=row, column=column, value=value)
    return Issue(rel, name, f"breaks the constraint {name} = {limit!r}", row=row, column=column, value=value)


def duplicate_issue(tbl: Table, row: int, column: str, value: str | None, earlier: int | None) -> Issue:
    """A value repeated in a unique column (for the id column: a duplicate id)."""
    first = f" of row {earlier}" if earlier else ""
    if column == tbl.id_field:
        return Issue(tbl.path, "duplicate id", f"repeats the id{first}", row=row, column=column, value=value)
    return Issue(tbl.path, "unique", f"repeats the value{first}; the column must be unique", row=row, column=column, value=value)


def primary_key_issue(tbl: Table, row: int, values: list[str], earlier: int | None) -> Issue:
    """A row that repeats the primary key of an earlier row, or leaves it empty."""
    if len(tbl.primary_key) == 1:
        if not any(values):
            return constraint_issue(tbl, row, tbl.primary_key[0], None, "required")
        return duplicate_issue(tbl, row, tbl.primary_key[0], values[0], earlier)
    columns = ", ".join(tbl.primary_key)
    if not any(values):
        return Issue(tbl.path, "primary key", f"leaves every column of the primary key ({columns}) empty", row=row, column=columns)
    first = f" of row {earlier}" if earlier else ""
    return Issue(tbl.path, "primary key", f"repeats the primary key ({columns}){first}", row=row, column=columns, value=",".join(values))


def foreign_key_issue(pkg: Package, tbl: Table, row: int, fields, values: list, target: str, ref_fields) -> Issue:
    """A value (or tuple of values) not found among the referenced rows."""
    other = pkg.tables.get(target) if target else tbl
    target_path = other.path if other else target
    ref = ", ".join(ref_fields)
    article = "an" if ref[0] in "aeiou" else "a"
    return Issue(tbl.path, "foreign key", f"is not {article} {ref} in {target_path}", row=row,
                 column=", ".join(fields), value=", ".join(str(v) for v in values))


def blank_row_issue(tbl: Table, row: int) -> Issue:
    return Issue(tbl.path, "blank row", "is completely blank; delete it or fill it in", row=row)


def count_issue(tbl: Table, what: str, expected, actual) -> Issue:
    """The file's hash or size differs from the descriptor's record."""
    return Issue(tbl.path, what, f'does not match the {what} recorded in {DESCRIPTOR}: expected is "{expected}" and actual is "{actual}" '
                                 "(after a deliberate change run `iran-palestine-data release refresh`)")


def unsupported(pkg: Package) -> Iterator[Issue]:
    """Types, formats and constraints the fast engine does not check (none in this dataset's schemas)."""
    for tbl in pkg.tables.values():
        for f in tbl.fields:
            if f.type not in SUPPORTED:
                yield Issue(tbl.schema_path, "descriptor", f"field {f.name} has type {f.type!r}, which the fast engine cannot check; use engine='reference'")
                continue
            fmt = f.descriptor.get("format", "default")
            if fmt not in FORMATS.get(f.type, {"default"}):
                yield Issue(tbl.schema_path, "descriptor", f"field {f.name} has format {fmt!r}, which the fast engine cannot check; use engine='reference'")
            for name in set(f.constraints) - SUPPORTED[f.type]:
                yield Issue(tbl.schema_path, "descriptor", f"field {f.name} has the constraint {name!r}, which the fast engine cannot check for a {f.type}; use engine='reference'")


# --- the checks ------------------------------------------------------------------------------------

def _typed(f: Field, col: pa.ChunkedArray) -> pa.ChunkedArray:
    """The cells as frictionless reads them: typed values, null where empty or not of the type."""
    if f.type in ("number", "integer", "date"):
        ok = pc.match_substring_regex(col, LEXICAL[f.type][0])
        kept = pc.if_else(ok, col, pa.scalar(None, pa.string()))
        if f.type == "date":
            return calendar_dates(kept)
        return pc.cast(kept, pa.float64())
    if f.descriptor.get("format") == "uri":
        encoded = single(col).dictionary_encode()
        good = pa.array([is_uri(v) for v in encoded.dictionary.to_pylist()], pa.bool_())
        return pc.if_else(pc.fill_null(pc.take(good, encoded.indices), False), col, pa.scalar(None, pa.string()))
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
    except pa.ArrowInvalid:  # a construct RE2 lacks (look-around, back-references): Python re on distinct values
        regex = re.compile(anchored)
        encoded = single(col).dictionary_encode()
        good = pa.array([regex.match(v) is not None for v in encoded.dictionary.to_pylist()], pa.bool_())
        return pc.take(good, encoded.indices)


def _cell_constraints(tbl: Table, f: Field, col: pa.ChunkedArray, typed: pa.ChunkedArray, skip: np.ndarray) -> Iterator[Issue]:
    present = pc.is_valid(typed)  # not empty, and of its type
    for name, limit in f.constraints.items():
        if name == "required":
            if limit:
                bad = pc.is_null(col)
            else:
                continue
        elif name == "enum":
            bad = pc.invert(pc.is_in(typed, value_set=_literal(f, limit)))
        elif name == "pattern":
            bad = pc.invert(_full_match(typed, limit))
        elif name in _BOUNDS:
            bad = _BOUNDS[name][0](typed, _literal(f, [limit])[0])
        elif name in ("minLength", "maxLength"):
            size = pc.list_value_length(pc.split_pattern(typed, f.delimiter or ",")) if f.type == "list" else pc.utf8_length(typed)
            bad = pc.less(size, limit) if name == "minLength" else pc.greater(size, limit)
        else:
            continue  # unique is a table check; anything unsupported is reported by unsupported()
        if name != "required":
            bad = pc.and_(present, bad)
        for i in indices(bad).tolist():
            if not skip[i]:
                yield constraint_issue(tbl, i + 2, f.name, col[i].as_py(), name)


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
                yield duplicate_issue(tbl, int(r) + 2, f.name, raw.column(f.name)[int(r)].as_py(), int(e) + 2)
    if not tbl.primary_key:
        return
    key_cols = [typed[n] for n in tbl.primary_key]
    empty = np.ones(raw.num_rows, dtype=bool)
    for arr in key_cols:
        empty &= flags(pc.is_null(arr))
    shown = lambda i: [raw.column(n)[i].as_py() or "" for n in tbl.primary_key]  # noqa: E731
    for i in np.flatnonzero(empty).tolist():
        yield primary_key_issue(tbl, i + 2, ["" for _ in tbl.primary_key], None)
    for r, e in zip(*_duplicates(key_cols, np.flatnonzero(~empty))):
        yield primary_key_issue(tbl, int(r) + 2, shown(int(r)), int(e) + 2)


def _join(arrays: list) -> pa.Array | pa.ChunkedArray:
    """Several columns as one string per row (for composite foreign keys)."""
    if len(arrays) == 1:
        return arrays[0]
    parts = [pc.fill_null(pc.cast(a, pa.string()), "\x00") for a in arrays]
    return pc.binary_join_element_wise(*parts, "\x1f")


def _foreign_keys(pkg: Package, tbl: Table, raw: pa.Table, typed: dict[str, dict[str, pa.ChunkedArray]],
                  lookups: dict) -> Iterator[Issue]:
    for fk in tbl.foreign_keys:
        target = fk.resource or tbl.name
        if target not in typed:
            continue  # the referenced table could not be read: its own issues say why
        key = (target, fk.reference_fields)
        if key not in lookups:  # the referenced values, once per referenced key
            refs = [typed[target][n] for n in fk.reference_fields]
            some = pc.is_valid(refs[0])
            for arr in refs[1:]:
                some = pc.or_(some, pc.is_valid(arr))
            lookups[key] = pc.unique(single(_join([pc.filter(arr, some) for arr in refs])))
        cols = [typed[tbl.name][n] for n in fk.fields]
        some = pc.is_valid(cols[0])
        for arr in cols[1:]:
            some = pc.or_(some, pc.is_valid(arr))
        missing = pc.and_(some, pc.invert(in_set(_join(cols), lookups[key])))
        for i in indices(missing).tolist():
            values = [raw.column(n)[i].as_py() if typed[tbl.name][n][i].is_valid else None for n in fk.fields]
            yield foreign_key_issue(pkg, tbl, i + 2, fk.fields, values, fk.resource, fk.reference_fields)


def check(pkg: Package, raw: Raw) -> Iterator[Issue]:
    """Every schema promise, for the tables in ``raw`` (tables that could not be read are absent)."""
    typed: dict[str, dict[str, pa.Array]] = {}
    for name, table in raw.items():
        tbl = pkg.table(name)
        columns = {f.name: table.column(f.name) for f in tbl.fields}
        typed[name] = {f.name: _typed(f, columns[f.name]) for f in tbl.fields}
        blank = np.ones(table.num_rows, dtype=bool)
        for col in columns.values():
            blank &= flags(pc.is_null(col))
        for i in np.flatnonzero(blank).tolist():
            yield blank_row_issue(tbl, i + 2)
        for f in tbl.fields:
            yield from _cell_constraints(tbl, f, columns[f.name], typed[name][f.name], blank)
    lookups: dict = {}
    for name, table in raw.items():
        tbl = pkg.table(name)
        yield from _keys(tbl, table, typed[name])
        yield from _foreign_keys(pkg, tbl, table, typed, lookups)

"""All-string columns -> their schema types: numbers, dates, lists, and vocabularies as dictionary
arrays. Every cell that does not convert is collected, with its file, row, column and value.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pyarrow.compute as pc

from .. import rulebook as rule
from ..contract.cells import LEXICAL
from ..contract.schema import Field, Table
from ..errors import MAX_ISSUES, DataError, Issue, file_row
from ..kernels.columns import indices
from .strings import read_strings, resolve


def calendar_dates(col: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A string column as ``date32``: null where empty, not of the form YYYY-MM-DD, or not a real day
    (years 0001 to 9999, the range of Python's ``datetime.date``).

    A cast does it when every cell is such a date. Otherwise each cell is parsed with ``strptime``, which
    rolls impossible days over (2002-02-30 becomes 2002-03-02); such a day lands in another month,
    so a parsed month that differs from the written one marks it.
    """
    try:  # arrow's cast reads exactly YYYY-MM-DD and refuses impossible days: the fast path
        days = pc.cast(col, pa.date32())
        first_year = pc.min(pc.year(days)).as_py()
        if first_year is None or first_year >= 1:
            return days
    except pa.ArrowInvalid:
        pass  # some cell is not a date: find which, cell by cell
    col = pc.if_else(pc.match_substring_regex(col, LEXICAL["date"][0]), col, pa.scalar(None, pa.string()))
    stamps = pc.strptime(col, format="%Y-%m-%d", unit="s", error_is_null=True)
    written = pc.cast(pc.utf8_slice_codeunits(col, 5, 7), pa.int64())
    real = pc.fill_null(
        pc.and_(pc.equal(pc.month(stamps), written), pc.greater_equal(pc.year(stamps), 1)), False
    )
    return pc.cast(pc.if_else(real, stamps, pa.scalar(None, stamps.type)), pa.date32())


def _bad_cells(
    tbl: Table, column: str, values: pa.ChunkedArray, bad: pa.ChunkedArray, rule_id: str, message: str
) -> list[Issue]:
    """The first cells (at most MAX_ISSUES) where ``bad`` is true, as issues of ``rule_id``."""
    return [
        Issue(tbl.path, rule_id, message, row=file_row(i), column=column, value=values[i].as_py())
        for i in indices(bad)[:MAX_ISSUES].tolist()
    ]


def _convert(tbl: Table, raw: pa.Table) -> pa.Table:
    """Cast the string columns of ``raw`` to their schema types, collecting every unconvertible cell.

    Columns are cast in parallel threads (pyarrow compute releases the GIL); issues keep column order.
    """
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = list(pool.map(lambda field: _cast_column(tbl, field, raw.column(field.name)), tbl.fields))
    issues = [issue for _, found in done for issue in found]
    if issues:
        raise DataError(issues)
    return pa.table([column for column, _ in done], names=tbl.field_names)


def _cast_column(tbl: Table, field: Field, col: pa.ChunkedArray) -> tuple[pa.ChunkedArray, list[Issue]]:
    """One string column cast to its schema type, and the issues of the cells that do not convert."""
    issues: list[Issue] = []
    if field.type == "date":  # the cast behind calendar_dates is strict: check the form only on failure
        parsed = calendar_dates(col)
        bad = pc.and_(pc.is_valid(col), pc.is_null(parsed))
        if pc.any(bad).as_py():
            form = pc.match_substring_regex(col, LEXICAL["date"][0])
            issues += _bad_cells(
                tbl, field.name, col, pc.and_(bad, pc.invert(form)), rule.TYPE, f"is not {LEXICAL['date'][1]}"
            )
            issues += _bad_cells(
                tbl, field.name, col, pc.and_(bad, form), rule.TYPE, "is not a real calendar date"
            )
        return parsed, issues
    if field.type in LEXICAL:
        target = pa.int64() if field.type == "integer" else pa.float64()
        try:  # the cast reads every form the strict pattern allows; it also takes inf and nan, which it does not
            cast = pc.cast(col, target)
            if field.type == "integer" or pc.all(pc.is_finite(cast)).as_py() is not False:
                return cast, issues
        except pa.ArrowInvalid:
            pass
        regex, kind = LEXICAL[field.type]
        bad = pc.and_(pc.is_valid(col), pc.invert(pc.match_substring_regex(col, regex)))
        if pc.any(bad).as_py():
            return pa.nulls(len(col)), _bad_cells(tbl, field.name, col, bad, rule.TYPE, f"is not {kind}")
        return pc.cast(col, target), issues
    if field.type == "list":
        return pc.split_pattern(col, field.delimiter or ","), issues
    if field.enum:  # a dictionary column: pandas reads it as a categorical of the vocabulary
        vocabulary = pa.array(field.enum, pa.string())
        codes = pc.index_in(col, value_set=vocabulary)
        bad = pc.and_(pc.is_valid(col), pc.is_null(codes))
        if pc.any(bad).as_py():
            issues += _bad_cells(
                tbl, field.name, col, bad, rule.ENUM, f"is not in the {field.name} vocabulary"
            )
        col = pa.chunked_array(
            [pa.DictionaryArray.from_arrays(c, vocabulary) for c in codes.chunks],
            pa.dictionary(pa.int32(), pa.string()),
        )
    return col, issues


def read_typed(table: str | Table, *, root=None) -> pa.Table:
    """Read a table with its schema types: numbers, dates, lists, and vocabularies as dictionary arrays.

    Raises :class:`~iran_palestine_data.errors.DataError` listing every cell that does not convert.
    """
    _, tbl = resolve(table, root)
    return _convert(tbl, read_strings(tbl, root=root))

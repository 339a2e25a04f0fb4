"""Columns ``load()`` adds to a dated table, worked out from its EDTF date: ``year_start``, ``year_end``,
``year`` (a best guess, or none) and ``bounded_by_publication``.

A date is kept as the source gives it (``date``, EDTF) with its earliest and latest possible days
(``date_start``, ``date_end``; empty at an open end). These columns make the common questions one
line each, without hiding the uncertainty:

* ``year_start`` / ``year_end`` — the years of ``date_start`` / ``date_end`` (nullable ``Int64``);
  missing at an open end and for an undated row.
* ``year`` — the best guess of a single year, **only when the bounds allow no real doubt**: both are
  known and at most 365 days apart (a day, a month, a year, ``2000?``, or a span such as
  ``2017-12/2018-09``), and ``year`` is then the year of the middle day between them. A wider or
  open-ended date (``198X``, ``2016/2019``, ``../2015-07``, ``2005/..``) and an undated row have none:
  use ``year_start``/``year_end`` or :func:`iran_palestine_data.between` for those.
* ``bounded_by_publication`` — the date is ``../P`` where ``P`` is the publication date of the row's
  source (``sources.published``, or the first date of it when that is an interval): the source gives
  no date of its own, only that the thing was already so when it wrote. Such a date says little
  about *when*; a reader counting by period may want to leave these rows aside.

These columns follow from the data (the validator checks ``date_start`` and ``date_end`` against
``date``): they are never written to the CSVs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

# the dated tables have these companions of an EDTF date column
DATE, START, END = "date", "date_start", "date_end"
MAX_GUESS_DAYS = 365  # bounds at most this many days apart give a best-guess year

DERIVED = {
    "year_start": (
        "integer",
        "Derived by load(): the year of date_start, the earliest possible day; empty when the date is open "
        "at its start or the row is undated.",
    ),
    "year_end": (
        "integer",
        "Derived by load(): the year of date_end, the latest possible day; empty when the date is open at "
        "its end or the row is undated.",
    ),
    "year": (
        "integer",
        "Derived by load(): a best-guess single year, given only when date_start and date_end are both "
        f"known and at most {MAX_GUESS_DAYS} days apart (the year of the middle day between them); empty for "
        "a wider, open-ended or missing date.",
    ),
    "bounded_by_publication": (
        "boolean",
        "Derived by load(): true when the date is '../P' with P the publication date of the row's source "
        "(or the first date of it, when that is an interval): the source gives no date of its own, only "
        "that it was so when it wrote.",
    ),
}


def has_dates(columns) -> bool:
    """Whether a table has the EDTF date and its bounds that the derived columns are made from."""
    return all(c in columns for c in (DATE, START, END))


def year_columns(typed: pa.Table) -> dict[str, pa.Array | pa.ChunkedArray]:
    """``year_start``, ``year_end`` and ``year`` of a typed table with ``date_start`` and ``date_end``
    (``date32`` columns), computed column-wise in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    start, end = typed.column(START), typed.column(END)
    first, last = pc.cast(start, pa.int32()), pc.cast(end, pa.int32())  # days since 1970-01-01
    span = pc.subtract(last, first)
    middle = pc.cast(pc.cast(pc.add(first, pc.divide(span, 2)), pa.int32()), pa.date32())  # floor
    # null when either bound is; a span that ends before it starts (data the validator refuses) has none
    sure = pc.and_(pc.greater_equal(span, 0), pc.less_equal(span, MAX_GUESS_DAYS))
    return {
        "year_start": pc.year(start),
        "year_end": pc.year(end),
        "year": pc.if_else(sure, pc.year(middle), pa.scalar(None, pa.int64())),
    }


def publication_ends(sources: pd.DataFrame) -> dict[str, str]:
    """Each source's publication date as the closed end of ``../P``: ``published``, or its first date
    when it is an interval (``2017-12/2018-09`` → ``2017-12``; ``2024-06-03/..`` → ``2024-06-03``)."""
    out = {}
    for sid, published in zip(sources["source_id"], sources["published"]):
        if isinstance(published, str) and published:
            first = published.split("/", 1)[0]
            if first not in ("", ".."):
                out[str(sid)] = first
    return out


def bounded_by_publication(typed: pa.Table, ends: dict[str, str]) -> pa.Array | pa.ChunkedArray:
    """True where a row's date is ``../P`` with ``P`` its source's publication date (see the module),
    column-wise: each row's source mapped to its "../P", compared with the date (missing: False)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    sources = pa.array(list(ends), pa.string())
    wanted = pc.take(
        pa.array([f"../{p}" for p in ends.values()], pa.string()),
        pc.index_in(typed.column("source_id"), value_set=sources),
    )
    return pc.fill_null(pc.equal(typed.column(DATE), wanted), False)


def add_derived(typed: pa.Table, sources: pd.DataFrame | None) -> pa.Table:
    """``typed`` (a table read with its schema types) with the derived columns appended after the
    schema's, when it has the dates to make them from; ``bounded_by_publication`` only when
    ``sources`` is given."""
    if not has_dates(typed.column_names):
        return typed
    for name, column in year_columns(typed).items():
        typed = typed.append_column(name, column)
    if sources is not None and "source_id" in typed.column_names:
        flag = bounded_by_publication(typed, publication_ends(sources))
        typed = typed.append_column("bounded_by_publication", flag)
    return typed

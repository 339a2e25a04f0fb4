"""Ids and history: single-column ids unique across the whole dataset, a retired id never back, a
replacement that exists."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.schema import Table
from ...errors import Issue, file_row
from ...kernels.columns import flags, in_set, repeats, rows
from .context import Context, issue_at


def _id_tables(ctx: Context) -> list[tuple[Table, pa.Array]]:
    """Tables with a single-column id (retired ids aside), with their id column."""
    return [
        (tbl, ctx.array(tbl.name, tbl.id_field))
        for tbl in ctx.tables()
        if tbl.id_field and not tbl.field(tbl.id_field).ext("retiredId")
    ]


def _all_ids_read(ctx: Context) -> bool:
    """Whether every table with a single-column id (retired ids aside) was read."""
    return all(
        tbl.name in ctx.raw
        for tbl in ctx.pkg.tables.values()
        if tbl.id_field and not tbl.field(tbl.id_field).ext("retiredId")
    )


def _first_row(ids: pa.Array, value: str) -> int:
    return pc.index(ids, value).as_py()


def unique_ids(ctx: Context) -> Iterator[Issue]:
    """Single-column primary keys are unique across the whole dataset, not only within a table."""
    tables = _id_tables(ctx)
    if len(tables) < 2:
        return
    # every id, tagged with its table: a repeat from another table is an id of two tables
    every = pa.concat_arrays([ids.cast(pa.string()) for _, ids in tables])
    table_of = np.repeat(np.arange(len(tables)), [len(ids) for _, ids in tables])
    later, earlier = repeats([every])
    across = (table_of[later] != table_of[earlier]) & flags(pc.is_valid(every))[later]
    if not across.any():
        return
    shared = pc.unique(every.take(pa.array(later[across])))
    seen: dict[str, tuple[Table, int]] = {}
    for tbl, ids in tables:
        for i in rows(pc.is_in(ids, value_set=shared)):
            v = ids[i].as_py()
            if v in seen and seen[v][0].name != tbl.name:
                other, j = seen[v]
                yield issue_at(
                    tbl,
                    i,
                    tbl.id_field,
                    v,
                    rule.DUPLICATE_ID,
                    f"is also an id in {other.path} (row {file_row(j)}); ids must be unique across the dataset",
                )
            seen.setdefault(v, (tbl, i))


def retired_ids(ctx: Context) -> Iterator[Issue]:
    """x-retiredId: a withdrawn id never comes back; x-existingId: a replacement exists."""
    tables = None
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not (f.ext("retiredId") or f.ext("existingId")):
                continue
            tables = tables if tables is not None else _id_tables(ctx)
            every = (
                pa.concat_arrays([ids.cast(pa.string()) for _, ids in tables])
                if tables
                else pa.array([], pa.string())
            )
            col = ctx.array(tbl.name, f.name)
            known = in_set(col, every)
            version = (
                ctx.column(tbl.name, "retired_in")
                if "retired_in" in tbl.field_names
                else [None] * ctx.raw[tbl.name].num_rows
            )
            if f.ext("retiredId"):
                for i in rows(known):
                    v = col[i].as_py()
                    other, j = next((t, _first_row(ids, v)) for t, ids in tables if _first_row(ids, v) >= 0)
                    yield issue_at(
                        tbl,
                        i,
                        f.name,
                        v,
                        rule.RETIRED_ID_REUSED,
                        f"was retired in {version[i]} and may not be used again, "
                        f"but is an id in {other.path} (row {file_row(j)})",
                    )
            # a replacement is looked for among every table's ids: not when one of them could not be
            # read (that table's problem is reported; its ids are unknown, not missing)
            if f.ext("existingId") and _all_ids_read(ctx):
                for i in rows(pc.and_(pc.is_valid(col), pc.invert(known))):
                    yield issue_at(
                        tbl, i, f.name, col[i].as_py(), rule.REPLACEMENT, "is not the id of any current row"
                    )


def published_ids(ctx: Context) -> Iterator[Issue]:
    """An id of a published release (the contract's ``releases/*.json``) is still an id of its table,
    or it is listed in the retired table; an entry of the retired table is never removed."""
    retired_tbl = next(
        (t for t in ctx.pkg.tables.values() if t.id_field and t.field(t.id_field).ext("retiredId")), None
    )
    if retired_tbl is None or retired_tbl.name not in ctx.raw:
        return
    retired = ctx.array(retired_tbl.name, retired_tbl.id_field or "")
    for tbl in ctx.tables():
        if tbl.id_field is None or tbl.name not in ctx.published:
            continue
        # the published keys are looked up among the current ids column-wise (a million ids, say,
        # never become Python strings)
        published = sorted(ctx.published[tbl.name].items())
        keys = pa.array([key for key, _ in published], pa.string())
        allowed = in_set(keys, ctx.array(tbl.name, tbl.id_field))
        if tbl is not retired_tbl:
            allowed = pc.or_(allowed, in_set(keys, retired))
        for k in rows(pc.invert(allowed)):
            key, version = published[k]
            yield Issue(
                tbl.path,
                rule.PUBLISHED_ID_MISSING,
                f"was published in {version} but is gone, and {retired_tbl.path} does not list it "
                "(a published id is never dropped silently: retire it there, with the reason)",
                column=tbl.id_field,
                value=key,
            )

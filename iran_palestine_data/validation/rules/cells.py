"""Cells and vocabularies: no formula cells or line breaks, the strict lexical form of each type,
list items in their vocabulary."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.cells import LEXICAL, type_words, uri_flags
from ...errors import Issue
from ...kernels.columns import starts_with_any
from ...read.casts import calendar_dates
from .context import Context, flag_cells, issue_at

FORMULA_START = "=+-@\t\r"


def cells(ctx: Context) -> Iterator[Issue]:
    """No cell starts like a spreadsheet formula; no cell holds a line break."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            col = ctx.chunked(tbl.name, f.name)
            for i in np.flatnonzero(starts_with_any(col, FORMULA_START)).tolist():
                v = col[i].as_py()
                yield issue_at(
                    tbl,
                    i,
                    f.name,
                    v,
                    rule.FORMULA_INJECTION,
                    f"begins with {v[0]!r}, which a spreadsheet would run as a formula",
                )
            if tbl.name in ctx.one_line:
                continue
            breaks = pc.match_substring_regex(col, "[\r\n]")
            message = (
                "contains a line break; cells must fit on one line (an unbalanced quote also causes this)"
            )
            yield from flag_cells(tbl, f.name, col, breaks, rule.LINE_BREAK, message)


def types(ctx: Context) -> Iterator[Issue]:
    """Numbers, integers and dates have the strict lexical form the loaders read (frictionless is
    laxer); a string with ``"format": "uri"`` is an RFC 3986 URI with a scheme."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            if f.descriptor.get("format") == "uri":
                col = ctx.array(tbl.name, f.name)
                yield from flag_cells(
                    tbl, f.name, col, pc.invert(uri_flags(col)), rule.TYPE, f"is not {type_words(f)}"
                )
            if f.type not in LEXICAL:
                continue
            regex, kind = LEXICAL[f.type]
            col = ctx.chunked(tbl.name, f.name)
            ok = pc.match_substring_regex(col, regex)
            if f.type == "date":
                real = pc.is_valid(calendar_dates(col))
                ok = pc.and_(ok, real)
            yield from flag_cells(
                tbl, f.name, col, pc.and_(pc.is_valid(col), pc.invert(ok)), rule.TYPE, f"is not {kind}"
            )


def list_items(ctx: Context) -> Iterator[Issue]:
    """x-itemEnum: every item of a list cell is in the vocabulary; no empty items."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            if f.type != "list":
                continue
            col = ctx.array(tbl.name, f.name)
            delim = f.delimiter or ","
            split = pc.split_pattern(col, delim)
            items = pc.list_flatten(split)
            parents = pc.list_parent_indices(split)
            odd = pc.or_(pc.equal(items, ""), pc.not_equal(items, pc.utf8_trim_whitespace(items)))
            if f.item_enum:
                odd = pc.or_(odd, pc.invert(pc.is_in(items, value_set=pa.array(f.item_enum))))
            vocab = set(f.item_enum or ())
            for i in sorted(set(pc.filter(parents, odd).to_pylist())):
                cell = col[i].as_py()
                parts = cell.split(delim)
                if "" in parts or any(p != p.strip() for p in parts):
                    yield issue_at(
                        tbl,
                        i,
                        f.name,
                        cell,
                        rule.LIST_FORMAT,
                        f"has an empty or space-padded item; separate items with a bare {delim!r}",
                    )
                elif vocab:
                    for it in parts:
                        if it not in vocab:
                            yield issue_at(
                                tbl,
                                i,
                                f.name,
                                cell,
                                rule.LIST_VOCABULARY,
                                f"has the item {it!r}, which is not in the {f.name} vocabulary ({', '.join(f.item_enum or ())})",
                            )

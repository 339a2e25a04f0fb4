"""Amounts: low <= high, a currency exactly when there is an amount, and every amount written as a
figure in the quote ("$50 million" = 50000000)."""

from __future__ import annotations

import re
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.cells import LEXICAL
from ...contract.schema import Table
from ...errors import Issue
from ...kernels.columns import flags, indices, rows
from .context import Context, flag_cells, issue_at

_FIGURE = re.compile(
    r"(?<![\w.])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?)(?:\s*(million|billion|thousand|bn)\b)?", re.I
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9}


def _numbers(col: pa.Array) -> pa.Array:
    """Floats where a cell is a well-formed number, null elsewhere (malformed cells are the type rule's)."""
    ok = pc.match_substring_regex(col, LEXICAL["number"][0])
    return pc.cast(pc.if_else(ok, col, pa.scalar(None, pa.string())), pa.float64())


def amounts(ctx: Context) -> Iterator[Issue]:
    """x-lessOrEqual, x-presentIffAny and x-figureIn on number columns."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not (f.ext("lessOrEqual") or f.ext("presentIffAny") or f.ext("figureIn")):
                continue
            col = ctx.array(tbl.name, f.name)
            if (other := f.ext("lessOrEqual")) and other in tbl.field_names:
                b_col = ctx.array(tbl.name, other)
                for i in rows(pc.greater(_numbers(col), _numbers(b_col))):
                    message = f"is greater than {other} ({b_col[i].as_py()})"
                    yield issue_at(tbl, i, f.name, col[i].as_py(), rule.AMOUNT_ORDER, message)
            if deps := f.ext("presentIffAny"):
                present = [pc.is_valid(ctx.array(tbl.name, d)) for d in deps if d in tbl.field_names]
                if present:
                    has_amount = present[0]
                    for p in present[1:]:
                        has_amount = pc.or_(has_amount, p)
                    missing = pc.and_(has_amount, pc.is_null(col))
                    given = pc.and_(pc.invert(has_amount), pc.is_valid(col))
                    yield from flag_cells(
                        tbl,
                        f.name,
                        None,
                        missing,
                        rule.CURRENCY,
                        f"is empty, but an amount is given in {' or '.join(deps)}",
                    )
                    yield from flag_cells(
                        tbl,
                        f.name,
                        col,
                        given,
                        rule.CURRENCY,
                        f"is given, but {' and '.join(deps)} are empty",
                    )
            if (text_col := f.ext("figureIn")) and text_col in tbl.field_names:
                yield from _figures_in(tbl, f.name, col, ctx.chunked(tbl.name, text_col), text_col)


def _figures_in(
    tbl: Table, name: str, col: pa.Array, texts: pa.ChunkedArray, text_col: str
) -> Iterator[Issue]:
    """x-figureIn: each amount is a figure of its text. A fast regex per distinct amount clears the
    rows whose text plainly writes it; :func:`figures` decides the rest exactly."""
    values = _numbers(col)
    todo = indices(pc.and_(pc.is_valid(values), pc.is_valid(texts)))
    amounts_ = values.take(pa.array(todo)).to_numpy(zero_copy_only=False)
    order = np.argsort(amounts_, kind="stable")
    todo, amounts_ = todo[order], amounts_[order]
    distinct, first, count = np.unique(amounts_, return_index=True, return_counts=True)
    cleared = np.zeros(len(todo), dtype=bool)
    sorted_texts = texts.take(pa.array(todo))
    for n, a, k in sorted(zip(distinct.tolist(), first.tolist(), count.tolist()), key=lambda t: -t[2])[
        :_PLAIN_AMOUNTS
    ]:
        if (pattern := _plainly(n)) is not None:
            cleared[a : a + k] = flags(pc.match_substring_regex(sorted_texts.slice(a, k), pattern))
    cache: dict[str, set[float]] = {}
    for i, n in zip(todo[~cleared].tolist(), amounts_[~cleared].tolist()):
        text = texts[i].as_py()
        found = cache.get(text)
        if found is None:
            found = cache[text] = figures(text)
        if not any(abs(n - x) <= 1e-9 * max(1.0, x) for x in found):
            shown = ", ".join(f"{x:,.0f}" for x in sorted(found)) or "none"
            yield issue_at(
                tbl,
                i,
                name,
                col[i].as_py(),
                rule.AMOUNT_IN_QUOTE,
                f"matches no figure in the {text_col} (figures found: {shown})",
            )


_PLAIN_AMOUNTS = 1000  # distinct amounts given a fast regex each (the rest go straight to figures())


def _plainly(n: float) -> str | None:
    """An RE2 pattern that matches only texts in which :func:`figures` surely finds ``n``: the amount
    written plainly ("$5 million", "1.5 billion", "22,000;"), between characters that cannot extend it.
    A text it misses is not wrong, only left to the exact check."""
    forms = []
    for words, scale in (("", 1.0), ("thousand", 1e3), ("million", 1e6), ("billion|bn", 1e9)):
        v = n / scale
        written = {f"{v:,.0f}", f"{v:.0f}"} if v == int(v) and abs(v) < 1e15 else {repr(v)}
        for text in written:
            if (
                "e" in text
                or "-" in text
                or abs(n - float(text.replace(",", "")) * scale) > 1e-9 * max(1.0, n)
            ):
                continue
            after = r"(?:$|[;:)\]!?%]|\.(?:$|\s))" if not words else f" ?(?i:{words})(?:$|[ .,;:)\\]!?%])"
            forms.append(re.escape(text) + after)
    return r"(?:^|[ $(£€\[])(?:" + "|".join(forms) + ")" if forms else None


def figures(text: str) -> set[float]:
    """Numbers written in a text, scaled by a following 'million'/'billion'/'thousand'."""
    out = set()
    for m in _FIGURE.finditer(text):
        value = float(m.group(1).replace(",", ""))
        out.add(value * _SCALE.get((m.group(2) or "").lower(), 1.0))
    return out

"""Amounts: low <= high, a currency exactly when there is an amount, and every amount written in the
quote as money: a figure tied to a currency ("$50 million" = 50000000, "USD 5m", "50 million rials").
A year ("in 2006") or another quantity ("50 tons", "3,000 fighters", "10 rockets") is no evidence for an
amount, however plainly the quote writes the number."""

from __future__ import annotations

import math
import re
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.cells import LEXICAL
from ...contract.iso_codes import ISO4217
from ...contract.schema import Table
from ...errors import Issue
from ...kernels.columns import flags, indices, rows
from .context import Context, flag_cells, issue_at

# --- money in a text ------------------------------------------------------------------------------

SYMBOLS = "$€£¥₪﷼₹₽₺"
# ISO 4217 codes that are ordinary words in capitals ("ALL 50 ...", "TOP 10", "COP 26") or not money
# (metals, test and fund units); NIS and IRT (the toman) are not ISO codes but common in the sources
_NOT_MONEY = frozenset(
    "ALL BAM BOB BOV CHE CHW COP COU CUP GEL MAD MOP MXV PEN SOS TOP USN UYI UYW "
    "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split()
)
CODES = tuple(sorted((set(ISO4217) - _NOT_MONEY) | {"NIS", "IRT"}))
_CODES = frozenset(CODES)
WORDS = (
    "dollars?|rials?|riyals?|tomans?|euros?|pounds?(?!\\s{0,2}of\\b)|sterling|shekels?|sheqels?|dinars?"
    "|dirhams?|liras?|lire|yuan|renminbi|yen|roubles?|rubles?|francs?|rupees?"
)
# a nationality between a figure and its currency word: "50 million US dollars", "new Israeli shekels"
_ADJECTIVE = (
    r"(?:US|U\.S\.|American|Iranian|Israeli|new|Saudi|Qatari|Jordanian|Egyptian|Lebanese|Syrian|Iraqi"
    r"|Kuwaiti|Emirati|Turkish|Canadian|Australian|Hong\sKong)"
)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6}
_SCALE.update({"billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12})

# one figure: a currency before it, the number, a percent sign (then it is no money), a scale, a currency
# after it. A currency code is any three capitals here, looked up in CODES afterwards (an alternation of
# some 150 codes tried at every character would cost three times as much). Every repeat is bounded, so a hostile
# quote costs linear time.
_FIGURE = re.compile(
    rf"(?=[0-9A-Z{SYMBOLS}])(?:(?P<pre>[{SYMBOLS}]|(?<![A-Za-z])(?P<pre_code>[A-Z]{{3}})(?![A-Za-z]))"
    r"(?P<space>\s{0,2})|(?<![\w.,]))"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?(?![0-9]))"
    r"(?P<pct>\s?(?i:%|per\s?cent\b))?"
    r"(?:(?:\s{0,2}|-)(?P<scale>(?i:(?:thousand|million|billion|trillion)s?))\b"
    r"|\s{0,2}(?P<abbr>(?i:bn|mln|mn|tn|m|k))\b)?"
    rf"(?:(?:\s{{0,2}}|-)(?P<word>(?i:(?:{_ADJECTIVE}\s{{1,2}}){{0,2}}(?:{WORDS})\b))"
    rf"|\s{{0,2}}(?P<post>[{SYMBOLS}]|(?P<post_code>[A-Z]{{3}})(?![A-Za-z]))(?!\s{{0,2}}[0-9]))?"
)
# what may stand between the two ends of a range: "$10-20 million", "5 to 10 million dollars"
_RANGE = re.compile(r"\s{0,2}(?P<sep>-|\u2013|\u2014|to|and|or)\s{0,2}", re.I)
_BETWEEN = re.compile(r"\bbetween\s{1,2}\Z", re.I)
_YEAR = re.compile(r"[12][0-9]{3}")
_CONSTANT = re.compile(r"\b(?:in|constant|real|nominal|current)\s{1,2}\Z", re.I)  # "in 2006 dollars"


def _read(text: str) -> tuple[set[float], dict[float, str]]:
    """The money figures of a text, and its other figures (years, counts, quantities), each with how the
    text writes it."""
    # each figure: [start, end, number, scale, currency before, currency after, tied to a currency, text]
    found: list[list] = []
    for m in _FIGURE.finditer(text):
        if m["pct"]:
            continue
        pre, post = m["pre"] is not None, (m["word"] or m["post"]) is not None
        if m["pre_code"] is not None and m["pre_code"] not in _CODES:
            if not m["space"]:
                continue  # "ABC5": no figure, as a number glued to a word never is
            pre = False
        if m["post_code"] is not None and m["post_code"] not in _CODES:
            post = False
        num = m["num"]
        if not math.isfinite(value := float(num.replace(",", ""))):
            continue  # hundreds of digits: no amount of anything
        written_scale = m["scale"] or m["abbr"]
        scale = _SCALE[written_scale.lower().rstrip("s")] if written_scale else None
        if (
            post
            and not pre
            and scale is None
            and _YEAR.fullmatch(num)
            and _CONSTANT.search(text, max(0, m.start() - 20), m.start())
        ):
            post = False  # "in 2006 dollars": a year's dollars, not an amount
        found.append([m.start(), m.end(), value, scale, pre, post, pre or post, m[0]])
    for a, b in zip(found, found[1:]):
        gap = _RANGE.fullmatch(text, a[1], b[0])
        if gap is None:
            continue
        if gap["sep"].lower() not in ("and", "or") or _BETWEEN.search(text, max(0, a[0] - 12), a[0]):
            if a[4] and (a[3] is None or b[3] is not None):  # not "$5 million to 20 groups"
                b[6] = True  # a currency before a range ties both ends: "$10-20 million"
            shares = a[3] is None and not a[5] and b[3] is not None and a[2] <= b[2]
            if b[5] and not a[6] and (shares or b[3] is None):
                a[6] = True  # a currency after it too: "5 to 10 million dollars", not "2005 to 10 million"
        if a[6] and b[6] and a[3] is None and not a[5] and b[3] is not None and a[2] <= b[2]:
            a[3] = b[3]  # the low end takes the scale of the high end: "between $5 and $10 million"
    values = [(f[2] * (f[3] or 1.0), f) for f in found]
    values = [(v, f) for v, f in values if math.isfinite(v)]  # "$9...9 trillion", hundreds of digits long
    return {v for v, f in values if f[6]}, {v: f[7].strip() for v, f in reversed(values) if not f[6]}


def money_figures(text: str) -> set[float]:
    """The amounts of money a text writes: figures tied to a currency by a symbol ($, €, £, ﷼ ...), an
    ISO code (USD, IRR ...) or a word (dollars, rials, tomans ...) next to them, scaled by a
    thousand/million/billion/trillion (k, m, mn, bn, tn) between ("$50 million", "USD 5m", "22,000
    dollars", "$1.5bn"). The ends of a range share their currency and scale ("$10-20 million", "between
    5 and 10 million rials"). Years, percentages and counts are not money."""
    return _read(text)[0]


def _same(n: float, found: set[float]) -> bool:
    return any(abs(n - x) <= 1e-9 * max(1.0, x) for x in found)


def _show(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.6f}".rstrip("0")


# --- the rule -------------------------------------------------------------------------------------


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
    """x-figureIn: each amount is a money figure of its text. A fast regex per distinct amount clears
    the rows whose text plainly writes it as money; :func:`money_figures` decides the rest exactly."""
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
    cache: dict[str, tuple[set[float], dict[float, str]]] = {}
    for i, n in zip(todo[~cleared].tolist(), amounts_[~cleared].tolist()):
        text = texts[i].as_py()
        found = cache.get(text)
        if found is None:
            found = cache[text] = _read(text)
        money, other = found
        if _same(n, money):
            continue
        shown = ", ".join(_show(x) for x in sorted(money)) or "none"
        written = next((w for x, w in other.items() if _same(n, {x})), None)
        bare = f": it writes '{' '.join(written.split())}', but not as money" if written is not None else ""
        yield issue_at(
            tbl,
            i,
            name,
            col[i].as_py(),
            rule.AMOUNT_IN_QUOTE,
            f"matches no money figure in the {text_col}{bare} (only a figure tied to a currency counts, as in "
            f"'$5 million', 'USD 5m', '5 million rials'; money figures found: {shown})",
        )


_PLAIN_AMOUNTS = 1000  # distinct amounts given a fast regex each (the rest go straight to _read())
_PLAIN_SCALES = (
    ("", 1.0),
    ("[ -]?(?i:thousands?)| ?(?i:k)", 1e3),
    ("[ -]?(?i:millions?)| ?(?i:mln|mn|m)", 1e6),
    ("[ -]?(?i:billions?)| ?(?i:bn)", 1e9),
)
_PLAIN_WORDS = "(?i:dollars?|rials?|tomans?|euros?|shekels?)"
_PLAIN_END = r"(?:$|[;:)\]!?]|\.(?:$|\s))"  # after a figure without a scale: nothing that could extend it
_PLAIN_WORD_END = r"(?:$|[ .,;:)\]!?'])"  # after a scale or a currency word


def _plainly(n: float) -> str | None:
    """An RE2 pattern that matches only texts in which :func:`money_figures` surely finds ``n``: the
    amount written plainly as money ("$5 million", "$22,000;", "1.5 billion rials"), a currency sign
    before it or a currency word after it, between characters that cannot extend it or make it the low
    end of a range. A text it misses is not wrong, only left to the exact check."""
    if not math.isfinite(n):  # "1e400": no text writes it; the exact check reports it
        return None
    forms = []
    for words, scale in _PLAIN_SCALES:
        v = n / scale
        written = {f"{v:,.0f}", f"{v:.0f}"} if v == int(v) and abs(v) < 1e15 else {repr(v)}
        for text in written:
            if (
                "e" in text
                or "-" in text
                or abs(n - float(text.replace(",", "")) * scale) > 1e-9 * max(1.0, n)
            ):
                continue
            figure = re.escape(text)
            if words:
                scaled = f"{figure}(?:{words})"
                forms.append(f"[{SYMBOLS}] ?{scaled}{_PLAIN_WORD_END}")
                forms.append(f"(?:^|[ (\\[]){scaled}[ -]{_PLAIN_WORDS}{_PLAIN_WORD_END}")
            else:
                forms.append(f"[{SYMBOLS}] ?{figure}{_PLAIN_END}")
                if not _YEAR.fullmatch(text):  # "in 2006 dollars" is no amount: left to the exact check
                    forms.append(f"(?:^|[ (\\[]){figure} ?{_PLAIN_WORDS}{_PLAIN_WORD_END}")
    return "(?:" + "|".join(forms) + ")" if forms else None

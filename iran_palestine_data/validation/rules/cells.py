"""Cells and vocabularies: no formula cells or line breaks, no control or invisible characters in our
own words, ids and codes, the strict lexical form of each type, list items in their vocabulary."""

from __future__ import annotations

import unicodedata
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.cells import LEXICAL, type_words, uri_flags
from ...contract.schema import Field, Table
from ...errors import Issue
from ...kernels.columns import flags, rows, single, starts_with_any
from ...read.casts import calendar_dates
from .context import Context, flag_cells, issue_at

# What a reader cannot see, or what reorders what they see: the control characters (Cc: C0, DEL, C1
# with NEL), format characters (Cf: zero-width space, joiners, bidi embeddings, overrides and isolates,
# the Arabic letter mark, the BOM, the soft hyphen, tags), the line and paragraph separators (Zl, Zp),
# and the other default-ignorable code points of Unicode (combining grapheme joiner, Hangul fillers,
# variation selectors ...). The named ranges repeat what the categories hold, so that the set does not
# shrink with the Unicode version of RE2's tables.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
INVISIBLE_RANGES = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),  # DEL and the C1 controls, NEL (U+0085) among them
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def _re2_ranges(ranges) -> str:
    return "".join(rf"\x{{{lo:04X}}}" + (rf"-\x{{{hi:04X}}}" if hi > lo else "") for lo, hi in ranges)


_INVISIBLE_BODY = r"\p{Cc}\p{Cf}\p{Zl}\p{Zp}" + _re2_ranges(INVISIBLE_RANGES)
INVISIBLE = f"[{_INVISIBLE_BODY}]"  # RE2: a cell holding any of them

FORMULA_START = "=+-@\t\r|"  # first bytes a spreadsheet reads as a formula (| starts a DDE payload)
# the other first bytes after which FORMULA_PREFIX must look: ASCII spaces and controls, and the lead
# byte of any non-ASCII character (starts_with_any reads bytes: a character below U+0100 stands for the
# byte of its number)
_MAYBE_FORMULA = "".join(map(chr, (*range(0x00, 0x21), 0x7F, *range(0xC2, 0xF5))))
# the characters whose compatibility form (NFKC) is = + - @ or |, which spreadsheets may read as the sign
FORMULA_LOOKALIKES = "\u207a\u207c\u208a\u208c\ufb29\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20\uff5c"
# RE2: a formula sign after any run of spaces (any Unicode space) and invisible characters, which a
# spreadsheet trims or does not show; or a look-alike sign at the start
FORMULA_PREFIX = (
    rf"^[\s\p{{Z}}{_INVISIBLE_BODY}]*[=+\-@|{_re2_ranges((ord(c), ord(c)) for c in FORMULA_LOOKALIKES)}]"
)

_CONTROL_NAMES = {
    0x00: "NULL",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE (NEL)",
}


def describe(ch: str) -> str:
    """A character as people look it up: ``U+200B ZERO WIDTH SPACE``."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    if not name:
        name = "<control>" if unicodedata.category(ch) == "Cc" else "<unnamed>"
    return f"U+{ord(ch):04X} {name}"


def describe_all(chars: str | list[str], most: int = 3) -> str:
    """The first ``most`` characters described, and how many more there are."""
    shown = ", ".join(describe(c) for c in chars[:most])
    return shown + (f" and {len(chars) - most} more" if len(chars) > most else "")


def is_invisible(ch: str) -> bool:
    """The Python side of :data:`INVISIBLE`, for the few cells Python looks at."""
    return unicodedata.category(ch) in INVISIBLE_CATEGORIES or any(
        lo <= ord(ch) <= hi for lo, hi in INVISIBLE_RANGES
    )


def _formula_message(prefix: str) -> str:
    sign = unicodedata.normalize("NFKC", prefix[-1])
    if sign == "|":
        return f"begins with {prefix!r}, which a spreadsheet may run as a DDE command"
    return f"begins with {prefix!r}, which a spreadsheet would run as a formula"


def matching_rows(
    col: pa.Array | pa.ChunkedArray, candidates: list[int], regex: str
) -> tuple[list[int], list]:
    """Of the ``candidates`` (record indices), those whose cell matches the RE2 ``regex``, and their
    values: the regex runs over the candidates only, which a cheaper test has picked from the column."""
    if not candidates:
        return [], []
    subset = single(pc.take(col, pa.array(candidates, pa.int64())))
    hit = flags(pc.match_substring_regex(subset, regex))
    return np.asarray(candidates)[hit].tolist(), pc.filter(subset, pa.array(hit)).to_pylist()


def cells(ctx: Context) -> Iterator[Issue]:
    """No cell starts like a spreadsheet formula (after spaces, or with a look-alike sign); no cell holds
    a line break."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            col = ctx.chunked(tbl.name, f.name)
            # one pass over the first bytes finds the few cells to look at; the rest cannot be formulas
            maybe = np.flatnonzero(starts_with_any(col, FORMULA_START + _MAYBE_FORMULA)).tolist()
            if maybe:
                subset = single(pc.take(col, pa.array(maybe, pa.int64())))
                sure = starts_with_any(subset, FORMULA_START)
                hit = sure | flags(pc.match_substring_regex(subset, FORMULA_PREFIX))
                prefixes = pc.extract_regex(subset, f"(?P<p>{FORMULA_PREFIX})").field("p")
                for k in np.flatnonzero(hit).tolist():
                    v = subset[k].as_py()
                    prefix = v[0] if sure[k] else prefixes[k].as_py()
                    yield issue_at(tbl, maybe[k], f.name, v, rule.FORMULA_INJECTION, _formula_message(prefix))
            if tbl.name in ctx.one_line:
                continue
            breaks = pc.match_substring_regex(col, "[\r\n]")
            message = (
                "contains a line break; cells must fit on one line (an unbalanced quote also causes this)"
            )
            yield from flag_cells(tbl, f.name, col, breaks, rule.LINE_BREAK, message)


def _plain_text(tbl: Table, f: Field) -> bool:
    """Our own words (``x-ourVoice``), and ids and codes: a pattern, a vocabulary, a key or an id
    reference. Quotes are left to the verbatim rule: they hold what their snapshot holds."""
    if f.ext("quote"):
        return False
    keys = set(tbl.primary_key).union(*(fk.fields for fk in tbl.foreign_keys))
    return bool(
        f.ext("ourVoice")
        or f.pattern
        or f.vocabulary
        or f.name in keys
        or any(f.ext(x) for x in ("retiredId", "existingId", "refersToAny"))
    )


def control_characters(ctx: Context) -> Iterator[Issue]:
    """Our own words, ids and codes hold no control character, line or paragraph separator, bidi
    control or zero-width (default-ignorable) character."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not _plain_text(tbl, f):
                continue
            col = ctx.chunked(tbl.name, f.name)
            # a byte outside printable ASCII (a control, or any non-ASCII character) marks the few
            # cells the regex then reads
            hits, values = matching_rows(col, rows(pc.invert(pc.ascii_is_printable(col))), INVISIBLE)
            for i, v in zip(hits, values):
                found = _invisibles(v)
                what = describe_all(found)
                message = (
                    f"holds {what}; control, separator, bidi and zero-width characters are invisible "
                    f"or reorder what a reader sees: delete {'it' if len(found) == 1 else 'them'}"
                )
                yield issue_at(tbl, i, f.name, v, rule.CONTROL_CHARACTER, message)


def _invisibles(text: str) -> list[str]:
    """The distinct characters of ``text`` that :data:`INVISIBLE` matches, in order (RE2 decides, as
    for the whole column, so that Python's Unicode tables cannot disagree)."""
    chars = list(dict.fromkeys(text))
    hit = pc.match_substring_regex(pa.array(chars, pa.string()), INVISIBLE).to_pylist()
    return [c for c, h in zip(chars, hit) if h]


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

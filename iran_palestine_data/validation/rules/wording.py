"""Wording: no loaded term (``x-loadedTerms`` in datapackage.json) in our own words, outside
quotation marks and proper names, however it is written; and our own words name a source by its
``source_id``, never by the number of its snapshot file (:func:`sources_by_id`).

The terms are looked for in the text as a reader sees it: each character in its compatibility form
(NFKC: fullwidth, mathematical and ligature letters become plain ones, every space a space), format
and other invisible characters removed (a zero-width space inside a word), and letters of other
scripts that look like Latin ones (Cyrillic ``а``, Greek ``ο``) read as those, after Unicode's
confusables table (UTS #39, from the ``confusable-homoglyphs`` package). The message quotes the term
as the cell writes it.

Whole columns are tested first, in C, for a term's stem (either case) as written. Cells of ASCII and of
the common characters of :data:`PLAIN` (accented Latin letters, typographic quotes and dashes) read
as written, so for them that test is exact. The other cells (found by a regex run only over cells
with a byte outside printable ASCII) are read as a reader sees them, one ``str.translate`` each, and
tested again in C. Python's own search, which knows quotation marks, proper names and word
boundaries, runs only over the cells that pass.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.schema import Table
from ...errors import Issue
from ...kernels.columns import flags, rows
from .cells import describe_all, is_invisible, matching_rows
from .context import Context, issue_at

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')

# Non-ASCII characters of ordinary prose that folding leaves as they are (a test holds each to that):
# accented Latin letters, typographic quotes, dashes and marks, currency signs.
PLAIN = (
    (0x00A1, 0x00A7),
    (0x00A9, 0x00A9),
    (0x00AB, 0x00AC),
    (0x00AE, 0x00AE),
    (0x00B0, 0x00B1),
    (0x00B6, 0x00B7),
    (0x00BB, 0x00BB),
    (0x00BF, 0x00C5),
    (0x00C7, 0x00D6),
    (0x00D8, 0x00DE),
    (0x00E0, 0x00E5),
    (0x00E7, 0x012F),
    (0x0134, 0x013E),
    (0x0141, 0x0148),
    (0x014A, 0x0151),
    (0x0154, 0x017E),
    (0x2010, 0x2010),
    (0x2012, 0x2015),
    (0x2018, 0x2023),
    (0x2027, 0x2027),
    (0x2030, 0x2032),
    (0x2035, 0x2035),
    (0x2038, 0x203B),
    (0x20A0, 0x20A7),
    (0x20A9, 0x20B5),
    (0x20B7, 0x20C0),
)
# RE2: a cell holding a character outside ASCII and PLAIN, which folding may change
_FOLDABLE = "[^\\x00-\\x7F" + "".join(rf"\x{{{a:04X}}}-\x{{{b:04X}}}" for a, b in PLAIN) + "]"

# Letters that look like both a capital I and a small l (Cyrillic І, Greek Ι, the Arabic alef ...)
# fold to this stand-in, which the patterns accept for either: a letter of no case that folding never
# leaves in place (it looks like l itself).
_I_OR_L = "\u01c0"


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, str]:
    """Non-ASCII character -> the Latin letters it is confusable with (UTS #39 prototypes, lowercased).

    Read on first use only: the table is 900 kB of JSON, and most runs never meet a foldable cell.
    """
    from confusable_homoglyphs.confusables import confusables_data

    out = {}
    for key, entries in confusables_data.items():
        char = key.replace("\u200e", "")  # right-to-left letters are stored between LRM marks
        if len(char) != 1 or char.isascii() or len(entries) != 1:
            continue  # sequences, ASCII, and prototypes (listed with all their look-alikes)
        # a single entry is the character's prototype (no ASCII letter has a non-ASCII prototype)
        target = entries[0]["c"].replace("\u200e", "")
        if target.isascii() and target.isalpha():
            out[char] = _I_OR_L if target == "l" else target.lower()
    return out


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """What a reader takes one character for: a space, nothing (invisible), or its NFKC form with
    look-alike letters read as Latin ones."""
    if ch.isascii():
        return ch
    if ch.isspace():
        return " "
    if is_invisible(ch):
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if c.isascii():
            out.append(c)
        elif c.isspace():
            out.append(" ")
        elif not is_invisible(c):
            out.append(_skeletons().get(c, c))
    return "".join(out)


class _FoldTable(dict):
    """A ``str.translate`` table: code point -> what a reader takes it for, worked out on first sight."""

    def __missing__(self, cp: int) -> str:
        self[cp] = out = fold_char(chr(cp))
        return out


_FOLD = _FoldTable()


def read_as(text: str) -> str:
    """``text`` as a reader sees it (:func:`fold_char` of each character), in one C loop."""
    return text.translate(_FOLD)


def fold(text: str) -> tuple[str, list[int]]:
    """:func:`read_as`, and for each character of the result the index of the character of ``text``
    it comes from (for the few cells that hold a term)."""
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        out.append(f)
        origin.extend([i] * len(f))
    return "".join(out), origin


# What separates the words of a term: Python's ASCII whitespace (folding makes every other space a space)
_SPACES = r"[\t\n\x0b\x0c\r\x1c-\x1f ]+"


def _stem(term: str) -> str:
    """A term's stem as a regex that Python and RE2 read alike: each letter in either case (the
    stand-in for I-or-l read as i or l), no flags, so that neither engine's case folding differs."""

    def letter(c: str) -> str:
        if not c.isalpha():
            return re.escape(c)
        return f"[{c}{c.upper()}{_I_OR_L if c in 'il' else ''}]"

    return _SPACES.join("".join(map(letter, w.lower())) for w in term.rstrip("*").split())


def term_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """The loaded terms as one pattern over read text: ``*`` ends a stem, a term is a whole word."""
    return re.compile(
        r"\b(" + "|".join(_stem(t) + (r"\w*" if t.endswith("*") else r"\b") for t in terms) + ")"
    )


def prefilter(terms: tuple[str, ...]) -> str:
    """RE2 over whole columns: a term's stem anywhere (a superset of :func:`term_pattern`)."""
    return "|".join(_stem(t) for t in terms)


def neutral_wording(ctx: Context) -> Iterator[Issue]:
    """x-ourVoice: no loaded term outside quotation marks, proper names aside, however it is written."""
    terms = tuple(t for t in ctx.pkg.loaded_terms if t.rstrip("*").strip())
    if not terms:
        return
    pattern = term_pattern(terms)
    stems = prefilter(terms)
    names = sorted((n for n in map(read_as, _proper_names(ctx)) if pattern.search(n)), key=len, reverse=True)
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not f.ext("ourVoice"):
                continue
            col = ctx.chunked(tbl.name, f.name)
            # cells of ASCII and PLAIN read as written: for them the stems as written decide
            found = set(np.flatnonzero(_candidates(ctx, tbl, f.name)).tolist())
            # the other cells (a byte outside printable ASCII picks the few to test for them) are read
            # as a reader sees them, one C loop each, and searched again
            other, values = matching_rows(col, rows(pc.invert(pc.ascii_is_printable(col))), _FOLDABLE)
            if other:
                read = pa.array([v.translate(_FOLD) for v in values], pa.string())
                found.update(np.asarray(other)[flags(pc.match_substring_regex(read, stems))].tolist())
            if not found:
                continue
            at = sorted(found)
            for i, text in zip(at, pc.take(col, pa.array(at, pa.int64())).to_pylist()):
                hit = _loaded_term(text, pattern, names)
                if hit is None:
                    continue
                disguise = "".join(dict.fromkeys(c for c in hit if fold_char(c) != c))
                how = f" (written with {describe_all(disguise)})" if disguise else ""
                yield issue_at(
                    tbl,
                    i,
                    f.name,
                    text,
                    rule.NEUTRAL_WORDING,
                    f"uses the loaded term {hit!r}{how} in our own words; "
                    "put it inside quotation marks as the source's word, or rephrase",
                )


def _candidates(ctx: Context, tbl: Table, name: str) -> np.ndarray:
    """The rows of an our-voice column that either rule must read: a loaded term's stem as written
    (:func:`prefilter`) or a source named by a number (:data:`SOURCE_NUMBER`, either case). One RE2
    pass over the column answers both (as fast as either alone), shared by the two rules; each then
    decides on its own rows in Python, so a row picked for the other rule is only read again."""
    terms = tuple(t for t in ctx.pkg.loaded_terms if t.rstrip("*").strip())
    either = "|".join([*([prefilter(terms)] if terms else []), f"(?i:{SOURCE_NUMBER})"])
    return ctx.shared(
        ("our voice", tbl.name, name),
        lambda: flags(pc.match_substring_regex(ctx.chunked(tbl.name, name), either)),
    )


def _loaded_term(text: str, pattern: re.Pattern, names: list[str]) -> str | None:
    """The first loaded term of ``text`` outside quotation marks and proper names, as ``text`` writes
    it. Quotes and names are blanked out of the text as read, keeping its length."""
    folded, origin = fold(text)
    blank = _QUOTED.sub(lambda m: " " * len(m.group()), folded)
    for name in names:
        if name in blank:
            blank = blank.replace(name, " " * len(name))
    m = pattern.search(blank)
    if m is None:
        return None
    start, end = m.span(1)
    return text[origin[start] : origin[end - 1] + 1]


def _proper_names(ctx: Context) -> list[str]:
    """Actor names and aliases (longest first): a loaded word inside a proper name is not our wording."""
    if "actors" not in ctx.raw:
        return []
    out = set(n for n in ctx.column("actors", "name") if n)
    for cell in ctx.column("actors", "aliases"):
        out.update(a for a in (cell or "").split(";") if a)
    return sorted(out, key=len, reverse=True)


# a source named by the number of its snapshot file: "source 002", "sources 000 and 001", "snapshot 4",
# "file 3", "(004)" (a zero-padded number alone in brackets), "002_bd0231f64ffe512d.txt"
SOURCE_NUMBER = (
    r"\b(?:source|snapshot|file)s?\s+(?:no\.?\s*|number\s+|#\s*)?([0-9]{1,3})\b"
    r"|\(\s*(0[0-9]{2})\s*\)"
    r"|\b([0-9]{3})_[0-9a-f]{16}\.txt\b"
)
_SOURCE_NUMBER = re.compile(SOURCE_NUMBER, re.IGNORECASE)


def sources_by_id(ctx: Context) -> Iterator[Issue]:
    """x-namedById (on the sources' schema): our own words (x-ourVoice) name a source by its source_id,
    not by the number of its snapshot file."""
    if not any(t.schema_extras.get("x-namedById") for t in ctx.tables()):
        return
    by_number: dict[int, str] = {}
    for source, path in ctx.snapshot_paths.items():
        m = re.match(r"([0-9]+)_", path.rsplit("/", 1)[-1])
        if m:
            by_number.setdefault(int(m.group(1)), source)
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not f.ext("ourVoice"):
                continue
            col = ctx.chunked(tbl.name, f.name)
            found = np.flatnonzero(_candidates(ctx, tbl, f.name)).tolist()
            if not found:
                continue
            for i, text in zip(found, pc.take(col, pa.array(found, pa.int64())).to_pylist()):
                m = _SOURCE_NUMBER.search(text)
                if m is None:  # RE2 and Python differ on what \b is: Python decides
                    continue
                number = int(next(g for g in m.groups() if g is not None))
                named = by_number.get(number)
                instead = f"its source_id ({named!r})" if named else "its source_id"
                yield issue_at(
                    tbl,
                    i,
                    f.name,
                    text,
                    rule.SOURCE_BY_ID,
                    f"names a source by the number of its snapshot file ({m.group(0)!r}); name it by {instead}",
                )

"""EDTF dates: parsing, earliest/latest day, precision.

The dataset uses this subset of EDTF (levels 0 and 1):

=====================  ==========================  ==========
form                   example                     precision
=====================  ==========================  ==========
day / month / year     2020-01-03, 2017-10, 2019   day, month, year
uncertain/approximate  2000?, 2009~, 2007-02%      as the date
unspecified digits     198X, 19XX, 2019-XX         decade, century, year
interval               2016/2019, 2017-12/2018-09  coarser end
open or unknown end    ../2015-07, 2005/.., /2010  the closed end
=====================  ==========================  ==========

Interval ends may not use unspecified digits (``X``): the ``edtf`` library accepts some such ends and
rejects or crashes on others, so the dataset avoids them. Open ends (``..``), valid EDTF level 1, are
accepted although the library cannot compute bounds for them.

Bounds are the *strict* bounds (qualifiers ``?~%`` do not widen them). The ``edtf`` library is the
reference: a test checks these bounds against ``edtf.parse_edtf(...).lower_strict()`` and
``upper_strict()``, and forms outside the subset are passed to it so the error says whether the text
is not EDTF at all or is EDTF the dataset does not use. The fast path exists because validation
parses every date cell of tables that can hold a million rows.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

PRECISIONS = ("day", "month", "year", "decade", "century")  # finest to coarsest

# ASCII digits only: ``\d`` (and ``int()``) would take Arabic-Indic (٢٠٠٢) or fullwidth (２００２) digits too.
# ``\Z``, not ``$``, which would also match before a final line break.
_SINGLE = re.compile(
    r"""^(?P<year>[0-9]{2}(?:[0-9]{2}|[0-9]X|XX))      # 2019, 198X, 19XX
        (?:-(?P<month>[0-9]{2}|XX)
           (?:-(?P<day>[0-9]{2}|XX))?)?
        (?P<qualifier>[?~%])?\Z""",
    re.VERBOSE | re.ASCII,
)


class EDTFError(ValueError):
    """A string that is not a date this dataset can use; the message says why in plain words."""


@dataclass(frozen=True)
class Bounds:
    start: date | None  # None: open or unknown start
    end: date | None
    precision: str


def _single(text: str) -> Bounds:
    m = _SINGLE.match(text)
    if not m:
        raise EDTFError(_explain(text))
    year, month, day = m.group("year"), m.group("month"), m.group("day")
    if "X" in year:
        if month or day:
            raise EDTFError(f'"{text}" puts a month or day after unspecified year digits')
        precision = "decade" if year.count("X") == 1 else "century"
        lo_year, hi_year = int(year.replace("X", "0")), int(year.replace("X", "9"))
        return _checked(text, date(max(lo_year, 1), 1, 1), date(hi_year, 12, 31), precision)
    y = int(year)
    if y == 0:
        raise EDTFError(f'"{text}": year 0000 is outside the range this dataset uses (0001-9999)')
    if month is None or month == "XX":
        if day not in (None, "XX"):
            raise EDTFError(f'"{text}" gives a day but no month')
        return Bounds(date(y, 1, 1), date(y, 12, 31), "year")
    mo = int(month)
    if not 1 <= mo <= 12:
        raise EDTFError(_explain(text))  # seasons (21-24) and invalid months
    last = calendar.monthrange(y, mo)[1]
    if day is None or day == "XX":
        return Bounds(date(y, mo, 1), date(y, mo, last), "month")
    d = int(day)
    if not 1 <= d <= last:
        raise EDTFError(f'"{text}" is not a real day ({calendar.month_name[mo]} {y} has {last} days)')
    return Bounds(date(y, mo, d), date(y, mo, d), "day")


def _checked(text: str, start: date | None, end: date | None, precision: str) -> Bounds:
    if start is not None and end is not None and start > end:
        raise EDTFError(f'"{text}" ends before it starts')
    return Bounds(start, end, precision)


def _coarser(a: str, b: str) -> str:
    return a if PRECISIONS.index(a) >= PRECISIONS.index(b) else b


@lru_cache(maxsize=65536)
def parse(text: str) -> Bounds:
    """Earliest and latest day an EDTF string allows, and its precision.

    Raises :class:`EDTFError` for anything else.

    Examples
    --------
    >>> parse("2017-10")
    Bounds(start=datetime.date(2017, 10, 1), end=datetime.date(2017, 10, 31), precision='month')
    >>> parse("../2015-07").start is None
    True
    """
    if text != text.strip() or not text:
        raise EDTFError(f'"{text}" has leading or trailing spaces' if text else "the date is empty")
    if "/" not in text:
        return _single(text)
    left, _, right = text.partition("/")
    if "/" in right:
        raise EDTFError(f'"{text}" has more than one "/"')
    if "X" in text:
        raise EDTFError(
            f'"{text}": an interval end cannot have unspecified digits (X); use a wider end instead'
        )
    ends = [None if part in ("", "..") else _single(part) for part in (left, right)]
    lo, hi = ends
    if lo is not None and hi is not None:
        return _checked(text, lo.start, hi.end, _coarser(lo.precision, hi.precision))
    closed = lo if lo is not None else hi
    if closed is None:
        raise EDTFError(f'"{text}" is open at both ends')
    return Bounds(lo.start if lo else None, hi.end if hi else None, closed.precision)


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except EDTFError:
        return False
    return True


def _explain(text: str) -> str:
    """Say whether ``text`` is not EDTF at all, or EDTF outside the subset this dataset uses."""
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        return (
            f'"{text}" has digits other than ASCII 0-9 (Arabic-Indic, fullwidth ...); write the date with 0-9'
        )
    try:
        from edtf import parse_edtf

        parsed = parse_edtf(text)
    except Exception:  # edtf raises its own and pyparsing errors; any failure means "not EDTF"
        return f'"{text}" is not an EDTF date (examples: 2019, 2017-10, 2020-01-03, 2000?, 198X, 2016/2019)'
    return f'"{text}" is EDTF ({type(parsed).__name__}) but not a form this dataset uses'

"""``between()``: the rows of a dated table that fall, or could fall, inside a period, with the
uncertainty of their EDTF dates taken at its word.

A row's date gives its earliest and latest possible days (``date_start``, ``date_end``); an open end
(``../2015-07``, ``2005/..``) has no bound on that side, and an undated row has none on either. The
period is given as two dates or EDTF-style strings, a coarse one covering its whole span:
``("2006", "2021")`` is 1 January 2006 to 31 December 2021, ``("2017-10", None)`` from 1 October
2017 on.

Truth table (period ``[S, E]``; row bounds ``lo``, ``hi``; ``·`` = open):

=======================  ==========  ============================  =============================
row date                 bounds      ``how="overlaps"`` keeps it   ``how="within"`` keeps it
                                     (it could fall inside)        (it surely falls inside)
=======================  ==========  ============================  =============================
``2010``, ``2017-10``,   lo, hi      lo ≤ E and hi ≥ S             S ≤ lo and hi ≤ E
``2000?``, ``198X``,
``2016/2019``
``../2015-07``           ·, hi       hi ≥ S                        no (unless S is open: hi ≤ E)
``2005/..``              lo, ·       lo ≤ E                        no (unless E is open: S ≤ lo)
undated                  ·, ·        only with ``undated=True``    never
=======================  ==========  ============================  =============================

Qualifiers (``?`` uncertain, ``~`` approximate) do not widen the bounds (the strict EDTF bounds).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Union

from ..contract.dates import EDTFError, parse

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

HOWS = ("overlaps", "within")
When = Union[str, date, datetime, None]


def _day(value: When, side: str) -> date | None:
    """The first (``side="start"``) or last (``"end"``) day a period end names; None when open."""
    if value is None or (isinstance(value, str) and value in ("", "..")):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date()
    if not isinstance(value, str):
        raise TypeError(
            f"a period end is a date or an EDTF string such as '2006' or '2017-10', not {value!r}"
        )
    try:
        bounds = parse(value.strip())
    except EDTFError as exc:
        raise ValueError(f"cannot read the period {side} {value!r}: {exc}") from None
    day = bounds.start if side == "start" else bounds.end
    if day is None:  # "../2015" as a start, "2005/.." as an end: open on that side
        return None
    return day


def period(start: When = None, end: When = None) -> tuple[date | None, date | None]:
    """The first and last day of the period ``start`` … ``end`` (None: open); refused if it ends first."""
    first, last = _day(start, "start"), _day(end, "end")
    if first is not None and last is not None and first > last:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    return first, last


def mask(
    frame: pd.DataFrame, start: When = None, end: When = None, how: str = "overlaps", *, undated: bool = False
):
    """The boolean Series ``between()`` filters with (see the module's truth table)."""
    import pandas as pd

    if how not in HOWS:
        raise ValueError(f"how must be one of {', '.join(HOWS)}, not {how!r}")
    missing = [c for c in ("date_start", "date_end") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"between() needs the columns date_start and date_end of a dated table (events, statements, "
            f"funding_claims); this frame has no {', '.join(missing)}"
        )
    first, last = period(start, end)
    lo, hi = pd.to_datetime(frame["date_start"]), pd.to_datetime(frame["date_end"])
    no_date = lo.isna() & hi.isna()
    s = None if first is None else pd.Timestamp(first)
    e = None if last is None else pd.Timestamp(last)
    if how == "overlaps":
        keep = pd.Series(True, index=frame.index)
        if e is not None:
            keep &= lo.isna() | (lo <= e)
        if s is not None:
            keep &= hi.isna() | (hi >= s)
        keep &= ~no_date | undated
    else:
        keep = ~no_date
        if s is not None:
            keep &= lo.notna() & (lo >= s)
        if e is not None:
            keep &= hi.notna() & (hi <= e)
    return keep.fillna(False).astype(bool)


def between(
    frame: pd.DataFrame,
    start: When = None,
    end: When = None,
    how: str = "overlaps",
    *,
    undated: bool = False,
) -> pd.DataFrame:
    """The rows of ``frame`` (events, statements or funding claims, as ``load()`` gives them) whose
    date falls inside the period ``start`` … ``end``.

    Parameters
    ----------
    start, end : date, datetime or str, optional
        The period's ends. A string is EDTF-style and covers its whole span: ``"2006"`` as a start is
        1 January 2006, as an end 31 December 2006; ``"2017-10"`` is October 2017. None (or ``".."``)
        leaves that side open.
    how : {"overlaps", "within"}
        ``"overlaps"`` keeps the rows that could fall inside (some possible day is in the period),
        ``"within"`` those that surely do (the earliest and latest possible days both are). An
        open-ended date (``../2015-07``, ``2005/..``) overlaps a period its closed end allows, and is
        within one only when the period is open on the same side.
    undated : bool, default False
        Also keep the undated rows with ``how="overlaps"`` (they could fall anywhere). They are never
        ``within``.

    Examples
    --------
    >>> import iran_palestine_data as ipd
    >>> events = ipd.load("events")
    >>> n_within = len(ipd.between(events, "2006", "2021", how="within"))
    >>> n_overlaps = len(ipd.between(events, "2006", "2021"))
    >>> n_within < n_overlaps
    True
    """
    return frame[mask(frame, start, end, how, undated=undated)]

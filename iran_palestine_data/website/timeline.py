"""The timeline's geometry: every dated event and statement as one mark on a time axis, laid out in
lanes so that no two marks (or labels) overlap; the template draws it as inline SVG.

A date is drawn as what it allows (``load()``'s ``date_start`` and ``date_end``): a single day as a
dot, anything wider as a bar from its earliest to its latest possible day. An open end (``../2015-07``,
``2005/..``) has no bound on that side: its bar runs to the edge of the axis, fading, with an arrow,
and is labelled in words ("no later than 2015-07", "from 2005 on"). Undated rows have no place on the
axis and are listed apart (:func:`layout` returns them). This is how
:func:`iran_palestine_data.analysis.periods.between` reads the same dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH = 1200
LEFT, RIGHT = 16, 1000  # the plot; right-open labels go in the margin after RIGHT
TOP = 34  # the upper axis
LANE = 16  # height of a lane
BAR = 10  # height of a bar
BAND_GAP = 30  # room for a band's heading
CHAR = 5.9  # width of a label character at the labels' font size
GAP = 5  # room between two marks of a lane


@dataclass
class Mark:
    """One row on the axis (``start``/``end`` None: open on that side)."""

    id: str
    table: str  # events or statements
    start: date | None
    end: date | None
    date: str  # the EDTF date as the source gives it
    title: str  # the accessible name
    attrs: dict[str, str]  # data-* attributes for the filters
    href: str | None
    text: str = ""  # the row's title or summary
    shape: str = ""  # "circle" or "rect"
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    open: str = ""  # "left", "right" or ""
    label: str = ""
    label_x: float = 0.0
    arrow: str = ""  # the points of the arrow at an open end


@dataclass
class Band:
    name: str  # "Events" or "Statements"
    css: str  # "ev" or "st"
    y: float = 0.0
    height: float = 0.0
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Layout:
    width: int
    height: float
    ticks: list[tuple[float, str]]
    bands: list[Band]
    axis_bottom: float


def _domain(marks: list[Mark]) -> tuple[date, date]:
    days = [d for m in marks for d in (m.start, m.end) if d is not None]
    lo, hi = min(days), max(days)
    return date(lo.year - lo.year % 10, 1, 1), date(hi.year + 1, 1, 1)


def open_words(edtf: str) -> str:
    """An open-ended EDTF date in words: ``../2015-07`` → "no later than 2015-07", ``2005/..`` → "from
    2005 on"."""
    first, _, last = edtf.partition("/")
    if first in ("..", "") and last:
        return f"no later than {last}"
    if last in ("..", "") and first:
        return f"from {first} on"
    return edtf


def _place(mark: Mark, x, lo: date, hi: date) -> tuple[float, float]:
    """Set the mark's shape and x; return the span it occupies on its lane (label included)."""
    if mark.start is not None and mark.start == mark.end:
        mark.shape, mark.x = "circle", x(mark.start + timedelta(hours=12))
        return mark.x - 6, mark.x + 6
    mark.shape = "rect"
    x0 = x(mark.start) if mark.start is not None else LEFT
    x1 = x(mark.end + timedelta(days=1)) if mark.end is not None else RIGHT
    mark.x, mark.w = x0, max(x1 - x0, 3.0)
    occupied = (x0, x0 + mark.w)
    if mark.start is None or mark.end is None:
        mark.open = "left" if mark.start is None else "right"
        mark.label = open_words(mark.date)
        size = len(mark.label) * CHAR
        if mark.open == "left":
            mark.label_x = x0 + mark.w + 6
            occupied = (x0, mark.label_x + size)
        else:  # the label goes in the margin after the arrow, where every right-open bar ends
            mark.label_x = RIGHT + 12
            occupied = (x0, RIGHT + 12 + size)
    return occupied


def _pack(band: Band, x, lo: date, hi: date) -> int:
    """Put each mark of ``band`` on the first lane where it fits; return the number of lanes."""
    placed = [(_place(m, x, lo, hi), m) for m in band.marks]
    placed.sort(key=lambda p: (p[0][0], p[0][1], p[1].id))
    ends: list[float] = []
    for (start, end), mark in placed:
        lane = next((i for i, e in enumerate(ends) if e + GAP <= start), len(ends))
        if lane == len(ends):
            ends.append(end)
        ends[lane] = end
        mark.y = lane  # the lane for now; made a coordinate by layout()
    band.marks = [m for _, m in placed]
    return len(ends)


def layout(marks: list[Mark]) -> tuple[Layout | None, list[Mark]]:
    """The layout of the dated marks, and the undated ones (in the order given)."""
    dated = [m for m in marks if m.start is not None or m.end is not None]
    undated = [m for m in marks if m.start is None and m.end is None]
    if not dated:
        return None, undated
    lo, hi = _domain(dated)
    span = (hi - lo).days

    def x(day: date) -> float:
        return round(LEFT + (day - lo).days / span * (RIGHT - LEFT), 1)

    bands = [Band("Events", "ev"), Band("Statements", "st")]
    for m in dated:
        bands[0 if m.table == "events" else 1].marks.append(m)
    y = TOP + 8
    for band in [b for b in bands if b.marks]:
        lanes = _pack(band, x, lo, hi)
        band.y, band.height = y, BAND_GAP + lanes * LANE
        for m in band.marks:
            m.y = y + BAND_GAP + m.y * LANE + (LANE - BAR) / 2
            if m.open == "left":
                m.arrow = f"{m.x - 5},{m.y + BAR / 2} {m.x + 1},{m.y - 1} {m.x + 1},{m.y + BAR + 1}"
            elif m.open == "right":
                end = m.x + m.w
                m.arrow = f"{end + 5},{m.y + BAR / 2} {end - 1},{m.y - 1} {end - 1},{m.y + BAR + 1}"
        y += band.height + 8
    step = 10 if hi.year - lo.year > 30 else 5
    ticks = [(x(date(year, 1, 1)), str(year)) for year in range(lo.year, hi.year + 1, step)]
    if ticks[-1][1] != str(hi.year):
        ticks.append((x(hi), str(hi.year)))
    return Layout(WIDTH, y + 30, ticks, [b for b in bands if b.marks], y), undated

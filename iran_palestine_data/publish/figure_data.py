"""What the figures of :mod:`.figures` draw, worked out by pure functions that need only pandas, not the
``figures`` extra: :func:`timeline_rows` (one row per real-world event or statement, the reports that
same_as links join taken as one, with the dates all its reports allow), :func:`network_edges` (one row
per link between two actors: a meeting, a statement to someone, or a funding claim, each status of which
is drawn in one of ``EDGE_STYLES``), and :func:`place_boxes`, which puts the network's labels where none
overlaps another label or a node. :func:`require_extra` raises :class:`MissingExtraError`, whose message
names the pip command, when the extra (matplotlib, networkx) is missing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

INSTALL = 'pip install "iran-palestine-data[figures]"'


class MissingExtraError(ImportError):
    """The ``figures`` extra (matplotlib, networkx) is not installed; the message says how to install it."""


def require_extra() -> None:
    """Raise :class:`MissingExtraError` unless matplotlib and networkx can be imported."""
    import importlib

    missing = []
    for name in ("matplotlib", "networkx"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        raise MissingExtraError(
            f"the figures need {' and '.join(missing)}, which {verb} not installed: {INSTALL}"
        )


# ------------------------------------------------------------------------------------------ timeline

EVENT_GROUPS = {  # event_type codes by the colour they are drawn in
    "diplomacy": "recognition diplomatic_action visit_or_meeting communication negotiation agreement".split(),
    "relations and policy": "relations_change alliance policy_change aid_suspension designation".split(),
    "armed conflict": (
        "armed_conflict attack killing ceasefire arms_interdiction weapons_development military_cooperation "
        "movement_restriction humanitarian_situation withdrawal"
    ).split(),
    "politics and society": "election regime_change founding death prisoner_release protest commemoration".split(),
}
GROUP_COLORS = dict(zip([*EVENT_GROUPS, "other"], ["#264653", "#2a9d8f", "#e76f51", "#e9c46a", "#8d99ae"]))
SIDES = {"IRN": "Iranian", "PSE": "Palestinian"}  # a speaker's or an actor's side, by its country
COLORS = {"Iranian": "#2a9d8f", "Palestinian": "#e9c46a", "other": "#8d99ae"}
SPAN, OPEN, UNDATED = "span", "open-ended", "undated"
DOT_YEARS = 0.5  # a date known more closely than this (a day, a month) is drawn as a dot, not a bar

Bounds = tuple[dt.date | None, dt.date | None]


@dataclass(frozen=True)
class TimelineRow:
    """One real-world event or statement: its rows (several when same_as links them), its colour group
    (the kind of event, or the speaker's side), each row's EDTF date, and the dates all of them allow."""

    table: str
    ids: tuple[str, ...]
    group: str
    dates: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None

    @property
    def dating(self) -> str:
        """``span`` (both ends known: drawn), ``open-ended`` (known at one end only) or ``undated``."""
        if not any(self.dates):
            return UNDATED
        return OPEN if self.start is None or self.end is None else SPAN


def allowed_dates(bounds: list[Bounds]) -> Bounds:
    """The dates that every report of one event allows: the overlap of their (start, end), None being an
    open end; when the reports disagree (no overlap), every date that any of them allows."""
    starts, ends = [s for s, _ in bounds], [e for _, e in bounds]
    start = max((s for s in starts if s is not None), default=None)
    end = min((e for e in ends if e is not None), default=None)
    if start is not None and end is not None and start > end:
        start = None if None in starts else min(s for s in starts if s is not None)
        end = None if None in ends else max(e for e in ends if e is not None)
    return start, end


def as_text(value: Any) -> str:
    """A cell as text; a missing one (None, NA, NaN) as ""."""
    import pandas as pd

    return "" if value is None or pd.isna(value) else str(value)


def _day(value: Any) -> dt.date | None:
    import pandas as pd

    return None if pd.isna(value) else pd.Timestamp(value).date()


def timeline_rows(root: str | Path | None = None) -> list[TimelineRow]:
    """The events and the statements the timeline draws, one row per real-world event or statement.

    The rows that same_as links join are one, dated by :func:`allowed_dates` over their dated reports
    (``load(..., merge_same=True)`` keeps the first row's date, which may be empty when another row has
    one). Events are grouped by kind (``EVENT_GROUPS``), statements by the speaker's side (``SIDES``).
    """
    from ..read.tables import load

    country = load("actors", root=root).set_index("actor_id")["country"]
    group_of = {t: g for g, types in EVENT_GROUPS.items() for t in types}
    out = []
    for table, key in (("events", "event_id"), ("statements", "statement_id")):
        plain = load(table, root=root)
        dated = {
            str(i): (as_text(d), _day(s), _day(e))
            for i, d, s, e in zip(plain[key], plain["date"], plain["date_start"], plain["date_end"])
        }
        merged = load(table, root=root, merge_same=True)
        if table == "events":
            groups = [group_of.get(str(t), "other") for t in merged["event_type"]]
        else:
            groups = [SIDES.get(as_text(country[a]), "other") for a in merged["speaker_id"]]
        for ids, group in zip(merged["ids"], groups):
            members = tuple(str(i) for i in ids)
            start, end = allowed_dates([dated[i][1:] for i in members if dated[i][0]])
            out.append(TimelineRow(table, members, group, tuple(dated[i][0] for i in members), start, end))
    return out


def timeline_counts(rows: list[TimelineRow], table: str) -> dict[str, int]:
    """How many of a table's real-world rows are drawn (``span``), ``open-ended`` and ``undated``, how
    many in ``all``, and how many ``rows`` of the CSV they stand for."""
    mine = [r for r in rows if r.table == table]
    counts = {kind: sum(r.dating == kind for r in mine) for kind in (SPAN, OPEN, UNDATED)}
    return {**counts, "all": len(mine), "rows": sum(len(r.ids) for r in mine)}


def fraction_of_year(day: dt.date) -> float:
    """A day as a fractional year (1 July 2005 -> 2005.5)."""
    first = dt.date(day.year, 1, 1).toordinal()
    return day.year + (day.toordinal() - first) / (dt.date(day.year + 1, 1, 1).toordinal() - first)


def stack_in_lanes(spans: list[tuple[float, float]], gap: float) -> list[int]:
    """Stack intervals (in the order given) in lanes, each in the lowest lane where it overlaps nothing."""
    ends: list[float] = []
    lanes = []
    for x0, x1 in spans:
        lane = next((i for i, end in enumerate(ends) if end + gap <= x0), len(ends))
        ends[lane:] = [x1, *ends[lane + 1 :]]
        lanes.append(lane)
    return lanes


# ------------------------------------------------------------------------------------------- network


class EdgeStyle(NamedTuple):
    label: str
    color: str
    linestyle: Any  # a matplotlib line style
    arrow: bool  # directed, from the first actor to the second
    cross: bool  # a cross at the middle of the line: the support did not arrive, or is denied


EDGE_STYLES = {
    "met": EdgeStyle("met (at a visit or meeting)", "#1d3557", "-", False, False),
    "addressed": EdgeStyle(
        "addressed (a statement to a recipient)", "#9b5de5", (0, (7, 2, 1.5, 2)), True, False
    ),
    "provided": EdgeStyle("support provided or increased", "#e76f51", "-", True, False),
    "pledged": EdgeStyle("support pledged (promised, not yet given)", "#e76f51", (0, (4, 2.5)), True, False),
    "stopped": EdgeStyle("support reduced, suspended or stopped", "#e76f51", (0, (1, 1.6)), True, False),
    "intercepted": EdgeStyle("support sent but intercepted on the way (×)", "#9d0208", "-", True, True),
    "denied": EdgeStyle("support denied by a party (×)", "#6c757d", "-", True, True),
}
# every status of a funding claim (schemas/funding_claims.schema.json) and the one style it is drawn in
STATUS_STYLE = {"provided": "provided", "increased": "provided", "pledged": "pledged", "decreased": "stopped"}
STATUS_STYLE |= {"ceased": "stopped", "intercepted": "intercepted", "denied": "denied"}


class Edge(NamedTuple):
    """One link the network draws: its two actors, its kind (met, addressed, support), a funding claim's
    status ("" for the others), the style it is drawn in (a key of EDGE_STYLES), the row it comes from."""

    source: str
    target: str
    kind: str
    status: str
    style: str
    row: str


def network_edges(root: str | Path | None = None) -> list[Edge]:
    """Who met whom (each pair of participants of a visit or meeting, its same_as reports taken as one, a
    state that only hosts it left out), who addressed whom (a statement with a recipient), and who gave,
    pledged or stopped ... support to whom (a funding claim, styled by its status)."""
    from itertools import combinations

    from ..read.same_as import same_as_clusters
    from ..read.tables import load

    state = load("actors", root=root).set_index("actor_id")["actor_type"].astype(str) == "state"
    cluster = same_as_clusters(root=root)
    events = load("events", root=root)
    meeting = set(events["event_id"][events["event_type"].astype(str) == "visit_or_meeting"].astype(str))
    people: dict[str, dict[str, None]] = {}  # a meeting (its cluster's first row) -> who, in order
    ea = load("event_actors", root=root).astype(str)
    for ev, actor, role in zip(ea["event_id"], ea["actor_id"], ea["role"]):
        if ev in meeting and not (state[actor] and role == "recipient"):
            people.setdefault(cluster.get(ev, [ev])[0], {})[actor] = None
    edges = [
        Edge(a, b, "met", "", "met", ev) for ev in sorted(people) for a, b in combinations(people[ev], 2)
    ]
    for r in load("statements", root=root, merge_same=True).itertuples():
        if to := as_text(r.recipient_id):
            edges.append(Edge(str(r.speaker_id), to, "addressed", "", "addressed", str(r.statement_id)))
    for r in load("funding_claims", root=root, merge_same=True).itertuples():
        s = str(r.status)
        edges.append(
            Edge(str(r.donor_id), str(r.recipient_id), "support", s, STATUS_STYLE[s], str(r.claim_id))
        )
    return edges


# ------------------------------------------------------------------------------------------- labels

LABEL_PAD = 2.0  # pixels kept free around a label
Box = tuple[float, float, float, float]  # centre x, centre y, half width, half height
# the directions tried around a node, in degrees, in order of preference: above, below, right, left ...
DIRECTIONS = (90, 270, 0, 180, 45, 135, 315, 225, 67.5, 112.5, 292.5, 247.5, 22.5, 157.5, 337.5, 202.5)


def _crosses(box: Box, x0: float, y0: float, x1: float, y1: float) -> bool:
    """Whether the segment (x0, y0)-(x1, y1) passes through the box (Liang–Barsky clipping)."""
    lo, hi = 0.0, 1.0
    (cx, cy, hx, hy), dx, dy = box, x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - cx + hx), (dx, cx + hx - x0), (-dy, y0 - cy + hy), (dy, cy + hy - y0)):
        if p == 0 and q < 0:
            return False
        if p < 0:
            lo = max(lo, q / p)
        elif p > 0:
            hi = min(hi, q / p)
    return lo < hi


def place_boxes(
    anchors: list[tuple[float, float]],
    radii: list[float],
    halves: list[tuple[float, float]],
    lines: list[tuple[float, float, float, float]],
    area: tuple[float, float, float, float],
    step: float = 6.0,
    rings: int = 80,
) -> list[tuple[float, float]]:
    """Centres for label boxes (half sizes ``halves``) beside circles (``anchors``, ``radii``) such that no
    box overlaps another box or any circle, and every box lies inside ``area`` (x0, y0, x1, y1).

    Greedy and deterministic, as in map labelling: the labels of the largest circles first; each is
    tried touching its circle in each of ``DIRECTIONS``, then ``step`` farther out, ring by ring; in the
    first ring with a free place, the place crossing the fewest ``lines`` (segments x0, y0, x1, y1) wins.
    Raises ValueError if a box finds no place within ``rings`` rings.
    """
    placed: list[Box] = []
    centres = [(0.0, 0.0)] * len(anchors)
    for i in sorted(range(len(anchors)), key=lambda i: (-radii[i], i)):
        (x, y), r, (hx, hy) = anchors[i], radii[i], halves[i]
        for ring in range(rings):
            free = []
            for rank, angle in enumerate(DIRECTIONS):
                gap = LABEL_PAD + ring * step
                cx, cy = (
                    x + math.cos(math.radians(angle)) * (r + hx + gap),
                    y + math.sin(math.radians(angle)) * (r + hy + gap),
                )
                box = (cx, cy, hx, hy)
                if not (area[0] + hx <= cx <= area[2] - hx and area[1] + hy <= cy <= area[3] - hy):
                    continue
                if any(abs(cx - o[0]) < hx + o[2] and abs(cy - o[1]) < hy + o[3] for o in placed):
                    continue
                if any(
                    math.hypot(max(abs(cx - ax) - hx, 0), max(abs(cy - ay) - hy, 0)) < ar
                    for (ax, ay), ar in zip(anchors, radii)
                ):
                    continue
                free.append((sum(_crosses(box, *line) for line in lines), rank, box))
            if free:
                placed.append(min(free)[2])
                centres[i] = placed[-1][:2]
                break
        else:
            raise ValueError(f"no free place for label {i} within {rings} rings")
    return centres

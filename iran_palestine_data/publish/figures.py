"""Figures generated from the data (``iran-palestine-data figures``): a timeline and an actor network,
each written as PNG and SVG by :func:`figures`.

What they draw is worked out in :mod:`.figure_data` (pure, pandas only: :func:`~.figure_data.timeline_rows`,
:func:`~.figure_data.network_edges`, the label placement :func:`~.figure_data.place_boxes`); the drawing,
here, needs the ``figures`` extra (matplotlib, networkx), and without it :func:`figures` raises
:class:`~.figure_data.MissingExtraError`, whose message names the pip command. :func:`timeline_figure`
and :func:`network_figure` return the figure, so that a test can measure what is drawn. Figures are made
without pyplot (no global state, no window) in one style (:func:`style`); the layout is seeded and the
files carry no date: the same data gives the same files, byte for byte.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import replacing
from .figure_data import (
    COLORS,
    DOT_YEARS,
    EDGE_STYLES,
    GROUP_COLORS,
    LABEL_PAD,
    OPEN,
    SIDES,
    SPAN,
    UNDATED,
    Edge,
    MissingExtraError,
    TimelineRow,
    as_text,
    fraction_of_year,
    network_edges,
    place_boxes,
    require_extra,
    stack_in_lanes,
    timeline_counts,
    timeline_rows,
)

__all__ = ["MissingExtraError", "figures", "network_figure", "timeline_figure"]

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

FORMATS, DPI = ("png", "svg"), 110
# no file carries a date (nor the software that wrote it): the same data gives the same bytes
_NO_DATE: dict[str, dict[str, Any]] = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None}}
# the SVG's element ids are hashed with a fixed salt, so that the same figure gives the same file
_RC: Any = {"svg.hashsalt": "iran-palestine-data", "svg.fonttype": "path", "font.size": 9.5}
_EDGE: dict[str, Any] = {"mec": "#333333", "mew": 0.5}  # the outline of every dot and triangle


def style() -> Any:
    """The matplotlib settings every figure is drawn and saved in (a context manager)."""
    import matplotlib

    return matplotlib.rc_context(_RC)


# ------------------------------------------------------------------------------------------ timeline


WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _number(n: int) -> str:
    return WORDS[n] if n < len(WORDS) else str(n)


TABLES = ("events", "statements")
PANELS = {
    "events": ("event", GROUP_COLORS, "kind of event"),
    "statements": ("statement", COLORS, "speaker's side"),
}
RUG = {"from": -1.7, "until": -3.1}  # the rows of triangles under the line, for the open-ended dates
BOTTOM = -3.7


def timeline_figure(root: str | Path | None = None) -> Figure:
    """The timeline: one bar (or dot) per real-world event (top) and statement (bottom) from its earliest
    to its latest possible date, stacked in lanes; open-ended dates as triangles under the line; the
    counts of drawn, open-ended and undated rows in the captions."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    from ..read.tables import load

    rows = timeline_rows(root)
    spans = {
        r.ids: (fraction_of_year(r.start), fraction_of_year(r.end + dt.timedelta(days=1)))
        for r in rows
        if r.start and r.end
    }
    ends = [fraction_of_year(d) for r in rows if r.dating == OPEN for d in (r.start, r.end) if d is not None]
    # the axis starts where the dates are dense: a span of ten years or more may start before it
    every = [x for x0, x1 in spans.values() if x1 - x0 < 10 for x in (x0, x1)] + ends
    left, right = 5 * math.floor(min(every) / 5) - 1, math.ceil(max(every)) + 1
    lanes: dict[tuple[str, ...], int] = {}
    heights = []
    for table in TABLES:
        mine = sorted(
            (r.ids for r in rows if r.table == table and r.ids in spans), key=lambda i: (spans[i], i)
        )
        boxes = [
            (max(spans[i][0], left), max(spans[i][1], spans[i][0] + 0.45)) for i in mine
        ]  # a dot's width
        lanes.update(zip(mine, stack_in_lanes(boxes, gap=0.25)))
        heights.append(max((lanes[i] for i in mine), default=0) + 1 - BOTTOM)

    with style():
        fig = Figure(figsize=(12, 2.2 + 0.2 * sum(heights)), dpi=DPI, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": heights})
        for ax, height, table in zip(axes, heights, TABLES):
            _panel(ax, [r for r in rows if r.table == table], spans, lanes, left, height)
        grey: dict[str, Any] = {"color": "#bbbbbb", "ls": "", **_EDGE}
        bar = "bar: a year or a span (2005/2006, 198X), from its earliest to its latest day"
        shapes = [
            Patch(fc="#bbbbbb", ec="#333333", lw=0.5, label=bar),
            Line2D([], [], marker="o", ms=5, label="dot: a day or a month", **grey),
            Line2D([], [], marker=">", ms=7, label="▶ from this date on, end open (1979/..)", **grey),
            Line2D([], [], ls="", label="above ▶ ◀: how many share the date (grey: of several kinds)"),
            Line2D([], [], marker="<", ms=7, label="◀ until this date, start open (../2015-07)", **grey),
        ]
        fig.legend(handles=shapes, loc="outside lower left", ncol=3, fontsize=8.5, frameon=False)
        axes[-1].set_xlim(left, right)
        axes[-1].xaxis.set_major_locator(MultipleLocator(5))
        axes[-1].xaxis.set_minor_locator(MultipleLocator(1))
        n = _number(len(load("sources", root=root)))
        fig.suptitle(
            f"Iran–Palestine relations in {n} sources: when the events they report happened and when the "
            "statements were made,\nby year (what the sources report, not how often things happened)",
            x=0.01,
            ha="left",
            fontsize=11,
        )
    return fig


def _panel(ax: Any, mine: list[TimelineRow], spans: dict, lanes: dict, left: int, height: float) -> None:
    """One table's panel of the timeline: its bars and dots, its open-ended triangles, caption and legend."""
    from matplotlib.patches import Patch

    table = mine[0].table
    noun, colors, what = PANELS[table]
    for r in (r for r in mine if r.ids in spans):
        (x0, x1), y, color = spans[r.ids], lanes[r.ids], colors.get(r.group, colors["other"])
        if x1 - x0 < DOT_YEARS:
            ax.plot((x0 + x1) / 2, y, "o", ms=5, color=color, **_EDGE)
            continue
        ax.barh(y, x1 - max(x0, left), left=max(x0, left), height=0.7, color=color, ec="#333333", lw=0.5)
        if x0 < left:  # a long span that starts before the axis: its start year, written at the edge
            note = {"xytext": (3, 0), "textcoords": "offset points", "va": "center", "color": "white"}
            ax.annotate(f"◀ from {math.floor(x0)}", (left, y), fontsize=8, **note)
    # open-ended: a triangle at the known end, pointing to the open side; how many, where several share it
    at: dict[tuple[str, float], list[str]] = {}
    for r in mine:
        if r.dating == OPEN and (day := r.start or r.end):
            at.setdefault(("from" if r.start else "until", fraction_of_year(day)), []).append(r.group)
    for (kind, x), groups in sorted(at.items()):
        color = colors.get(groups[0], colors["other"]) if len(set(groups)) == 1 else "#bbbbbb"
        ax.plot(x, RUG[kind], ">" if kind == "from" else "<", ms=7, color=color, **_EDGE)
        if len(groups) > 1:
            above = {"xytext": (0, 5), "textcoords": "offset points", "ha": "center"}
            ax.annotate(str(len(groups)), (x, RUG[kind]), fontsize=7.5, **above)
    ax.axhline(-0.75, color="#888888", lw=0.7)
    ax.set_ylim(BOTTOM, BOTTOM + height)
    ax.set_yticks(list(RUG.values()), ["from ▶ (end open)", "until ◀ (start open)"], fontsize=8)
    ax.tick_params(axis="y", length=0)
    ax.set_ylabel(f"one {noun} per\nbar or dot", fontsize=8.5)
    ax.yaxis.set_label_coords(-0.105, (1 + (0.75 - BOTTOM) / height) / 2)  # beside the lanes
    ax.grid(axis="x", color="#e3e3e3", lw=0.6)
    ax.set_axisbelow(True)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    n = timeline_counts(mine, table)
    merged = f" ({n['rows'] - n['all']} rows are another source's report of one already counted)"
    ax.set_title(
        f"{table.capitalize()}: {n['all']} real-world {table} from {n['rows']} rows"
        f"{merged if n['rows'] > n['all'] else ''}\n{n[SPAN]} drawn from their earliest to their latest "
        f"possible date;  {n[OPEN]} open-ended (known at one end only, ▶ ◀ under the line);  "
        f"{n[UNDATED]} undated (not drawn)",
        loc="left",
        fontsize=9.5,
    )
    used = {r.group for r in mine}
    kinds = [Patch(fc=c, ec="#333333", lw=0.5, label=g) for g, c in colors.items() if g in used]
    place = {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0), "alignment": "left", "frameon": False}
    ax.legend(handles=kinds, title=what, fontsize=8.5, title_fontsize=8.5, **place)


# ------------------------------------------------------------------------------------------- network


def _node_area(links: int) -> float:
    """A node's area (points²) for the number of other actors it is linked to."""
    return 45.0 + 32.0 * links


HEADINGS = ("Links", "Actors", "Size")
CAPTION = (
    "A link is drawn for each meeting whose participants include both actors (a state that only hosts it is "
    "left out), each statement made to a recipient, and each funding claim, from donor to recipient, styled "
    "by what the claim says happened to the support. A funding claim is what a source or the person it "
    "quotes asserts, not an established fact."
)


def network_figure(root: str | Path | None = None) -> Figure:
    """The actor network: the largest group of linked actors, each link styled by its kind and a funding
    claim's status, node size by the number of other actors linked, every label beside its node where
    it overlaps no other label and no node; the actors of the smaller groups named in the caption."""
    import networkx as nx
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..read.tables import load

    edges = network_edges(root)
    actors = load("actors", root=root).set_index("actor_id")
    name = {
        a: str(n).replace(" (unnamed)", "").replace(" (collectively)", "") for a, n in actors["name"].items()
    }
    graph: Any = nx.Graph()
    graph.add_edges_from((e.source, e.target) for e in edges)
    groups = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    ordered = nx.Graph()  # the largest group, its nodes and edges in a fixed order: a seeded layout
    ordered.add_nodes_from(sorted(groups[0]))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(groups[0]).edges()))
    layout = nx.spring_layout(ordered, seed=11, k=2.6 / len(ordered) ** 0.5, iterations=600)
    pos = {n: (float(x), float(y)) for n, (x, y) in layout.items()}
    links = dict(ordered.degree())
    count = {s: sum(e.style == s for e in edges) for s in EDGE_STYLES}
    with style():
        fig = Figure(figsize=(14, 10.5), dpi=DPI)
        fig.set_layout_engine("constrained", rect=(0, 0.05, 1, 0.95))  # room for the caption below
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.axis("off")
        lo = [min(p[i] for p in pos.values()) for i in (0, 1)]
        hi = [max(p[i] for p in pos.values()) for i in (0, 1)]
        ax.set_xlim(lo[0] - 0.08 * (hi[0] - lo[0]), hi[0] + 0.08 * (hi[0] - lo[0]))
        ax.set_ylim(lo[1] - 0.06 * (hi[1] - lo[1]), hi[1] + 0.06 * (hi[1] - lo[1]))
        look = {"fontsize": 8.5, "frameon": False, "labelspacing": 1.0, "handlelength": 3.2}
        legend = fig.legend(handles=_network_legend(count, links), loc="outside right upper", **look)
        for text in legend.get_texts():
            text.set_fontweight("bold" if text.get_text().startswith(HEADINGS) else "normal")
        others = "; ".join(" – ".join(sorted(name[n] for n in c)) for c in groups[1:])
        caption = CAPTION + (f" Not shown, linked only to each other: {others}." if others else "")
        fig.text(0.005, 0.005, textwrap.fill(caption, width=190), fontsize=8.5, va="bottom")
        n = _number(len(load("sources", root=root)))
        ax.set_title(
            f"Who met, addressed or (as claimed) supported whom in {n} sources: the largest linked group, "
            f"{len(ordered)} of the {len(graph)} actors with a link",
            loc="left",
            fontsize=12,
        )
        canvas.draw()
        fig.set_layout_engine("none")  # the axes stay where they are: edges and labels are placed in pixels
        radius = {n: math.sqrt(_node_area(links[n])) / 2 for n in ordered}  # points
        lines = _draw_edges(ax, [e for e in edges if e.source in pos and e.target in pos], pos, radius)
        nodes = sorted(ordered)
        side = [COLORS[SIDES.get(as_text(actors.loc[n, "country"]), "other")] for n in nodes]
        xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
        sizes = [_node_area(links[n]) for n in nodes]
        ax.scatter(xs, ys, s=sizes, c=side, edgecolors="white", linewidths=1, zorder=3)
        box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
        labels = {
            n: ax.text(
                x, y, name[n], fontsize=8 + min(links[n], 16) * 0.2, ha="center", va="center", bbox=box
            )
            for n, x, y in zip(nodes, xs, ys)
        }
        for n, text in labels.items():
            text.set(zorder=4, gid=f"label-{n}")
        _place_labels(fig, ax, labels, pos, radius, lines)
    return fig


def _network_legend(count: dict[str, int], links: dict[str, int]) -> list[Any]:
    """The legend: every link style with how many links the data holds, the sides, three node sizes."""
    from matplotlib.lines import Line2D

    def heading(text: str) -> Any:
        return Line2D([], [], ls="", label=text)

    handles = [heading("Links (how many the data holds)")]
    for key, st in EDGE_STYLES.items():
        cross: dict[str, Any] = {"marker": "x", "ms": 7, "mec": "black"} if st.cross else {}
        handles.append(
            Line2D(
                [], [], color=st.color, ls=st.linestyle, lw=1.8, label=f"{st.label}: {count[key]}", **cross
            )
        )
    handles.append(heading("Actors (colour: side)"))
    handles += [
        Line2D([], [], marker="o", ls="", ms=9, color=c, mec="white", label=k) for k, c in COLORS.items()
    ]
    handles.append(heading("Size: how many other actors it is linked to"))
    top = max(links.values())
    for k in sorted({1, max(2, round(top / 4)), top}):
        size = math.sqrt(_node_area(k))
        label = f"linked to {k} other actor{'s' if k > 1 else ''}"
        handles.append(Line2D([], [], marker="o", ls="", ms=size, color="#bbbbbb", mec="white", label=label))
    return handles


def _draw_edges(ax: Any, edges: list[Edge], pos: dict, radius: dict[str, float]) -> list[tuple[str, str]]:
    """One line per pair of actors, direction and style; lines between the same two actors bend apart, a
    directed line has a solid head, a crossed style a cross at its middle. Returns the pairs drawn."""
    from matplotlib.patches import FancyArrowPatch

    ends = {
        (*((e.source, e.target) if EDGE_STYLES[e.style].arrow else sorted((e.source, e.target))), e.style)
        for e in edges
    }
    pairs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for line in sorted(ends):
        pairs.setdefault((min(line[:2]), max(line[:2])), []).append(line)
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    for (a, _), group in pairs.items():
        for i, (u, v, style) in enumerate(group):
            st = EDGE_STYLES[style]
            bend = (0.07 + 0.13 * (i // 2)) * (1 if i % 2 == 0 else -1) * (1 if u == a else -1)
            heads = (
                ("-", "-|>") if st.arrow else ("-",)
            )  # the head drawn apart, solid: a dashed one looks odd
            for head in heads:
                arc: dict[str, Any] = {
                    "connectionstyle": f"arc3,rad={bend}",
                    "shrinkA": radius[u] + 1,
                    "shrinkB": radius[v] + 1,
                }
                patch = FancyArrowPatch(pos[u], pos[v], arrowstyle=head, mutation_scale=11, zorder=1, **arc)
                if head == "-":
                    patch.set(color=st.color, lw=1.4, ls=st.linestyle, alpha=0.8, gid=f"edge {u} {v} {style}")
                else:
                    patch.set(color=st.color, lw=0, alpha=0.9)
                ax.add_patch(patch)
            if st.cross:  # at the middle of the arc, a quadratic Bézier curve in pixels
                (x1, y1), (x2, y2) = to_px(pos[u]), to_px(pos[v])
                mid = to_data(((x1 + x2 + bend * (y2 - y1)) / 2, (y1 + y2 - bend * (x2 - x1)) / 2))
                ax.plot(*mid, "x", ms=8, mew=2, color="black", zorder=2, gid=f"cross {u} {v} {style}")
    return [(u, v) for u, v, _ in sorted(ends)]


def _place_labels(fig: Any, ax: Any, labels: dict, pos: dict, radius: dict, lines: list) -> None:
    """Move each label beside its node (:func:`place_boxes`, in pixels); a thin line joins a node to a
    label that had to stand away from it."""
    renderer = fig.canvas.get_renderer()
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    nodes, scale = list(labels), fig.dpi / 72  # points to pixels
    anchors = [(float(x), float(y)) for x, y in (to_px(pos[n]) for n in nodes)]
    radii = [radius[n] * scale for n in nodes]
    extents = [labels[n].get_window_extent(renderer) for n in nodes]
    halves = [(b.width / 2 + LABEL_PAD, b.height / 2 + LABEL_PAD) for b in extents]
    segments = []
    for a, b in lines:
        (x0, y0), (x1, y1) = to_px(pos[a]), to_px(pos[b])
        segments.append((float(x0), float(y0), float(x1), float(y1)))
    area = ax.get_window_extent(renderer)
    centres = place_boxes(anchors, radii, halves, segments, (area.x0, area.y0, area.x1, area.y1))
    for n, (cx, cy), (hx, hy), (x, y), r in zip(nodes, centres, halves, anchors, radii):
        labels[n].set_position(to_data((cx, cy)))
        # the point of the label's box nearest the node, and a line to it if it stands away from the node
        near = (min(max(x, cx - hx), cx + hx), min(max(y, cy - hy), cy + hy))
        if math.hypot(near[0] - x, near[1] - y) - r > 2 * LABEL_PAD + 4:
            ax.plot(*zip(to_data((x, y)), to_data(near)), color="#555555", lw=0.7, zorder=2.5)


# --------------------------------------------------------------------------------------------- files


def figures(out: str | Path, *, root: str | Path | None = None) -> list[Path]:
    """Write timeline.png, timeline.svg, network.png and network.svg to ``out`` (created if needed), each
    atomically; returns their paths. Raises :class:`MissingExtraError` without the ``figures`` extra."""
    require_extra()
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, draw in (("timeline", timeline_figure), ("network", network_figure)):
        fig = draw(root)
        for fmt in FORMATS:
            with style(), replacing(target / f"{stem}.{fmt}") as tmp:
                fig.savefig(tmp, dpi=DPI, format=fmt, metadata=_NO_DATE[fmt])
            written.append(target / f"{stem}.{fmt}")
    return written

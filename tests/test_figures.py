"""The figures tell the truth: what they draw is checked against counts made here from the CSVs, every
funding status has its own style, labels never overlap, and a missing extra is one clear line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest

from iran_palestine_data.publish import figures as fig_module
from iran_palestine_data.publish.figure_data import (
    EDGE_STYLES,
    INSTALL,
    OPEN,
    SPAN,
    STATUS_STYLE,
    UNDATED,
    MissingExtraError,
    allowed_dates,
    network_edges,
    place_boxes,
    timeline_counts,
    timeline_rows,
)

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).with_name("iran-palestine-data"))
NO_EXTRA = "import sys; sys.modules['matplotlib'] = None; sys.modules['networkx'] = None; "
FILES = ["timeline.png", "timeline.svg", "network.png", "network.svg"]


def rows_of(root: Path, table: str) -> list[dict[str, str]]:
    with open(root / "csv" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def same_as(root: Path) -> dict[str, frozenset[str]]:
    """Each row id joined by same_as links -> its whole cluster, by a plain union of sets."""
    cluster: dict[str, frozenset[str]] = {}
    for link in rows_of(root, "claim_links"):
        if link["relation"] == "same_as":
            a, b = link["from_id"], link["to_id"]
            joined = cluster.get(a, frozenset([a])) | cluster.get(b, frozenset([b]))
            for x in joined:
                cluster[x] = joined
    return cluster


def real_world(root: Path, table: str, key: str) -> list[list[dict[str, str]]]:
    """The rows of ``table`` grouped into real-world events (same_as clusters), each group sorted by id."""
    cluster = same_as(root)
    groups: dict[frozenset[str], list[dict[str, str]]] = {}
    for r in rows_of(root, table):
        groups.setdefault(cluster.get(r[key], frozenset([r[key]])), []).append(r)
    return [sorted(g, key=lambda r: r[key]) for g in groups.values()]


def dating(group: list[dict[str, str]]) -> str:
    """undated when no report has a date; drawn (span) when the reports give both ends; else open-ended."""
    dated = [r for r in group if r["date"]]
    if not dated:
        return UNDATED
    starts, ends = any(r["date_start"] for r in dated), any(r["date_end"] for r in dated)
    return SPAN if starts and ends else OPEN


def overlaps(a, b) -> bool:
    """Whether two display boxes share any area (touching edges do not count)."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


# -------------------------------------------------------------------------------------------- styles


@pytest.mark.unit
def test_every_funding_status_is_drawn_in_one_style():
    schema = json.loads((REPO / "schemas" / "funding_claims.schema.json").read_text(encoding="utf-8"))
    status = next(f for f in schema["fields"] if f["name"] == "status")
    assert set(STATUS_STYLE) == set(status["constraints"]["enum"])
    assert set(STATUS_STYLE.values()) <= set(EDGE_STYLES)
    # what the reader must never confuse
    assert STATUS_STYLE["intercepted"] != STATUS_STYLE["provided"]
    assert STATUS_STYLE["ceased"] == STATUS_STYLE["decreased"] != STATUS_STYLE["provided"]
    assert len({STATUS_STYLE[s] for s in ("provided", "pledged", "ceased", "denied", "intercepted")}) == 5


@pytest.mark.unit
def test_edge_styles_are_told_apart():
    looks = [(s.color, str(s.linestyle), s.cross) for s in EDGE_STYLES.values()]
    assert len(set(looks)) == len(looks)
    met, addressed = EDGE_STYLES["met"], EDGE_STYLES["addressed"]
    assert met.color != addressed.color and str(met.linestyle) != str(addressed.linestyle)
    assert not met.arrow and addressed.arrow
    assert EDGE_STYLES["intercepted"].cross and EDGE_STYLES["denied"].cross
    assert len({s.label for s in EDGE_STYLES.values()}) == len(EDGE_STYLES)


@pytest.mark.unit
def test_allowed_dates_are_the_overlap_of_the_reports():
    d = dt.date
    year = (d(2005, 1, 1), d(2005, 12, 31))
    assert allowed_dates([year, (None, d(2005, 12, 31))]) == year  # 2005 and ../2005
    assert allowed_dates([(d(2020, 1, 1), d(2020, 1, 31)), (d(2020, 1, 3), d(2020, 1, 3))]) == (
        d(2020, 1, 3),
        d(2020, 1, 3),
    )
    assert allowed_dates([(d(1979, 1, 1), None)]) == (d(1979, 1, 1), None)  # 1979/..
    assert allowed_dates([]) == (None, None)
    # reports that disagree: every date that any of them allows
    assert allowed_dates([(d(2001, 1, 1), d(2001, 12, 31)), year]) == (d(2001, 1, 1), d(2005, 12, 31))
    assert allowed_dates([(d(2001, 1, 1), d(2001, 12, 31)), (d(2005, 1, 1), None)]) == (d(2001, 1, 1), None)


@pytest.mark.unit
def test_place_boxes_leaves_no_overlap():
    # twelve wide labels on three crowded circles, in a small area
    anchors = [(100.0 + 3 * (i % 3), 100.0 + 2 * (i % 3)) for i in range(12)]
    radii = [6.0 + i % 3 for i in range(12)]
    halves = [(30.0 + i, 6.0) for i in range(12)]
    area = (0.0, 0.0, 300.0, 240.0)
    centres = place_boxes(anchors, radii, halves, [(0.0, 0.0, 300.0, 240.0)], area)
    assert centres == place_boxes(anchors, radii, halves, [(0.0, 0.0, 300.0, 240.0)], area)  # deterministic
    boxes = [(x - hx, y - hy, x + hx, y + hy) for (x, y), (hx, hy) in zip(centres, halves)]
    for a, b in combinations(boxes, 2):
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    for x0, y0, x1, y1 in boxes:
        assert area[0] <= x0 and x1 <= area[2] and area[1] <= y0 and y1 <= area[3]
        for (x, y), r in zip(anchors, radii):  # no box covers a circle
            assert ((max(x0 - x, 0, x - x1)) ** 2 + (max(y0 - y, 0, y - y1)) ** 2) ** 0.5 >= r - 1e-9


# ------------------------------------------------------------------------------------ what is drawn


@pytest.mark.data
def test_timeline_counts_each_real_world_event_once(root):
    rows = timeline_rows(root)
    for table, key in (("events", "event_id"), ("statements", "statement_id")):
        csv_rows = rows_of(root, table)
        cluster = same_as(root)
        ids = {r[key] for r in csv_rows}
        # every row of a same_as cluster but one is folded away
        folded = sum(len(c) - 1 for c in {c for i, c in cluster.items() if i in ids})
        drawn = [r for r in rows if r.table == table]
        assert len(drawn) == len(csv_rows) - folded
        assert sorted(sorted(r.ids) for r in drawn) == sorted(
            [r[key] for r in g] for g in real_world(root, table, key)
        )
        counts = timeline_counts(rows, table)
        assert counts["all"] == len(drawn) and counts["rows"] == len(csv_rows)
        assert counts[SPAN] + counts[OPEN] + counts[UNDATED] == counts["all"]


@pytest.mark.data
def test_a_merged_event_has_the_dates_all_its_reports_allow(root):
    by_ids = {r.ids: r for r in timeline_rows(root)}
    # EV-0001 is undated, EV-0105 is 1979/..: together, from 1979 on (not undated, as the first row alone)
    first = by_ids[("EV-0001", "EV-0105")]
    assert (first.start, first.end, first.dating) == (dt.date(1979, 1, 1), None, OPEN)
    gaza = by_ids[("EV-0017", "EV-0229")]  # 2005 and ../2005
    assert (gaza.start, gaza.end) == (dt.date(2005, 1, 1), dt.date(2005, 12, 31))
    strike = by_ids[("EV-0227", "EV-0410")]  # 2020-01 and 2020-01-03
    assert strike.start == strike.end == dt.date(2020, 1, 3)


@pytest.mark.data
def test_timeline_caption_counts_match_the_csv(root):
    counts_of = {}
    for table, key in (("events", "event_id"), ("statements", "statement_id")):
        groups = real_world(root, table, key)
        expected = {kind: sum(dating(g) == kind for g in groups) for kind in (SPAN, OPEN, UNDATED)}
        counts = timeline_counts(timeline_rows(root), table)
        assert {k: counts[k] for k in expected} == expected, table
        counts_of[table] = expected
    # a row left undated whose same_as twin has a date is no longer undated once they are one event
    raw_undated = sum(not r["date"] for r in rows_of(root, "events"))
    assert counts_of["events"][UNDATED] <= raw_undated


@pytest.mark.data
def test_network_edges_follow_the_csv(root):
    edges = network_edges(root)
    support = {e.row: e for e in edges if e.kind == "support"}
    claims = rows_of(root, "funding_claims")
    assert len(support) == len(claims) == sum(e.kind == "support" for e in edges)
    for c in claims:
        e = support[c["claim_id"]]
        assert (e.source, e.target, e.status, e.style) == (
            c["donor_id"],
            c["recipient_id"],
            c["status"],
            STATUS_STYLE[c["status"]],
        )
    # the United States suspended its aid (coded ceased): drawn as suspended, never as funded
    suspended = support["FC-0206"]
    assert "suspended" in next(c["summary"] for c in claims if c["claim_id"] == "FC-0206")
    assert (suspended.status, suspended.style) == ("ceased", "stopped")
    assert "suspended" in EDGE_STYLES["stopped"].label
    # the Karine A: sent but seized, not provided
    assert (support["FC-0002"].status, support["FC-0002"].style) == ("intercepted", "intercepted")

    statements = rows_of(root, "statements")
    addressed = sorted((e.source, e.target, e.row) for e in edges if e.kind == "addressed")
    expected = sorted(
        (s["speaker_id"], s["recipient_id"], s["statement_id"]) for s in statements if s["recipient_id"]
    )
    assert addressed == expected

    # met: the actors of each visit or meeting (its same_as reports together), a host state left out
    state = {a["actor_id"] for a in rows_of(root, "actors") if a["actor_type"] == "state"}
    cluster = same_as(root)
    meeting = {e["event_id"] for e in rows_of(root, "events") if e["event_type"] == "visit_or_meeting"}
    people: dict[str, set[str]] = {}
    for r in rows_of(root, "event_actors"):
        if r["event_id"] in meeting and not (r["actor_id"] in state and r["role"] == "recipient"):
            people.setdefault(min(cluster.get(r["event_id"], {r["event_id"]})), set()).add(r["actor_id"])
    expected_met = sorted(
        (ev, frozenset(p)) for ev, who in people.items() for p in combinations(sorted(who), 2)
    )
    assert sorted((e.row, frozenset((e.source, e.target))) for e in edges if e.kind == "met") == expected_met


# -------------------------------------------------------------------------------------- missing extra


@pytest.mark.unit
def test_figures_without_the_extra_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(MissingExtraError, match="matplotlib and networkx") as caught:
        fig_module.figures(tmp_path / "out")
    assert INSTALL in str(caught.value) and isinstance(caught.value, ImportError)
    assert not (tmp_path / "out").exists()


@pytest.mark.unit
def test_cli_without_the_extra_prints_one_line(tmp_path):
    env = {**os.environ, "COLUMNS": "200"}
    code = (
        NO_EXTRA
        + "from iran_palestine_data.cli.app import main; sys.argv = ['iran-palestine-data', 'figures']; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: the figures need matplotlib and networkx, which are not installed: "
        'pip install "iran-palestine-data[figures]"'
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "figures").exists()


@pytest.mark.unit
def test_cli_help_names_the_default_and_the_maintainers_command():
    result = subprocess.run(
        [CLI, "figures", "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "[default: figures]" in text
    assert "iran-palestine-data figures --out docs/figures" in text
    assert 'pip install "iran-palestine-data[figures]"' in text


# ------------------------------------------------------------------------------------------ rendering


def check_png(path: Path) -> tuple[int, int]:
    from PIL import Image

    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000, path
    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def check_svg(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) > 20_000, path
    svg = ET.fromstring(data)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}path")) > 100
    assert b"<dc:date>" not in data  # no date: the same data gives the same file


@pytest.mark.integration
def test_figures_are_generated_from_the_data(tmp_path):
    from iran_palestine_data.publish.figures import figures

    written = figures(tmp_path / "a")
    assert [p.name for p in written] == FILES
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(FILES)  # no temporary file left
    for path in written:
        if path.suffix == ".png":
            width, height = check_png(path)
            assert width >= 1000 and height >= 600
        else:
            check_svg(path)
    # seeded and dateless: the same data gives the same files, byte for byte
    again = figures(tmp_path / "b")
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


@pytest.mark.integration
def test_network_labels_do_not_overlap():
    from iran_palestine_data.publish.figures import network_figure

    fig = network_figure()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label-")]
    nodes = ax.collections[0].get_offsets()
    assert len(labels) == len(nodes) >= 20
    boxes = [t.get_window_extent(renderer) for t in labels]
    for (ta, a), (tb, b) in combinations(zip(labels, boxes), 2):
        assert not overlaps(a, b), (ta.get_text(), tb.get_text())
    area = ax.get_window_extent(renderer)
    radii = (ax.collections[0].get_sizes() ** 0.5) / 2 * fig.dpi / 72
    centres = ax.transData.transform(nodes)
    for text, box in zip(labels, boxes):
        assert area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 and box.y1 <= area.y1
        for (x, y), r in zip(centres, radii):  # no label covers a node
            gap = (max(box.x0 - x, 0, x - box.x1) ** 2 + max(box.y0 - y, 0, y - box.y1) ** 2) ** 0.5
            assert gap >= r, text.get_text()
    # nor the legend, the title or the caption
    others = [fig.legends[0].get_window_extent(renderer), ax.title.get_window_extent(renderer)]
    others += [t.get_window_extent(renderer) for t in fig.texts]
    for text, box in zip(labels, boxes):
        assert not any(overlaps(box, o) for o in others), text.get_text()


@pytest.mark.integration
def test_network_draws_each_claim_in_its_style():
    from matplotlib.colors import to_hex

    from iran_palestine_data.publish.figures import network_figure

    fig = network_figure()
    ax = fig.axes[0]
    edges = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("edge ")}
    crosses = {line.get_gid() for line in ax.lines}

    def drawn_as(gid: str, style: str) -> None:
        patch, st = edges[gid], EDGE_STYLES[style]
        assert to_hex(patch.get_edgecolor()) == st.color, gid
        assert patch.get_linestyle() == st.linestyle, gid
        assert (gid.replace("edge", "cross", 1) in crosses) == st.cross, gid

    # FC-0206: the United States suspended its aid to the Palestinian Authority (ceased): dotted, not funded
    drawn_as("edge united-states palestinian-authority stopped", "stopped")
    assert "edge united-states palestinian-authority provided" not in edges
    # FC-0002: the Karine A, intercepted: its own colour and a cross
    drawn_as("edge iran palestinian-authority intercepted", "intercepted")
    drawn_as("edge iran hamas provided", "provided")
    drawn_as("edge iran hamas pledged", "pledged")
    dotted, dashed = edges["edge iran hamas stopped"], edges["edge iran hamas pledged"]
    assert dotted.get_linestyle() != dashed.get_linestyle() != "-"
    met = next(p for gid, p in edges.items() if gid.endswith(" met"))
    said = next(p for gid, p in edges.items() if gid.endswith(" addressed"))
    assert to_hex(met.get_edgecolor()) != to_hex(said.get_edgecolor())
    assert met.get_linestyle() == "-" and said.get_linestyle() == EDGE_STYLES["addressed"].linestyle != "-"
    # the legend names every style with how many links it has, and explains the node sizes
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    counts = {s: sum(e.style == s for e in network_edges()) for s in EDGE_STYLES}
    for key, st in EDGE_STYLES.items():
        assert f"{st.label}: {counts[key]}" in legend
    sizes = [t for t in legend if t.startswith("linked to ")]
    assert len(sizes) >= 2 and "linked to 1 other actor" in sizes


@pytest.mark.integration
def test_timeline_caption_states_the_counts(root):
    from iran_palestine_data.publish.figures import timeline_figure

    fig = timeline_figure()
    rows = timeline_rows()
    for ax, table in zip(fig.axes, ("events", "statements")):
        c = timeline_counts(rows, table)
        title = ax.get_title(loc="left")
        assert f"{c['all']} real-world {table} from {c['rows']} rows" in title
        assert f"{c[SPAN]} drawn" in title
        assert f"{c[OPEN]} open-ended" in title and f"{c[UNDATED]} undated" in title
        # the counts beside the open-ended marks add up to the open-ended rows
        marks = [t for t in ax.texts if t.get_text().isdigit()]
        singles = len([line for line in ax.lines if line.get_marker() in ("<", ">")]) - len(marks)
        assert sum(int(t.get_text()) for t in marks) + singles == c[OPEN]
        renderer = fig.canvas.get_renderer()
        for a, b in combinations(ax.texts, 2):
            assert not overlaps(a.get_window_extent(renderer), b.get_window_extent(renderer))
    undated = sum(not r["date"] for r in rows_of(root, "events"))
    assert undated >= timeline_counts(rows, "events")[UNDATED]


@pytest.mark.integration
def test_cli_writes_into_figures_in_the_current_folder(tmp_path):
    result = subprocess.run(
        [CLI, "figures"], capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "200"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(Path("figures") / name) for name in FILES]
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == sorted(FILES)


@pytest.mark.unit
def test_readme_shows_the_committed_figures():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Figures", 1)[1].split("\n#", 1)[0]
    assert "iran-palestine-data figures --out docs/figures" in section
    for name in FILES:
        path = REPO / "docs" / "figures" / name
        assert path.stat().st_size > 20_000
        if name.endswith(".png"):
            assert f"docs/figures/{name}" in section
            check_png(path)
        else:
            check_svg(path)

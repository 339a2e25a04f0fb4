"""Figures generated from the data (``iran-palestine-data figures``): a timeline and an actor network.

Needs the ``figures`` extra (matplotlib, networkx). The layout is seeded, so the same data gives the
same images.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import replacing

EVENT_GROUPS = {
    "diplomacy": (
        "recognition",
        "diplomatic_action",
        "visit_or_meeting",
        "communication",
        "negotiation",
        "agreement",
    ),
    "relations and policy": (
        "relations_change",
        "alliance",
        "policy_change",
        "aid_suspension",
        "designation",
    ),
    "armed conflict": (
        "armed_conflict",
        "attack",
        "killing",
        "ceasefire",
        "arms_interdiction",
        "weapons_development",
        "military_cooperation",
        "movement_restriction",
        "humanitarian_situation",
        "withdrawal",
    ),
    "politics and society": (
        "election",
        "regime_change",
        "founding",
        "death",
        "prisoner_release",
        "protest",
        "commemoration",
    ),
}
SIDES = {"IRN": "Iranian", "PSE": "Palestinian"}
COLORS = {"Iranian": "#2a9d8f", "Palestinian": "#e9c46a", "other": "#8d99ae"}
EDGE_COLORS = {"met": "#264653", "funded (claimed)": "#e76f51", "addressed": "#6d597a"}


MAX_SPAN_YEARS = 2  # a date spanning more years than this (e.g. "1941/1979") is not placed on the timeline


def _year(row) -> int | None:
    """The year to plot: the start year of a date that spans at most two years; None otherwise."""
    import pandas as pd

    start, end = row["date_start"], row["date_end"]
    if pd.isna(start) or pd.isna(end) or end.year - start.year > MAX_SPAN_YEARS:
        return None
    return int(start.year)


def timeline(out: Path, *, root=None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from ..read.tables import load

    events = load("events", root=root)
    statements = load("statements", root=root)
    actors = load("actors", root=root).set_index("actor_id")
    group_of = {t: g for g, types in EVENT_GROUPS.items() for t in types}
    ev = pd.DataFrame(
        {
            "year": [_year(r) for _, r in events.iterrows()],
            "group": [group_of.get(str(t), "other") for t in events["event_type"]],
        }
    )
    side = statements["speaker_id"].map(lambda a: SIDES.get(str(actors.loc[a, "country"]), "other"))
    st = pd.DataFrame({"year": [_year(r) for _, r in statements.iterrows()], "side": side})
    unplaced = int(ev["year"].isna().sum() + st["year"].isna().sum())
    ev, st = ev.dropna(), st.dropna()
    years = range(
        int(min(ev["year"].min(), st["year"].min())), int(max(ev["year"].max(), st["year"].max())) + 1
    )

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True, constrained_layout=True)
    counts = ev.groupby(["year", "group"]).size().unstack(fill_value=0).reindex(years, fill_value=0)
    counts.plot.bar(
        stacked=True,
        ax=top,
        width=0.85,
        color=["#264653", "#2a9d8f", "#e76f51", "#e9c46a", "#8d99ae"][: counts.shape[1]],
    )
    top.set_title(f"Events per year, by kind ({len(ev)} events)", loc="left")
    top.set_ylabel("events")
    top.legend(frameon=False, fontsize=8, ncol=4)
    counts = st.groupby(["year", "side"]).size().unstack(fill_value=0).reindex(years, fill_value=0)
    counts.plot.bar(
        stacked=True, ax=bottom, width=0.85, color=[COLORS.get(c, "#8d99ae") for c in counts.columns]
    )
    bottom.set_title(f"Statements per year, by speaker ({len(st)} statements)", loc="left")
    bottom.set_ylabel("statements")
    bottom.legend(frameon=False, fontsize=8, ncol=3)
    labels = [str(y) if y % 5 == 0 else "" for y in years]
    bottom.set_xticks(range(len(years)), labels, rotation=0)
    bottom.set_xlabel(
        f"year (start of each date; {unplaced} rows undated, open-ended or spanning more than "
        f"{MAX_SPAN_YEARS} years are not shown)"
    )
    from matplotlib.ticker import MaxNLocator

    for ax in (top, bottom):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.suptitle(
        "Iran–Palestine relations in five sources: what happened and who spoke, by year",
        x=0.01,
        ha="left",
        fontsize=11,
    )
    path = out / "timeline.png"
    with replacing(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    return path


def _actor_graph(root):
    """Who met whom (at visits and meetings), who funded whom (as claimed), who addressed whom."""
    import networkx as nx

    from ..read.tables import load

    actors = load("actors", root=root).set_index("actor_id")
    graph = nx.MultiDiGraph()
    ea = load("event_actors", root=root)
    events = load("events", root=root).set_index("event_id")
    for ev, group in ea.groupby("event_id"):
        if str(events.loc[ev, "event_type"]) != "visit_or_meeting":
            continue
        people = [
            a
            for a, r in zip(group["actor_id"], group["role"])
            if actors.loc[a, "actor_type"] != "state" or r != "recipient"
        ]
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                graph.add_edge(a, b, kind="met")
    for r in load("funding_claims", root=root).itertuples():
        graph.add_edge(r.donor_id, r.recipient_id, kind="funded (claimed)")
    for r in load("statements", root=root).itertuples():
        if isinstance(r.recipient_id, str):
            graph.add_edge(r.speaker_id, r.recipient_id, kind="addressed")
    return graph, actors


def network(out: Path, *, root=None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx

    graph, actors = _actor_graph(root)
    simple = nx.Graph(graph)
    components = sorted(nx.connected_components(simple), key=len, reverse=True)
    main, others = components[0], components[1:]
    sub = simple.subgraph(main)
    pos = nx.spring_layout(sub, seed=11, k=2.4 / len(sub) ** 0.5, iterations=500)
    fig, ax = plt.subplots(figsize=(13, 10), constrained_layout=True)
    for kind, color in EDGE_COLORS.items():
        edges = sorted(
            {(u, v) for u, v, k in graph.edges(data="kind") if k == kind and u in main and v in main}
        )
        nx.draw_networkx_edges(
            graph,
            pos,
            edgelist=edges,
            edge_color=color,
            alpha=0.5,
            width=1.1,
            ax=ax,
            arrows=True,
            arrowstyle="-" if kind == "met" else "-|>",
            arrowsize=9,
            connectionstyle="arc3,rad=0.08",
            node_size=300,
        )
    degree = dict(sub.degree())
    side = {n: SIDES.get(str(actors.loc[n, "country"]), "other") for n in sub}
    nx.draw_networkx_nodes(
        sub,
        pos,
        node_size=[50 + 30 * degree[n] for n in sub],
        node_color=[COLORS[side[n]] for n in sub],
        edgecolors="white",
        ax=ax,
    )
    name = lambda n: str(actors.loc[n, "name"]).replace(" (unnamed)", "").replace(" (collectively)", "")  # noqa: E731
    for n, (x, y) in pos.items():
        ax.text(
            x,
            y + 0.025,
            name(n),
            fontsize=6.5 + min(degree[n], 12) * 0.25,
            ha="center",
            va="bottom",
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    handles = [plt.Line2D([], [], color=c, lw=2, label=k) for k, c in EDGE_COLORS.items()]
    handles += [plt.Line2D([], [], marker="o", ls="", color=c, label=k) for k, c in COLORS.items()]
    ax.legend(handles=handles, frameon=False, loc="lower left", fontsize=8)
    import textwrap

    small = "; ".join(" – ".join(sorted(name(n) for n in c)) for c in others)
    note = textwrap.fill(f"Not shown, linked only to each other: {small}.", width=150)
    ax.set_title(
        f"Who met, funded (as claimed) or addressed whom: the {len(main)} connected actors of the five sources\n{note}",
        loc="left",
        fontsize=10,
    )
    ax.axis("off")
    path = out / "network.png"
    with replacing(path) as tmp:
        fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    return path


def figures(out: str | Path, *, root=None) -> list[Path]:
    """Write timeline.png and network.png to ``out``."""
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    return [timeline(target, root=root), network(target, root=root)]

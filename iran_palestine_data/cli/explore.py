"""Commands to look at the data: ``info``, ``links``, ``conflicts``, ``coverage`` (``show`` is in
:mod:`.rows`)."""

from __future__ import annotations

import json
from typing import Optional

import typer
from rich.table import Table as RichTable
from rich.text import Text

from .common import PathArg, PathOption, VersionOption, at_version, fail, out, safe, write_json


def info(
    path: PathArg = None,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    version: VersionOption = None,
) -> None:
    """Version, row counts per table, and the sources with their types."""
    from ..read.lookup import info as summary

    data = summary(root=at_version(version, path))
    if as_json:
        write_json(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out.print(Text.assemble(safe(str(data["name"]), "bold"), safe(f" v{data['version']} — {data['title']}")))
    out.print(Text.assemble("data: ", safe(data["root"])))
    sources = data["sources"]
    src = RichTable("#", title="Sources", title_justify="left")
    for name in ("source_id", "type", "published", "publisher"):
        src.add_column(name, overflow="fold")
    for n, s in enumerate(sources, start=1):
        src.add_row(
            str(n),
            safe(s["source_id"]),
            safe(s["source_type"]),
            safe(s["published"] or ""),
            safe(s["publisher"] or "unknown"),
        )
    out.print(src)
    counts = RichTable(
        "table",
        "rows",
        *(f"#{n}" for n in range(1, len(sources) + 1)),
        title="Rows per table, and per source (#)",
        title_justify="left",
    )
    for name, total in data["tables"].items():
        per = [
            "1" if name == "sources" else str(s["rows"].get(name, 0)) if name in data["sourced"] else "-"
            for s in sources
        ]
        counts.add_row(safe(name), str(total), *per)
    out.print(counts)


def links(
    id: Optional[str] = typer.Argument(None, help="Only links touching this row."),
    path: PathOption = None,
    candidates: bool = typer.Option(
        False, "--candidates", help="List the systematic search's candidate pairs instead."
    ),
    duplicates: bool = typer.Option(
        False,
        "--duplicates",
        help="List pairs of rows of one table and one source that may tell one fact twice instead.",
    ),
    undecided: bool = typer.Option(
        False, "--undecided", help="With --candidates or --duplicates: only pairs with no decision yet."
    ),
    threshold: float = typer.Option(
        None,
        "--threshold",
        help="With --candidates or --duplicates: minimum score (default: the project's threshold).",
    ),
) -> None:
    """The claim links; or, with --candidates, the pairs the systematic search proposes, or with
    --duplicates the possible duplicates within a source, and the decision on each pair."""
    from ..graph import CANDIDATE_THRESHOLD, DUPLICATE_SIMILARITY
    from ..graph import candidates as search
    from ..graph import duplicates as twice
    from ..graph import links as all_links

    if candidates and duplicates:
        fail("choose one of --candidates and --duplicates", 2)
    if candidates or duplicates:
        if candidates:
            frame = search(root=path, threshold=CANDIDATE_THRESHOLD if threshold is None else threshold)
        else:
            frame = twice(root=path, threshold=DUPLICATE_SIMILARITY if threshold is None else threshold)
        if undecided:
            frame = frame[frame["decision"] == "undecided"]
        for pair in frame.to_dict("records"):
            score = f"{pair['score']:5.1f}" if candidates else f"{pair['score']:5.2f}"
            passage = " (one passage)" if pair.get("same_passage") else ""
            line = (
                f"{score} {pair['a_id']} {pair['b_id']} [{pair['decision']}]{passage} "
                f"{pair['a_text'][:50]} || {pair['b_text'][:50]}"
            )
            out.print(safe(line))
        out.print(f"{len(frame)} {'candidate' if candidates else 'duplicate'} pair(s)")
        raise typer.Exit(1 if undecided and len(frame) else 0)
    frame = all_links(id, root=path)
    for r in frame.itertuples(index=False):
        out.print(safe(f"{r.link_id} {r.from_id} {r.relation} {r.to_id}: {r.note}"))
    out.print(f"{len(frame)} link(s)")


def conflicts(
    path: PathArg = None,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Every pair of rows that contradict each other, with both quotes side by side."""
    from ..graph import conflicts as find

    frame = find(root=path)
    if as_json:
        write_json(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    import pandas as pd

    for r in frame.itertuples(index=False):
        out.print(Text.assemble(safe(r.link_id, "bold"), safe(f" {r.a_id} ✕ {r.b_id}: {r.note}")))
        for side in ("a", "b"):
            date = getattr(r, side + "_date")
            out.print(
                safe(
                    f"  {getattr(r, side + '_id')} ({getattr(r, side + '_source')}, "
                    f"{'undated' if pd.isna(date) or not date else date}): “{getattr(r, side + '_quote')}”"
                )
            )
    out.print(f"{len(frame)} contradiction(s)")


def coverage(
    path: PathArg = None,
    source: Optional[str] = typer.Option(None, "--source", help="Only this source_id."),
    show: str = typer.Option(
        "neither", "--show", help="Which sentences to list: neither, excluded, covered or all."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print every sentence with its status as JSON."),
) -> None:
    """For each source: which sentences are covered by a quote, deliberately excluded, or neither.

    Exit code 1 if any sentence is neither covered nor excluded.
    """
    from ..publish.coverage import NEITHER
    from ..publish.coverage import coverage as measure

    try:
        results = measure(root=path, source_id=source)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    if as_json:
        write_json(
            json.dumps(
                [
                    {
                        "source_id": r.source_id,
                        "snapshot": r.snapshot,
                        "sentences": [
                            {
                                "line": s.line,
                                "start": s.sentence.start,
                                "end": s.sentence.end,
                                "status": s.status,
                                "coded_share": round(s.coded, 3),
                                "excluded_share": round(s.excluded, 3),
                                "text": s.sentence.text,
                            }
                            for s in r.sentences
                        ],
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        grid = RichTable(
            "source_id",
            "sentences",
            "covered",
            "excluded",
            "neither",
            title="Coverage of the snapshots",
            title_justify="left",
        )
        for r in results:
            grid.add_row(
                safe(r.source_id),
                str(len(r.sentences)),
                str(r.count("covered")),
                str(r.count("excluded")),
                f"[red]{r.count(NEITHER)}[/red]" if r.count(NEITHER) else "0",
            )
        out.print(grid)
        for r in results:
            for s in r.sentences:
                if show == "all" or s.status == show:
                    out.print(
                        safe(
                            f"{r.snapshot}:{s.line} [{s.status}, coded {s.coded:.0%}, "
                            f"excluded {s.excluded:.0%}] {s.sentence.text}"
                        )
                    )
    raise typer.Exit(0 if all(r.complete for r in results) else 1)

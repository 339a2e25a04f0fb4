"""``show``: one row, its source, its quote highlighted in the source text, and the actors around it;
or one actor with its affiliates and every row it is in.

The highlight survives a pipe: without colour (a pipe, a file, NO_COLOR) the quote is framed by
``>>>`` and ``<<<``. The sources' Markdown ``**emphasis**`` is shown as bold without its markers;
the row's ``quote`` column is printed verbatim.
"""

from __future__ import annotations

import typer
from rich.table import Table as RichTable
from rich.text import Text

from .common import PathOption, VersionOption, at_version, escape, fail, out, safe


def show(
    id: str = typer.Argument(..., help="A row id: EV-0001, ST-0001, FC-0001, an actor or source id."),
    path: PathOption = None,
    width: int = typer.Option(300, help="Characters of source text to show around the quote."),
    version: VersionOption = None,
) -> None:
    """Show a row, its source, and its quote highlighted in the source text."""
    from ..read.lookup import find, quote_context

    path = at_version(version, path)
    try:
        found = find(id, root=path)
    except KeyError as exc:
        fail(str(exc.args[0]), 1)
    grid = RichTable(
        "column",
        "value",
        title=safe(f"{found.table} row {found.row_number}", "table.title"),
        title_justify="left",
        show_lines=False,
    )
    for k, v in found.row.items():
        grid.add_row(safe(k), safe(v))
    out.print(grid)
    if found.source:
        s = found.source
        out.print(
            Text.assemble(
                ("source", "bold"),
                " ",
                safe(
                    f"{s['source_id']}: {s['title']} — {s['publisher'] or 'publisher unknown'}, "
                    f"{s['source_type']}, published {s['published'] or 'unknown'} ({s['published_basis']})"
                ),
            )
        )
        quote = found.row.get("quote")
        nth = found.row.get("quote_occurrence")
        ctx = quote_context(s, quote, width=width, root=path, occurrence=nth) if quote else None
        if ctx is None and quote:
            out.print(
                "[red]the quote is not found in the snapshot[/red] (run `iran-palestine-data validate`)"
            )
        elif ctx is not None:
            out.print(safe(f"{ctx.snapshot}, character {ctx.offset}:", "dim"))
            out.print(_in_context(ctx))
    if found.table == "actors":
        _actor_rows(id, path)
    elif found.table in ("events", "statements", "funding_claims"):
        _row_actors(found, path)
    from ..contract.schema import package

    if found.table in ("events", "statements", "funding_claims") and "claim_links" in package(path).tables:
        import pandas as pd

        from ..graph import related

        rel = related(id, root=path)
        if rel.empty:
            out.print("[dim]no linked rows[/dim]")
        else:
            grid = RichTable(
                "relation", "id", "source", "date", "text", "note", title="Related rows", title_justify="left"
            )
            for r in rel.to_dict("records"):
                grid.add_row(
                    safe(r["relation"] + (f" (via {r['via']})" if r["via"] else "")),
                    safe(r["id"]),
                    safe(r["source_id"]),
                    safe("" if pd.isna(r["date"]) else r["date"]),  # None, NaN or NA: no date
                    safe(r["text"]),
                    safe(r["note"]),
                )
            out.print(grid)


# markers around the quote when the output has no colour (a pipe, a file, NO_COLOR), so that the
# highlight survives: grep '>>>' finds it
QUOTE_OPEN, QUOTE_CLOSE = ">>>", "<<<"


def _in_context(ctx) -> Text:
    """The quote highlighted in its surrounding text. The sources' ``**emphasis**`` is shown as bold,
    without its markers (the quote column itself stays verbatim); the snapshot's own line breaks are
    kept and every other control is shown as an escape. Without colour, markers frame the quote."""
    from ..kernels.emphasis import rendered

    plain = not out.is_terminal or out.no_color or out.color_system is None
    raw = ctx.before + ctx.quote + ctx.after
    start, end = len(ctx.before), len(ctx.before) + len(ctx.quote)
    text = Text("…")
    run: list[str] = []
    state: tuple[bool, bool] | None = None

    def flush() -> None:
        if run and state is not None:
            bold, inside = state
            style = "bold black on yellow" if inside else ("bold" if bold else "")
            text.append(escape("".join(run), keep="\n"), style=style)
        run.clear()

    opened = closed = False
    for i, ch, bold in rendered(raw):
        inside = start <= i < end
        if inside and not opened:
            flush()
            opened = True
            if plain:
                text.append(QUOTE_OPEN)
        if not inside and opened and not closed:
            flush()
            closed = True
            if plain:
                text.append(QUOTE_CLOSE)
        if (bold, inside) != state:
            flush()
            state = (bold, inside)
        run.append(ch)
    flush()
    if opened and not closed and plain:
        text.append(QUOTE_CLOSE)
    text.append("…")
    return text


def _row_actors(found, path) -> None:
    """The actors of an event (with their roles), or the named actors of a statement or a claim."""
    from ..read.tables import load

    names = dict(
        zip(
            *(
                load("actors", root=path, columns=["actor_id", "name"])[c].astype("object")
                for c in ("actor_id", "name")
            )
        )
    )
    if found.table == "events":
        ea = load("event_actors", root=path)
        mine = ea[ea["event_id"] == found.row["event_id"]]
        pairs = [(str(r), a) for a, r in zip(mine["actor_id"], mine["role"])]
    else:
        pairs = [
            (column.removesuffix("_id"), found.row[column])
            for column in found.row
            if column.endswith("_id")
            and column not in ("source_id", "event_id", "statement_id", "claim_id")
            and found.row[column]
        ]
    grid = RichTable("role", "actor_id", "name", title="Actors", title_justify="left")
    for role, actor_id in pairs:
        grid.add_row(safe(role), safe(actor_id), safe(names.get(actor_id, "")))
    out.print(grid if pairs else "[dim]no actors[/dim]")


def _actor_rows(actor_id: str, path) -> None:
    """An actor's affiliation and affiliates, and every event, statement and claim it is in, by role."""
    from ..analysis.profiles import actor
    from ..read.tables import load

    profile = actor(actor_id, root=path)
    names = dict(
        zip(
            *(
                load("actors", root=path, columns=["actor_id", "name"])[c].astype("object")
                for c in ("actor_id", "name")
            )
        )
    )
    if profile.affiliation:
        out.print(
            Text.assemble(
                ("belongs to ", "bold"), safe(f"{names.get(profile.affiliation)} ({profile.affiliation})")
            )
        )
    if profile.affiliates:
        listed = ", ".join(f"{names.get(a)} ({a})" for a in profile.affiliates)
        out.print(Text.assemble((f"affiliates ({len(profile.affiliates)}): ", "bold"), safe(listed)))
    texts = {"events": "title", "statements": "summary", "funding_claims": "summary"}
    keys = {"events": "event_id", "statements": "statement_id", "funding_claims": "claim_id"}
    for table, roles in profile.roles.items():
        ids = profile.ids(table)
        label = table.replace("_", " ").capitalize()
        if not ids:
            out.print(Text.assemble((f"{label}: ", "bold"), "none"))
            continue
        frame = load(table, root=path, columns=[keys[table], "date", texts[table]]).set_index(keys[table])
        role_of: dict[str, list[str]] = {}
        for role, members in roles.items():
            for i in members:
                role_of.setdefault(i, []).append(role)
        grid = RichTable(
            "id", "date", "role", texts[table], title=f"{label} ({len(ids)})", title_justify="left"
        )
        for i in ids:
            date = frame.loc[i, "date"]
            grid.add_row(
                safe(i),
                safe("undated" if not isinstance(date, str) else date),
                safe(", ".join(role_of[i])),
                safe(frame.loc[i, texts[table]]),
            )
        out.print(grid)

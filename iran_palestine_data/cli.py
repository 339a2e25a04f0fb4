"""The ``iran-palestine-data`` command. Thin: parse arguments, call the package, print."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

app = typer.Typer(
    help="iran-palestine-data: a provenance-first dataset of Iran–Palestine relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
release_app = typer.Typer(help="Maintainer tasks for a release.", no_args_is_help=True)
app.add_typer(release_app, name="release")

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

PathArg = typer.Argument(None, help="Dataset directory (or its datapackage.json); default: the installed data.")


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


@app.command()
def validate(
    path: Optional[Path] = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    engine: str = typer.Option("fast", "--engine", help="fast (vectorised) or reference (frictionless); same verdicts."),
) -> None:
    """Check the dataset against every rule it promises. Exit code 1 if anything fails."""
    from .validator import ENGINES, validate as run

    if engine not in ENGINES:
        err.print(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", markup=False)
        raise typer.Exit(2)
    report = run(path, engine=engine)
    if as_json:
        print(report.to_json())
    else:
        for issue in report.issues:
            out.print(str(issue), markup=False)
        rows = sum(report.checked.values())
        if report.valid:
            out.print(f"[green]valid[/green]: {len(report.checked)} tables, {rows} rows, every rule passed")
        else:
            out.print(f"[red]invalid[/red]: {len(report.issues)} problem(s) in {len(report.checked)} tables, {rows} rows")
    raise typer.Exit(0 if report.valid else 1)


@app.command()
def info(
    path: Optional[Path] = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Version, row counts per table, and the sources with their types."""
    from .catalog import info as summary

    data = summary(root=path)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{data['name']}[/bold] v{data['version']} — {data['title']}")
    out.print(f"data: {data['root']}")
    sources = data["sources"]
    src = RichTable("#", title="Sources", title_justify="left")
    for name in ("source_id", "type", "published", "publisher"):
        src.add_column(name, overflow="fold")
    for n, s in enumerate(sources, start=1):
        src.add_row(str(n), s["source_id"], s["source_type"], s["published"] or "", s["publisher"] or "unknown")
    out.print(src)
    counts = RichTable("table", "rows", *(f"#{n}" for n in range(1, len(sources) + 1)),
                       title="Rows per table, and per source (#)", title_justify="left")
    for name, total in data["tables"].items():
        per = ["1" if name == "sources" else str(s["rows"].get(name, 0)) if name in data["sourced"] else "-" for s in sources]
        counts.add_row(name, str(total), *per)
    out.print(counts)


@app.command()
def cite(
    format: str = typer.Option("apa", "--format", "-f", help="bibtex, apa or cff."),
    id: Optional[str] = typer.Option(None, "--id", help="Also cite one row, e.g. EV-0012."),
) -> None:
    """How to cite this dataset version (and a row)."""
    from .citation import STYLES
    from .citation import cite as make

    if format not in STYLES:
        _fail(f"unknown format {format!r}; choose one of {', '.join(STYLES)}")
    print(make(format, id=id))


@app.command()
def show(
    id: str = typer.Argument(..., help="A row id: EV-0001, ST-0001, FC-0001, an actor or source id."),
    path: Optional[Path] = typer.Option(None, "--path", help="Dataset directory; default: the installed data."),
    width: int = typer.Option(300, help="Characters of source text to show around the quote."),
) -> None:
    """Show a row, its source, and its quote highlighted in the source text."""
    from .catalog import find, quote_context

    try:
        found = find(id, root=path)
    except KeyError as exc:
        _fail(str(exc.args[0]), 1)
    grid = RichTable("column", "value", title=f"{found.table} row {found.row_number}", title_justify="left", show_lines=False)
    for k, v in found.row.items():
        grid.add_row(k, "" if v is None else str(v))
    out.print(grid)
    if found.source:
        s = found.source
        out.print(f"[bold]source[/bold] {s['source_id']}: {s['title']} — {s['publisher'] or 'publisher unknown'}, "
                  f"{s['source_type']}, published {s['published'] or 'unknown'} ({s['published_basis']})")
        quote = found.row.get("quote")
        ctx = quote_context(s, quote, width=width, root=path) if quote else None
        if ctx is None and quote:
            out.print("[red]the quote is not found in the snapshot[/red] (run `iran-palestine-data validate`)")
        elif ctx is not None:
            text = Text("…" + ctx.before)
            text.append(ctx.quote, style="bold black on yellow")
            text.append(ctx.after + "…")
            out.print(f"[dim]{ctx.snapshot}, character {ctx.offset}:[/dim]")
            out.print(text)
    if found.table in ("events", "statements", "funding_claims"):
        from .graph import related

        rel = related(id, root=path)
        if rel.empty:
            out.print("[dim]no linked rows[/dim]")
        else:
            grid = RichTable("relation", "id", "source", "date", "text", "note", title="Related rows", title_justify="left")
            for r in rel.itertuples(index=False):
                grid.add_row(r.relation + (f" (via {r.via})" if r.via else ""), r.id, r.source_id, "" if r.date is None or r.date != r.date else str(r.date), str(r.text), str(r.note))
            out.print(grid)


@app.command()
def coverage(
    path: Optional[Path] = PathArg,
    source: Optional[str] = typer.Option(None, "--source", help="Only this source_id."),
    show: str = typer.Option("neither", "--show", help="Which sentences to list: neither, excluded, covered or all."),
    as_json: bool = typer.Option(False, "--json", help="Print every sentence with its status as JSON."),
) -> None:
    """For each source: which sentences are covered by a quote, deliberately excluded, or neither.

    Exit code 1 if any sentence is neither covered nor excluded.
    """
    from .coverage import NEITHER
    from .coverage import coverage as measure

    try:
        results = measure(root=path, source_id=source)
    except KeyError as exc:
        _fail(str(exc.args[0]), 2)
    if as_json:
        print(json.dumps([
            {"source_id": r.source_id, "snapshot": r.snapshot, "sentences": [
                {"line": s.line, "start": s.sentence.start, "end": s.sentence.end, "status": s.status,
                 "coded_share": round(s.coded, 3), "excluded_share": round(s.excluded, 3), "text": s.sentence.text}
                for s in r.sentences]}
            for r in results], ensure_ascii=False, indent=2))
    else:
        grid = RichTable("source_id", "sentences", "covered", "excluded", "neither", title="Coverage of the snapshots", title_justify="left")
        for r in results:
            grid.add_row(r.source_id, str(len(r.sentences)), str(r.count("covered")), str(r.count("excluded")),
                         f"[red]{r.count(NEITHER)}[/red]" if r.count(NEITHER) else "0")
        out.print(grid)
        for r in results:
            for s in r.sentences:
                if show == "all" or s.status == show:
                    out.print(f"{r.snapshot}:{s.line} [{s.status}, coded {s.coded:.0%}, excluded {s.excluded:.0%}] {s.sentence.text}",
                              markup=False)
    raise typer.Exit(0 if all(r.complete for r in results) else 1)


@app.command()
def diff(
    old: str = typer.Argument(..., help="A released version (e.g. 0.1.0) or a dataset directory."),
    new: str = typer.Argument(".", help="A released version or a dataset directory; default: the current directory."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Row-level changelog: rows added, removed (with the retirement reason) and changed, per table."""
    from .diff import diff as compare
    from .diff import to_json, to_markdown

    try:
        result = compare(old, new)
    except KeyError as exc:
        _fail(str(exc.args[0]), 2)
    if as_json:
        print(to_json(result))
        return
    retired = {}
    try:
        from .loader import read_strings

        target = new if Path(new).exists() else None
        for row in read_strings("retired", root=target).to_pylist():
            retired[row["id"]] = f"retired in {row['retired_in']}: {row['reason']}"
    except (KeyError, FileNotFoundError):
        pass
    out.print(to_markdown(result, retired=retired), markup=False)


@app.command()
def export(
    format: str = typer.Option(..., "--format", "-f", help="sqlite, parquet or jsonl."),
    out_dir: Path = typer.Option(..., "--out", help="Directory to write to (created if needed)."),
    path: Optional[Path] = typer.Option(None, "--path", help="Dataset directory; default: the installed data."),
) -> None:
    """Export the dataset for other tools: SQLite (+ Datasette metadata), Parquet or JSON Lines."""
    from .exporters import FORMATS
    from .exporters import export as write

    if format not in FORMATS:
        _fail(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    for file in write(format, out_dir, root=path):
        out.print(str(file), markup=False)


@app.command("figures")
def figures_cmd(
    out_dir: Path = typer.Option(Path("docs/figures"), "--out", help="Directory for timeline.png and network.png."),
    path: Optional[Path] = typer.Option(None, "--path", help="Dataset directory; default: the installed data."),
) -> None:
    """Draw the timeline and the actor network from the data (needs the 'figures' extra)."""
    try:
        from .figures import figures
    except ImportError:  # pragma: no cover - the extra is missing
        _fail("the figures need matplotlib and networkx: pip install 'iran-palestine-data[figures]'")
    for file in figures(out_dir, root=path):
        out.print(str(file), markup=False)


@app.command()
def conflicts(
    path: Optional[Path] = PathArg,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Every pair of rows that contradict each other, with both quotes side by side."""
    from .graph import conflicts as find

    frame = find(root=path)
    if as_json:
        print(frame.to_json(orient="records", force_ascii=False, indent=2))
        return
    for r in frame.itertuples(index=False):
        out.print(f"[bold]{r.link_id}[/bold] {r.a_id} ✕ {r.b_id}: {r.note}", markup=True, highlight=False)
        for side in ("a", "b"):
            out.print(f"  {getattr(r, side + '_id')} ({getattr(r, side + '_source')}, {getattr(r, side + '_date') or 'undated'}): ", end="")
            out.print(f"“{getattr(r, side + '_quote')}”", markup=False)
    out.print(f"{len(frame)} contradiction(s)")


@app.command("links")
def links_cmd(
    id: Optional[str] = typer.Argument(None, help="Only links touching this row."),
    path: Optional[Path] = typer.Option(None, "--path", help="Dataset directory; default: the installed data."),
    candidates: bool = typer.Option(False, "--candidates", help="List the systematic search's candidate pairs instead."),
    undecided: bool = typer.Option(False, "--undecided", help="With --candidates: only pairs with no decision yet."),
    threshold: float = typer.Option(None, "--threshold", help="With --candidates: minimum score (default: the project's threshold)."),
) -> None:
    """The claim links; or, with --candidates, the pairs the systematic search proposes and their decisions."""
    from .graph import CANDIDATE_THRESHOLD
    from .graph import candidates as search
    from .graph import links as all_links

    if candidates:
        frame = search(root=path, threshold=CANDIDATE_THRESHOLD if threshold is None else threshold)
        if undecided:
            frame = frame[frame["decision"] == "undecided"]
        for r in frame.itertuples(index=False):
            out.print(f"{r.score:5.1f} {r.a_id} {r.b_id} [{r.decision}] {r.a_text[:50]} || {r.b_text[:50]}", markup=False)
        out.print(f"{len(frame)} candidate pair(s)")
        raise typer.Exit(1 if undecided and len(frame) else 0)
    frame = all_links(id, root=path)
    for r in frame.itertuples(index=False):
        out.print(f"{r.link_id} {r.from_id} {r.relation} {r.to_id}: {r.note}", markup=False)
    out.print(f"{len(frame)} link(s)")


@app.command()
def codebook(
    out_path: Path = typer.Option(Path("docs/codebook.md"), "--out", help="Where to write the codebook."),
    check: bool = typer.Option(False, "--check", help="Only check that the file is current; exit 1 if stale."),
) -> None:
    """Generate the codebook (every table, field, code and definition) and the datasheet's composition block."""
    from .codebook import render, render_datasheet, write

    sheet = out_path.parent / "datasheet.md"
    if check:
        current = out_path.exists() and out_path.read_text(encoding="utf-8") == render()
        if sheet.exists():
            text = sheet.read_text(encoding="utf-8")
            current = current and text == render_datasheet(text)
        out.print(f"{out_path} and {sheet} are {'current' if current else 'stale: run `iran-palestine-data codebook`'}")
        raise typer.Exit(0 if current else 1)
    out.print(f"{out_path} {'written' if write(out_path) else 'already current'}")
    if sheet.exists():
        text = sheet.read_text(encoding="utf-8")
        new = render_datasheet(text)
        if new != text:
            sheet.write_text(new, encoding="utf-8")
        out.print(f"{sheet} composition {'updated' if new != text else 'already current'}")


@release_app.command("refresh")
def release_refresh(path: Optional[Path] = PathArg) -> None:
    """Rewrite hash and bytes of every resource in datapackage.json after a deliberate change."""
    from .release import refresh

    changed = refresh(path)
    out.print(f"updated: {', '.join(changed)}" if changed else "hash and bytes already current")


@release_app.command("bump")
def release_bump(
    version: str = typer.Argument(..., help="The new version, MAJOR.MINOR.PATCH."),
    date: str = typer.Option(..., "--date", help="Release date, YYYY-MM-DD."),
    path: Optional[Path] = typer.Option(None, "--path", help="Dataset directory; default: the checkout."),
) -> None:
    """Set the version in pyproject.toml, datapackage.json and CITATION.cff together; refresh hash and bytes."""
    from .release import ReleaseError, bump

    try:
        updated = bump(version, date=date, root=path)
    except ReleaseError as exc:
        _fail(str(exc), 1)
    out.print(f"version {version} in: {', '.join(updated)}")


def main() -> None:
    """Entry point; bad input ends with a message and exit code, never a traceback."""
    from .report import DataError

    try:
        app()
    except DataError as exc:
        for issue in exc.issues:
            err.print(str(issue), markup=False)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()

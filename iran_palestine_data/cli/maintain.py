"""The history of the data and its releases: ``versions``, ``history`` of a row, ``diff`` between
versions, and the maintainer's ``release refresh`` and ``release bump``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table as RichTable

from .common import PathArg, escape, fail, out, safe, write_json


def diff(
    old: str = typer.Argument(..., help="A released version (e.g. 0.3.0) or a dataset directory."),
    new: Optional[str] = typer.Argument(
        None, help="A released version or a dataset directory; default: the installed data."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON (every changed cell, old and new)."),
    brief: bool = typer.Option(
        False, "--brief", help="Only the ids of changed rows, not their old → new values."
    ),
) -> None:
    """What changed between two versions: per table, rows added, retired and changed (each changed
    cell old → new) and unchanged."""
    from ..release.diff import diff as compare
    from ..release.diff import side_root, summary_table, to_json, to_markdown

    try:
        result = compare(old, new)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    if as_json:
        write_json(to_json(result))
        return
    grid = RichTable(
        "table", "added", "retired", "removed", "changed", "unchanged", title="Summary", title_justify="left"
    )
    for name, counts in summary_table(result):
        grid.add_row(
            safe(name), *(str(counts[k]) for k in ("added", "retired", "removed", "changed", "unchanged"))
        )
    out.print(grid)
    retired = {}
    try:
        from ..read.strings import read_strings

        for row in read_strings("retired", root=side_root(new)).to_pylist():
            retired[row["id"]] = f"retired in {row['retired_in']}: {row['reason']}"
    except (KeyError, FileNotFoundError):
        pass
    out.print(escape(to_markdown(result, retired=retired, values=not brief), keep="\n"), markup=False)


def versions(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Every version of the dataset the package holds, oldest first, with its date and whether it is released."""
    from ..contract.published import load_release, released_versions
    from ..contract.published import versions as every

    released = released_versions()
    rows = [
        {"version": v, "date": load_release(v).date if v in released else "", "released": v in released}
        for v in every()
    ]
    if as_json:
        write_json(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        out.print(safe(f"{r['version']}  {r['date'] or 'unreleased (the installed data)'}"))


def history(
    id: str = typer.Argument(..., help="A row id: EV-0011, ST-0001, FC-0001, an actor or source id."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    notes: bool = typer.Option(False, "--notes", help="Also print each release's CHANGELOG entry in full."),
) -> None:
    """A row through every release: added, changed (old → new per cell), unchanged, retired."""
    from ..read.lookup import UnknownIdError
    from ..release.row_history import history as trace

    try:
        revisions = trace(id)
    except UnknownIdError as exc:
        fail(exc.line, 1)
    if as_json:
        write_json(json.dumps([r.to_dict() for r in revisions], ensure_ascii=False, indent=2))
        return
    for r in revisions:
        head = f"{r.version}" + (f" ({r.date})" if r.date else " (unreleased)") + f": {r.status}"
        if r.table:
            head += f" in {r.table}"
        if r.reason:
            head += f": {r.reason}"
        out.print(safe(head, "bold"))
        if r.status == "added" and r.row:
            for col, value in r.row.items():
                out.print(safe(f"  {col}: {value}"))
        for col, (before, after) in r.changes.items():
            out.print(
                safe(
                    f"  {col}: {json.dumps(before, ensure_ascii=False)} → {json.dumps(after, ensure_ascii=False)}"
                )
            )
        if r.notes and r.status in ("added", "changed", "retired"):
            first = " ".join(r.notes.strip().split("\n\n")[0].split())
            out.print(safe(f"  release notes: {r.notes.strip() if notes else first}", "dim"))


def refresh(path: PathArg = None) -> None:
    """Rewrite hash and bytes of every resource in datapackage.json after a deliberate change."""
    from ..release.hashes import refresh as rewrite

    changed = rewrite(path)
    out.print(safe(f"updated: {', '.join(changed)}" if changed else "hash and bytes already current"))


def bump(
    version: str = typer.Argument(..., help="The new version, MAJOR.MINOR.PATCH."),
    date: str = typer.Option(..., "--date", help="Release date, YYYY-MM-DD."),
    path: Annotated[
        Optional[Path], typer.Option("--path", help="Dataset directory; default: the checkout.")
    ] = None,
) -> None:
    """Release: set the version in pyproject.toml, datapackage.json and CITATION.cff together, refresh
    hash and bytes, and add the release to the release store (releases/)."""
    from ..release.bump import ReleaseError
    from ..release.bump import bump as cut

    try:
        updated = cut(version, date=date, root=path)
    except ReleaseError as exc:
        fail(str(exc), 1)
    out.print(safe(f"version {version} in: {', '.join(updated)}"))

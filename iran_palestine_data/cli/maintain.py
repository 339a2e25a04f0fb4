"""Maintainer commands: ``diff`` between versions, ``release refresh`` and ``release bump``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import PathArg, escape, fail, out, safe, write_json


def diff(
    old: str = typer.Argument(..., help="A released version (e.g. 0.1.0) or a dataset directory."),
    new: str = typer.Argument(
        ".", help="A released version or a dataset directory; default: the current directory."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Row-level changelog: rows added, removed (with the retirement reason) and changed, per table."""
    from ..release.diff import diff as compare
    from ..release.diff import to_json, to_markdown

    try:
        result = compare(old, new)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    if as_json:
        write_json(to_json(result))
        return
    retired = {}
    try:
        from ..read.strings import read_strings

        target = new if Path(new).exists() else None
        for row in read_strings("retired", root=target).to_pylist():
            retired[row["id"]] = f"retired in {row['retired_in']}: {row['reason']}"
    except (KeyError, FileNotFoundError):
        pass
    out.print(escape(to_markdown(result, retired=retired), keep="\n"), markup=False)


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
    """Set the version in pyproject.toml, datapackage.json and CITATION.cff together; refresh hash and bytes."""
    from ..release.bump import ReleaseError
    from ..release.bump import bump as cut

    try:
        updated = cut(version, date=date, root=path)
    except ReleaseError as exc:
        fail(str(exc), 1)
    out.print(safe(f"version {version} in: {', '.join(updated)}"))

"""The ``iran-palestine-data`` command: the Typer app, its commands in help order, and ``main()``.

Thin: each command parses its arguments, calls the package, and prints (escaped).
"""

from __future__ import annotations

import sys

import typer

from . import check, explore, maintain, outputs, rows, site_command
from .common import write_lines

app = typer.Typer(
    help="iran-palestine-data: a provenance-first dataset of Iran–Palestine relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
release_app = typer.Typer(help="Maintainer tasks for a release.", no_args_is_help=True)

for name, command in (
    ("validate", check.validate),
    ("info", explore.info),
    ("cite", outputs.cite),
    ("annotation", outputs.annotation),
    ("show", rows.show),
    ("coverage", explore.coverage),
    ("versions", maintain.versions),
    ("history", maintain.history),
    ("diff", maintain.diff),
    ("export", outputs.export),
    ("figures", outputs.figures),
    ("conflicts", explore.conflicts),
    ("links", explore.links),
    ("codebook", outputs.codebook),
    ("site", site_command.site),
):
    app.command(name)(command)
release_app.command("refresh")(maintain.refresh)
release_app.command("bump")(maintain.bump)
app.add_typer(release_app, name="release")


def main() -> None:
    """Entry point; bad input ends with a message and exit code, never a traceback."""
    from ..errors import DataError

    try:
        app()
    except DataError as exc:
        write_lines((str(issue) for issue in exc.issues), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()

"""The ``site`` command: build the static site of the dataset into a folder and print the report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import PathOption, VersionOption, fail, out, safe


def site(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder for the site (created; a site built there before is replaced, any other "
            "non-empty folder is refused).",
        ),
    ],
    path: PathOption = None,
    version: VersionOption = None,
) -> None:
    """Build a static website of the dataset: every row on its own page with its quote highlighted in
    the full text of its source, the tables, a timeline, the sources, actors and conflicts, and the
    downloads. Plain files: open index.html from disk, or put the folder on any static host."""
    from ..website.build import site as build

    try:
        report = build(out_dir, root=path, version=version)
    except KeyError as exc:  # an unknown --version
        fail(str(exc.args[0]), 2)
    except (FileExistsError, NotADirectoryError) as exc:
        fail(str(exc), 2)
    except OSError as exc:
        fail(f"cannot write the site to {out_dir}: {exc.strerror or exc}")
    for line in report.lines():
        out.print(safe(line))

"""Commands that make things for people and other tools: ``cite``, ``annotation``, ``export``, ``figures``,
``codebook``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import PathOption, VersionOption, at_version, escape, fail, out, safe, write_json


def cite(
    format: str = typer.Option("apa", "--format", "-f", help="bibtex, biblatex, apa, ris, csl-json or cff."),
    id: Annotated[
        Optional[list[str]],
        typer.Option(
            "--id",
            help="Cite a row, e.g. EV-0012; repeat for several. One --id: that row's entry alone; "
            "several: the dataset entry, then one per row. Every entry has its own key.",
        ),
    ] = None,
) -> None:
    """How to cite this dataset version (and rows of it, with the sources they quote)."""
    from ..publish.citation import STYLES, UnknownIdError
    from ..publish.citation import cite as make

    if format not in STYLES:
        fail(f"unknown format {format!r}; choose one of {', '.join(STYLES)}")
    ids = list(dict.fromkeys(id or []))
    try:
        text = make(format, id=ids[0]) if len(ids) == 1 else make(format, ids=ids)
    except UnknownIdError as exc:
        fail(exc.line, code=1)
    print(escape(text, keep="\n"))


def export(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="sqlite (+ Datasette metadata), parquet, stata, jsonl, or annotations (W3C Web "
            "Annotations, JSON-LD).",
        ),
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write to (created if needed).")],
    path: PathOption = None,
    version: VersionOption = None,
) -> None:
    """Export the dataset for other tools: SQLite (+ Datasette metadata), Parquet, Stata, JSON Lines,
    or the quotes as W3C Web Annotations."""
    from ..publish.exporters import FORMATS
    from ..publish.exporters import export as write

    if format not in FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    try:
        written = write(format, out_dir, root=at_version(version, path))
    except OSError as exc:  # the folder is a file, or cannot be written: nothing was replaced
        fail(f"cannot export to {out_dir}: {exc.strerror or exc}")
    for file in written:
        out.print(safe(file))


def annotation(
    id: str = typer.Argument(..., help="A row id (EV-0001, ST-0001, an actor's id) or an exclusion's id."),
    path: PathOption = None,
    version: VersionOption = None,
) -> None:
    """The W3C Web Annotation (JSON-LD) of a row's quote: where it is in its snapshot, and what we read in it."""
    import json

    from ..publish.web_annotations import annotation as make
    from ..read.lookup import UnknownIdError

    try:
        data = make(id, root=at_version(version, path))
    except UnknownIdError as exc:
        fail(exc.line, code=1)
    write_json(json.dumps(data, ensure_ascii=False, indent=2))


def figures(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Directory for timeline.png, timeline.svg, network.png and network.svg (created if needed). "
            "Maintainers regenerate the README's images with --out docs/figures.",
        ),
    ] = Path("figures"),
    path: PathOption = None,
) -> None:
    r"""Draw the timeline and the actor network from the data, as PNG and SVG, into ./figures (or --out);
    prints each file written. Needs the figures extra: pip install "iran-palestine-data\[figures]".

    Maintainers regenerate the README's images with: iran-palestine-data figures --out docs/figures
    """
    from ..publish.figures import MissingExtraError, figures

    try:
        drawn = figures(out_dir, root=path)
    except MissingExtraError as exc:  # matplotlib or networkx is not installed: one line, no traceback
        fail(str(exc), code=1)
    except OSError as exc:
        fail(f"cannot write the figures to {out_dir}: {exc.strerror or exc}")
    for file in drawn:
        out.print(safe(file))


def codebook(
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the codebook.")] = Path(
        "docs/codebook.md"
    ),
    check: bool = typer.Option(
        False, "--check", help="Only check that the files are current; exit 1 if stale."
    ),
) -> None:
    """Generate the codebook, the datasheet's composition, the README's checks, croissant.json and docs/dataset.jsonld."""
    from ..atomic import write_text
    from ..publish.codebook import render, render_readme, write
    from ..publish.datasheet import render_datasheet
    from ..publish.metadata import CROISSANT_FILE, SCHEMA_ORG_FILE, render_croissant, render_schema_org

    # generated blocks of hand-written files beside the codebook: docs/datasheet.md and the README
    blocks = [
        (out_path.parent / "datasheet.md", render_datasheet, "composition"),
        (out_path.parent.parent / "README.md", render_readme, "list of checks"),
    ]
    present = [(path, make, what) for path, make, what in blocks if path.exists()]
    # whole generated files, when the codebook is written into a checkout (datapackage.json two folders up):
    # the Croissant metadata at its root, the schema.org block beside the codebook
    checkout = (out_path.parent.parent / "datapackage.json").is_file()
    whole = (
        [
            (out_path.parent.parent / CROISSANT_FILE, render_croissant),
            (out_path.parent / Path(SCHEMA_ORG_FILE).name, render_schema_org),
        ]
        if checkout
        else []
    )
    if check:
        current = out_path.exists() and out_path.read_text(encoding="utf-8") == render()
        for path, make, _ in present:
            text = path.read_text(encoding="utf-8")
            current = current and text == make(text)
        for path, render_file in whole:
            current = current and path.is_file() and path.read_text(encoding="utf-8") == render_file()
        names = ", ".join(
            str(p) for p in [out_path, *(path for path, _, _ in present), *(p for p, _ in whole)]
        )
        out.print(safe(f"{names}: {'current' if current else 'stale: run `iran-palestine-data codebook`'}"))
        raise typer.Exit(0 if current else 1)
    out.print(safe(f"{out_path} {'written' if write(out_path) else 'already current'}"))
    for path, make, what in present:
        text = path.read_text(encoding="utf-8")
        new = make(text)
        if new != text:
            write_text(path, new)
        out.print(safe(f"{path} {what} {'updated' if new != text else 'already current'}"))
    for path, render_file in whole:
        new = render_file()
        stale = not path.is_file() or path.read_text(encoding="utf-8") != new
        if stale:
            write_text(path, new)
        out.print(safe(f"{path} {'written' if stale else 'already current'}"))

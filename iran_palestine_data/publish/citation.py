"""CITATION.cff -> BibTeX, APA or the CFF text itself."""

from __future__ import annotations

from pathlib import Path

from ..paths import read_inside, resolve_root

STYLES = ("bibtex", "apa", "cff")


def _metadata(root) -> tuple[dict, str]:
    import yaml

    text = read_inside(resolve_root(root), "CITATION.cff").decode("utf-8", errors="replace")
    return yaml.safe_load(text), text


def _authors(meta: dict) -> list[str]:
    out = []
    for a in meta.get("authors", []):
        if "name" in a:
            out.append(a["name"])
        else:
            out.append(", ".join(p for p in (a.get("family-names"), a.get("given-names")) if p))
    return out


def cite(style: str = "apa", *, id: str | None = None, root: str | Path | None = None) -> str:
    """A citation of this dataset version, optionally pointing at one row.

    Parameters
    ----------
    style : {"apa", "bibtex", "cff"}
    id : str, optional
        A row id (EV-0012, ST-0003, hamas, ...) to cite alongside the version.

    Examples
    --------
    >>> from iran_palestine_data import cite
    >>> "[Data set]" in cite("apa")
    True
    """
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")
    meta, text = _metadata(root)
    if style == "cff":
        return text
    title, version = meta["title"], str(meta["version"])
    year = str(meta.get("date-released", ""))[:4]
    authors = _authors(meta)
    row = f", {id}" if id else ""
    if style == "apa":
        who = ", ".join(authors)
        row_part = f". Row {id}" if id else ""
        licence = meta.get("license", "see LICENSE")
        return f"{who}. ({year}). {title} (Version {version}) [Data set]{row_part}. License: {licence}."
    key = "iran_palestine_data_" + version.replace(".", "_")
    note = f"Dataset version {version}{row}. License: {meta.get('license', '')}"
    fields = {
        "title": "{" + title + "}",
        "author": " and ".join("{" + a + "}" for a in authors),
        "year": year,
        "version": version,
        "note": note,
        "howpublished": "Python package iran-palestine-data and Frictionless Data Package",
    }
    body = ",\n".join(f"  {k:<12} = {{{v}}}" for k, v in fields.items())
    return f"@misc{{{key},\n{body}\n}}"

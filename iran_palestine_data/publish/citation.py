"""Citations of a dataset version and of its rows: BibTeX, BibLaTeX, APA, RIS, CSL-JSON and CFF.

Every entry has its own key, made of the version and (for a row) the row id, so that the dataset entry
and the entries of any rows can stand side by side in one bibliography. A row's entry names the dataset
version and the original source the row quotes (publisher, title, date as far as it is known, URL when
one is recorded); nothing is invented: an unknown date is left out, an empty URL gives no URL field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..paths import read_inside, resolve_root
from ..read.lookup import UnknownIdError
from ..read.lookup import suggest as _suggest

STYLES = ("bibtex", "biblatex", "apa", "ris", "csl-json", "cff")

_KEY_PREFIX = "iran_palestine_data_"
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_:.\-]")
_RETIRED = "retired"  # the table of retired ids: an id there names no row that can be cited


@dataclass(frozen=True)
class _Dataset:
    title: str
    version: str
    date: tuple[int, ...]  # (year, month, day) as far as known
    authors: tuple[dict, ...]  # CFF persons or entities
    licence: str
    url: str
    abstract: str


@dataclass(frozen=True)
class _Source:
    id: str
    title: str
    publisher: str
    author: str
    published: str  # EDTF, as recorded
    date: tuple[int, ...]  # what is known of ``published``: (), (y,), (y, m) or (y, m, d)
    uncertain: bool  # the EDTF date carries ? ~ or %
    url: str


@dataclass(frozen=True)
class _Entry:
    key: str
    row_id: str | None = None
    table: str | None = None
    source: _Source | None = None


def _metadata(root) -> tuple[dict, str]:
    import yaml

    text = read_inside(resolve_root(root), "CITATION.cff").decode("utf-8", errors="replace")
    meta = yaml.safe_load(text)
    return (meta if isinstance(meta, dict) else {}), text


def _date_parts(text: str) -> tuple[int, ...]:
    match = re.match(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
    return tuple(int(g) for g in match.groups() if g) if match else ()


def _dataset(meta: dict) -> _Dataset:
    authors = tuple(a for a in meta.get("authors") or () if isinstance(a, dict))
    url = next((str(meta[k]) for k in ("url", "repository-code") if meta.get(k)), "")
    return _Dataset(
        title=str(meta.get("title", "")),
        version=str(meta.get("version", "")),
        date=_date_parts(str(meta.get("date-released", ""))),
        authors=authors,
        licence=str(meta.get("license", "")),
        url=url,
        abstract=" ".join(str(meta.get("abstract", "")).split()),
    )


def known_date(edtf: str) -> tuple[tuple[int, ...], bool]:
    """What an EDTF date tells for certain: (year, month, day) as far as its bounds agree, and whether
    it is marked uncertain or approximate. An open or unparsable date gives ``()``.

    >>> known_date("2021-12-25")
    ((2021, 12, 25), False)
    >>> known_date("2020-01/..")
    ((), False)
    >>> known_date("2019?")
    ((2019,), True)
    """
    from ..contract.dates import EDTFError, parse

    try:
        bounds = parse(edtf)
    except EDTFError:
        return (), False
    uncertain = any(q in edtf for q in "?~%")
    lo, hi = bounds.start, bounds.end
    if lo is None or hi is None or lo.year != hi.year:
        return (), uncertain
    if lo.month != hi.month:
        return (lo.year,), uncertain
    if lo.day != hi.day:
        return (lo.year, lo.month), uncertain
    return (lo.year, lo.month, lo.day), uncertain


def _source(row: dict) -> _Source:
    cells = {k: row.get(k) or "" for k in ("source_id", "title", "publisher", "author", "published", "url")}
    date, uncertain = known_date(cells["published"])
    return _Source(cells.pop("source_id"), date=date, uncertain=uncertain, **cells)


def _key(version: str, row_id: str | None = None) -> str:
    key = _KEY_PREFIX + version.replace(".", "_") + (f":{row_id}" if row_id else "")
    return _KEY_UNSAFE.sub("_", key)


def _entries(version: str, ids: list[str], root) -> list[_Entry]:
    """One entry per id (in the order given, each once), after checking that every id names a row."""
    from ..contract.schema import package
    from ..read.strings import read_strings

    pkg = package(root)
    rows: dict[str, tuple[str, dict]] = {}
    for tbl in pkg.tables.values():
        if tbl.id_field:
            for row in read_strings(tbl, root=pkg.root).to_pylist():
                if row.get(tbl.id_field):
                    rows.setdefault(row[tbl.id_field], (tbl.name, row))
    sources = {s.get("source_id"): s for t, s in rows.values() if t == "sources"}
    out: list[_Entry] = []
    for row_id in dict.fromkeys(ids):
        table, row = rows.get(row_id, (None, None))
        if table is None or row is None:
            raise UnknownIdError(row_id, _suggest(row_id, [k for k, v in rows.items() if v[0] != _RETIRED]))
        if table == _RETIRED:
            reason = f"the id {row_id!r} was retired in {row.get('retired_in') or 'an earlier release'}"
            raise UnknownIdError(row_id, [row["replaced_by"]] if row.get("replaced_by") else [], reason)
        source_row = row if table == "sources" else sources.get(row.get("source_id"))
        out.append(_Entry(_key(version, row_id), row_id, table, _source(source_row) if source_row else None))
    keys = [e.key for e in out]
    if len(set(keys)) != len(keys):  # pragma: no cover - ids follow their patterns, which keys keep
        raise ValueError("two row ids give the same citation key")
    return out


def _person(a: dict) -> str:
    if a.get("name"):
        return str(a["name"])
    return ", ".join(str(p) for p in (a.get("family-names"), a.get("given-names")) if p)


def _iso(parts: tuple[int, ...]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def _source_words(src: _Source) -> str:
    """The source in a sentence: who, what, when (as far as known), where."""
    when = _iso(src.date) + ("?" if src.uncertain else "") if src.date else "n.d."
    if src.published and (not src.date or src.uncertain):
        when += f"; EDTF {src.published}"
    parts = [p for p in (src.author, src.publisher) if p]
    text = ", ".join(parts + [f"“{src.title}”" if src.title else src.id]) + f" ({when})"
    if src.url:
        text += f", {src.url}"
    return text


def _note(ds: _Dataset, e: _Entry) -> str:
    note = f"Dataset version {ds.version}" + (f", row {e.row_id} ({e.table})" if e.row_id else "")
    if e.source is not None:
        verb = "the source itself" if e.table == "sources" else "quoting"
        note += f", {verb}: {_source_words(e.source)}"
    return note + (f". License: {ds.licence}" if ds.licence else "")


def _title(ds: _Dataset, e: _Entry) -> str:
    return ds.title if e.row_id is None else f"{ds.title}, row {e.row_id}"


_TEX = {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX["\\"] = r"\textbackslash{}"


def _tex(text: str) -> str:
    return "".join(_TEX.get(c, c) for c in " ".join(text.split()))


def _bib(ds: _Dataset, e: _Entry, *, biblatex: bool) -> str:
    authors = " and ".join("{" + _tex(_person(a)) + "}" for a in ds.authors)
    fields: dict[str, str] = {"title": "{" + _tex(_title(ds, e)) + "}", "author": authors}
    if ds.date:
        fields["date" if biblatex else "year"] = _iso(ds.date) if biblatex else str(ds.date[0])
    fields["version"] = _tex(ds.version)
    fields["note"] = _tex(_note(ds, e))
    if biblatex and e.source is not None:  # the original the row quotes, in biblatex's own fields
        if e.source.title:
            fields["origtitle"] = "{" + _tex(e.source.title) + "}"
        if e.source.publisher:
            fields["origpublisher"] = "{" + _tex(e.source.publisher) + "}"
        if e.source.date and not e.source.uncertain:
            fields["origdate"] = _iso(e.source.date)
    how = "Python package iran-palestine-data and Frictionless Data Package"
    fields["type" if biblatex else "howpublished"] = "Data set" if biblatex else how
    if ds.url:
        fields["url"] = ds.url
    body = ",\n".join(f"  {k:<13} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{'dataset' if biblatex else 'misc'}{{{e.key},\n{body}\n}}"


def _sentence(text: str) -> str:
    return text if text[-1:] in ".?!" else text + "."


def _apa(ds: _Dataset, e: _Entry) -> str:
    who = ", ".join(_person(a) for a in ds.authors)
    year = str(ds.date[0]) if ds.date else "n.d."
    text = f"{who}. ({year}). {ds.title} (Version {ds.version}) [Data set]."
    if e.row_id is not None:
        text += f" Row {e.row_id} ({e.table})."
        if e.source is not None:
            lead = "The source itself" if e.table == "sources" else "Quoting"
            text += f" {lead}: {_sentence(_apa_source(e.source))}"
    if ds.licence:
        text += f" License: {ds.licence}."
    if ds.url:
        text += f" {ds.url}"
    return text


def _apa_source(src: _Source) -> str:
    import calendar

    if not src.date:
        when = "n.d."
    elif len(src.date) == 1:
        when = str(src.date[0])
    else:
        when = f"{src.date[0]}, {calendar.month_name[src.date[1]]}" + (
            f" {src.date[2]}" if len(src.date) == 3 else ""
        )
    if src.uncertain:
        when += "?"
    who = src.author or src.publisher or src.title or src.id
    parts = [f"{who} ({when})"]
    if src.title and src.title != who:
        parts.append(src.title)
    if src.author and src.publisher:
        parts.append(src.publisher)
    if src.url:
        parts.append(src.url)
    return " ".join(p if p[-1] in ".?!" else p + "." for p in parts).rstrip(".")


def _ris(ds: _Dataset, e: _Entry) -> str:
    lines = [("TY", "DATA"), ("ID", e.key), ("TI", _title(ds, e))]
    lines += [("AU", _person(a)) for a in ds.authors]
    if ds.date:
        lines += [("PY", str(ds.date[0])), ("DA", "/".join(f"{p:02d}" for p in ds.date))]
    lines += [("ET", ds.version), ("N1", _note(ds, e))]
    if e.source is not None:
        lines += [("OP", _source_words(e.source))]
    if ds.url:
        lines += [("UR", ds.url)]
    lines += [("ER", "")]
    return "\n".join(f"{tag}  - {' '.join(value.split())}".rstrip() for tag, value in lines)


def _csl_name(a: dict) -> dict:
    if a.get("name"):
        return {"literal": str(a["name"])}
    return {k: str(a[c]) for k, c in (("family", "family-names"), ("given", "given-names")) if a.get(c)}


def _csl(ds: _Dataset, e: _Entry) -> dict:
    item: dict = {
        "id": e.key,
        "type": "dataset",
        "title": _title(ds, e),
        "author": [_csl_name(a) for a in ds.authors],
    }
    if ds.date:
        item["issued"] = {"date-parts": [list(ds.date)]}
    item |= {"version": ds.version, "medium": "Data set", "note": _note(ds, e)}
    if (src := e.source) is not None:  # the original the row quotes, in CSL's own variables
        item |= {f"original-{k}": v for k, v in (("title", src.title), ("publisher", src.publisher)) if v}
        if src.author:
            item["original-author"] = [{"literal": src.author}]
        if src.date:
            item["original-date"] = {"date-parts": [list(src.date)]} | (
                {"circa": True} if src.uncertain else {}
            )
    if ds.abstract and e.row_id is None:
        item["abstract"] = ds.abstract
    if ds.url:
        item["URL"] = ds.url
    return item


def cite(
    style: str = "apa",
    *,
    id: str | None = None,
    ids: list[str] | tuple[str, ...] | None = None,
    root: str | Path | None = None,
) -> str:
    """A citation of this dataset version, or of rows of it.

    Parameters
    ----------
    style : {"apa", "bibtex", "biblatex", "ris", "csl-json", "cff"}
    id : str, optional
        One row id (EV-0012, ST-0003, hamas, ...): the entry of that row alone. Its key
        (``iran_palestine_data_0_4_0:EV-0012``) differs from the dataset's and every other row's, so
        entries of separate calls can be put in one bibliography.
    ids : list of str, optional
        Several row ids: the dataset entry, then one entry per row.

    Raises
    ------
    ValueError
        For an unknown style; :class:`UnknownIdError` (a :class:`~iran_palestine_data.DataError`) for
        an id that names no row, with the closest ids as ``suggestions``.

    Examples
    --------
    >>> from iran_palestine_data import cite
    >>> "[Data set]" in cite("apa")
    True
    >>> cite("bibtex", id="EV-0015").splitlines()[0].endswith(":EV-0015,")
    True
    """
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")
    if isinstance(ids, str):
        raise TypeError("ids= takes a list of row ids; for one id use id=")
    meta, text = _metadata(root)
    ds = _dataset(meta)
    wanted = ([id] if id else []) + list(ids or [])
    rows = _entries(ds.version, wanted, root) if wanted else []
    if style == "cff":
        return text
    dataset = _Entry(_key(ds.version))
    entries = rows if (id and not ids) else [dataset, *rows]
    if style == "csl-json":
        return json.dumps([_csl(ds, e) for e in entries], ensure_ascii=False, indent=2)
    if style == "ris":
        return "\n".join(_ris(ds, e) for e in entries)
    if style == "apa":
        return "\n\n".join(_apa(ds, e) for e in entries)
    return "\n\n".join(_bib(ds, e, biblatex=style == "biblatex") for e in entries)

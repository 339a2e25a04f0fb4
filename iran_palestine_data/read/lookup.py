"""Look things up: a row by its id, the source text around a quote, a summary of the dataset."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import rulebook as rule
from ..contract.schema import package
from ..errors import DataError, Issue, file_row
from ..paths import read_inside
from .strings import read_strings


class UnknownIdError(DataError):
    """A row id that names no row of the dataset (to cite, to annotate, to trace through its
    history); ``suggestions`` are the closest ids, ``where`` what was asked for."""

    def __init__(self, id: str, suggestions: list[str], reason: str = "", where: str = "citation"):
        self.id, self.suggestions = id, list(suggestions)
        message = reason or f"no row has the id {id!r}"
        if self.suggestions:
            message += f"; did you mean {' or '.join(self.suggestions)}?"
        self.line = message
        super().__init__([Issue(where, rule.FOREIGN_KEY, message, value=id)])


_NUMBERED = re.compile(r"([A-Za-z]+)-([0-9]{1,9})", re.ASCII)


def suggest(word: str, ids: list[str]) -> list[str]:
    """The ids closest to ``word``: those equal to it but for case first, then difflib's closest."""
    import difflib

    same = [i for i in ids if i.casefold() == word.casefold()]
    # the same number with other zero padding: EV-15 or ev-015 for EV-0015
    numbered = _NUMBERED.fullmatch(word)
    if numbered:
        prefix, number = numbered.group(1).casefold(), int(numbered.group(2))
        for i in ids:
            m = _NUMBERED.fullmatch(i)
            if m and m.group(1).casefold() == prefix and int(m.group(2)) == number:
                same.append(i)
    # nothing close: still the closest one, so that the message shows what an id of the dataset looks like
    close = difflib.get_close_matches(word, ids, n=3, cutoff=0.5) or difflib.get_close_matches(
        word, ids, n=1, cutoff=0
    )
    return list(dict.fromkeys(same + close))[:3]


@dataclass(frozen=True)
class Found:
    table: str
    row_number: int  # file row number, header = 1
    row: dict
    source: dict | None  # the sources.csv row of the row's source_id


@dataclass(frozen=True)
class QuoteContext:
    before: str
    quote: str
    after: str
    snapshot: str  # relative path
    offset: int  # character offset of the quote in the snapshot


def _rows(table: str, root) -> list[dict]:
    return read_strings(table, root=root).to_pylist()


def find(id: str, *, root: str | Path | None = None) -> Found:
    """The row whose id (primary key of a single-key table) is ``id``; KeyError if there is none, its
    message naming the closest ids ("did you mean ...?")."""
    pkg = package(root)
    ids: list[str] = []
    for tbl in pkg.tables.values():
        if not tbl.id_field:
            continue
        for n, row in enumerate(_rows(tbl.name, pkg.root)):
            if row[tbl.id_field] == id:
                source = None
                if row.get("source_id") and "sources" in pkg.tables:
                    source = next(
                        (s for s in _rows("sources", pkg.root) if s["source_id"] == row["source_id"]), None
                    )
                return Found(tbl.name, file_row(n), row, source)
            ids.append(row[tbl.id_field])
    close = suggest(str(id), ids) if ids else []
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    raise KeyError(f"no row has the id {id!r}{hint}")


def quote_context(
    source: dict,
    quote: str,
    *,
    width: int = 300,
    root: str | Path | None = None,
    occurrence: int | str | None = None,
) -> QuoteContext | None:
    """The quote inside the surrounding text of its snapshot (``width`` characters either side): its
    ``occurrence``-th occurrence (1-based, as a row's ``quote_occurrence`` names it), else the first."""
    from ..kernels.substrings import occurrences

    pkg = package(root)
    text = read_inside(pkg.root, source["snapshot"]).decode("utf-8", errors="replace")
    found = occurrences(text, quote)
    # ASCII digits only: str.isdecimal() would take Arabic-Indic or fullwidth digits too
    nth = int(str(occurrence)) if occurrence and re.fullmatch(r"[0-9]+", str(occurrence), re.ASCII) else 1
    if not 1 <= nth <= len(found):
        return None
    at = found[nth - 1]
    start, end = max(0, at - width), min(len(text), at + len(quote) + width)
    return QuoteContext(text[start:at], quote, text[at + len(quote) : end], source["snapshot"], at)


def info(*, root: str | Path | None = None) -> dict:
    """Version, row counts per table, and the sources with their types."""
    pkg = package(root)
    counts = {name: read_strings(name, root=pkg.root).num_rows for name in pkg.tables}
    sources = _rows("sources", pkg.root) if "sources" in pkg.tables else []
    per_source: dict[str, dict[str, int]] = {s["source_id"]: {} for s in sources}
    for name, tbl in pkg.tables.items():
        if "source_id" in tbl.field_names and name != "sources":
            for sid in read_strings(name, root=pkg.root).column("source_id").to_pylist():
                per_source.setdefault(sid, {}).setdefault(name, 0)
                per_source[sid][name] += 1
    return {
        "name": pkg.descriptor.get("name"),
        "version": pkg.version,
        "title": pkg.descriptor.get("title"),
        "root": str(pkg.root),
        "tables": counts,
        "sourced": [n for n, t in pkg.tables.items() if "source_id" in t.field_names and n != "sources"],
        "sources": [
            {
                "source_id": s["source_id"],
                "source_type": s["source_type"],
                "publisher": s["publisher"],
                "published": s["published"],
                "title": s["title"],
                "rows": per_source.get(s["source_id"], {}),
            }
            for s in sources
        ],
    }

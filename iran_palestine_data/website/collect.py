"""Everything the site shows, read once: :func:`collect` → :class:`SiteData`.

The tables come as the analysis helpers give them (``events()``, ``statements()``, ``funding()``: the
actors' names joined in), the sources' texts through the one safe opener, each quote's place through
``read.lookup.quote_context`` (the occurrence its row pins), and coverage, citations, histories, related
rows and actor profiles from the parts that own them. Ids that cannot name a file are left out here,
each with a line in ``skipped``, so that no page is written outside the site's folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis.profiles import ActorProfile, profiles
from ..analysis.queries import events, funding, statements
from ..contract.schema import Package, package
from ..contract.semver import is_version, version_key
from ..errors import DataError
from ..graph import conflicts
from ..graph.claims import related_all
from ..kernels.substrings import occurrences
from ..paths import read_inside
from ..publish.citation import cite
from ..publish.coverage import SourceCoverage, coverage
from ..read.column_docs import column_docs
from ..read.lookup import info, quote_context
from ..read.same_as import ROW_TABLES, same_as_clusters
from ..read.strings import read_strings
from ..read.tables import load
from ..release.row_history import Revision, history
from .safety import row_id_ok, slug_ok

TABLE_WORDS = {"events": "event", "statements": "statement", "funding_claims": "funding claim"}


@dataclass
class Source:
    id: str
    row: dict[str, str]  # the sources.csv row, as written
    text: str | None  # the snapshot's text; None when it cannot be read (``problem`` says why)
    problem: str = ""


@dataclass
class Row:
    id: str
    table: str
    record: dict[str, Any]  # the row as the analysis helper gives it (names joined in)
    offset: int | None  # where its quote starts in the source's text (None: not found)


@dataclass
class SiteData:
    root: Path
    pkg: Package
    version: str
    info: dict
    frames: dict[str, Any]  # table -> DataFrame (events, statements, funding_claims, actors)
    docs: dict[str, dict[str, dict]]  # table -> column -> column_docs entry
    sources: dict[str, Source]
    rows: dict[str, Row]
    actors: dict[str, ActorProfile]
    clusters: dict[str, list[str]]
    related: dict[str, list[dict]]
    conflicts: list[dict]
    exclusions: list[dict]  # each with ``offset`` (None: not found)
    coverage: dict[str, SourceCoverage]
    citations: dict[str, dict[str, str]]  # "" (the dataset) or a row id -> style -> text
    histories: dict[str, list[Revision]]
    skipped: list[str] = field(default_factory=list)

    def actor_name(self, actor_id: str) -> str:
        found = self.actors.get(actor_id)
        return found.name if found else actor_id


def _records(frame) -> list[dict]:
    import pandas as pd

    out = []
    for record in frame.to_dict("records"):
        out.append(
            {k: (None if not isinstance(v, list) and bool(pd.isna(v)) else v) for k, v in record.items()}
        )
    return out


def _sources(pkg: Package, skipped: list[str]) -> dict[str, Source]:
    out = {}
    for row in read_strings("sources", root=pkg.root).to_pylist():
        sid = row.get("source_id") or ""
        if not slug_ok(sid):
            skipped.append(f"source {sid!r}: not a source id (lowercase words joined by hyphens)")
            continue
        try:
            text, problem = read_inside(pkg.root, row.get("snapshot") or "").decode("utf-8", "replace"), ""
        except DataError as exc:
            text, problem = None, "; ".join(issue.message for issue in exc.issues)
        out[sid] = Source(sid, row, text, problem)
    return out


def _rows(frames: dict, sources: dict[str, Source], root: Path, skipped: list[str]) -> dict[str, Row]:
    out = {}
    for table, key in ROW_TABLES.items():
        for record in _records(frames[table]):
            row_id = record[key]
            if not row_id_ok(row_id):
                skipped.append(
                    f"{TABLE_WORDS[table]} {row_id!r}: not a row id (two capitals, a hyphen, four digits)"
                )
                continue
            source = sources.get(record.get("source_id") or "")
            offset = None
            if source is not None and source.text is not None and record.get("quote"):
                pin = record.get("quote_occurrence")
                found = quote_context(source.row, record["quote"], width=0, root=root, occurrence=pin)
                offset = found.offset if found else None
            out[row_id] = Row(row_id, table, record, offset)
    return out


def _exclusions(pkg: Package, sources: dict[str, Source]) -> list[dict]:
    if "exclusions" not in pkg.tables:
        return []
    out = []
    for row in read_strings("exclusions", root=pkg.root).to_pylist():
        source = sources.get(row.get("source_id") or "")
        found = occurrences(source.text, row["quote"] or "") if source and source.text else []
        pin = row.get("quote_occurrence") or "1"
        nth = int(pin) if pin.isascii() and pin.isdigit() else 1
        out.append({**row, "offset": found[nth - 1] if 1 <= nth <= len(found) else None})
    return out


def _citations(ids: list[str], root: Path) -> dict[str, dict[str, str]]:
    """The dataset's APA and BibTeX entries, and each row's: one call per style (``ids=`` gives the
    dataset entry, then one per row, each a paragraph), else one call per row."""
    out: dict[str, dict[str, str]] = {}
    for style in ("apa", "bibtex"):
        try:
            parts = cite(style, ids=ids, root=root).split("\n\n")
        except DataError:
            continue  # a release without CITATION.cff: no citation is made up
        if len(parts) != len(ids) + 1:  # pragma: no cover - an entry holding a blank line
            parts = [cite(style, root=root), *(cite(style, id=i, root=root) for i in ids)]
        for key, text in zip(["", *ids], parts):
            out.setdefault(key, {})[style] = text
    return out


def _histories(ids: list[str], root: Path | None, version: str) -> dict[str, list[Revision]]:
    """Each row's history from the release store of ``root`` (the installed data's without one), up to
    the site's version."""
    out = {}
    for row_id in ids:
        try:
            revisions = history(row_id, root=root)
        except (DataError, KeyError, OSError, ValueError):
            continue
        out[row_id] = [
            r
            for r in revisions
            if not is_version(version)
            or not is_version(r.version)
            or version_key(r.version) <= version_key(version)
        ]
    return out


def collect(root: Path | None, *, history_root: Path | None = None) -> SiteData:
    """Read the dataset at ``root`` (the installed data for None) for the site; the rows' histories
    come from the release store at ``history_root``."""
    pkg = package(root)
    skipped: list[str] = []
    frames = {
        "events": events(root=pkg.root),
        "statements": statements(root=pkg.root),
        "funding_claims": funding(root=pkg.root),
        "actors": load("actors", root=pkg.root),
    }
    sources = _sources(pkg, skipped)
    rows = _rows(frames, sources, pkg.root, skipped)
    actors = {}
    for actor_id, profile in profiles(root=pkg.root).items():
        if slug_ok(actor_id):
            actors[actor_id] = profile
        else:
            skipped.append(f"actor {actor_id!r}: not an actor id (lowercase words joined by hyphens)")
    return SiteData(
        root=pkg.root,
        pkg=pkg,
        version=pkg.version,
        info=info(root=pkg.root),
        frames=frames,
        docs={t: column_docs(pkg, pkg.table(t)) for t in (*ROW_TABLES, "actors", "sources")},
        sources=sources,
        rows=rows,
        actors=actors,
        clusters=same_as_clusters(root=pkg.root),
        related=related_all(root=pkg.root),
        conflicts=_records(conflicts(root=pkg.root)),
        exclusions=_exclusions(pkg, sources),
        coverage={c.source_id: c for c in coverage(root=pkg.root)},
        citations=_citations(list(rows), pkg.root),
        histories=_histories(list(rows), history_root, pkg.version),
        skipped=skipped,
    )

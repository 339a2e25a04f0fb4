"""The site's overview pages: the home page, the timeline, the four tables and the conflicts.

Each function turns :class:`~.collect.SiteData` into a template's context and has the
:class:`~.render.Writer` render it; values stay plain data (Jinja2 escapes them), links are made only
to pages that exist.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..publish.metadata import schema_org
from .collect import SiteData
from .render import Writer, plain, words
from .safety import script_json, web_url
from .timeline import Mark, layout

TABLES = ("events", "statements", "funding_claims", "actors")
TABLE_TITLES = {
    "events": "Events",
    "statements": "Statements",
    "funding_claims": "Funding claims",
    "actors": "Actors",
}


def home(w: Writer, data: SiteData, downloads: list[dict]) -> None:
    descriptor = data.pkg.descriptor
    meta = schema_org(data.root)
    # the site's own downloads stand in for the repository's files (the site does not host those)
    meta["distribution"] = [
        {
            "@type": "DataDownload",
            "name": d["name"],
            "description": d["description"],
            "contentUrl": d["path"],
            "encodingFormat": d["format"],
            "sha256": d["sha256"],
            "contentSize": f"{d['bytes']} B",
        }
        for d in downloads
    ]
    sources = []
    for s in data.info["sources"]:
        if s["source_id"] in data.sources:
            sources.append({**s, "url": web_url(data.sources[s["source_id"]].row.get("url"))})
    licences = [
        {"title": lic.get("title") or lic.get("name") or "", "url": web_url(lic.get("path"))}
        for lic in descriptor.get("licenses") or []
        if isinstance(lic, dict)
    ]
    counts = []
    for name, n in data.info["tables"].items():
        description = data.pkg.table(name).description.split(". ")[0]
        href = f"tables/{name}.html" if name in TABLES else None
        counts.append({"name": name, "rows": n, "description": description.rstrip("."), "href": href})
    w.page(
        "index.html",
        "index.html",
        str(descriptor.get("title") or descriptor.get("name") or "The dataset"),
        description=str(descriptor.get("description") or ""),
        counts=counts,
        citation=data.citations.get("", {}),
        downloads=downloads,
        sources=sources,
        licences=licences,
        jsonld=Markup(script_json(meta)),
        conflicts=len(data.conflicts),
        skipped=data.skipped,
    )


def _mark(data: SiteData, row_id: str) -> Mark:
    row = data.rows[row_id]
    r = row.record
    if row.table == "events":
        actors = [a for a in (r.get("actor_ids") or []) if isinstance(a, str)]
        kind, text = plain(r.get("event_type")), r.get("title")
    else:
        actors = [r[c] for c in ("speaker_id", "recipient_id", "relayed_by_id") if r.get(c)]
        kind, text = "statement", r.get("summary")
    when = plain(r.get("date")) or "undated"
    if r.get("bounded_by_publication"):
        when += " (no later than the source's publication)"
    return Mark(
        id=row_id,
        table=row.table,
        start=r["date_start"].date() if r.get("date_start") is not None else None,
        end=r["date_end"].date() if r.get("date_end") is not None else None,
        date=plain(r.get("date")),
        title=f"{row_id}, {words(kind)}, {when}: {plain(text)}",
        attrs={
            "id": row_id,
            "table": row.table,
            "type": kind,
            "source": plain(r.get("source_id")),
            "actors": " ".join(dict.fromkeys(actors)),
            "cluster": data.clusters.get(row_id, [row_id])[0],
        },
        href=f"rows/{row_id}.html#quote",
        text=plain(text),
    )


def timeline(w: Writer, data: SiteData) -> None:
    marks = [_mark(data, i) for i, row in data.rows.items() if row.table in ("events", "statements")]
    drawn, undated = layout(marks)
    actor_ids = sorted({a for m in marks for a in m.attrs["actors"].split()}, key=data.actor_name)
    types = sorted({m.attrs["type"] for m in marks if m.table == "events"})
    w.page(
        "timeline.html",
        "timeline.html",
        "Timeline",
        layout=drawn,
        undated=undated,
        actors=[(a, data.actor_name(a)) for a in actor_ids],
        types=types,
        sources=sorted({m.attrs["source"] for m in marks}),
        counts={t: sum(m.table == t for m in marks) for t in ("events", "statements")},
    )


def _cell(text: Any = None, *, href=None, sort: str | None = None, links=None, css: str = "") -> dict:
    return {"text": plain(text), "href": href, "sort": sort, "links": links or [], "css": css}


def _actor(data: SiteData, actor_id, name=None) -> dict:
    if not actor_id:
        return _cell()
    href = f"../actors/{actor_id}.html" if actor_id in data.actors else None
    return _cell(name or data.actor_name(actor_id), href=href)


def source_label(data: SiteData, source_id) -> str:
    """A source in a few words: its publisher, else its title, else its id."""
    source = data.sources.get(source_id)
    if source is None:
        return plain(source_id)
    return source.row.get("publisher") or source.row.get("title") or source_id


def _source(data: SiteData, source_id) -> dict:
    href = f"../sources/{source_id}.html" if source_id in data.sources else None
    return _cell(source_label(data, source_id), href=href)


def _date_cell(r: dict) -> dict:
    start = r.get("date_start") or r.get("date_end")
    return _cell(r.get("date") or "undated", sort=plain(start) if start is not None else "~")


def _row_cells(data: SiteData, table: str, r: dict) -> list[dict]:
    if table == "events":
        names = zip(r.get("actor_ids") or [], r.get("actor_names") or [], r.get("actor_roles") or [])
        links = [
            {"text": f"{name} ({role})", "href": f"../actors/{a}.html" if a in data.actors else None}
            for a, name, role in names
        ]
        place = ", ".join(p for p in (plain(r.get("location")), plain(r.get("country"))) if p)
        return [
            _date_cell(r),
            _cell(words(r.get("event_type"))),
            _cell(r.get("title"), css="wide"),
            _cell(links=links, css="wide"),
        ] + [_cell(place)]
    if table == "statements":
        return [
            _date_cell(r),
            _actor(data, r.get("speaker_id"), r.get("speaker_name")),
            _actor(data, r.get("recipient_id"), r.get("recipient_name")),
            _cell(r.get("speech")),
            _cell(words(r.get("medium"))),
            _cell(r.get("summary"), css="wide"),
        ]
    low, high = r.get("amount_low"), r.get("amount_high")
    amount = plain(low) + (f"–{plain(high)}" if high is not None and high != low else "")
    return [
        _date_cell(r),
        _actor(data, r.get("donor_id"), r.get("donor_name")),
        _actor(data, r.get("recipient_id"), r.get("recipient_name")),
        _actor(data, r.get("claimant_id"), r.get("claimant_name")),
        _cell(words(r.get("status"))),
        _cell(words(r.get("support_types"))),
        _cell(
            f"{amount} {plain(r.get('currency'))}".strip() if amount else "",
            sort=f"{low:020.2f}" if isinstance(low, float) else "~",
        ),
        _cell(r.get("summary"), css="wide"),
    ]


HEADERS = {
    "events": ["Date", "Type", "Title", "Actors (role)", "Place"],
    "statements": ["Date", "Speaker", "Recipient", "Speech", "Medium", "Summary"],
    "funding_claims": ["Date", "Donor", "Recipient", "Claimant", "Status", "Support", "Amount", "Summary"],
    "actors": ["Name", "Type", "Country", "Affiliation", "Events", "Statements", "Funding claims"],
}
FILTERS = {
    "events": ["event_type", "source_id"],
    "statements": ["speech", "medium", "source_id"],
    "funding_claims": ["status", "source_id"],
    "actors": ["actor_type", "country"],
}


def _actor_rows(data: SiteData) -> list[dict]:
    out = []
    for actor_id, p in data.actors.items():
        parent = p.affiliation
        counts = p.counts
        cells = [
            _cell(p.name, href=f"../actors/{actor_id}.html"),
            _cell(words(p.row.get("actor_type"))),
            _cell(p.row.get("country")),
            _actor(data, parent) if parent else _cell(),
        ] + [
            _cell(counts[t], sort=f"{counts[t]:06d}", css="num")
            for t in ("events", "statements", "funding_claims")
        ]
        codes = {c: plain(p.row.get(c)) for c in FILTERS["actors"]}
        out.append({"id": actor_id, "href": f"../actors/{actor_id}.html", "cells": cells, "codes": codes})
    return out


def tables(w: Writer, data: SiteData) -> None:
    for table in TABLES:
        if table == "actors":
            rows = _actor_rows(data)
            headers = ["Id", *HEADERS[table]]
        else:
            rows = []
            for row_id, row in data.rows.items():
                if row.table == table:
                    cells = _row_cells(data, table, row.record) + [_source(data, row.record.get("source_id"))]
                    codes = {c: plain(row.record.get(c)) for c in FILTERS[table]}
                    rows.append(
                        {"id": row_id, "href": f"../rows/{row_id}.html#quote", "cells": cells, "codes": codes}
                    )
            headers = ["Id", *HEADERS[table], "Source"]
        filters = []
        for c in FILTERS[table]:
            values = sorted({r["codes"][c] for r in rows} - {""})
            labels = [source_label(data, v) if c == "source_id" else words(v) for v in values]
            filters.append(
                {"column": c, "label": words(c.removesuffix("_id")), "options": list(zip(values, labels))}
            )
        w.page(
            f"tables/{table}.html",
            "table.html",
            TABLE_TITLES[table],
            table=table,
            description=data.pkg.table(table).description,
            headers=headers,
            rows=rows,
            filters=filters,
        )


def conflicts(w: Writer, data: SiteData) -> None:
    pairs = []
    for c in data.conflicts:
        sides = []
        for side in ("a", "b"):
            row_id = c[f"{side}_id"]
            sides.append(
                {
                    "id": row_id,
                    "href": f"rows/{row_id}.html#quote" if row_id in data.rows else None,
                    "source": c[f"{side}_source"],
                    "source_href": f"sources/{c[f'{side}_source']}.html"
                    if c[f"{side}_source"] in data.sources
                    else None,
                    "date": plain(c[f"{side}_date"]),
                    "text": plain(c[f"{side}_text"]),
                    "quote": plain(c[f"{side}_quote"]),
                }
            )
        pairs.append(
            {"link_id": c["link_id"], "note": c["note"], "confidence": c["confidence"], "sides": sides}
        )
    w.page("conflicts.html", "conflicts.html", "Conflicts", pairs=pairs)

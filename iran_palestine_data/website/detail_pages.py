"""One page per row (``rows/<id>.html``), per source (``sources/<source_id>.html``) and per actor
(``actors/<actor_id>.html``).

A row's page gives every column in words (its description and, for a code, the code's definition,
from the schemas through ``read.column_docs``), the quote marked inside the full text of its source,
the source's citation, related rows, the row's history across releases and how to cite it. A source's
page shows its whole text with every coded quote and exclusion marked, and its metadata; an actor's page
its aliases, affiliation, affiliates and rows by role.
"""

from __future__ import annotations

from typing import Any

from ..contract.schema import Table
from .collect import Row, SiteData
from .highlight import Span, coded_text, quote_in_text
from .render import Writer, plain, words
from .safety import web_url

RELATION_ORDER = ("same_as", "corroborates", "contradicts", "supersedes", "superseded by")
RELATION_WORDS = {
    "same_as": "The same real-world event, as another source reports it",
    "corroborates": "Corroborating",
    "contradicts": "Contradicting",
    "supersedes": "Supersedes (a later figure replaces this one)",
    "superseded by": "Superseded by (a later figure replaces this one)",
}
_JOINED = ("actor_ids", "actor_names", "actor_roles")


def row_text(data: SiteData, row_id: str) -> str:
    """A row's title (events) or summary (statements, funding claims)."""
    row = data.rows.get(row_id)
    if row is None:
        return ""
    return plain(row.record.get("title") or row.record.get("summary"))


def _links(tbl: Table) -> dict[str, str]:
    """Column -> the table its values name (actors, sources, events), from the foreign keys."""
    out = {}
    for fk in tbl.foreign_keys:
        if len(fk.fields) == 1 and fk.resource in ("actors", "sources", "events"):
            out[fk.fields[0]] = fk.resource
    return out


def _href(data: SiteData, kind: str, value: str, base: str = "../") -> str | None:
    if kind == "actors" and value in data.actors:
        return f"{base}actors/{value}.html"
    if kind == "sources" and value in data.sources:
        return f"{base}sources/{value}.html"
    if kind in ("events", "rows") and value in data.rows:
        return f"{base}rows/{value}.html#quote"
    return None


def fields(data: SiteData, table: str, record: dict[str, Any]) -> list[dict]:
    """Every column of the row in words: its name, value, link, code definition and description."""
    links = _links(data.pkg.table(table))
    out = []
    for column, doc in data.docs[table].items():
        if column in _JOINED or column.endswith("_name"):
            continue
        value = record.get(column)
        text = plain(value)
        kind = links.get(column)
        item: dict[str, Any] = {
            "column": column,
            "label": words(column).capitalize(),
            "value": text,
            "href": None,
        }
        if kind and text:
            item["href"] = _href(data, kind, text)
            if kind == "actors":
                item["value"] = f"{data.actor_name(text)} ({text})"
        if column == "url":
            item["href"] = web_url(text)
        vocabulary = doc.get("vocabulary") or {}
        codes = value if isinstance(value, list) else [text] if text else []
        item["definitions"] = [(c, vocabulary[c]) for c in map(str, codes) if vocabulary.get(c)]
        item["description"] = doc.get("description") or ""
        item["derived"] = bool(doc.get("derived"))
        item["quote"] = column == "quote"
        out.append(item)
    return out


def _related(data: SiteData, row_id: str) -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for r in data.related.get(row_id, []):
        groups.setdefault(r["relation"], []).append(
            {
                **r,
                "href": _href(data, "rows", r["id"]),
                "date": plain(r["date"]),
                "text": plain(r["text"]),
            }
        )
    order = [g for g in RELATION_ORDER if g in groups] + sorted(set(groups) - set(RELATION_ORDER))
    return [{"relation": g, "words": RELATION_WORDS.get(g, g), "rows": groups[g]} for g in order]


def _history(data: SiteData, row_id: str) -> list[dict]:
    out = []
    for r in data.histories.get(row_id, []):
        if r.status == "absent":
            continue
        changes = [
            (c, old if old is not None else "", new if new is not None else "")
            for c, (old, new) in r.changes.items()
        ]
        out.append(
            {
                "version": r.version,
                "date": r.date,
                "status": r.status,
                "changes": changes,
                "reason": r.reason,
                "released": r.released,
            }
        )
    return out


def _source_box(data: SiteData, source_id: str) -> dict | None:
    source = data.sources.get(source_id)
    if source is None:
        return None
    row = source.row
    return {
        "id": source_id,
        "href": f"../sources/{source_id}.html",
        "title": row.get("title") or source_id,
        "publisher": row.get("publisher") or "",
        "author": row.get("author") or "",
        "published": row.get("published") or "",
        "url": web_url(row.get("url")),
        "raw_url": row.get("url") or "",
        "notes": row.get("notes") or "",
        "problem": source.problem,
    }


def row_page(w: Writer, data: SiteData, row: Row) -> None:
    record = row.record
    source = data.sources.get(record.get("source_id") or "")
    quote = plain(record.get("quote"))
    text = quote_in_text(source.text, row.offset, len(quote)) if source and source.text is not None else None
    actors = []
    if row.table == "events":
        for a, name, role in zip(*(record.get(c) or [] for c in _JOINED)):
            actors.append({"name": name, "role": words(role), "href": _href(data, "actors", a)})
    w.page(
        f"rows/{row.id}.html",
        "row.html",
        f"{row.id}: {row_text(data, row.id)}",
        row_id=row.id,
        heading=row_text(data, row.id),
        when=plain(record.get("date")),
        kind={"events": "Event", "statements": "Statement", "funding_claims": "Funding claim"}[row.table],
        table=row.table,
        fields=fields(data, row.table, record),
        actors=actors,
        quote=quote,
        found=row.offset is not None,
        source=_source_box(data, record.get("source_id") or ""),
        text=text,
        related=_related(data, row.id),
        history=_history(data, row.id),
        citation=data.citations.get(row.id, {}),
        cluster=[i for i in data.clusters.get(row.id, []) if i != row.id and i in data.rows],
    )


def _spans(data: SiteData, source_id: str) -> list[Span]:
    spans = []
    for row in data.rows.values():
        quote = plain(row.record.get("quote"))
        if row.record.get("source_id") == source_id and row.offset is not None and quote:
            title = f"{row.id}: {row_text(data, row.id)}"
            href = f"../rows/{row.id}.html#quote"
            spans.append(Span(row.offset, row.offset + len(quote), "row", row.id, title, href))
    for x in data.exclusions:
        if x.get("source_id") == source_id and x["offset"] is not None:
            end = x["offset"] + len(x["quote"])
            spans.append(Span(x["offset"], end, "excluded", x.get("reason") or "", x.get("note") or ""))
    covered = data.coverage.get(source_id)
    for s in covered.sentences if covered else []:
        if s.status == "neither":
            spans.append(
                Span(s.sentence.start, s.sentence.end, "neither", "", "no quote or exclusion covers this")
            )
    return spans


def source_page(w: Writer, data: SiteData, source_id: str) -> None:
    source = data.sources[source_id]
    covered = data.coverage.get(source_id)
    counts = {s: covered.count(s) for s in ("covered", "excluded", "neither")} if covered else {}
    rows: dict[str, list[dict]] = {}
    for row in data.rows.values():
        if row.record.get("source_id") == source_id:
            rows.setdefault(row.table, []).append(
                {"id": row.id, "text": row_text(data, row.id), "found": row.offset is not None}
            )
    metadata = fields(data, "sources", dict(source.row))
    w.page(
        f"sources/{source_id}.html",
        "source.html",
        source.row.get("title") or source_id,
        source=_source_box(data, source_id),
        metadata=metadata,
        counts=counts,
        rows=rows,
        text=coded_text(source.text, _spans(data, source_id)) if source.text is not None else None,
    )


def actor_page(w: Writer, data: SiteData, actor_id: str) -> None:
    profile = data.actors[actor_id]
    row = profile.row
    doc = data.docs["actors"]
    kind = plain(row.get("actor_type"))
    roles = []
    for table, by_role in profile.roles.items():
        for role, ids in by_role.items():
            items = [
                {"id": i, "text": row_text(data, i), "href": _href(data, "rows", i)}
                for i in dict.fromkeys(ids)
            ]
            roles.append({"table": table, "role": role, "rows": items})
    parent = profile.affiliation
    w.page(
        f"actors/{actor_id}.html",
        "actor.html",
        profile.name,
        actor_id=actor_id,
        name=profile.name,
        aliases=list(profile.aliases),
        kind=kind,
        kind_definition=(doc["actor_type"].get("vocabulary") or {}).get(kind, ""),
        country=plain(row.get("country")),
        description=plain(row.get("description")),
        quote=plain(row.get("quote")),
        source=_source_box(data, plain(row.get("source_id"))),
        parent={"id": parent, "name": data.actor_name(parent), "href": _href(data, "actors", parent)}
        if parent
        else None,
        affiliates=[
            {"id": a, "name": data.actor_name(a), "href": _href(data, "actors", a)}
            for a in profile.affiliates
        ],
        roles=roles,
        counts=profile.counts,
    )

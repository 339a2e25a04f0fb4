"""What the SQLite export adds for Datasette and SQL users: the full-text columns, the views with the
actors' names joined in, the canned queries, and ``metadata.json`` (titles, descriptions, licence and
source of the database and of every table, view and column; search boxes; canned queries).

Each view has as many rows as its base table (a name is joined with LEFT JOIN, participants are
aggregated in one cell). Views and queries are made only from the tables and columns the exported
version has.
"""

from __future__ import annotations

from ..contract.schema import Package, Table
from .export_frames import licence, source_note, table_title

DB_NAME = "iran_palestine"
FTS_COLUMNS = ("name", "aliases", "title", "summary", "description", "quote")


def fts_columns(tbl: Table) -> list[str]:
    """The columns of a table that its full-text index covers."""
    return [c for c in FTS_COLUMNS if c in tbl.field_names]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _named_view(tbl: Table) -> tuple[str, str] | None:
    """``tbl`` with a ``<role>_name`` column beside the rows for each key to actors (speaker_id →
    speaker_name), by LEFT JOIN: one row per row of the table."""
    keys = [fk.fields[0] for fk in tbl.foreign_keys if fk.resource == "actors" and len(fk.fields) == 1]
    if not keys:
        return None
    names, joins = [], []
    for i, key in enumerate(keys):
        alias = f"a{i}"
        names.append(f"{alias}.name AS {_q(key.removesuffix('_id') + '_name')}")
        joins.append(f"LEFT JOIN actors AS {alias} ON {alias}.actor_id = t.{_q(key)}")
    sql = f"SELECT t.*, {', '.join(names)} FROM {_q(tbl.name)} AS t " + " ".join(joins)
    what = ", ".join(f"`{k}`" for k in keys)
    return f"Every row of {tbl.name}, with the name of the actor of {what} beside it.", sql


def views(pkg: Package) -> dict[str, tuple[str, str]]:
    """Name → (description, SELECT) of each view the exported tables allow."""
    t = pkg.tables
    out: dict[str, tuple[str, str]] = {}
    if {"events", "event_actors", "actors"} <= set(t) and "actor_id" in t["event_actors"].field_names:
        ordered = (
            "FROM event_actors AS ea JOIN actors AS a ON a.actor_id = ea.actor_id "
            "WHERE ea.event_id = e.event_id ORDER BY ea.role, a.name"
        )
        out["events_with_actors"] = (
            "Every event, with its participants: `actors` lists each one's name and role, "
            "`actor_ids` their ids (both separated by '; ').",
            "SELECT e.*, "
            f"(SELECT group_concat(label, '; ') FROM (SELECT a.name || ' (' || ea.role || ')' AS label "
            f"{ordered})) AS actors, "
            f"(SELECT group_concat(actor_id, '; ') FROM (SELECT ea.actor_id {ordered})) AS actor_ids "
            "FROM events AS e",
        )
    for view, table in (("statements_named", "statements"), ("funding_named", "funding_claims")):
        made = _named_view(t[table]) if table in t and "actors" in t else None
        if made:
            out[view] = made
    return out


def _claims_union(pkg: Package) -> str | None:
    """Every row a claim link may name: its id, table, source, what it says and its quote."""
    links = pkg.tables.get("claim_links")
    if links is None or not {"from_id", "to_id", "relation"} <= set(links.field_names):
        return None
    parts = []
    for name in links.field("from_id").ext("refersToAny") or []:
        tbl = pkg.tables.get(name)
        if tbl is None or not tbl.id_field or "quote" not in tbl.field_names:
            continue
        what = next((c for c in ("title", "summary") if c in tbl.field_names), "NULL")
        parts.append(
            f"SELECT {_q(tbl.id_field)} AS id, '{name}' AS kind, source_id, {what} AS what, quote "
            f"FROM {_q(name)}"
        )
    return " UNION ALL ".join(parts) or None


def queries(pkg: Package) -> dict[str, dict]:
    """Datasette's canned queries: name → title, description and SQL."""
    t = pkg.tables
    out = {}
    claims = _claims_union(pkg)
    if claims:
        out["contradictions"] = {
            "title": "Contradictions",
            "description": "Every pair of rows linked as contradicting each other (claim_links, relation "
            "'contradicts'), with both rows' sources and quotes side by side.",
            "sql": f"WITH claims AS ({claims}) SELECT l.link_id, l.confidence, "
            "l.from_id, a.kind AS from_table, a.source_id AS from_source, a.what AS from_what, "
            "a.quote AS from_quote, l.to_id, b.kind AS to_table, b.source_id AS to_source, "
            "b.what AS to_what, b.quote AS to_quote, l.note "
            "FROM claim_links AS l JOIN claims AS a ON a.id = l.from_id JOIN claims AS b ON b.id = l.to_id "
            "WHERE l.relation = 'contradicts' ORDER BY l.link_id",
        }
    if "events" in t and "date_start" in t["events"].field_names:
        out["timeline"] = {
            "title": "Events per year",
            "description": "Events counted by the year of their earliest possible day (date_start); "
            "undated events and dates open at the start are left out, and a decade such as 198X "
            "counts in its first year. A real-world event told by two sources is two rows.",
            "sql": "SELECT CAST(substr(date_start, 1, 4) AS INTEGER) AS year, count(*) AS events, "
            "count(DISTINCT source_id) AS sources FROM events WHERE date_start IS NOT NULL "
            "GROUP BY year ORDER BY year",
        }
    if "funding_claims" in t and "actors" in t:
        out["funding_by_donor"] = {
            "title": "Funding claims by donor",
            "description": "Claims per donor, status, currency and period, with their amounts summed. "
            "Claims are counted as the sources make them: several sources may report the same "
            "support, so a sum is a guide to where the figures are, not a total of support given.",
            "sql": "SELECT f.donor_id, a.name AS donor, f.status, f.currency, f.period, "
            "count(*) AS claims, count(f.amount_low) AS claims_with_amount, "
            "sum(f.amount_low) AS amount_low_sum, sum(f.amount_high) AS amount_high_sum "
            "FROM funding_claims AS f JOIN actors AS a ON a.actor_id = f.donor_id "
            "GROUP BY f.donor_id, f.status, f.currency, f.period "
            "ORDER BY claims DESC, a.name, f.status, f.currency, f.period",
        }
    return out


def _table_entry(pkg: Package, tbl: Table, names: str, url: str) -> dict:
    entry = {
        "title": table_title(pkg, tbl),
        "description": tbl.description,
        "license": names,
        "license_url": url,
        "source": source_note(pkg, tbl),
        "columns": {f.name: f.description for f in tbl.fields},
    }
    if "name" in tbl.field_names and tbl.id_field:
        entry["label_column"] = "name"
    elif "title" in tbl.field_names and tbl.name != "sources":
        entry["label_column"] = "title"
    if fts_columns(tbl):
        entry["fts_table"] = f"{tbl.name}_fts"
        entry["fts_pk"] = "rowid"
    return entry


def datasette_metadata(pkg: Package) -> dict:
    """Datasette metadata: titles, descriptions, licence and source of the database, its tables and
    views and their columns; the search boxes; the canned queries."""
    d = pkg.descriptor
    names, url = licence(pkg)
    tables = {tbl.name: _table_entry(pkg, tbl, names, url) for tbl in pkg.tables.values()}
    for view, (description, _) in views(pkg).items():
        tables[view] = {
            "title": view.replace("_", " ").capitalize(),
            "description": description,
            "license": names,
            "license_url": url,
            "source": f"a view of {d.get('name')} v{pkg.version}",
        }
    return {
        "title": d.get("title", d.get("name")),
        "description": d.get("description", ""),
        "license": names,
        "license_url": url,
        "source": f"{d.get('name')} v{pkg.version}: {len(d.get('sources', []))} archived source documents",
        "databases": {
            DB_NAME: {
                "title": f"{d.get('title')} (v{pkg.version})",
                "license": names,
                "license_url": url,
                "tables": tables,
                "queries": queries(pkg),
            }
        },
    }

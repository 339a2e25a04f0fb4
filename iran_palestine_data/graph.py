"""The claims graph: how rows of different sources relate (``csv/claim_links.csv``).

(The module is ``graph``, not ``links``, so that importing it cannot shadow the ``links`` function.)

* :func:`links` — the link rows (all, or those touching an id);
* :func:`related` — every row linked to an id, following same_as clusters;
* :func:`conflicts` — each contradicts pair with both quotes side by side;
* :func:`clusters` — same_as clusters (one real-world event reported by several sources);
* :func:`candidates` — the systematic search: every pair of rows from different sources that share a
  specific actor and whose dates can overlap, scored, with the decision taken on it (a link, a
  recorded "no link" in ``curation/link_review.csv``, or none yet).
"""

from __future__ import annotations

import math
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

from .kernels.forest import ancestry
from .read.same_as import ROW_TABLES, same_as_clusters
from .read.tables import load

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CANDIDATE_THRESHOLD = 6.0  # pairs scoring at least this need a decision (a link or a reviewed "no link")


def _load(table: str, root) -> pd.DataFrame:
    return load(table, root=root)


def links(id: str | None = None, *, root: str | Path | None = None) -> "pd.DataFrame":
    """The links of the dataset, or those with ``id`` at either end."""
    frame = _load("claim_links", root)
    if id is not None:
        frame = frame[(frame["from_id"] == id) | (frame["to_id"] == id)]
    return frame.reset_index(drop=True)


def rows(*, root: str | Path | None = None) -> "pd.DataFrame":
    """One frame of every event, statement and funding claim: id, table, source, date, text, quote."""
    import pandas as pd

    parts = []
    for table, key in ROW_TABLES.items():
        f = _load(table, root)
        text = f["title"] if "title" in f else f["summary"]
        parts.append(
            pd.DataFrame(
                {
                    "id": f[key],
                    "table": table,
                    "source_id": f["source_id"],
                    "date": f["date"],
                    "date_start": f["date_start"],
                    "date_end": f["date_end"],
                    "text": text,
                    "quote": f["quote"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True).set_index("id")


def clusters(*, root: str | Path | None = None) -> dict[str, list[str]]:
    """same_as clusters: each row id in a cluster -> the sorted ids of its cluster."""
    return same_as_clusters(root=root)


def related(id: str, *, root: str | Path | None = None) -> "pd.DataFrame":
    """Every row linked to ``id`` (directly, or through its same_as cluster), with what links them."""
    import pandas as pd

    everything = rows(root=root)
    if id not in everything.index:
        raise KeyError(f"no event, statement or funding claim has the id {id!r}")
    cluster = clusters(root=root).get(id, [id])
    frame = links(root=root)
    out = []
    for link in frame.itertuples(index=False):
        for here, there, direction in ((link.from_id, link.to_id, "to"), (link.to_id, link.from_id, "from")):
            if here in cluster and there != id:
                row = everything.loc[str(there)]
                label = (
                    link.relation
                    if link.relation != "supersedes"
                    else ("supersedes" if direction == "to" else "superseded by")
                )
                out.append(
                    {
                        "id": there,
                        "relation": label,
                        "via": here if here != id else "",
                        "link_id": link.link_id,
                        "note": link.note,
                        "confidence": link.confidence,
                        "table": row["table"],
                        "source_id": row["source_id"],
                        "date": row["date"],
                        "text": row["text"],
                        "quote": row["quote"],
                    }
                )
    result = pd.DataFrame(
        out,
        columns=[
            "id",
            "relation",
            "via",
            "link_id",
            "note",
            "confidence",
            "table",
            "source_id",
            "date",
            "text",
            "quote",
        ],
    )
    return result.drop_duplicates(subset=["id", "link_id"]).reset_index(drop=True)


def conflicts(*, root: str | Path | None = None) -> "pd.DataFrame":
    """Every contradicts pair, with both rows' sources, texts and quotes side by side."""
    import pandas as pd

    everything = rows(root=root)
    frame = links(root=root)
    out = []
    for link in frame[frame["relation"] == "contradicts"].itertuples(index=False):
        a, b = everything.loc[link.from_id], everything.loc[link.to_id]
        out.append(
            {
                "link_id": link.link_id,
                "note": link.note,
                "confidence": link.confidence,
                "a_id": link.from_id,
                "a_source": a["source_id"],
                "a_date": a["date"],
                "a_text": a["text"],
                "a_quote": a["quote"],
                "b_id": link.to_id,
                "b_source": b["source_id"],
                "b_date": b["date"],
                "b_text": b["text"],
                "b_quote": b["quote"],
            }
        )
    return pd.DataFrame(out)


def _parents(root) -> dict:
    """actor_id -> affiliation_id (missing where the actor belongs to no other)."""
    actors = _load("actors", root)
    return dict(zip(actors["actor_id"], actors["affiliation_id"]))


def _actor_sets(root) -> dict[str, set[str]]:
    """Row id -> the actors it involves, with each actor's affiliations (Haniyeh counts as Hamas too)."""
    parent = _parents(root)

    def chain(a) -> set[str]:
        return set(ancestry(parent, a)[0])

    ea = _load("event_actors", root)
    sets: dict[str, set[str]] = {}
    for ev, actor in zip(ea["event_id"], ea["actor_id"]):
        sets.setdefault(ev, set()).update(chain(actor))
    st = _load("statements", root)
    for row in st[["statement_id", "speaker_id", "recipient_id"]].itertuples(index=False):
        sets[row[0]] = set().union(*(chain(a) for a in row[1:]))
    fc = _load("funding_claims", root)
    for row in fc[["claim_id", "donor_id", "recipient_id", "claimant_id"]].itertuples(index=False):
        sets[row[0]] = set().union(*(chain(a) for a in row[1:]))
    return sets


def _kind(root) -> dict[str, tuple]:
    """A coarse kind per row, so that like is compared with like: the event type, the speaker, or
    the donor and the recipient with everything the recipient belongs to."""
    parent = _parents(root)

    def chain(a) -> frozenset:
        return frozenset(ancestry(parent, a)[0])

    kinds: dict[str, tuple] = {}
    for row in _load("events", root)[["event_id", "event_type"]].itertuples(index=False):
        kinds[row[0]] = ("event", row[1])
    for row in _load("statements", root)[["statement_id", "speaker_id"]].itertuples(index=False):
        kinds[row[0]] = ("speaker", row[1])
    for row in _load("funding_claims", root)[["claim_id", "donor_id", "recipient_id"]].itertuples(
        index=False
    ):
        kinds[row[0]] = ("support", row[1], row[2], chain(row[2]))
    return kinds


def _same_kind(a: tuple | None, b: tuple | None) -> bool:
    """Same event type or speaker; for support, the same donor and one recipient belonging to the other
    (aid to the Qassam Brigades is aid to Hamas's side)."""
    if a is None or b is None or a[0] != b[0]:
        return False
    if a[0] != "support":
        return a == b
    return a[1] == b[1] and (a[2] in b[3] or b[2] in a[3])


def _dates_can_overlap(a, b) -> bool | None:
    """True/False for dated rows; None if either is undated."""
    import pandas as pd

    if pd.isna(a["date"]) or pd.isna(b["date"]):
        return None
    lo = max(
        a["date_start"] if not pd.isna(a["date_start"]) else pd.Timestamp.min,
        b["date_start"] if not pd.isna(b["date_start"]) else pd.Timestamp.min,
    )
    hi = min(
        a["date_end"] if not pd.isna(a["date_end"]) else pd.Timestamp.max,
        b["date_end"] if not pd.isna(b["date_end"]) else pd.Timestamp.max,
    )
    return lo <= hi


def candidates(*, root: str | Path | None = None, threshold: float = CANDIDATE_THRESHOLD) -> "pd.DataFrame":
    """Pairs of rows from different sources that may be linked, scored, with the decision on each.

    Score: for each shared actor, ``log2(rows / rows involving it)`` (sharing "Iran" says little,
    sharing "Saleh al-Arouri" a lot); +2 for rows of the same table, +2 for the same kind (event type,
    speaker, or donor and a recipient that is, or belongs to, the other's), +1 when both are dated and
    their dates overlap, +2 when both are funding claims with amounts (figures to compare). Pairs sharing no
    actor are not candidates, nor are pairs whose dates cannot overlap, unless both are funding claims
    about the same donor and recipient (a later claim may supersede or contradict an earlier one).
    """
    import pandas as pd

    everything = rows(root=root)
    sets = _actor_sets(root)
    kinds = _kind(root)
    total = len(everything)
    freq: dict[str, int] = {}
    for s in sets.values():
        for a in s:
            freq[a] = freq.get(a, 0) + 1
    claims = _load("funding_claims", root)
    with_amount = set(claims.loc[claims["amount_low"].notna(), "claim_id"])
    decided = {}
    for link in links(root=root).itertuples(index=False):
        decided[frozenset((link.from_id, link.to_id))] = f"linked: {link.relation}"
    for review in _load("link_review", root).itertuples(index=False):
        decided.setdefault(frozenset((review.a_id, review.b_id)), "no link")
    out = []
    ids = list(everything.index)
    for a, b in combinations(ids, 2):
        ra, rb = everything.loc[a], everything.loc[b]
        if ra["source_id"] == rb["source_id"]:
            continue
        shared = sets.get(a, set()) & sets.get(b, set())
        if not shared:
            continue
        overlap = _dates_can_overlap(ra, rb)
        same_kind = _same_kind(kinds.get(a), kinds.get(b))
        same_flow = ra["table"] == rb["table"] == "funding_claims" and same_kind
        if overlap is False and not same_flow:
            continue  # claims about one donor and recipient stay candidates: a later one may supersede
        score = sum(math.log2(total / freq[x]) for x in shared)
        score += 2 * (ra["table"] == rb["table"]) + 2 * same_kind + (1 if overlap else 0)
        score += 2 * (a in with_amount and b in with_amount)
        if score < threshold:
            continue
        out.append(
            {
                "a_id": a,
                "b_id": b,
                "score": round(score, 2),
                "shared": ";".join(sorted(shared)),
                "a_source": ra["source_id"],
                "b_source": rb["source_id"],
                "a_date": ra["date"],
                "b_date": rb["date"],
                "a_text": ra["text"],
                "b_text": rb["text"],
                "decision": decided.get(frozenset((a, b)), "undecided"),
            }
        )
    return (
        pd.DataFrame(out).sort_values("score", ascending=False, ignore_index=True)
        if out
        else pd.DataFrame(
            columns=[
                "a_id",
                "b_id",
                "score",
                "shared",
                "a_source",
                "b_source",
                "a_date",
                "b_date",
                "a_text",
                "b_text",
                "decision",
            ]
        )
    )

"""The links between rows (``csv/claim_links.csv``) and what follows from them.

* :func:`links` — the link rows (all, or those touching an id);
* :func:`rows` — every event, statement and funding claim in one frame;
* :func:`related` — every row linked to an id, following same_as clusters;
* :func:`conflicts` — each contradicts pair with both quotes side by side;
* :func:`clusters` — same_as clusters (one real-world event reported by several sources).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..read.same_as import ROW_TABLES, same_as_clusters
from ..read.tables import load

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


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

    everything = rows(root=root)  # read once, for both the check and the links
    if id not in everything.index:
        raise KeyError(f"no event, statement or funding claim has the id {id!r}")
    found = related_all(root=root, everything=everything).get(id, [])
    return pd.DataFrame(found, columns=[*RELATED_COLUMNS, "text", "quote"])


def related_all(
    *, root: str | Path | None = None, everything: "pd.DataFrame | None" = None
) -> dict[str, list[dict]]:
    """Every row id -> the rows linked to it (directly, or through its same_as cluster), as a list of
    dicts (the columns of ``RELATED_COLUMNS`` and ``text``, ``quote``) in the order of the links, each
    linked row once per link: what :func:`related` gives for one id, for every id from one read
    (``everything``: the :func:`rows` already read, if the caller has them)."""
    everything = rows(root=root) if everything is None else everything
    groups = clusters(root=root)
    out: dict[str, list[dict]] = {}
    seen: set[tuple[str, str, str]] = set()
    for link in links(root=root).itertuples(index=False):
        ends = (str(link.from_id), str(link.to_id))
        for here, there, direction in ((ends[0], ends[1], "to"), (ends[1], ends[0], "from")):
            if there not in everything.index:
                continue
            row = everything.loc[there]
            label = (
                link.relation
                if link.relation != "supersedes"
                else ("supersedes" if direction == "to" else "superseded by")
            )
            for id in groups.get(here, [here]):
                if there == id or (id, there, str(link.link_id)) in seen:
                    continue
                seen.add((id, there, str(link.link_id)))
                out.setdefault(id, []).append(
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
    return out


RELATED_COLUMNS = ("id", "relation", "via", "link_id", "note", "confidence", "table", "source_id", "date")


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

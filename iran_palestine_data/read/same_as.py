"""One real-world event reported by several sources: the same_as clusters of ``csv/claim_links.csv``,
and ``load(..., merge_same=True)``'s folding of each cluster into one row.

Here, below the claims graph (:mod:`iran_palestine_data.graph`), so that loading never imports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..kernels.unionfind import Clusters
from .strings import read_strings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# the tables whose rows claim links join, with their id columns
ROW_TABLES = {"events": "event_id", "statements": "statement_id", "funding_claims": "claim_id"}
SAME_AS = "same_as"


def same_as_clusters(*, root: str | Path | None = None) -> dict[str, list[str]]:
    """same_as clusters: each row id in a cluster -> the sorted ids of its cluster."""
    links = read_strings("claim_links", root=root)
    sets = Clusters()
    for a, b, relation in zip(*(links.column(n).to_pylist() for n in ("from_id", "to_id", "relation"))):
        if relation == SAME_AS:
            sets.join(a, b)
    return {x: sorted(members) for members in sets.groups().values() for x in members}


def merge_same(frame: pd.DataFrame, table: str, *, root: str | Path | None = None) -> pd.DataFrame:
    """One row per real-world event: same_as clusters folded into their first row, with the lists of
    every member's id, source and quote (``ids``, ``source_ids``, ``quotes``)."""
    key = ROW_TABLES[table]
    members = same_as_clusters(root=root)
    group = frame[key].map(lambda x: members.get(x, [x])[0])
    ordered = frame.assign(_group=group).sort_values(key)
    agg = ordered.groupby("_group", sort=False).agg(
        ids=(key, list), source_ids=("source_id", list), quotes=("quote", list)
    )
    first = ordered.drop_duplicates("_group").set_index("_group")
    merged = first.join(agg).reset_index(drop=True)
    merged.attrs = {**frame.attrs, "merged_same_as": True}
    return merged

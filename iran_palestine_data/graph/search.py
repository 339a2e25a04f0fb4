"""The searches for pairs of rows to decide on: :func:`candidates` (the systematic link search) and
:func:`duplicates` (rows of one table and one source that may tell one fact twice).

Every pair either search proposes is decided in the data: linked in ``csv/claim_links.csv``, merged
(one row retired into ``csv/retired.csv``, so the pair is gone), or recorded with the reason it is
neither in ``curation/link_review.csv``. Tests fail on any pair without a decision.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..kernels.similarity import cosine, rarity
from ..read.tables import load
from .claims import links
from .pairs import (
    Actors,
    Row,
    dates_can_overlap,
    read_rows,
    same_actors,
    same_detail,
    same_kind,
    same_passage,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CANDIDATE_THRESHOLD = 6.0  # pairs scoring at least this need a decision (a link or a reviewed "no link")

# the parts of a candidate's score (see candidates())
SAME_TABLE = 2.0
SAME_KIND = 2.0
SAME_DETAIL = 1.0
DATES_OVERLAP = 1.0
BOTH_AMOUNTS = 2.0
WORDING_WEIGHT = 15.0
WORDING_FLOOR = 0.05  # the similarity most pairs reach by chance (the 95th percentile across sources)

RESTATEMENT_SIMILARITY = 0.3  # within one source, a pair is a candidate only if worded at least this alike
DUPLICATE_SIMILARITY = 0.3  # rows of one table and source scoring at least this may be duplicates
ALIKE = 0.2  # added to a duplicate's score for rows of one kind that name the same or related actors

_COLUMNS = ["a_id", "b_id", "score", "shared", "a_source", "b_source", "a_date", "b_date"]
_COLUMNS += ["a_text", "b_text", "similarity", "decision"]
_DUPLICATE_COLUMNS = ["a_id", "b_id", "table", "source_id", "score", "same_passage", "shared"]
_DUPLICATE_COLUMNS += ["a_date", "b_date", "a_text", "b_text", "decision"]


@dataclass
class _Pairs:
    """The rows, the rarity of each actor (across the dataset, and within each source) and of each word."""

    rows: dict[str, Row]
    actors: Actors
    rarity_all: dict[str, float]
    rarity_in: dict[str, dict[str, float]]
    word_weight: dict[str, float]

    @classmethod
    def read(cls, root) -> _Pairs:
        rows, actors = read_rows(root)
        by_source: dict[str, list[Row]] = {}
        for r in rows.values():
            by_source.setdefault(r.source, []).append(r)
        return cls(
            rows,
            actors,
            _actor_rarity(list(rows.values())),
            {s: _actor_rarity(rs) for s, rs in by_source.items()},
            rarity(r.words for r in rows.values()),
        )

    def each(self) -> Iterator[tuple[Row, Row, dict[str, float]]]:
        """Every pair of rows (in file order) that involve a common actor, with the shared actors and
        the weight each is shared at (the smaller of its two weights)."""
        for a, b in combinations(list(self.rows.values()), 2):
            common = a.actors.keys() & b.actors.keys()
            if common:
                yield a, b, {x: min(a.actors[x], b.actors[x]) for x in common}

    def similarity(self, a: Row, b: Row) -> float:
        return cosine(a.words, b.words, self.word_weight)

    def score(
        self, a: Row, b: Row, shared: dict[str, float], *, kind: bool, overlap, similarity: float
    ) -> float:
        """The candidate score of a pair (see :func:`candidates`)."""
        weights = self.rarity_in[a.source] if a.source == b.source else self.rarity_all
        score = sum(weights[x] * w for x, w in shared.items())
        score += SAME_TABLE * (a.table == b.table) + SAME_KIND * kind + DATES_OVERLAP * bool(overlap)
        score += SAME_DETAIL * (kind and a.table == b.table == "funding_claims" and same_detail(a, b))
        score += BOTH_AMOUNTS * (a.amount and b.amount)
        return score + WORDING_WEIGHT * max(0.0, similarity - WORDING_FLOOR)


def _actor_rarity(rows: list[Row]) -> dict[str, float]:
    """Actor -> ``log2(rows / rows involving it)`` over ``rows``."""
    counts = Counter(a for r in rows for a in r.actors)
    return {a: math.log2(len(rows) / n) for a, n in counts.items()}


def _decisions(root) -> dict[frozenset, str]:
    """Each decided pair -> "linked: <relation>" or "no link" (curation/link_review.csv)."""
    decided = {}
    for link in links(root=root).itertuples(index=False):
        decided[frozenset((link.from_id, link.to_id))] = f"linked: {link.relation}"
    for review in load("link_review", root=root).itertuples(index=False):
        decided.setdefault(frozenset((review.a_id, review.b_id)), "no link")
    return decided


def _frame(out: list[dict], columns: list[str], by: list[str]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(out, columns=columns)
    return frame.sort_values(by, ascending=False, kind="stable", ignore_index=True) if out else frame


def candidates(*, root: str | Path | None = None, threshold: float = CANDIDATE_THRESHOLD) -> pd.DataFrame:
    """Pairs of rows that may be linked, scored, with the decision on each (best first).

    **Which pairs.** Every pair of events, statements and funding claims that involve a common actor
    (:mod:`.pairs`: an actor both name, or one reached through ``affiliation_id`` — a member and its
    organisation, a wing and its movement, a group and its collective — or through an umbrella actor:
    Hamas and "the Palestinian armed groups", the armed groups and "the Palestinians"), and whose dates
    can overlap (an undated row can overlap anything). Two funding claims of the same kind (same donor,
    related recipients) stay candidates whatever their dates: a later claim may supersede or contradict
    an earlier one. Pairs of rows *of one source* are candidates too (a restatement, a fact told
    twice), but only when worded alike (similarity at least :data:`RESTATEMENT_SIMILARITY`) and not
    quoting one passage (rows coded from one sentence are its facets, not a restatement; the duplicate
    check, :func:`duplicates`, looks at those).

    **Score** (comparable across all pairs; a pair needs a decision from :data:`CANDIDATE_THRESHOLD` = 6):

    * actors: for each shared actor, its rarity ``log2(rows / rows involving it)`` times the weight it
      is shared at — 1 when both rows name it, ½ when one reaches it through an affiliation, ¼ through
      an umbrella (sharing "Iran" says little, sharing "Saleh al-Arouri" a lot, Hamas through Haniyeh
      half as much as Hamas itself). Across sources the rows counted are the whole dataset's; within a
      source, that source's rows (a source about Hamas and Iran mentions them in every row: sharing them
      there says nothing);
    * +2 (:data:`SAME_TABLE`) for rows of one table;
    * +2 (:data:`SAME_KIND`) for the same kind: event type; speaker, or speakers one of whom belongs to
      the other (Khamenei, Iran); donor, with related recipients;
    * +1 (:data:`SAME_DETAIL`) for two funding claims of the same kind that also have the same status and
      a kind of support in common (both say Iran *provided* *weapons*);
    * +1 (:data:`DATES_OVERLAP`) when both are dated and their dates overlap;
    * +2 (:data:`BOTH_AMOUNTS`) when both are funding claims with an amount (figures to compare);
    * wording: ``15 × (similarity − 0.05)`` when above 0 (:data:`WORDING_WEIGHT`,
      :data:`WORDING_FLOOR`): the similarity of the rows' words (title or summary, and quote) is the
      cosine of their rarity-weighted content words (:mod:`~iran_palestine_data.kernels.similarity`),
      and 0.05 is what most unrelated pairs reach by chance. Two rows that alone use "one-state" and
      "two-state solution" gain about 2 points.

    The weights were set on the data of release 0.4.0 so that every pair an outside review found
    missing (issue 14: a member and its organisation, a group and its umbrella, a restatement within a
    source) scores above the threshold, while the search adds some 150 pairs to decide to the ~850 the
    earlier search proposed, not thousands: the umbrella weight (¼), the discount for affiliations (½)
    and the wording floor keep the many pairs that share only "Iran" and "the Palestinians", or a few
    common words, below it.

    ``threshold=0`` lists every pair the search considers. The decision is "linked: <relation>",
    "no link" (``curation/link_review.csv``) or "undecided".
    """
    pairs = _Pairs.read(root)
    decided = _decisions(root)
    out = []
    for a, b, shared in pairs.each():
        within = a.source == b.source
        overlap = dates_can_overlap(a, b)
        kind = same_kind(a, b, pairs.actors)
        if overlap is False and not (kind and a.table == b.table == "funding_claims"):
            continue
        similarity = pairs.similarity(a, b)
        if within and (similarity < RESTATEMENT_SIMILARITY or same_passage(a, b)):
            continue
        score = pairs.score(a, b, shared, kind=kind, overlap=overlap, similarity=similarity)
        if score < threshold:
            continue
        out.append(
            {
                "a_id": a.id,
                "b_id": b.id,
                "score": round(score, 2),
                "shared": ";".join(sorted(shared)),
                "a_source": a.source,
                "b_source": b.source,
                "a_date": a.date,
                "b_date": b.date,
                "a_text": a.text,
                "b_text": b.text,
                "similarity": round(similarity, 3),
                "decision": decided.get(frozenset((a.id, b.id)), "undecided"),
            }
        )
    return _frame(out, _COLUMNS, ["score"])


def duplicates(*, root: str | Path | None = None, threshold: float = DUPLICATE_SIMILARITY) -> pd.DataFrame:
    """Pairs of rows of one table and one source that may tell one fact twice, with the decision on each.

    A pair is listed when the two rows involve a common actor (as in :func:`candidates`: named, through
    an affiliation or an umbrella), their dates can overlap (or either is undated), and either they
    quote one passage (equal quotes, or one holding the other) or their ``score`` reaches ``threshold``
    (:data:`DUPLICATE_SIMILARITY` = 0.3). The score is the similarity of their wording — the cosine of
    the rarity-weighted content words of title or summary and quote
    (:mod:`~iran_palestine_data.kernels.similarity`), 0 to 1 — plus :data:`ALIKE` (0.2) when the rows
    are of one kind (:func:`~.pairs.same_kind`) and each actor either names is related to one the other
    names (:func:`~.pairs.same_actors`): two events of one type between Hamas and Iran need less
    likeness of wording (0.1) than two rows that merely share an actor (0.3). Scores run from 0 to 1.2.

    Each pair must be decided: the rows merged (one retired into ``csv/retired.csv``), linked in
    ``csv/claim_links.csv`` (a relation other than same_as, which never joins two rows of one source),
    or kept, with the reason, in ``curation/link_review.csv`` ("one sentence names two recipients").
    """
    pairs = _Pairs.read(root)
    decided = _decisions(root)
    out = []
    for a, b, shared in pairs.each():
        if a.source != b.source or a.table != b.table or dates_can_overlap(a, b) is False:
            continue
        passage = same_passage(a, b)
        score = pairs.similarity(a, b)
        score += ALIKE * (same_kind(a, b, pairs.actors) and same_actors(a, b, pairs.actors))
        if score < threshold and not passage:
            continue
        out.append(
            {
                "a_id": a.id,
                "b_id": b.id,
                "table": a.table,
                "source_id": a.source,
                "score": round(score, 3),
                "same_passage": passage,
                "shared": ";".join(sorted(shared)),
                "a_date": a.date,
                "b_date": b.date,
                "a_text": a.text,
                "b_text": b.text,
                "decision": decided.get(frozenset((a.id, b.id)), "undecided"),
            }
        )
    return _frame(out, _DUPLICATE_COLUMNS, ["score"])

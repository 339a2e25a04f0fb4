"""Quality rules of the coding itself, beyond the validator's per-cell rules."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from itertools import combinations

import pytest

import iran_palestine_data as ipd

pytestmark = pytest.mark.data

ATTRIBUTION = re.compile(
    r"\b(says?|said|describes?|calls?|writes?|pledges?|praises?|tells?|reports?|according to|names?|credits?)\b",
    re.I,
)
# different actors whose spellings are alike on purpose
DISTINCT = {
    frozenset({"palestinian-people", "palestinians-in-gaza"}),
    frozenset({"other-countries", "western-countries"}),
}


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = re.sub(r"\b(al|el|the|of)\b|[-’'`.]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def test_no_actor_appears_twice_under_two_spellings():
    actors = ipd.records("actors")
    spellings = {a.actor_id: {_norm(s) for s in [a.name, *(a.aliases or [])]} for a in actors}
    suspicious = []
    for a, b in combinations(actors, 2):
        if frozenset({a.actor_id, b.actor_id}) in DISTINCT:
            continue
        for x in spellings[a.actor_id]:
            for y in spellings[b.actor_id]:
                if len(x) > 5 and len(y) > 5 and SequenceMatcher(None, x, y).ratio() >= 0.88:
                    suspicious.append((a.actor_id, x, b.actor_id, y))
    assert not suspicious, f"actors that may be one actor spelt two ways: {suspicious}"


def test_fuzzy_check_would_catch_a_transliteration_variant():
    assert SequenceMatcher(None, _norm("Qassem Soleimani"), _norm("Qasem Suleimani")).ratio() >= 0.88
    assert SequenceMatcher(None, _norm("Moussa Abu Marzouq"), _norm("Mousa Abu Marzouk")).ratio() >= 0.88


def test_funding_claim_summaries_attribute_the_claim():
    unattributed = [c.claim_id for c in ipd.records("funding_claims") if not ATTRIBUTION.search(c.summary)]
    assert not unattributed, f"summaries that state a claim as fact: {unattributed}"


def test_claims_in_the_source_voice_are_marked_as_such():
    for c in ipd.records("funding_claims"):
        if c.claimant_id is None:
            assert re.match(r"^The (source|page|author)\b", c.summary), (c.claim_id, c.summary)


def test_every_source_contributes_rows_to_every_main_table():
    counts = ipd.load("statements").groupby("source_id").size()
    for table in ("events", "statements", "funding_claims"):
        per_source = ipd.load(table)["source_id"].value_counts()
        for src in ipd.load("sources")["source_id"]:
            assert per_source.get(src, 0) > 0, (table, src)
    assert counts.sum() > 0


def test_statement_occasions_share_the_source():
    events = ipd.load("events").set_index("event_id")["source_id"]
    for s in ipd.records("statements"):
        if s.event_id:
            assert events[s.event_id] == s.source_id, (s.statement_id, s.event_id)


def test_each_source_numbers_its_rows_in_its_own_block():
    # the codebook's "Ids and their blocks": EV-01xx are one source's events, and only that source's
    import csv

    from iran_palestine_data import data_path

    for table, key in (
        ("events", "event_id"),
        ("statements", "statement_id"),
        ("funding_claims", "claim_id"),
    ):
        with open(data_path() / "csv" / f"{table}.csv", encoding="utf-8", newline="") as fh:
            block_of: dict[str, set[str]] = {}
            for r in csv.DictReader(fh):
                block_of.setdefault(r["source_id"], set()).add(r[key][:5])
        assert all(len(blocks) == 1 for blocks in block_of.values()), (table, block_of)
        firsts = [next(iter(b)) for b in block_of.values()]
        assert len(set(firsts)) == len(firsts), (table, block_of)

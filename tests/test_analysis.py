"""The analysis helpers against answers worked out by hand: from the CSVs read with the csv module,
never through ``load()``, and for named rows of the real data (open-ended and undated ones included).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pandas as pd
import pytest

import iran_palestine_data as ipd
from iran_palestine_data import data_path
from iran_palestine_data.contract.dates import parse
from iran_palestine_data.kernels.emphasis import rendered, strong_spans

pytestmark = pytest.mark.unit

DATED = {"events": "event_id", "statements": "statement_id", "funding_claims": "claim_id"}


def rows(table: str) -> list[dict]:
    folder = "curation" if table in ("exclusions", "link_review") else "csv"
    with open(data_path() / folder / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


# -- the derived year columns ------------------------------------------------------------------


@pytest.mark.parametrize("table", DATED)
def test_year_columns_follow_the_bounds_by_hand(table):
    frame = ipd.load(table).set_index(DATED[table])
    published = {s["source_id"]: s["published"] for s in rows("sources")}
    for r in rows(table):
        got = frame.loc[r[DATED[table]]]
        lo, hi = day(r["date_start"]), day(r["date_end"])
        assert (got["year_start"] if lo else None) == (lo.year if lo else None)
        assert pd.isna(got["year_start"]) == (lo is None) and pd.isna(got["year_end"]) == (hi is None)
        if hi:
            assert got["year_end"] == hi.year
        # the best guess: the middle day's year, when the bounds are at most 365 days apart
        if lo and hi and (hi - lo).days <= 365:
            assert got["year"] == (lo + timedelta(days=(hi - lo).days / 2)).year
        else:
            assert pd.isna(got["year"])
        first = published[r["source_id"]].split("/")[0]
        assert bool(got["bounded_by_publication"]) == (r["date"] == f"../{first}")


def test_year_columns_on_named_rows():
    ev = ipd.load("events").set_index("event_id")
    # (date, year_start, year_end, year, bounded_by_publication)
    expected = {
        "EV-0018": ("2006", 2006, 2006, 2006, False),
        "EV-0206": ("2005/2006", 2005, 2006, None, False),  # two years: no single guess
        "EV-0020": ("../2015-07", None, 2015, None, False),  # open start, bounded by a dated event
        "EV-0013": ("2000-09/..", 2000, None, None, False),  # open end
        "EV-0404": ("../2021-12-25", None, 2021, None, True),  # already so when the article appeared
        "EV-0409": ("../2021-12-14", None, 2021, None, False),  # bounded by a call, not the article
        "EV-0310": ("../2017-12", None, 2017, None, True),  # the article's date is 2017-12/2018-09
        "EV-0001": (None, None, None, None, False),  # undated
    }
    for event_id, (text, y0, y1, y, flag) in expected.items():
        row = ev.loc[event_id]
        assert (row["date"] if isinstance(row["date"], str) else None) == text, event_id
        for column, want in (("year_start", y0), ("year_end", y1), ("year", y)):
            assert (None if pd.isna(row[column]) else int(row[column])) == want, (event_id, column)
        assert bool(row["bounded_by_publication"]) is flag, event_id


def test_publication_bounded_counts_by_hand():
    published = {s["source_id"]: s["published"].split("/")[0] for s in rows("sources")}
    for table in DATED:
        by_hand = sum(r["date"] == f"../{published[r['source_id']]}" for r in rows(table))
        assert int(ipd.load(table)["bounded_by_publication"].sum()) == by_hand > 0


def test_year_is_never_a_float():
    years = ipd.load("events")["year_start"]
    assert str(years.dtype) == "Int64" and 1979 in set(years.dropna())


# -- between(): every EDTF form the data holds -----------------------------------------------

# one row per kind of EDTF date in the data, plus the undated row
FORMS = [
    "2010",
    "2010?",
    "2010-05",
    "2010-05?",
    "2010-05-04",
    "2010-05-04?",
    "2009/2011",
    "2009/2010-03",
    "2009-11/2010-02",
    "2009-11?/2010-02?",
    "../2010",
    "../2010-05",
    "../2010-05-04",
    "2010/..",
    "2010-05/..",
    "2010-05-04/..",
    "198X",
    "",
]


def frame_of(forms: list[str]) -> pd.DataFrame:
    bounds = [parse(f) if f else None for f in forms]
    return pd.DataFrame(
        {
            "date": forms,
            "date_start": pd.to_datetime([b.start if b else None for b in bounds]),
            "date_end": pd.to_datetime([b.end if b else None for b in bounds]),
        }
    )


def kept(start, end, how, **kw) -> set[str]:
    frame = frame_of(FORMS)
    return set(ipd.between(frame, start, end, how, **kw)["date"])


CLOSED_2010 = {"2010", "2010?", "2010-05", "2010-05?", "2010-05-04", "2010-05-04?"}


def test_between_year_2010_truth_table():
    assert kept("2010", "2010", "within") == CLOSED_2010
    assert kept("2010", "2010", "overlaps") == CLOSED_2010 | {
        "2009/2011",
        "2009/2010-03",
        "2009-11/2010-02",
        "2009-11?/2010-02?",
        "../2010",
        "../2010-05",
        "../2010-05-04",
        "2010/..",
        "2010-05/..",
        "2010-05-04/..",
    }


def test_between_coarse_ends_cover_their_span():
    # "2010-05" as an end is 31 May; as a start, 1 May
    assert kept("2010-05", "2010-05", "within") == {"2010-05", "2010-05?", "2010-05-04", "2010-05-04?"}
    assert "2010-05-04/.." in kept("2010-05", "2010-05", "overlaps")
    assert "2010-05/.." in kept(None, "2010-05-01", "overlaps")  # 1 May is a possible day
    assert "2010-05-04/.." not in kept(None, "2010-05-03", "overlaps")
    assert "../2010-05-04" not in kept("2010-05-05", None, "overlaps")
    assert kept(date(2010, 5, 4), date(2010, 5, 4), "within") == {"2010-05-04", "2010-05-04?"}


def test_between_open_ends_and_undated():
    # an open-ended date is within a period only when the period is open on the same side
    assert kept(None, "2010", "within") == CLOSED_2010 | {
        "2009/2010-03",
        "2009-11/2010-02",
        "2009-11?/2010-02?",
        "../2010",
        "../2010-05",
        "../2010-05-04",
        "198X",
    }
    assert {"2010/..", "2010-05/..", "2010-05-04/.."} <= kept("2010", None, "within")
    assert not {"../2010", "2009/2011"} & kept("2010", None, "within")
    # the decade 198X (1980-1989) is before 2009 and overlaps the 1980s only
    assert "198X" in kept("1985", "1985", "overlaps") and "198X" not in kept("1985", "1985", "within")
    assert "198X" in kept("1980", "1989", "within")
    # undated: kept only on request, and never within
    assert "" not in kept("2010", "2010", "overlaps")
    assert "" in kept("2010", "2010", "overlaps", undated=True)
    assert "" not in kept(None, None, "within")
    # no period at all: every dated row
    assert kept(None, None, "overlaps") == set(FORMS) - {""}


def test_between_refuses_what_it_cannot_read():
    frame = frame_of(FORMS)
    with pytest.raises(ValueError, match="how must be one of overlaps, within"):
        ipd.between(frame, "2010", "2011", how="inside")
    with pytest.raises(ValueError, match="ends .* before it starts"):
        ipd.between(frame, "2012", "2011")
    with pytest.raises(ValueError, match="cannot read the period start '20100'"):
        ipd.between(frame, "20100", "2011")
    with pytest.raises(ValueError, match="needs the columns date_start and date_end"):
        ipd.between(ipd.load("actors"), "2010", "2011")


def overlaps_by_hand(r: dict, first: date, last: date) -> bool:
    lo, hi = day(r["date_start"]), day(r["date_end"])
    if not r["date"]:
        return False
    return (lo is None or lo <= last) and (hi is None or hi >= first)


def within_by_hand(r: dict, first: date, last: date) -> bool:
    lo, hi = day(r["date_start"]), day(r["date_end"])
    return lo is not None and hi is not None and first <= lo and hi <= last


@pytest.mark.parametrize("table", DATED)
@pytest.mark.parametrize("how", ["overlaps", "within"])
def test_between_on_the_real_data_by_hand(table, how):
    first, last = date(2006, 1, 1), date(2021, 12, 31)
    test = overlaps_by_hand if how == "overlaps" else within_by_hand
    want = {r[DATED[table]] for r in rows(table) if test(r, first, last)}
    got = set(ipd.between(ipd.load(table), "2006", "2021", how)[DATED[table]])
    assert got == want and 0 < len(want) < len(rows(table))


# -- actors: events, statements, funding, actor ------------------------------------------------


def below_by_hand(actor_id: str) -> set[str]:
    parent = {a["actor_id"]: a["affiliation_id"] for a in rows("actors")}
    out, todo = set(), [actor_id]
    while todo:
        node = todo.pop()
        for child, p in parent.items():
            if p == node and child not in out:
                out.add(child)
                todo.append(child)
    return out


def test_hamas_or_its_wings_between_2006_and_2021_by_hand():
    group = {"hamas"} | below_by_hand("hamas")
    assert {"qassam-brigades", "ismail-haniyeh", "yahya-sinwar"} <= group
    involved = {r["event_id"] for r in rows("event_actors") if r["actor_id"] in group}
    first, last = date(2006, 1, 1), date(2021, 12, 31)
    for how, test in (("overlaps", overlaps_by_hand), ("within", within_by_hand)):
        want = {r["event_id"] for r in rows("events") if r["event_id"] in involved and test(r, first, last)}
        got = ipd.events("hamas", include_affiliates=True, between=("2006", "2021"), how=how)
        assert set(got["event_id"]) == want, how
    frame = ipd.events("Hamas", include_affiliates=True, between=("2006", "2021"))
    # named rows: stated in 2006; open start bounded by July 2015; open end from 2000; undated
    assert {"EV-0018", "EV-0020", "EV-0013"} <= set(frame["event_id"])
    assert "EV-0119" not in set(frame["event_id"])  # undated
    within = set(
        ipd.events("hamas", include_affiliates=True, between=("2006", "2021"), how="within")["event_id"]
    )
    assert "EV-0018" in within and not {"EV-0020", "EV-0013"} & within
    # without the affiliates, only the events Hamas itself is in
    alone = {r["event_id"] for r in rows("event_actors") if r["actor_id"] == "hamas"}
    assert set(ipd.events("hamas")["event_id"]) == alone


def test_events_join_actor_names_and_roles():
    frame = ipd.events(type="arms_interdiction").set_index("event_id")
    row = frame.loc["EV-0015"]
    names = {a["actor_id"]: a["name"] for a in rows("actors")}
    pairs = [(r["actor_id"], r["role"]) for r in rows("event_actors") if r["event_id"] == "EV-0015"]
    assert list(row["actor_ids"]) == [a for a, _ in pairs]
    assert list(row["actor_roles"]) == [r for _, r in pairs]
    assert list(row["actor_names"]) == [names[a] for a, _ in pairs]
    assert set(frame["event_type"]) == {"arms_interdiction"}
    assert frame.attrs["columns"]["actor_names"]["derived"] is True


def test_statements_and_funding_filters_by_hand():
    names = {a["actor_id"]: a["name"] for a in rows("actors")}
    by_khamenei = {r["statement_id"] for r in rows("statements") if r["speaker_id"] == "ali-khamenei"}
    frame = ipd.statements(speaker="Khamenei")  # an alias
    assert set(frame["statement_id"]) == by_khamenei
    assert set(frame["speaker_name"]) == {names["ali-khamenei"]}
    to_hamas = {r["statement_id"] for r in rows("statements") if r["recipient_id"] == "hamas"}
    assert set(ipd.statements(recipient="hamas")["statement_id"]) == to_hamas
    ceased = {
        r["claim_id"] for r in rows("funding_claims") if r["donor_id"] == "iran" and r["status"] == "ceased"
    }
    got = ipd.funding(donor="iran", status="ceased")
    assert set(got["claim_id"]) == ceased and set(got["donor_name"]) == {"Iran"}
    weapons = {r["claim_id"] for r in rows("funding_claims") if "weapons" in r["support_types"].split(";")}
    assert set(ipd.funding(support_type="weapons")["claim_id"]) == weapons
    by_source = {r["claim_id"] for r in rows("funding_claims") if r["source_id"] == "iranwire-khamenei-hamas"}
    assert set(ipd.funding(source="iranwire-khamenei-hamas")["claim_id"]) == by_source


def test_actor_profile_by_hand():
    hamas = ipd.actor("Islamic Resistance Movement")  # an alias names the actor
    assert hamas.actor_id == "hamas" and "Islamic Resistance Movement" in hamas.aliases
    assert set(hamas.affiliates) == below_by_hand("hamas")
    assert hamas.affiliation == next(a["affiliation_id"] for a in rows("actors") if a["actor_id"] == "hamas")
    events = {r["event_id"] for r in rows("event_actors") if r["actor_id"] == "hamas"}
    spoken = {r["statement_id"] for r in rows("statements") if r["speaker_id"] == "hamas"}
    heard = {r["statement_id"] for r in rows("statements") if r["recipient_id"] == "hamas"}
    received = {r["claim_id"] for r in rows("funding_claims") if r["recipient_id"] == "hamas"}
    claims = {
        r["claim_id"]
        for r in rows("funding_claims")
        if "hamas" in (r["donor_id"], r["recipient_id"], r["claimant_id"], r["relayed_by_id"])
    }
    assert set(hamas.events) == events
    assert set(hamas.roles["statements"]["speaker"]) == spoken
    assert set(hamas.roles["statements"].get("recipient", ())) == heard
    assert set(hamas.roles["funding_claims"]["recipient"]) == received
    assert set(hamas.funding_claims) == claims
    assert hamas.counts == {
        "events": len(events),
        "statements": len(spoken | heard),
        "funding_claims": len(claims),
    }
    assert "Hamas (hamas)" in str(hamas)


def test_misspelt_names_are_refused_with_the_closest():
    with pytest.raises(LookupError, match="no actor 'hamass'; did you mean 'hamas'"):
        ipd.events("hamass")
    with pytest.raises(LookupError, match="no event_type code 'visit'; did you mean 'visit_or_meeting'"):
        ipd.events(type="visit")
    with pytest.raises(LookupError, match="the status codes are: provided, pledged"):
        ipd.funding(status="suspended")
    with pytest.raises(LookupError, match="did you mean 'memo-palestinian-resistance-iran'"):
        ipd.statements(source="memo")


# -- column documentation, columns=, did you mean -----------------------------------------------


@pytest.mark.parametrize(
    "table", ["events", "statements", "funding_claims", "actors", "claim_links", "retired"]
)
def test_describe_matches_what_load_gives(table):
    frame = ipd.load(table)
    docs = ipd.describe(table)
    assert list(docs.index) == list(frame.columns)
    for column in frame.columns:
        assert docs.loc[column, "dtype"] == str(frame[column].dtype), column
        assert docs.loc[column, "description"], column
    assert frame.attrs["columns"] == {c: dict(docs.loc[c]) for c in docs.index}
    assert docs.attrs["description"] == frame.attrs["description"]


def test_describe_gives_the_codes_with_their_definitions():
    import json

    schema = json.loads((data_path() / "schemas/funding_claims.schema.json").read_text(encoding="utf-8"))
    status = next(f for f in schema["fields"] if f["name"] == "status")
    vocabulary = ipd.describe("funding_claims").loc["status", "vocabulary"]
    assert vocabulary == status["x-enumDescriptions"]
    assert list(vocabulary) == status["constraints"]["enum"]  # in schema order
    assert ipd.describe("events").loc["year", "derived"] and not ipd.describe("events").loc["date", "derived"]


def test_load_columns_and_did_you_mean():
    frame = ipd.load("events", columns=["event_id", "year", "date"])
    assert list(frame.columns) == ["event_id", "year", "date"] and list(frame.attrs["columns"]) == list(
        frame.columns
    )
    with pytest.raises(KeyError, match="table events has no column 'yaer'; did you mean 'year'"):
        ipd.load("events", columns=["yaer"])
    with pytest.raises(KeyError, match="no table 'event'; .* did you mean 'events'"):
        ipd.load("event")
    with pytest.raises(KeyError, match="no table 'evnts'; .* did you mean 'events'"):
        ipd.describe("evnts")
    merged = ipd.load("events", merge_same=True, columns=["event_id", "ids"])
    assert list(merged.columns) == ["event_id", "ids"]


# -- display of the sources' emphasis -------------------------------------------------------------


def test_emphasis_is_rendered_without_its_markers():
    text = "a **bold** b ** c **d**"
    assert strong_spans(text) == [(2, 10), (18, 23)]  # "** c **" has a space inside its markers: not a pair
    shown = rendered(text)
    assert "".join(ch for _, ch, _ in shown) == "a bold b ** c d"
    assert [ch for _, ch, bold in shown if bold] == list("bold") + ["d"]
    # every character shown keeps its raw index
    assert all(text[i] == ch for i, ch, _ in shown)
    assert rendered("no emphasis") == [(i, ch, False) for i, ch in enumerate("no emphasis")]


def test_query_frames_document_every_column_in_order():
    for frame in (ipd.events("hamas"), ipd.statements(speaker="ali-khamenei"), ipd.funding(donor="iran")):
        assert list(frame.attrs["columns"]) == list(frame.columns)
        assert all(doc["description"] for doc in frame.attrs["columns"].values())
    frame = ipd.statements(speaker="ali-khamenei")
    assert list(frame.columns[:3]) == ["statement_id", "speaker_id", "speaker_name"]
    assert str(frame["speaker_name"].dtype) == frame.attrs["columns"]["speaker_name"]["dtype"] == "string"

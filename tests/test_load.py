"""Loaders: real dtypes, honest missing values, structured errors for unreadable data."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

import iran_palestine_data as ipd
from iran_palestine_data.contract.schema import package
from iran_palestine_data.errors import DataError

from helpers import edit_and_refresh

pytestmark = pytest.mark.unit

TABLES = list(package().tables)
DATED = ("events", "statements", "funding_claims")


@pytest.mark.parametrize("table", TABLES)
def test_dtypes_follow_the_schema(table):
    frame = ipd.load(table)
    tbl = package().table(table)
    # the schema's columns in schema order, then (dated tables only) the columns worked out from the date
    derived = ["year_start", "year_end", "year", "bounded_by_publication"] if table in DATED else []
    assert list(frame.columns) == tbl.field_names + derived
    for name in derived:
        assert str(frame[name].dtype) == ("boolean" if name == "bounded_by_publication" else "Int64")
    assert len(frame) > 0 or tbl.may_be_empty
    for f in tbl.fields:
        dtype = frame[f.name].dtype
        if f.enum:
            assert isinstance(dtype, pd.CategoricalDtype), f.name
            assert list(dtype.categories) == list(f.enum), f.name
        elif f.type == "date":
            assert str(dtype) == "datetime64[ms]", f.name
        elif f.type == "number":
            assert dtype == pd.Float64Dtype(), f.name
        elif f.type == "integer":
            assert dtype == pd.Int64Dtype(), f.name
        elif f.type == "list":
            assert str(dtype) == "list<item: string>[pyarrow]", f.name
        else:
            assert dtype == pd.StringDtype("pyarrow"), f.name


def test_frames_carry_their_description():
    frame = ipd.load("events")
    assert frame.attrs["table"] == "events" and frame.attrs["description"]


def test_empty_cell_is_missing_and_na_stays_a_string(dataset):
    # an actor whose description is literally "NA", and an empty optional cell
    edit_and_refresh(dataset, "csv/actors.csv", "Spokesman of Fatah.", "NA")
    actors = ipd.load("actors", root=dataset).set_index("actor_id")
    assert actors.loc["osama-al-qawasmi", "description"] == "NA"
    assert pd.isna(actors.loc["iran", "affiliation_id"])
    assert actors.loc["iran", "country"] == "IRN"


def test_lists_are_lists():
    actors = ipd.load("actors").set_index("actor_id")
    aliases = actors.loc["ali-khamenei", "aliases"]
    assert isinstance(aliases, list) and {"Ali Khamenei", "Khamenei"} <= set(aliases)
    claims = ipd.load("funding_claims")
    assert all(isinstance(v, list) for v in claims["support_types"])


def test_dates_are_dates():
    events = ipd.load("events").set_index("event_id")
    assert events.loc["EV-0015", "date_start"] == pd.Timestamp("2002-01-01")
    assert pd.isna(events.loc["EV-0002", "date_start"])  # open start: ../1979


def test_load_all_returns_every_table():
    frames = ipd.load_all()
    assert list(frames) == TABLES


@pytest.mark.parametrize("table", TABLES)
def test_records_are_frozen_models(table):
    rows = ipd.records(table)
    assert len(rows) == len(ipd.load(table))
    for row in rows[:1]:
        with pytest.raises(ValidationError, match="frozen"):
            setattr(row, next(iter(type(row).model_fields)), "changed")  # frozen


def test_records_convert_cells():
    claim = next(r for r in ipd.records("funding_claims") if r.claim_id == "FC-0005")
    assert claim.support_types == ["weapons", "military_technology"]
    assert claim.claimant_id is None and claim.amount_low is None


def test_bad_cell_raises_structured_error(dataset):
    edit_and_refresh(dataset, "csv/events.csv", "2002-01-01", "2002-13-01")
    with pytest.raises(DataError) as info:
        ipd.load("events", root=dataset)
    issue = info.value.issues[0]
    assert (issue.file, issue.column, issue.value, issue.rule) == (
        "csv/events.csv",
        "date_start",
        "2002-13-01",
        "type",
    )
    assert (
        str(issue)
        == 'csv/events.csv row 16, column date_start: value "2002-13-01" is not a real calendar date (rule: type)'
    )


def test_records_report_model_errors(dataset):
    edit_and_refresh(dataset, "csv/events.csv", ",killing,", ",kiling,") if ",killing," in (
        dataset / "csv/events.csv"
    ).read_text() else None
    edit_and_refresh(dataset, "csv/events.csv", ",arms_interdiction,", ",arms_seizure,")
    with pytest.raises(DataError) as info:
        ipd.records("events", root=dataset)
    issue = info.value.issues[0]
    assert (issue.row, issue.column, issue.value, issue.rule) == (16, "event_type", "arms_seizure", "model")


def test_records_count_rows_across_batches(dataset, monkeypatch):
    from iran_palestine_data.read import tables as loader

    monkeypatch.setattr(loader, "_RECORD_BATCH", 4)  # row 16 sits in the fourth batch
    edit_and_refresh(dataset, "csv/events.csv", ",arms_interdiction,", ",arms_seizure,")
    with pytest.raises(DataError) as info:
        ipd.records("events", root=dataset)
    assert [(i.row, i.column) for i in info.value.issues] == [(16, "event_type")]
    monkeypatch.setattr(loader, "_RECORD_BATCH", 4)
    assert len(ipd.records("statements", root=dataset)) == len(ipd.load("statements", root=dataset))


def test_enum_outside_vocabulary_is_not_silently_dropped(dataset):
    edit_and_refresh(dataset, "csv/events.csv", ",arms_interdiction,", ",arms_seizure,")
    with pytest.raises(
        DataError,
        match=r'row 16, column event_type: value "arms_seizure" is not in the event_type vocabulary',
    ):
        ipd.load("events", root=dataset)


def test_header_problems_are_named(dataset):
    edit_and_refresh(dataset, "csv/events.csv", "event_id,date,", "event_id,dates,")
    with pytest.raises(DataError) as info:
        ipd.load("events", root=dataset)
    messages = [str(i) for i in info.value.issues]
    assert (
        "csv/events.csv row 1, column date: column is missing (required by schemas/events.schema.json) (rule: header)"
        in messages
    )
    assert (
        'csv/events.csv row 1, column dates: value "dates" is not a column of the schema (rule: header)'
        in messages
    )


def test_unknown_table_is_a_clear_key_error():
    with pytest.raises(KeyError, match="no table 'event'; tables are: sources, actors"):
        ipd.load("event")


@pytest.mark.parametrize("day", ["2002-02-30", "2002-04-31", "2001-02-29", "2002-01-00"])
def test_impossible_day_is_refused_not_rolled_over(dataset, day):
    # pyarrow's strptime would read 2002-02-30 as 2002-03-02; the loader must not
    edit_and_refresh(dataset, "csv/events.csv", "2002-01-01", day)
    with pytest.raises(DataError, match="is not a real calendar date"):
        ipd.load("events", root=dataset)

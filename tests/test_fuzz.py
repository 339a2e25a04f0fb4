"""Fuzzing: random and malformed input never escapes as anything but the documented DataError.

The loaders may raise only :class:`iran_palestine_data.DataError`, whose issues carry file, row,
column, value and rule; the validator never raises and returns a report naming file and rule.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import iran_palestine_data as ipd
from iran_palestine_data.errors import DataError

from helpers import copy_dataset

pytestmark = pytest.mark.integration

SETTINGS = settings(
    deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
HEADER = "event_id,date,date_start,date_end,date_precision,date_basis,date_note,event_type,title,location,country,source_id,quote,notes"
cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            "NA",
            "null",
            '"',
            '""',
            ",",
            "\n",
            "\r\n",
            "EV-0001",
            "2020-02-30",
            "=1+1",
            "-3",
            "1e309",
            "nan",
            "\x00",
            "é",
            "\ufeff",
        ]
    ),
)
row = st.lists(cell, min_size=0, max_size=16).map(lambda cells: ",".join(cells))
EDGE_FILES = [
    "",
    "\ufeff",
    "\ufeff\n",
    '"',
    '"\n',
    "\x00",
    "\n\n",
    ",,,\n",
    HEADER,
    HEADER + "\n" + '"',
    HEADER + "\n\x00\n",
    HEADER.replace("date,", "date,date,") + "\n",
    "\r\n".join([HEADER, "EV-0001"]) + "\r\n",
]
csv_text = st.one_of(
    st.sampled_from(EDGE_FILES),
    st.text(max_size=400),
    st.lists(row, max_size=8).map(lambda rows: "\n".join([HEADER, *rows]) + "\n"),
    st.lists(row, max_size=8).map(lambda rows: "\n".join(rows)),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return copy_dataset(tmp_path_factory.mktemp("fuzz") / "dataset")


def _check_data_error(exc: DataError) -> None:
    assert exc.issues, "a DataError must carry at least one issue"
    for issue in exc.issues:
        assert issue.file and issue.rule and issue.message


def _load_all_ways(root):
    for fn in (ipd.load, ipd.records):
        try:
            fn("events", root=root)
        except DataError as exc:
            _check_data_error(exc)


@SETTINGS
@given(text=csv_text)
def test_loaders_on_random_csv_text(scratch, text):
    (scratch / "csv/events.csv").write_text(text, encoding="utf-8", errors="surrogatepass")
    _load_all_ways(scratch)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_loaders_on_random_bytes(scratch, data):
    (scratch / "csv/events.csv").write_bytes(HEADER.encode() + b"\n" + data)
    _load_all_ways(scratch)


@settings(SETTINGS, max_examples=25)
@given(text=csv_text)
def test_validator_never_raises_on_random_csv(scratch, text):
    (scratch / "csv/statements.csv").write_text(text, encoding="utf-8")
    report = ipd.validate(scratch)
    assert not report.valid
    assert all(i.file and i.rule for i in report.issues)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
descriptor = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {
            "resources": st.lists(
                st.dictionaries(st.sampled_from(["name", "path", "schema"]), json_value), max_size=3
            )
        }
    ),
)


@settings(SETTINGS, max_examples=40)
@given(value=descriptor)
def test_random_descriptor_never_tracebacks(tmp_path_factory, value):
    root = tmp_path_factory.mktemp("desc")
    (root / "datapackage.json").write_text(json.dumps(value), encoding="utf-8")
    report = ipd.validate(root)
    assert not report.valid and all(i.file and i.rule for i in report.issues)
    try:
        ipd.load("events", root=root)
    except DataError as exc:
        _check_data_error(exc)
    except KeyError:
        pass  # a descriptor without an "events" table: asking for it is a KeyError, as documented

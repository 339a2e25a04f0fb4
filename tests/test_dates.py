"""EDTF handling: our fast parser agrees with the edtf library, and says why it rejects a string."""

from __future__ import annotations

from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from iran_palestine_data.contract.dates import EDTFError, parse

pytestmark = pytest.mark.unit


def reference(text: str) -> tuple[date, date]:
    d = parse_edtf(text)
    lo, hi = d.lower_strict(), d.upper_strict()
    return date(*lo[:3]), date(*hi[:3])


SINGLE = st.one_of(
    st.integers(1000, 2999).map(str),
    st.tuples(st.integers(1000, 2999), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.dates(date(1000, 1, 1), date(2999, 12, 31)).map(date.isoformat),
    st.integers(100, 299).map(lambda y: f"{y}X"),
    st.integers(10, 29).map(lambda y: f"{y}XX"),
).flatmap(lambda s: st.sampled_from([s, s + "?", s + "~", s + "%"]))


@settings(max_examples=300, deadline=None)
@given(SINGLE)
def test_single_dates_match_the_edtf_library(text):
    ours = parse(text)
    assert (ours.start, ours.end) == reference(text)


@settings(max_examples=200, deadline=None)
@given(SINGLE, SINGLE)
def test_intervals_match_the_edtf_library(a, b):
    text = f"{a}/{b}"
    try:
        expected = reference(text)
    except Exception:  # the reference rejects it: so must we
        with pytest.raises(EDTFError):
            parse(text)
        return
    try:
        ours = parse(text)
    except EDTFError as exc:
        # stricter than the library on purpose: no X in interval ends (the library is inconsistent there)
        assert "ends before it starts" in str(exc) or "unspecified digits" in str(exc)
        return
    assert (ours.start, ours.end) == expected


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2019", "2019-01-01", "2019-12-31", "year"),
        ("2017-10", "2017-10-01", "2017-10-31", "month"),
        ("2020-01-03", "2020-01-03", "2020-01-03", "day"),
        ("2000?", "2000-01-01", "2000-12-31", "year"),
        ("198X", "1980-01-01", "1989-12-31", "decade"),
        ("19XX", "1900-01-01", "1999-12-31", "century"),
        ("2019-XX", "2019-01-01", "2019-12-31", "year"),
        ("2024-02", "2024-02-01", "2024-02-29", "month"),
        ("2017-12/2018-09", "2017-12-01", "2018-09-30", "month"),
        ("2016/2019-05", "2016-01-01", "2019-05-31", "year"),
        ("../2015-07", None, "2015-07-31", "month"),
        ("2005/..", "2005-01-01", None, "year"),
    ],
)
def test_bounds_and_precision(text, start, end, precision):
    b = parse(text)
    assert (str(b.start) if b.start else None, str(b.end) if b.end else None, b.precision) == (
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("2013-02-30", '"2013-02-30" is not a real day (February 2013 has 28 days)'),
        ("March 2019", '"March 2019" is not an EDTF date'),
        ("2013-21", '"2013-21" is EDTF (Season) but not a form this dataset uses'),
        ("2019/2017", '"2019/2017" ends before it starts'),
        ("../..", '"../.." is open at both ends'),
        (" 2019", '" 2019" has leading or trailing spaces'),
        ("0000", "year 0000 is outside the range"),
    ],
)
def test_rejections_say_why(text, message):
    with pytest.raises(EDTFError) as info:
        parse(text)
    assert message in str(info.value)


def test_fast_path_does_not_call_the_library(monkeypatch):
    """Valid dates never reach edtf (it is the slow reference, used only to explain rejections)."""
    import edtf

    monkeypatch.setattr(edtf, "parse_edtf", lambda *_: (_ for _ in ()).throw(AssertionError("called")))
    parse.cache_clear()
    assert parse("1999-05").precision == "month"

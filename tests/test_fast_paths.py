"""The fast paths of validation agree with their plain definitions: the multi-pattern search behind
the quote and alias rules answers exactly like ``in``; the amount prefilter never clears an amount
that :func:`money_figures` would not find; the first-byte test agrees with ``str.startswith``."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iran_palestine_data.kernels import substrings as verbatim
from iran_palestine_data.kernels.columns import starts_with_any
from iran_palestine_data.kernels.utf8 import is_utf8
from iran_palestine_data.read.casts import calendar_dates
from iran_palestine_data.validation.rules.amounts import _plainly, money_figures
from iran_palestine_data.validation.rules.cells import FORMULA_START

pytestmark = pytest.mark.unit

# a small alphabet (ASCII, Arabic, curly quotes, accents) makes repeats and near misses likely
ALPHABET = st.sampled_from(list("ab \u201c\u201dé\u0628x"))
TEXT = st.text(ALPHABET, max_size=400)


@st.composite
def cases(draw):
    # None: an unreadable snapshot
    texts = draw(st.lists(st.one_of(TEXT, TEXT, st.none()), min_size=1, max_size=4))
    columns, owners = [], []
    for _ in range(draw(st.integers(1, 3))):
        values, owner = [], []
        for _ in range(draw(st.integers(0, 25))):
            k = draw(st.integers(-1, len(texts) - 1))
            source = texts[draw(st.integers(0, len(texts) - 1))] or ""
            if source and draw(st.booleans()):
                i = draw(st.integers(0, len(source) - 1))
                value = source[i : i + draw(st.integers(1, 90))]
                if draw(st.booleans()):  # a near miss: one character changed
                    j = draw(st.integers(0, len(value) - 1))
                    value = value[:j] + draw(ALPHABET) + value[j + 1 :]
            else:
                value = draw(st.text(ALPHABET, min_size=1, max_size=60))
            values.append(value if draw(st.integers(0, 9)) else None)
            owner.append(k)
        columns.append(values)
        owners.append(owner)
    return texts, columns, owners


SIZES = st.sampled_from([1, 3, 64, 1 << 19])  # batch bytes and group sizes: one text each, a few, all


@contextmanager
def sizes(batch: int, group: int):
    """The search with other batch and group sizes (the answers must not depend on them)."""
    old = verbatim.BATCH, verbatim.GROUP
    verbatim.BATCH, verbatim.GROUP = batch, group
    try:
        yield
    finally:
        verbatim.BATCH, verbatim.GROUP = old


@settings(max_examples=300, deadline=None)
@given(cases(), SIZES, SIZES, st.booleans())
def test_find_all_agrees_with_in(case, batch, group, as_bytes):
    texts, columns, owners = case
    with sizes(batch, group):
        got = verbatim.find_all(
            [t.encode() if as_bytes and t is not None else t for t in texts],
            [pa.array(c, pa.string()) for c in columns],
            [np.array(o, dtype=np.int64) for o in owners],
        )
    for values, owner, mask in zip(columns, owners, got):
        want = [
            v is not None and k >= 0 and texts[k] is not None and v in texts[k] for v, k in zip(values, owner)
        ]
        assert mask.tolist() == want


@settings(max_examples=300, deadline=None)
@given(cases(), SIZES, SIZES)
def test_count_all_counts_every_occurrence(case, batch, group):
    """The counts behind the quote occurrence rule: every start, overlapping ones too, as
    :func:`~iran_palestine_data.kernels.substrings.occurrences` (and a plain regex) finds them."""
    import re

    texts, columns, owners = case
    with sizes(batch, group):
        got = verbatim.count_all(
            texts, [pa.array(c, pa.string()) for c in columns], [np.array(o, dtype=np.int64) for o in owners]
        )
    for values, owner, counts in zip(columns, owners, got):
        want = [
            len(re.findall(f"(?={re.escape(v)})", texts[k]))
            if v is not None and k >= 0 and texts[k] is not None
            else 0
            for v, k in zip(values, owner)
        ]
        assert counts.tolist() == want
        for v, k, n in zip(values, owner, counts.tolist()):
            if n:
                assert len(verbatim.occurrences(texts[k], v)) == n


def test_long_quotes_in_a_repetitive_text_are_found_exactly():
    words = "officials delegation meeting talks support agreement".split()
    rng = np.random.default_rng(0)
    text = " ".join(rng.choice(words, 20_000))
    starts = rng.integers(0, len(text) - 200, 500)
    quotes = [text[s : s + 40 + s % 150] for s in starts]
    misses = [q[:-1] + ("X" if q[-1] != "X" else "Y") for q in quotes]
    (mask,) = verbatim.find_all([text], [pa.array(quotes + misses)], [np.zeros(1000, dtype=np.int64)])
    assert mask[:500].all() and not mask[500:].any()


def test_a_sliced_column_is_read_from_its_offset():
    col = pa.array(["x" * 40, "needle in a haystack, long enough to hash", "y" * 40]).slice(1, 2)
    (mask,) = verbatim.find_all(
        ["a needle in a haystack, long enough to hash!"], [col], [np.zeros(2, dtype=np.int64)]
    )
    assert mask.tolist() == [True, False]


def test_is_utf8():
    assert is_utf8("Khamenei – “quote”".encode())
    assert not is_utf8("Khamene\xef".encode("latin-1"))


AMOUNT_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [" ", "$", "(", ".", ",", ";", "a", "x", "-", "\u00a0", "£", "\n", "€", "%", "'", ")"]
        ),
        st.sampled_from(["million", "Million", "billion", "bn", "thousand", "millions", "m", "k", "mn"]),
        st.sampled_from(
            ["dollars", "Dollar", "rials", "tomans", "pounds", " of", "USD", "ABC", "in ", " tons"]
        ),
        st.sampled_from([" to ", " and ", "between ", "-", " per cent"]),
        st.integers(1900, 2100).map(str),
        st.integers(0, 2_000_000).map(str),
        st.integers(0, 2_000_000).map(lambda v: f"{v:,}"),
        st.floats(0, 1000, allow_nan=False).map(lambda v: f"{v:.2f}"),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(
    AMOUNT_TEXT,
    st.one_of(st.integers(0, 2_000_000_000).map(float), st.sampled_from([5e6, 1.5e9, 22_000.0, 0.5])),
)
def test_amount_prefilter_only_clears_what_figures_finds(text, n):
    pattern = _plainly(n)
    if pattern is not None and pc.match_substring_regex(pa.array([text]), pattern)[0].as_py():
        assert any(abs(n - x) <= 1e-9 * max(1.0, x) for x in money_figures(text)), (text, n)


def test_amount_prefilter_clears_the_plain_writings():
    for text, n in [
        ("put it at $5 million a year.", 5e6),
        ("some $1.5 billion", 1.5e9),
        ("($22,000)", 22_000.0),
        ("some 1.5 billion rials.", 1.5e9),
    ]:
        assert pc.match_substring_regex(pa.array([text]), _plainly(n))[0].as_py(), text


def test_amount_prefilter_does_not_clear_a_figure_that_is_not_money():
    for text, n in [
        ("some 1.5 billion", 1.5e9),  # no currency: not money
        ("in 2006 dollars", 2006.0),  # a year's dollars
        ("(22,000)", 22_000.0),
        ("50 tons.", 50.0),
    ]:
        assert not pc.match_substring_regex(pa.array([text]), _plainly(n))[0].as_py(), text
        assert n not in money_figures(text), text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.none(), st.text(st.sampled_from(list("=+-@\t\rab é")), max_size=4)), max_size=6
        ),
        min_size=1,
        max_size=3,
    )
)
def test_first_byte_test_agrees_with_startswith(chunks):
    col = pa.chunked_array([pa.array(c, pa.string()) for c in chunks], pa.string())
    want = [v is not None and v[:1] != "" and v[0] in FORMULA_START for c in chunks for v in c]
    assert starts_with_any(col, FORMULA_START).tolist() == want


DATEISH = st.one_of(
    st.dates().map(str),
    st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32)).map(
        lambda t: "%04d-%02d-%02d" % t
    ),
    st.text(st.sampled_from(list("0123456789-T :+")), max_size=12),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(DATEISH, max_size=8))
def test_calendar_dates_agrees_with_fromisoformat(cells):
    import datetime
    import re

    def real(v):
        if v is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            return None
        try:
            return datetime.date.fromisoformat(v)
        except ValueError:
            return None

    got = calendar_dates(pa.array(cells, pa.string())).to_pylist()
    assert got == [real(v) for v in cells]


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("0123456789+-.eEinfatyINFAT _x,")), max_size=10))
def test_a_finite_number_cast_only_reads_the_strict_number_form(text):
    import re

    from iran_palestine_data.contract.cells import LEXICAL

    try:
        value = pc.cast(pa.array([text]), pa.float64())[0].as_py()
    except pa.ArrowInvalid:
        return
    if value is not None and value == value and abs(value) != float("inf"):
        assert re.fullmatch(LEXICAL["number"][0].strip("^$"), text), text

"""The money parser behind the rule "amount in quote": a figure is evidence for an amount only when the
quote ties it to a currency (a symbol, an ISO code or a currency word next to it), scaled by the word
after it; years, percentages, counts and other quantities are not money. The RE2 prefilter clears only
what the parser finds."""

from __future__ import annotations

import csv
import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iran_palestine_data import data_path
from iran_palestine_data.validation.rules.amounts import _plainly, money_figures

from helpers import messages, set_cell

pytestmark = pytest.mark.unit

FC = "csv/funding_claims.csv"


def _has(found: set[float], n: float) -> bool:
    return any(abs(n - x) <= 1e-9 * max(1.0, x) for x in found)


# --- what is money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, money",
    [
        # a currency before the figure: symbols, codes, with or without a space, after other letters
        ("Iran provides some $100 million a year", {100e6}),
        ("a grant of $22,000.", {22_000}),
        ("US$50 million", {50e6}),
        ("€ 3.2 billion", {3.2e9}),
        ("£5m", {5e6}),
        ("₪1,200 a month", {1_200}),
        ("﷼ 500,000", {500_000}),
        ("USD 50m", {50e6}),
        ("USD50", {50}),
        ("IRR 5 trillion", {5e12}),
        ("EUR 1.5bn", {1.5e9}),
        ("$1.5bn", {1.5e9}),
        ("$2.5k", {2_500}),
        ("$5 mn", {5e6}),
        ("$5 mln", {5e6}),
        ("$5 Million", {5e6}),
        ("$5 millions", {5e6}),
        ("$1,234,567.89", {1_234_567.89}),
        ("a $50-million package", {50e6}),
        # a currency after the figure: words (any case, singular or plural), codes, symbols
        ("50 million dollars", {50e6}),
        ("22,000 dollars", {22_000}),
        ("22,000 dollars' worth of aid", {22_000}),
        ("1,000,000 tomans", {1e6}),
        ("5 trillion rials", {5e12}),
        ("300 million Rials", {300e6}),
        ("10 million euros", {10e6}),
        ("2 million pounds", {2e6}),
        ("5 million shekels", {5e6}),
        ("a 50-million-dollar grant", {50e6}),
        ("50 million US dollars", {50e6}),
        ("50 million U.S. dollars", {50e6}),
        ("20 million new Israeli shekels", {20e6}),
        ("1,200 NIS", {1_200}),
        ("50 EUR", {50}),
        ("50 million USD", {50e6}),
        ("70€", {70}),
        # both
        ("$50 million dollars in the spring", {50e6}),
        ("£5 million pounds", {5e6}),
        # several sums, and sums beside other figures
        ("from $100 million to $360 million per year", {100e6, 360e6}),
        ("in 2006, $50 million", {50e6}),
        ("$50 million in 2006 dollars", {50e6}),
        ("5% of $100 million", {100e6}),
        ("3,000 fighters and $20 million", {20e6}),
    ],
)
def test_money_is_found(text, money):
    assert money_figures(text) == money


@pytest.mark.parametrize(
    "text, money",
    [
        ("$10-20 million", {10e6, 20e6}),
        ("$10–20 million", {10e6, 20e6}),  # en dash
        ("$10 - $20 million", {10e6, 20e6}),
        ("$5 to 10 million", {5e6, 10e6}),
        ("$5 to $10 million", {5e6, 10e6}),
        ("between $5 and $10 million", {5e6, 10e6}),
        ("between $5 and 10 million", {5e6, 10e6}),
        ("between 5 and 10 million rials", {5e6, 10e6}),
        ("5 to 10 million dollars", {5e6, 10e6}),
        ("10-20 million USD", {10e6, 20e6}),
        ("5 to 10 dollars", {5, 10}),
        ("$1.5-2 billion", {1.5e9, 2e9}),
        ("$500 to $1 million", {500, 1e6}),  # the low end is larger as written: no shared scale
        ("$500,000 to $1 million", {500_000, 1e6}),
        ("$900 million to $1.2 billion", {900e6, 1.2e9}),
        ("5 dollars to 10 million dollars", {5, 10e6}),  # a currency of its own: its own scale
    ],
)
def test_ranges_share_their_currency_and_scale(text, money):
    assert money_figures(text) == money


@pytest.mark.parametrize(
    "text",
    [
        # years and dates
        "in 2006",
        "Following the Hamas victory in the 2006 Palestinian elections, foreign aid dried up",
        "In July 2015, a senior Hamas official reported",
        "The PLO backed the 1979 revolution",
        "in 2006 dollars",
        "in constant 2010 dollars",
        "from 2004 to 2005",
        # counts and quantities
        "50 tons of advanced weaponry",
        "3,000 fighters",
        "10 rockets",
        "The death toll in Gaza has risen to 1,200",
        "1735.22 km",
        "500 pounds of explosives",
        "technologies provided include Fajr-5, M-75, and M-302 rockets",
        "the Ayyash 250-K and Qassam 400",
        "5 million people",
        "1.5 billion",
        "some 50 million",
        # percentages, even with a currency sign
        "50%",
        "50 percent",
        "12.5 per cent",
        "$5%",
        # capitals that are words, not currencies; codes glued to a word
        "COP 26",
        "TOP 10",
        "ALL 50",
        "XAU 50",
        "ABC 5",
        "ABC5 dollars",
        # a currency not next to the figure
        "50 rockets worth dollars",
        "dollars: 50",
        "the $ and 50",
    ],
)
def test_not_money(text):
    assert money_figures(text) == set()


def test_a_year_or_a_count_beside_money_is_not_money():
    assert money_figures("$5 and 10 rockets") == {5}
    assert money_figures("from 2005 to 10 million dollars") == {10e6}
    assert money_figures("2005 and 10 million dollars") == {10e6}
    assert money_figures("in 2012 Iran gave $30 million to 20 groups") == {30e6}


@pytest.mark.parametrize(
    "text, wrong",
    [
        ("$50 million", 50),
        ("$50 million dollars in the spring", 50),
        ("from $100 million to $360 million per year", 360),
        ("$100 million a year", 100_000),
        ("$1.5bn", 1.5),
        ("between $5 and $10 million", 5),
        ("50 million dollars", 50),
    ],
)
def test_money_at_the_wrong_scale_is_not_found(text, wrong):
    assert not _has(money_figures(text), wrong)


def test_a_number_too_large_for_a_float_is_no_money_and_no_crash():
    assert money_figures("$" + "9" * 400) == set()
    assert money_figures("$" + "9" * 300 + " trillion") == set()
    assert _plainly(float("inf")) is None and _plainly(float("-inf")) is None
    _plainly(1e308)  # finite: a pattern or None, never an exception


def test_a_hostile_quote_costs_linear_time():
    for text in [
        "1 " * 50_000,
        "$1-" * 30_000,
        "5" + " " * 100_000 + "x",
        "between 1 and " * 20_000,
        "USD " * 30_000,
    ]:
        start = time.perf_counter()
        money_figures(text)
        assert time.perf_counter() - start < 5, text[:20]


# --- the prefilter clears only what the parser finds ----------------------------------------------

PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "$",
        "(",
        ")",
        "[",
        ".",
        ",",
        ";",
        "'",
        "a",
        "x",
        "-",
        "–",
        "\u00a0",
        "\n",
        "%",
        "£",
        "€",
        "₪",
    ]
    + ["1", "0", "5", ",000", "s", " to ", " and ", "between ", "in ", " of", "USD", "USD ", "ABC ", "XAU "]
    + ["dollars", "dollar", "Dollars", "rials", "tomans", "euros", "pounds", "US ", "tons", " per cent"]
    + ["k", "m", "M", "mn", "bn", "million", "billion", "thousand", "millions", "trillion"]
    + ["5", "22,000", "1.5", "0.5", "50", "2006", "10", "20"]
)
AROUND = st.lists(PIECES, max_size=6).map("".join)
SCALES = {
    "": 1.0,
    " million": 1e6,
    "m": 1e6,
    " bn": 1e9,
    " thousand": 1e3,
    "k": 1e3,
    "-million": 1e6,
    "-k": 1e3,
}


@settings(max_examples=800, deadline=None)
@given(
    AROUND,
    AROUND,
    st.sampled_from([5e6, 1.5e9, 22_000.0, 0.5, 5.0, 50.0, 2006.0, 5e3, 50e6, 1.5e6, 1.5, 10e6, 20e6, 10.0]),
    st.sampled_from(["$", "$ ", "€", "USD ", "", "(", " "]),
    st.sampled_from(list(SCALES)),
    st.sampled_from(["", " dollars", " rials", "-dollar", " USD", "$", " tons", " pounds", " pounds of"]),
)
def test_prefilter_only_clears_what_the_parser_finds(before, after, n, pre, scale, post):
    """Texts built around a writing of ``n`` (so that the prefilter often matches), in every context."""
    v = n / SCALES[scale]
    text = before + pre + (f"{v:,.0f}" if v == int(v) else repr(v)) + scale + post + after
    pattern = _plainly(n)
    if pattern is not None and pc.match_substring_regex(pa.array([text]), pattern)[0].as_py():
        assert _has(money_figures(text), n), (text, n)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["1", "5", ",000", ".5", " ", "-", " to ", " and ", "million", "tons", "%"]),
        max_size=12,
    )
)
def test_no_currency_no_money(pieces):
    assert money_figures("".join(pieces)) == set()


def test_prefilter_clears_the_shipped_writings_and_no_bare_figure():
    plain = [
        ("Iran provides some $100 million a year to", 100e6),
        ("initially promised at $50 million dollars in the spring", 50e6),
        ("increased from $100 million to $360 million per year.", 100e6),
        ("increased from $100 million to $360 million per year.", 360e6),
        ("5 million rials.", 5e6),
    ]
    for text, n in plain:
        assert pc.match_substring_regex(pa.array([text]), _plainly(n))[0].as_py(), text
    for text, n in [("in 2006.", 2006.0), ("50 tons", 50.0), ("1,200,", 1200.0), ("$5 and $10 million", 5.0)]:
        assert not pc.match_substring_regex(pa.array([text]), _plainly(n))[0].as_py(), text


# --- the rule ------------------------------------------------------------------------------------


def test_every_shipped_amount_is_money_in_its_quote():
    with (data_path() / FC).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["amount_low"] or r["amount_high"]]
    assert rows
    for r in rows:
        for column in ("amount_low", "amount_high"):
            if r[column]:
                assert _has(money_figures(r["quote"]), float(r[column])), (r["claim_id"], column)


def test_the_message_names_the_money_found_and_the_figure_that_is_not_money(dataset):
    n = set_cell(dataset, FC, "FC-0010", "amount_low", "2006", refresh_hashes=False)
    set_cell(dataset, FC, "FC-0010", "currency", "USD", refresh_hashes=False)
    set_cell(dataset, FC, "FC-0208", "amount_low", "50", refresh_hashes=False)
    m = set_cell(dataset, FC, "FC-0208", "amount_high", "50")
    msgs = messages(dataset)
    assert (
        f"{FC} row {n}, column amount_low: value \"2006\" matches no money figure in the quote: it writes '2006', "
        "but not as money (only a figure tied to a currency counts, as in '$5 million', 'USD 5m', "
        "'5 million rials'; money figures found: none) (rule: amount in quote)"
    ) in msgs
    assert (
        f'{FC} row {m}, column amount_high: value "50" matches no money figure in the quote (only a figure tied '
        "to a currency counts, as in '$5 million', 'USD 5m', '5 million rials'; money figures found: "
        "50,000,000) (rule: amount in quote)"
    ) in msgs

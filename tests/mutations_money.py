"""Mutation kinds of the tamper-proof validation: Amounts that are not money in the quote: years, counts and other quantities.

Registered into ``mutations.MUTATIONS`` (this module is imported at the end of ``mutations.py``).

Each kind gives a funding claim an amount that its quote does write, but not as money: a year, a
tonnage, a death toll, a distance, a rocket's name, or a sum of money read at the wrong scale. The
rest of the row stays valid (a currency goes with the amount, a new quote is a verbatim excerpt of
the row's own snapshot), so that only the rule "amount in quote" can catch it. The kinds of years,
counts and quantities all passed the rule before it asked for money; those at the wrong scale guard
the scaling; an amount of 1e400 crashed the validator.
"""

from __future__ import annotations

from helpers import set_cell
from mutations import Expect, _cell, mutation

FC = "csv/funding_claims.csv"


def _amount(root, key: str, low: str, high: str, *, quote: str | None = None) -> int:
    """Give row ``key`` the amounts ``low``/``high`` (and USD, and ``quote``), hashes refreshed once; its row."""
    edits = {"amount_low": low, "amount_high": high, "currency": "USD" if low or high else ""}
    if quote is not None:
        edits["quote"] = quote
    n = 0
    for i, (column, value) in enumerate(edits.items()):
        n = set_cell(root, FC, key, column, value, refresh_hashes=i == len(edits) - 1)
    return n


# --- years ---------------------------------------------------------------------------------------


@mutation("amount is a year of the quote")
def _(root):
    assert "the 2006 Palestinian elections" in _cell(root, FC, "FC-0010", "quote")
    return Expect(FC, _amount(root, "FC-0010", "2006", "2006"), "amount_low")


@mutation("amount_high is a year of the quote, amount_low another")
def _(root):
    quote = _cell(root, FC, "FC-0006", "quote")
    assert "in 2004" in quote and "in 2005" in quote
    return Expect(FC, _amount(root, "FC-0006", "2004", "2005"), "amount_high")


@mutation("amount is the year of a date in the quote")
def _(root):
    assert _cell(root, FC, "FC-0008", "quote").startswith("In July 2015,")
    return Expect(FC, _amount(root, "FC-0008", "2015", "2015"), "amount_low")


# --- counts and quantities -----------------------------------------------------------------------


@mutation("amount is a tonnage of the quote")
def _(root):
    assert "50 tons of advanced weaponry" in _cell(root, FC, "FC-0002", "quote")
    return Expect(FC, _amount(root, "FC-0002", "50", "50"), "amount_low")


@mutation("amount_high is a rocket's name in the quote")
def _(root):
    assert "M-302 rockets" in _cell(root, FC, "FC-0005", "quote")
    return Expect(FC, _amount(root, "FC-0005", "", "302"), "amount_high")


@mutation("amounts are the numbers of two missiles' names")
def _(root):
    assert "Ayyash 250-K and Qassam 400" in _cell(root, FC, "FC-0412", "quote")
    return Expect(FC, _amount(root, "FC-0412", "250", "400"), "amount_low")


@mutation("amount is a death toll, from another sentence of the snapshot")
def _(root):
    quote = "The death toll in Gaza has risen to 1,200, according to the Palestinian Health Ministry"
    return Expect(FC, _amount(root, "FC-0105", "1200", "1200", quote=quote), "amount_high")


@mutation("amount is a distance, from another sentence of the snapshot")
def _(root):
    quote = "distance between Iran and Palestine is 1735.22 km"
    return Expect(FC, _amount(root, "FC-0105", "1735.22", "1735.22", quote=quote), "amount_low")


# --- money at the wrong scale --------------------------------------------------------------------


@mutation("amount is a sum of money without its million")
def _(root):
    assert "$50 million dollars" in _cell(root, FC, "FC-0208", "quote")
    return Expect(FC, _amount(root, "FC-0208", "50", "50"), "amount_low")


@mutation("amount_high is the high end of a range without its million")
def _(root):
    assert "from $100 million to $360 million" in _cell(root, FC, "FC-0213", "quote")
    return Expect(FC, _amount(root, "FC-0213", "360", "360"), "amount_high")


@mutation("amount is a sum of money in thousands instead of millions")
def _(root):
    assert "$100 million a year" in _cell(root, FC, "FC-0105", "quote")
    return Expect(FC, _amount(root, "FC-0105", "100000", "100000"), "amount_low")


# --- numbers too large for a float ---------------------------------------------------------------


@mutation("amount overflowing to infinity (1e400)")
def _(root):
    # the figure rule's prefilter once raised OverflowError here, so that validate() crashed
    return Expect(FC, set_cell(root, FC, "FC-0105", "amount_high", "1e400"), "amount_high")

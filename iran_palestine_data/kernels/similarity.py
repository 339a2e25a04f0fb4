"""How alike two short texts are in wording: content words weighted by their rarity, compared by cosine.

A text's *words* are its runs of letters and digits, lowercased, at least three characters long, without
an English possessive ``'s`` and without the function words and reporting verbs of :data:`STOP` (which
every summary uses: "says", "the", "according"; and our stock attributions, "the page", "the author");
a word of more than five letters loses one ending of :data:`ENDINGS` (a crude stemmer: "assisting" and
"assisted", "Palestinians" and "Palestine" meet). A word's *rarity* in a collection of texts is
``log2(n / df)``: ``n`` texts, ``df`` of them holding the word. A word that only one text holds cannot be
shared, so it has no rarity and does not count (it would only lengthen the text it is in). The
*similarity* of two texts is the cosine of their vectors of rarities: 0 when they share no counted
word, 1 when they hold the same counted words; sharing a rare word ("solution", used by two texts)
counts for much more than sharing a common one ("Iran").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Mapping

STOP = frozenset(
    """
    about according across after again against all also although among and another any are around
    article author authors page source sources text writer
    because been before being between both but can could did does during each either even ever every
    for from had has have having her hers him his how however into its itself just may might more most
    much must not now off once one only onto other others our out over own per said say saying says
    she should since some such than that the their theirs them themselves then there these they this
    those though through thus too under until upon very was were what when where whether which while
    who whom whose why will with within without would yet you your
    """.split()
)

ENDINGS = ("ians", "ian", "ing", "ed", "es", "s", "e")  # longest first

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str | None) -> frozenset[str]:
    """The content words of ``text`` (see the module's docstring)."""
    if not text:
        return frozenset()
    out = set()
    for w in _WORD.findall(text.casefold()):
        w = re.sub(r"['’]s$", "", w)
        if len(w) < 3 or w in STOP:
            continue
        if len(w) > 5:
            w = next((w[: -len(e)] for e in ENDINGS if w.endswith(e)), w)
        out.add(w)
    return frozenset(out)


def rarity(bags: Iterable[frozenset[str]]) -> dict[str, float]:
    """Each word held by at least two of ``bags`` -> ``log2(n / df)``."""
    bags = list(bags)
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    return {w: math.log2(n / k) for w, k in df.items() if k >= 2}


def cosine(a: frozenset[str], b: frozenset[str], weight: Mapping[str, float]) -> float:
    """The cosine of the two word sets' rarity vectors (words without a weight left out)."""
    shared = sum(weight[w] ** 2 for w in a & b if w in weight)
    if not shared:
        return 0.0
    norm_a = math.sqrt(sum(weight[w] ** 2 for w in a if w in weight))
    norm_b = math.sqrt(sum(weight[w] ** 2 for w in b if w in weight))
    return shared / (norm_a * norm_b)

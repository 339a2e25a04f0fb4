"""The sources' Markdown emphasis (``**strong**``) for display: what a reader sees, character by
character, with the markers dropped and the emphasised text flagged.

Display only: a row's ``quote`` stays verbatim, markers included, and every offset into a snapshot is
an offset into the raw text. Each character shown keeps its raw index, so that a quote (a raw range)
can be highlighted in the rendered text even when a marker pair straddles its ends.
"""

from __future__ import annotations

import re

# a strong span opens with ** before a non-space and closes with ** after one, on one line
_STRONG = re.compile(r"\*\*(?=[^\s*])([^\n]*?[^\s*])\*\*")


def strong_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each ``**…**`` pair in ``text``, markers included."""
    return [m.span() for m in _STRONG.finditer(text)]


def rendered(text: str) -> list[tuple[int, str, bool]]:
    """``(raw index, character, strong)`` for every character shown: markers of a strong span are
    dropped and the text between them is strong; an unpaired ``**`` is shown as written."""
    markers: set[int] = set()
    strong = [False] * len(text)
    for start, end in strong_spans(text):
        markers.update((start, start + 1, end - 2, end - 1))
        for i in range(start + 2, end - 2):
            strong[i] = True
    return [(i, ch, strong[i]) for i, ch in enumerate(text) if i not in markers]

"""A source's text as HTML: one quote marked in it (a row's page), or every coded span and exclusion
(a source's page).

The HTML is built here, not in a template, because spans overlap: the text is cut at every place where
something starts or ends (a quote, an exclusion, a sentence no quote covers, a ``**bold**`` marker), and
each piece is escaped (``markupsafe.escape``) and wrapped in the elements that cover it, closed before
the next piece opens. So overlapping spans are split, never mis-nested, and no character of the data
is ever written unescaped. The sources' Markdown emphasis is shown as ``<strong>`` (markers dropped,
:mod:`iran_palestine_data.kernels.emphasis`), except inside a row's own quote, which is printed exactly
as stored, markers included.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..kernels.emphasis import strong_spans

TEXT, STRONG, MARKER = "text", "strong", "marker"


def runs(text: str) -> list[tuple[int, int, str]]:
    """The text cut into ``(start, end, kind)``: plain text, emphasised text, and ``**`` markers."""
    out: list[tuple[int, int, str]] = []
    at = 0
    for start, end in strong_spans(text):
        if start > at:
            out.append((at, start, TEXT))
        out += [(start, start + 2, MARKER), (start + 2, end - 2, STRONG), (end - 2, end, MARKER)]
        at = end
    if at < len(text):
        out.append((at, len(text), TEXT))
    return out


def _cut(pieces: list[tuple[int, int, str]], points: set[int]) -> list[tuple[int, int, str]]:
    """``pieces`` cut again at each of ``points``."""
    out = []
    for start, end, kind in pieces:
        inner = sorted(p for p in points if start < p < end)
        for a, b in zip([start, *inner], [*inner, end]):
            out.append((a, b, kind))
    return out


def _piece(text: str, kind: str, *, verbatim: bool) -> str:
    if kind == MARKER and not verbatim:
        return ""
    if kind == STRONG:
        return f"<strong>{escape(text)}</strong>"
    return str(escape(text))


def quote_in_text(text: str, start: int | None, length: int) -> Markup:
    """The whole ``text`` with the quote at ``start`` (``length`` characters) in ``<mark id="quote">``;
    ``start`` None: the text alone."""
    end = -1 if start is None else start + length
    html: list[str] = []
    for a, b, kind in _cut(runs(text), set() if start is None else {start, end}):
        inside = start is not None and start <= a < end
        if start is not None and a == start:
            html.append('<mark id="quote" dir="auto">')
        html.append(_piece(text[a:b], kind, verbatim=inside))
        if inside and b == end:
            html.append("</mark>")
    if start is not None and length == 0:  # pragma: no cover - quotes are never empty
        html.append('<mark id="quote"></mark>')
    return Markup("".join(html))


@dataclass(frozen=True)
class Span:
    """Something that covers ``start..end`` of a source: a coded row (``row_id``, linked), an exclusion
    (``reason``), or a sentence no quote or exclusion covers (``neither``)."""

    start: int
    end: int
    kind: str  # "row", "excluded" or "neither"
    label: str  # the row id, or the exclusion's reason
    title: str = ""  # said on hover: the row's title, the exclusion's note
    href: str = ""  # the row's page (rows without a page are not linked)


def _open_tags(span_list: list[Span]) -> str:
    html = []
    for span in span_list:
        title = f' title="{escape(span.title)}"' if span.title else ""
        if span.kind == "row" and span.href:
            html.append(
                f'<a class="tag" id="{escape(span.label)}" href="{escape(span.href)}"{title}>{escape(span.label)}</a>'
            )
        elif span.kind == "row":
            html.append(f'<span class="tag"{title}>{escape(span.label)}</span>')
        elif span.kind == "excluded":
            html.append(f'<span class="xtag"{title}>excluded: {escape(span.label)}</span>')
    return "".join(html)


def coded_text(text: str, spans: list[Span]) -> Markup:
    """The whole ``text`` with every span shown: each coded quote in ``<mark class="coded">`` (darker
    where several rows share it) after a link to each row that starts there; each exclusion in
    ``<span class="excluded">`` after its reason; a sentence nothing covers in ``<span class="neither">``.
    Emphasis markers are dropped, emphasised text is ``<strong>``."""
    points = {p for s in spans for p in (s.start, s.end)}
    starts: dict[int, list[Span]] = {}
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.label)):
        starts.setdefault(span.start, []).append(span)
    html: list[str] = []
    for a, b, kind in _cut(runs(text), points):
        if a in starts:
            html.append(_open_tags(starts.pop(a)))
        covering = [s for s in spans if s.start <= a < s.end]
        coded = sum(1 for s in covering if s.kind == "row")
        piece = _piece(text[a:b], kind, verbatim=False)
        if not piece:
            continue
        if any(s.kind == "neither" for s in covering):
            piece = f'<span class="neither">{piece}</span>'
        if any(s.kind == "excluded" for s in covering):
            piece = f'<span class="excluded">{piece}</span>'
        if coded:
            piece = f'<mark class="coded{" many" if coded > 1 else ""}">{piece}</mark>'
        html.append(piece)
    for left in starts.values():  # a span that starts at a dropped marker or at the very end
        html.append(_open_tags(left))
    return Markup("".join(html))

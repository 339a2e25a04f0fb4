"""Auditable completeness: which sentences of each snapshot the data covers.

Each snapshot is split into sentences (each line, then each sentence of the line; list markers ``- ``
and heading markup ``==`` are not part of a sentence). Each quote marks the characters of the
occurrence its row means: the one named in its ``quote_occurrence`` column (the schema's ``x-quote``
says which column), or, when that is empty, every occurrence (the validator allows an empty one only
for a quote found once). Counting letters and digits only (so markup such as ``**`` does not count):

Quotes whose schema says ``"coverage": false`` (actor descriptions) do not count.

* **covered** — quotes of coded rows span at least half of the sentence, or span some of it while
  exclusions span the rest (together at least 90%);
* **excluded** — quotes in ``curation/exclusions.csv`` span at least 90% of it;
* **neither** — anything else: a fact may have been skipped. The dataset promises there is none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..contract.schema import package
from ..kernels.substrings import occurrences
from ..paths import read_inside
from ..read.strings import read_strings

COVERED, EXCLUDED, NEITHER = "covered", "excluded", "neither"
CODED_SHARE = 0.5  # quotes of coded rows must span at least this share of a sentence
TOTAL_SHARE = 0.9  # coded and excluded spans together, for a partly coded or an excluded sentence
EXCLUSIONS = "exclusions"

_MARKUP = re.compile(r"^\s*(?:-\s+|=+\s*)?")
_TRAILING_MARKUP = re.compile(r"\s*=+\s*$")
# a sentence ends at . ! or ? (then any closing quote, bracket or ** bold marker) followed by space, or glued to a capital
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]*]*(?:\s+|(?=[A-Z“\"]))")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class SentenceCoverage:
    sentence: Sentence
    status: str
    coded: float  # share of letters and digits inside coded quotes
    excluded: float  # share inside exclusion quotes
    line: int


@dataclass
class SourceCoverage:
    source_id: str
    snapshot: str
    sentences: list[SentenceCoverage] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for s in self.sentences if s.status == status)

    @property
    def complete(self) -> bool:
        return self.count(NEITHER) == 0


def sentences(text: str) -> list[Sentence]:
    """Split a snapshot into sentences with their character spans."""
    out: list[Sentence] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        markup = _MARKUP.match(body)  # the pattern is optional: it always matches, maybe empty
        lead = markup.end() if markup else 0
        trail = _TRAILING_MARKUP.search(body)
        stop = trail.start() if trail else len(body)
        start = pos + lead
        chunk = body[lead:stop]
        cursor = 0
        for m in _BOUNDARY.finditer(chunk):
            _add(out, start + cursor, chunk[cursor : m.end()])
            cursor = m.end()
        _add(out, start + cursor, chunk[cursor:])
        pos += len(line)
    return out


def _add(out: list[Sentence], start: int, piece: str) -> None:
    stripped = piece.strip()
    if any(ch.isalnum() for ch in stripped):
        offset = piece.index(stripped[0])
        out.append(Sentence(start + offset, start + offset + len(stripped), stripped))


Passage = tuple[str, int | None]  # a quote and the occurrence it means (None: every one)


def _occurrence(cell: str | None) -> int | None:
    """The occurrence a cell names; None for an empty cell (or one the validator rejects)."""
    return int(cell) if cell and re.fullmatch(r"\+?[0-9]+", cell) else None


def _mark(text: str, quotes: set[Passage]) -> bytearray:
    marks = bytearray(len(text))
    for q, nth in quotes:
        found = occurrences(text, q)
        if nth is not None:
            found = found[nth - 1 : nth] if nth >= 1 else []
        for at in found:
            marks[at : at + len(q)] = b"\x01" * len(q)
    return marks


def _share(text: str, marks: bytearray, s: Sentence) -> float:
    idx = [i for i in range(s.start, s.end) if text[i].isalnum()]
    return sum(marks[i] for i in idx) / len(idx) if idx else 1.0


def classify(coded: float, excluded: float, union: float) -> str:
    if coded >= CODED_SHARE or (coded > 0 and union >= TOTAL_SHARE):
        return COVERED
    if excluded >= TOTAL_SHARE or union >= TOTAL_SHARE:
        return EXCLUDED
    return NEITHER


def coverage(*, root: str | Path | None = None, source_id: str | None = None) -> list[SourceCoverage]:
    """Coverage of every source (or one) by the quotes of the dataset at ``root``."""
    pkg = package(root)
    sources = read_strings("sources", root=pkg.root).to_pylist()
    coded: dict[str, set[Passage]] = {}
    excluded: dict[str, set[Passage]] = {}
    for tbl in pkg.tables.values():
        for f in tbl.fields:
            spec = f.ext("quote")
            if not spec or spec.get("coverage", True) is False:
                continue  # e.g. actor descriptions: they say what an actor is, not what happened
            data = read_strings(tbl, root=pkg.root)
            target = excluded if tbl.name == EXCLUSIONS else coded
            nth = spec.get("occurrence")
            pins = data.column(nth).to_pylist() if nth in data.column_names else [None] * data.num_rows
            for sid, q, pin in zip(
                data.column(spec["source"]).to_pylist(), data.column(f.name).to_pylist(), pins
            ):
                if sid and q:
                    target.setdefault(sid, set()).add((q, _occurrence(pin)))
    result = []
    for src in sources:
        if source_id and src["source_id"] != source_id:
            continue
        text = read_inside(pkg.root, src["snapshot"]).decode("utf-8", errors="replace")
        c_marks = _mark(text, coded.get(src["source_id"], set()))
        x_marks = _mark(text, excluded.get(src["source_id"], set()))
        u_marks = bytearray(a | b for a, b in zip(c_marks, x_marks))
        sc = SourceCoverage(src["source_id"], src["snapshot"])
        for s in sentences(text):
            c, x, u = (_share(text, m, s) for m in (c_marks, x_marks, u_marks))
            sc.sentences.append(
                SentenceCoverage(s, classify(c, x, u), c, x, text.count("\n", 0, s.start) + 1)
            )
        result.append(sc)
    if source_id and not result:
        raise KeyError(f"no source {source_id!r}")
    return result

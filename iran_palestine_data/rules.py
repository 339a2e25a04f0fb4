"""The rules frictionless cannot express, each yielding :class:`Issue` objects.

Rules are driven by the schemas' ``x-`` extensions (see :mod:`iran_palestine_data.schema`), so a new
table gets them by declaring them. They work column-wise on the all-string pyarrow tables that
:func:`iran_palestine_data.loader.read_strings` returns: a vectorised test finds the failing rows, and
Python runs only over those rows or over distinct values. Quotes and aliases are searched for all
at once in each snapshot (:mod:`iran_palestine_data.verbatim`), so the cost grows with the text and
the number of distinct quotes, not with their product.

Row numbers follow frictionless: the header is row 1.
"""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import dates, verbatim
from .graph import Clusters
from .loader import LEXICAL, calendar_dates, is_uri, type_words
from .report import Issue
from .schema import Package, Table
from .vector import flags, in_set, indices, repeats, rows, single, starts_with_any

Raw = dict[str, pa.Table]  # table name -> all-string table (tables that could not be read are absent)
Rule = Callable[["Context"], Iterable[Issue]]

FORMULA_START = "=+-@\t\r"
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
_FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(million|billion|thousand|bn)\b)?", re.I)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "bn": 1e9}


@dataclass
class Context:
    """What the rules share: the package, its string tables, and lazily read snapshots."""

    pkg: Package
    raw: Raw
    one_line: set[str] = field(default_factory=set)
    _texts: dict[str, str] | None = None

    _arrays: dict[tuple[str, str], pa.Array] = field(default_factory=dict)

    def array(self, table: str, name: str) -> pa.Array:
        """One column as a single array, combined once (for short columns: ids, codes, dates, numbers)."""
        key = (table, name)
        if key not in self._arrays:
            self._arrays[key] = single(self.raw[table].column(name))
        return self._arrays[key]

    def chunked(self, table: str, name: str) -> pa.ChunkedArray:
        """One column as read, chunk by chunk (for long text, which combining would copy)."""
        return self.raw[table].column(name)

    def column(self, table: str, name: str) -> list:
        return self.raw[table].column(name).to_pylist()

    @cached_property
    def snapshot_paths(self) -> dict[str, str]:
        """source_id -> snapshot path, from the sources table."""
        if "sources" not in self.raw:
            return {}
        ids, paths = self.column("sources", "source_id"), self.column("sources", "snapshot")
        return {i: p for i, p in zip(ids, paths) if i and p}

    def snapshot_bytes(self, source_id: str) -> bytes | None:
        """UTF-8 bytes of a source's snapshot, or None if it is unknown, missing or not UTF-8.

        Read from disk at each call: a million-row dataset has hundreds of megabytes of snapshots,
        which the rules visit one at a time rather than hold all at once.
        """
        rel = self.snapshot_paths.get(source_id)
        if rel is None:
            return None
        try:
            data = (self.pkg.root / rel).read_bytes()
        except OSError:
            return None
        return data if verbatim.is_utf8(data) else None

    def snapshot(self, source_id: str) -> str | None:
        """Text of a source's snapshot, or None if it is unknown or unreadable."""
        data = self.snapshot_bytes(source_id)
        return data.decode("utf-8") if data is not None else None

    def snapshots(self) -> dict[str, str]:
        """Every readable snapshot's text (for messages about failures, which are few)."""
        if self._texts is None:
            self._texts = {s: t for s in self.snapshot_paths if (t := self.snapshot(s)) is not None}
        return self._texts

    def readable(self, source_ids: list[str]) -> "Snapshots":
        return Snapshots(self, source_ids)


@dataclass
class Snapshots:
    """The snapshots of some sources as a lazy sequence: each read when asked for."""

    ctx: Context
    ids: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, k: int) -> bytes | None:
        return self.ctx.snapshot_bytes(self.ids[k])


def _issue(tbl: Table, index: int, column: str, value, rule: str, message: str) -> Issue:
    return Issue(tbl.path, rule, message, row=index + 2, column=column, value=value)


def _tables(ctx: Context) -> Iterator[tuple[Table, pa.Table]]:
    for name, table in ctx.pkg.tables.items():
        if name in ctx.raw:
            yield table, ctx.raw[name]


# --- cell rules ---------------------------------------------------------------------------------


def cells(ctx: Context) -> Iterator[Issue]:
    """No cell starts like a spreadsheet formula; no cell holds a line break."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            col = ctx.chunked(tbl.name, f.name)
            for i in np.flatnonzero(starts_with_any(col, FORMULA_START)).tolist():
                v = col[i].as_py()
                yield _issue(tbl, i, f.name, v, "formula injection",
                             f"begins with {v[0]!r}, which a spreadsheet would run as a formula")
            if tbl.name in ctx.one_line:
                continue
            breaks = pc.match_substring_regex(col, "[\r\n]")
            for i in rows(breaks):
                yield _issue(tbl, i, f.name, col[i].as_py(), "line break",
                             "contains a line break; cells must fit on one line (an unbalanced quote also causes this)")


def types(ctx: Context) -> Iterator[Issue]:
    """Numbers, integers and dates have the strict lexical form the loaders read (frictionless is
    laxer); a string with ``"format": "uri"`` is an RFC 3986 URI with a scheme."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if f.descriptor.get("format") == "uri":
                col = ctx.array(tbl.name, f.name).dictionary_encode()
                good = pa.array([is_uri(v) for v in col.dictionary.to_pylist()], pa.bool_())
                for i in rows(pc.invert(pc.take(good, col.indices))):
                    yield _issue(tbl, i, f.name, col[i].as_py(), "type", f"is not {type_words(f)}")
            if f.type not in LEXICAL:
                continue
            regex, kind = LEXICAL[f.type]
            col = raw.column(f.name)
            ok = pc.match_substring_regex(col, regex)
            if f.type == "date":
                real = pc.is_valid(calendar_dates(col))
                ok = pc.and_(ok, real)
            for i in rows(pc.and_(pc.is_valid(col), pc.invert(ok))):
                yield _issue(tbl, i, f.name, col[i].as_py(), "type", f"is not {kind}")


def quotes(ctx: Context) -> Iterator[Issue]:
    """x-quote: long enough, and found verbatim in the snapshot of the row's source.

    Every quote of every table is searched in one go, each snapshot once
    (:mod:`iran_palestine_data.verbatim`).
    """
    known = pa.array(sorted(ctx.snapshot_paths), pa.string())
    checks = []  # (table, field, quotes, sources, rows to search, the snapshot each row is searched in)
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("quote")
            if not spec:
                continue
            minimum = int(spec.get("minLength", 12))
            q, s = ctx.chunked(tbl.name, f.name), ctx.array(tbl.name, spec["source"])
            short = pc.less(pc.utf8_length(q), minimum)
            for i in rows(short):
                v = q[i].as_py()
                yield _issue(tbl, i, f.name, v, "quote length", f"is {len(v)} characters long; a quote needs at least {minimum}")
            source = pc.index_in(s, value_set=known)  # unknown source: null, and the foreign key rule reports it
            ok = pc.and_(pc.and_(pc.is_valid(q), pc.is_valid(source)), pc.invert(pc.fill_null(short, False)))
            owner = pc.if_else(ok, source, -1).to_numpy(zero_copy_only=False)
            checks.append((tbl, f, q, s, owner))
    if not checks:
        return
    texts = ctx.readable(known.to_pylist())
    # each chunk of each quote column is searched in place, as a column of its own
    chunks, owners = [], []
    for _, _, q, _, owner in checks:
        cut = np.cumsum([0] + [len(c) for c in q.chunks])
        chunks += q.chunks
        owners += [owner[a:b] for a, b in zip(cut[:-1], cut[1:])]
    found, k = [], 0
    hits = verbatim.find_all(texts, chunks, owners)
    for _, _, q, _, _ in checks:
        found.append(np.concatenate(hits[k:k + q.num_chunks]) if q.num_chunks else np.zeros(0, dtype=bool))
        k += q.num_chunks
    for (tbl, f, q, s, owner), hit in zip(checks, found):
        missed = np.flatnonzero((owner >= 0) & ~hit)
        # rows whose snapshot is unreadable are the snapshot rule's to report
        unreadable = {k for k in np.unique(owner[missed]).tolist() if texts[k] is None}
        for i in missed[~np.isin(owner[missed], list(unreadable))].tolist():
            text, source = q[i].as_py(), s[i].as_py()
            yield _issue(tbl, i, f.name, text, "quote verbatim", _not_found(ctx, text, source))


def _not_found(ctx: Context, quote: str, source_id: str) -> str:
    elsewhere = [s for s, t in ctx.snapshots().items() if s != source_id and quote in t]
    if elsewhere:
        return f"is not in the snapshot of {source_id} but is in that of {elsewhere[0]} (wrong source_id?)"
    text = ctx.snapshot(source_id) or ""
    lo, hi = 0, len(quote)  # longest prefix found in the snapshot, by bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if quote[:mid] in text else (lo, mid - 1)
    hint = f"; the first {lo} characters match, then it differs at {quote[lo:lo + 20]!r}" if lo else ""
    return f"is not found verbatim in {ctx.snapshot_paths.get(source_id)} (the snapshot of {source_id}){hint}"


def snapshots(ctx: Context) -> Iterator[Issue]:
    """x-sha256Of: the named file exists and has this SHA-256."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            target = f.ext("sha256Of")
            if not target:
                continue
            for i, (digest, rel) in enumerate(zip(ctx.column(tbl.name, f.name), ctx.column(tbl.name, target))):
                if not rel:
                    continue
                path = ctx.pkg.root / rel
                if not path.is_file():
                    yield _issue(tbl, i, target, rel, "snapshot", "names a snapshot file that does not exist")
                    continue
                actual = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest and actual != digest:
                    yield _issue(tbl, i, f.name, digest, "snapshot sha256",
                                 f"does not match {rel}, whose SHA-256 is {actual} (was the snapshot edited?)")


def edtf_dates(ctx: Context) -> Iterator[Issue]:
    """x-edtf: the date parses, and its companion columns agree with it (each distinct date parsed once)."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("edtf")
            if spec is None:
                continue
            col = ctx.array(tbl.name, f.name)
            encoded = col.dictionary_encode()
            parsed = []
            for text in encoded.dictionary.to_pylist():
                try:
                    parsed.append(dates.parse(text))
                except dates.EDTFError as exc:
                    parsed.append(exc)
            companions = {k: ctx.array(tbl.name, c) for k, c in spec.items() if c in raw.column_names}
            expected = {
                "start": pa.array([b.start.isoformat() if isinstance(b, dates.Bounds) and b.start else None for b in parsed], pa.string()),
                "end": pa.array([b.end.isoformat() if isinstance(b, dates.Bounds) and b.end else None for b in parsed], pa.string()),
                "precision": pa.array([b.precision if isinstance(b, dates.Bounds) else None for b in parsed], pa.string()),
            }
            broken = pa.array([isinstance(b, dates.EDTFError) for b in parsed], pa.bool_())
            undated = pc.is_null(col)
            bad = pc.fill_null(pc.take(broken, encoded.indices), False)
            suspect = bad
            for key in ("start", "end", "precision"):
                if key in companions:
                    want = pc.take(expected[key], encoded.indices)
                    if key == "precision":
                        want = pc.if_else(undated, pa.scalar("unknown"), want)
                    differs = pc.invert(pc.equal(pc.fill_null(companions[key], "\x00"), pc.fill_null(want, "\x00")))
                    suspect = pc.or_(suspect, differs)
            if "basis" in companions:
                basis = companions["basis"]
                suspect = pc.or_(suspect, pc.and_(undated, pc.not_equal(basis, "unknown")))
                suspect = pc.or_(suspect, pc.and_(pc.invert(undated), pc.equal(basis, "unknown")))
                if "note" in companions:
                    suspect = pc.or_(suspect, pc.and_(pc.equal(basis, "inferred"), pc.is_null(companions["note"])))
            for i in rows(suspect):
                row = {k: v[i].as_py() for k, v in companions.items()}
                yield from _check_date(tbl, i, f.name, col[i].as_py(), row, spec)


def _check_date(tbl: Table, i: int, column: str, text: str | None, row: dict, spec: dict) -> Iterator[Issue]:
    basis = row.get("basis")
    if text is None:
        expected = {"start": None, "end": None, "precision": "unknown", "basis": "unknown"}
        for key, want in expected.items():
            if key in row and row[key] != want:
                yield _issue(tbl, i, spec[key], row[key], f"date {'bounds' if key in ('start', 'end') else key}",
                             f"should be {'empty' if want is None else repr(want)} because the date is empty")
        return
    try:
        b = dates.parse(text)
    except dates.EDTFError as exc:
        yield _issue(tbl, i, column, text, "edtf", str(exc).replace(f'"{text}" ', "", 1))
        return
    for key, want in (("start", b.start), ("end", b.end)):
        if key in row:
            want_s = want.isoformat() if want else None
            if row[key] != want_s:
                yield _issue(tbl, i, spec[key], row[key], "date bounds",
                             f"should be {want_s or 'empty'}, the {'earliest' if key == 'start' else 'latest'} day {text!r} allows")
    if "precision" in row and row["precision"] != b.precision:
        yield _issue(tbl, i, spec["precision"], row["precision"], "date precision", f"should be {b.precision!r} for {text!r}")
    if basis == "unknown":
        yield _issue(tbl, i, spec["basis"], basis, "date basis", "cannot be 'unknown' when a date is given (stated or inferred?)")
    if basis == "inferred" and "note" in row and not row["note"]:
        yield _issue(tbl, i, spec["note"], None, "date note", "is empty, but an inferred date must say how it was inferred")


def list_items(ctx: Context) -> Iterator[Issue]:
    """x-itemEnum: every item of a list cell is in the vocabulary; no empty items."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if f.type != "list":
                continue
            col = ctx.array(tbl.name, f.name)
            delim = f.delimiter or ","
            split = pc.split_pattern(col, delim)
            items = pc.list_flatten(split)
            parents = pc.list_parent_indices(split)
            odd = pc.or_(pc.equal(items, ""), pc.not_equal(items, pc.utf8_trim_whitespace(items)))
            if f.item_enum:
                odd = pc.or_(odd, pc.invert(pc.is_in(items, value_set=pa.array(f.item_enum))))
            vocab = set(f.item_enum or ())
            for i in sorted(set(pc.filter(parents, odd).to_pylist())):
                cell = col[i].as_py()
                parts = cell.split(delim)
                if "" in parts or any(p != p.strip() for p in parts):
                    yield _issue(tbl, i, f.name, cell, "list format", f"has an empty or space-padded item; separate items with a bare {delim!r}")
                elif vocab:
                    for it in parts:
                        if it not in vocab:
                            yield _issue(tbl, i, f.name, cell, "list vocabulary",
                                         f"has the item {it!r}, which is not in the {f.name} vocabulary ({', '.join(f.item_enum)})")


def aliases(ctx: Context) -> Iterator[Issue]:
    """x-aliases: each alias occurs in a snapshot; no name or alias belongs to two rows."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("aliases")
            if not spec:
                continue
            names = ctx.column(tbl.name, spec["name"])
            cells_ = ctx.column(tbl.name, f.name)
            split = [cell.split(f.delimiter or ";") if cell else [] for cell in cells_]
            found, searched = _attested(ctx, split, ctx.column(tbl.name, "source_id") if "source_id" in raw.column_names else None)
            owner: dict[str, int] = {}
            for i, (name, items) in enumerate(zip(names, split)):
                for alias in items:
                    if alias and searched and alias not in found:
                        yield _issue(tbl, i, f.name, cells_[i], "alias attested", f"has the alias {alias!r}, which occurs in no source snapshot")
                for spelling in {s.casefold() for s in [name, *items] if s}:
                    if spelling in owner and owner[spelling] != i:
                        yield _issue(tbl, i, f.name, cells_[i], "alias collision",
                                     f"shares the spelling {spelling!r} with row {owner[spelling] + 2}; one actor, one row")
                    owner.setdefault(spelling, i)


def _attested(ctx: Context, split: list[list[str]], home: list | None) -> tuple[set[str], bool]:
    """The aliases that occur in some snapshot, and whether any snapshot could be read. Each alias
    is first looked for in the snapshot of its row's own source, the rest then in all of them; the
    snapshots are read one at a time."""
    found: set[str] = set()
    pending: set[str] = set()
    by_home: dict = {}
    for k, items in enumerate(split):
        by_home.setdefault(home[k] if home is not None else None, []).extend(a for a in items if a)
    searched = False
    for source, items in by_home.items():
        own = ctx.snapshot_bytes(source) if source is not None else None
        searched = searched or own is not None
        for alias in items:
            if alias not in found:
                (found if own is not None and alias.encode("utf-8") in own else pending).add(alias)
    pending -= found
    for source in ctx.snapshot_paths:
        if not pending:
            break
        data = ctx.snapshot_bytes(source)
        if data is not None:
            searched = True
            hits = verbatim.found_set(data.decode("utf-8"), pending)
            found |= hits
            pending -= hits
    return found, searched or any(ctx.snapshot_bytes(s) is not None for s in ctx.snapshot_paths)


def _numbers(col: pa.Array) -> pa.Array:
    """Floats where a cell is a well-formed number, null elsewhere (malformed cells are the type rule's)."""
    ok = pc.match_substring_regex(col, LEXICAL["number"][0])
    return pc.cast(pc.if_else(ok, col, pa.scalar(None, pa.string())), pa.float64())


def amounts(ctx: Context) -> Iterator[Issue]:
    """x-lessOrEqual, x-presentIffAny and x-figureIn on number columns."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if not (f.ext("lessOrEqual") or f.ext("presentIffAny") or f.ext("figureIn")):
                continue
            col = ctx.array(tbl.name, f.name)
            if (other := f.ext("lessOrEqual")) and other in raw.column_names:
                b_col = ctx.array(tbl.name, other)
                for i in rows(pc.greater(_numbers(col), _numbers(b_col))):
                    yield _issue(tbl, i, f.name, col[i].as_py(), "amount order", f"is greater than {other} ({b_col[i].as_py()})")
            if deps := f.ext("presentIffAny"):
                present = [pc.is_valid(ctx.array(tbl.name, d)) for d in deps if d in raw.column_names]
                if present:
                    has_amount = present[0]
                    for p in present[1:]:
                        has_amount = pc.or_(has_amount, p)
                    for i in rows(pc.and_(has_amount, pc.is_null(col))):
                        yield _issue(tbl, i, f.name, None, "currency", f"is empty, but an amount is given in {' or '.join(deps)}")
                    for i in rows(pc.and_(pc.invert(has_amount), pc.is_valid(col))):
                        yield _issue(tbl, i, f.name, col[i].as_py(), "currency", f"is given, but {' and '.join(deps)} are empty")
            if (text_col := f.ext("figureIn")) and text_col in raw.column_names:
                yield from _figures_in(tbl, f.name, col, ctx.chunked(tbl.name, text_col), text_col)


def _figures_in(tbl: Table, name: str, col: pa.Array, texts: pa.ChunkedArray, text_col: str) -> Iterator[Issue]:
    """x-figureIn: each amount is a figure of its text. A fast regex per distinct amount clears the
    rows whose text plainly writes it; :func:`figures` decides the rest exactly."""
    values = _numbers(col)
    todo = indices(pc.and_(pc.is_valid(values), pc.is_valid(texts)))
    amounts_ = values.take(pa.array(todo)).to_numpy(zero_copy_only=False)
    order = np.argsort(amounts_, kind="stable")
    todo, amounts_ = todo[order], amounts_[order]
    distinct, first, count = np.unique(amounts_, return_index=True, return_counts=True)
    cleared = np.zeros(len(todo), dtype=bool)
    sorted_texts = texts.take(pa.array(todo))
    for n, a, k in sorted(zip(distinct.tolist(), first.tolist(), count.tolist()), key=lambda t: -t[2])[:_PLAIN_AMOUNTS]:
        if (pattern := _plainly(n)) is not None:
            cleared[a:a + k] = flags(pc.match_substring_regex(sorted_texts.slice(a, k), pattern))
    cache: dict[str, set[float]] = {}
    for i, n in zip(todo[~cleared].tolist(), amounts_[~cleared].tolist()):
        text = texts[i].as_py()
        found = cache.get(text)
        if found is None:
            found = cache[text] = figures(text)
        if not any(abs(n - x) <= 1e-9 * max(1.0, x) for x in found):
            shown = ", ".join(f"{x:,.0f}" for x in sorted(found)) or "none"
            yield _issue(tbl, i, name, col[i].as_py(), "amount in quote", f"matches no figure in the {text_col} (figures found: {shown})")


_PLAIN_AMOUNTS = 1000  # distinct amounts given a fast regex each (the rest go straight to figures())


def _plainly(n: float) -> str | None:
    """An RE2 pattern that matches only texts in which :func:`figures` surely finds ``n``: the amount
    written plainly ("$5 million", "1.5 billion", "22,000;"), between characters that cannot extend it.
    A text it misses is not wrong, only left to the exact check."""
    forms = []
    for words, scale in (("", 1.0), ("thousand", 1e3), ("million", 1e6), ("billion|bn", 1e9)):
        v = n / scale
        written = {f"{v:,.0f}", f"{v:.0f}"} if v == int(v) and abs(v) < 1e15 else {repr(v)}
        for text in written:
            if "e" in text or "-" in text or abs(n - float(text.replace(",", "")) * scale) > 1e-9 * max(1.0, n):
                continue
            after = r"(?:$|[;:)\]!?%]|\.(?:$|\s))" if not words else f" ?(?i:{words})(?:$|[ .,;:)\\]!?%])"
            forms.append(re.escape(text) + after)
    return r"(?:^|[ $(£€\[])(?:" + "|".join(forms) + ")" if forms else None


def figures(text: str) -> set[float]:
    """Numbers written in a text, scaled by a following 'million'/'billion'/'thousand'."""
    out = set()
    for m in _FIGURE.finditer(text):
        value = float(m.group(1).replace(",", ""))
        out.add(value * _SCALE.get((m.group(2) or "").lower(), 1.0))
    return out


def neutral_wording(ctx: Context) -> Iterator[Issue]:
    """x-ourVoice: no loaded term outside quotation marks, proper names aside."""
    terms = ctx.pkg.loaded_terms
    if not terms:
        return
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else r"\b") for t in terms) + ")",
        re.IGNORECASE,
    )
    # a superset test that runs in C over whole columns: the stems, case-insensitively, anywhere
    prefilter = "|".join(re.escape(t.rstrip("*")) for t in terms)
    names = [n for n in _proper_names(ctx) if re.search(prefilter, n, re.IGNORECASE)]
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if not f.ext("ourVoice"):
                continue
            col = raw.column(f.name)
            for i in rows(pc.match_substring_regex(col, prefilter, ignore_case=True)):
                text = col[i].as_py()
                stripped = _QUOTED.sub(" ", text)
                for name in names:
                    if name in stripped:
                        stripped = stripped.replace(name, " ")
                m = pattern.search(stripped)
                if m:
                    yield _issue(tbl, i, f.name, text, "neutral wording",
                                 f"uses the loaded term {m.group(1)!r} in our own words; put it inside quotation marks as the source's word, or rephrase")


def _proper_names(ctx: Context) -> list[str]:
    """Actor names and aliases (longest first): a loaded word inside a proper name is not our wording."""
    if "actors" not in ctx.raw:
        return []
    out = set(n for n in ctx.column("actors", "name") if n)
    for cell in ctx.column("actors", "aliases"):
        out.update(a for a in (cell or "").split(";") if a)
    return sorted(out, key=len, reverse=True)


# --- dataset rules ------------------------------------------------------------------------------


def _id_tables(ctx: Context) -> list[tuple[Table, pa.Array]]:
    """Tables with a single-column id (retired ids aside), with their id column."""
    return [(tbl, ctx.array(tbl.name, tbl.id_field)) for tbl, raw in _tables(ctx)
            if tbl.id_field and not tbl.field(tbl.id_field).ext("retiredId")]


def _first_row(ids: pa.Array, value: str) -> int:
    return pc.index(ids, value).as_py()


def unique_ids(ctx: Context) -> Iterator[Issue]:
    """Single-column primary keys are unique across the whole dataset, not only within a table."""
    tables = _id_tables(ctx)
    if len(tables) < 2:
        return
    # every id, tagged with its table: a repeat from another table is an id of two tables
    every = pa.concat_arrays([ids.cast(pa.string()) for _, ids in tables])
    table_of = np.repeat(np.arange(len(tables)), [len(ids) for _, ids in tables])
    later, earlier = repeats([every])
    across = (table_of[later] != table_of[earlier]) & flags(pc.is_valid(every))[later]
    if not across.any():
        return
    shared = pc.unique(every.take(pa.array(later[across])))
    seen: dict[str, tuple[Table, int]] = {}
    for tbl, ids in tables:
        for i in rows(pc.is_in(ids, value_set=shared)):
            v = ids[i].as_py()
            if v in seen and seen[v][0].name != tbl.name:
                other, j = seen[v]
                yield _issue(tbl, i, tbl.id_field, v, "duplicate id", f"is also an id in {other.path} (row {j + 2}); ids must be unique across the dataset")
            seen.setdefault(v, (tbl, i))


def retired_ids(ctx: Context) -> Iterator[Issue]:
    """x-retiredId: a withdrawn id never comes back; x-existingId: a replacement exists."""
    tables = None
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if not (f.ext("retiredId") or f.ext("existingId")):
                continue
            tables = tables if tables is not None else _id_tables(ctx)
            every = pa.concat_arrays([ids.cast(pa.string()) for _, ids in tables]) if tables else pa.array([], pa.string())
            col = ctx.array(tbl.name, f.name)
            known = in_set(col, every)
            version = ctx.column(tbl.name, "retired_in") if "retired_in" in raw.column_names else [None] * raw.num_rows
            if f.ext("retiredId"):
                for i in rows(known):
                    v = col[i].as_py()
                    other, j = next((t, _first_row(ids, v)) for t, ids in tables if _first_row(ids, v) >= 0)
                    yield _issue(tbl, i, f.name, v, "retired id reused",
                                 f"was retired in {version[i]} and may not be used again, but is an id in {other.path} (row {j + 2})")
            if f.ext("existingId"):
                for i in rows(pc.and_(pc.is_valid(col), pc.invert(known))):
                    yield _issue(tbl, i, f.name, col[i].as_py(), "replacement", "is not the id of any current row")


def _readable(ctx: Context, tables) -> bool:
    """False if one of the tables could not be read: references into it cannot be judged."""
    return not any(name in ctx.pkg.tables and name not in ctx.raw for name in tables)


def _ids_of(ctx: Context, tables) -> pa.Array:
    arrays = [ctx.array(n, ctx.pkg.table(n).id_field).cast(pa.string()) for n in tables if n in ctx.raw]
    return pa.concat_arrays(arrays) if arrays else pa.array([], pa.string())


def _row_owners(ctx: Context, tables, wanted: set[str]) -> dict[str, tuple[str, str | None]]:
    """id -> (table, source_id) for the wanted ids among the rows of the given tables."""
    out = {}
    value_set = pa.array(sorted(wanted), pa.string())
    for name in tables:
        if name not in ctx.raw:
            continue
        tbl = ctx.pkg.table(name)
        ids = ctx.array(name, tbl.id_field)
        sources = ctx.array(name, "source_id") if "source_id" in tbl.field_names else None
        for i in rows(pc.is_in(ids, value_set=value_set)):
            out[ids[i].as_py()] = (name, sources[i].as_py() if sources is not None else None)
    return out


def any_refs(ctx: Context) -> Iterator[Issue]:
    """x-refersToAny: the value is the id of a row of one of the named tables."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            targets = f.ext("refersToAny")
            if not targets or not _readable(ctx, targets):
                continue
            col = ctx.array(tbl.name, f.name)
            for i in rows(pc.and_(pc.is_valid(col), pc.invert(in_set(col, _ids_of(ctx, targets))))):
                yield _issue(tbl, i, f.name, col[i].as_py(), "link target", f"is not the id of a row of {', '.join(targets)}")


def link_rules(ctx: Context) -> Iterator[Issue]:
    """x-links: no self links, no duplicate or mirrored links, same_as within one table and never
    joining two rows of one source."""
    for tbl, raw in _tables(ctx):
        spec = tbl.schema_extras.get("x-links")
        if not spec:
            continue
        targets = tbl.field(spec["from"]).ext("refersToAny") or []
        if not _readable(ctx, targets):
            continue
        frm, to, rel = (ctx.column(tbl.name, spec[k]) for k in ("from", "to", "relation"))
        owners = _row_owners(ctx, targets, {x for x in frm + to if x})
        directed = set(spec.get("directed", ()))
        seen: dict[tuple, tuple[int, str]] = {}  # key -> (row index, from_id as first written)
        sets = Clusters()
        same_links: list[tuple[int, str]] = []
        for i, (a, b, r) in enumerate(zip(frm, to, rel)):
            if a is None or b is None or r is None:
                continue
            if a == b:
                yield _issue(tbl, i, spec["to"], b, "self link", "links a row to itself")
                continue
            key = (a, b, r) if r in directed else (min(a, b), max(a, b), r)
            mirror = (b, a, r) if r in directed else None
            if key in seen or (mirror and mirror in seen):
                j, first_from = seen.get(key) or seen[mirror]
                what = "repeats" if first_from == a else "mirrors"
                yield _issue(tbl, i, spec["relation"], r, "duplicate link", f"{what} the link of row {j + 2} between {a} and {b}")
                continue
            seen[key] = (i, a)
            if r == spec["sameAs"]:
                ta, tb = owners.get(a, (None,))[0], owners.get(b, (None,))[0]
                if ta and tb and ta != tb:
                    yield _issue(tbl, i, spec["relation"], r, "same_as table", f"joins rows of two tables ({ta} and {tb}); same_as links rows of one table")
                    continue
                sets.join(a, b)
                same_links.append((i, a))
        first_link: dict[str, int] = {}
        for i, a in same_links:  # in file order, so the first link of each cluster wins
            first_link.setdefault(sets.root(a), i)
        for root, members in sets.groups().items():
            by_source: dict[str, list[str]] = {}
            for m in sorted(members):
                by_source.setdefault(owners.get(m, (None, None))[1], []).append(m)
            for source, same_source in by_source.items():
                if source is not None and len(same_source) > 1:
                    i = first_link.get(root, 0)
                    yield _issue(tbl, i, spec["relation"], "same_as", "same_as cluster",
                                 f"puts {' and '.join(same_source)}, both from {source}, in one same_as cluster ({', '.join(sorted(members))}); a source reports an event once")


def events_have_actors(ctx: Context) -> Iterator[Issue]:
    """Every event has at least one row in event_actors."""
    if "events" not in ctx.raw or "event_actors" not in ctx.raw:
        return
    tbl = ctx.pkg.table("events")
    events = ctx.array("events", "event_id")
    linked = ctx.array("event_actors", "event_id")
    for i in rows(pc.and_(pc.is_valid(events), pc.invert(in_set(events, linked)))):
        yield _issue(tbl, i, "event_id", events[i].as_py(), "event actors", f"has no rows in {ctx.pkg.table('event_actors').path}")


def direct_speech(ctx: Context) -> Iterator[Issue]:
    """A statement coded as direct speech quotes the speaker's words in quotation marks."""
    if "statements" not in ctx.raw:
        return
    tbl = ctx.pkg.table("statements")
    speech, q = ctx.chunked("statements", "speech"), ctx.chunked("statements", "quote")
    marks = pc.match_substring_regex(q, '["“”]')
    for i in rows(pc.and_(pc.and_(pc.equal(speech, "direct"), pc.is_valid(q)), pc.invert(marks))):
        yield _issue(tbl, i, "speech", "direct", "direct speech", "says direct, but the quote holds no quotation marks")


def _roots(ctx: Context) -> tuple[pa.Array, pa.Array]:
    """(actor ids, the root of each through affiliation_id). In a forest, two chains of affiliation meet
    exactly when they share a root; in a cycle the root is the first actor met twice."""
    ids = ctx.column("actors", "actor_id")
    parent = dict(zip(ids, ctx.column("actors", "affiliation_id")))
    roots = []
    for a in ids:
        seen = []
        while a is not None and a not in seen:
            seen.append(a)
            nxt = parent.get(a)
            if nxt is None:
                break
            a = nxt
        roots.append(a)
    return pa.array(ids, pa.string()), pa.array(roots, pa.string())


def claimant_side(ctx: Context) -> Iterator[Issue]:
    """claimant_side agrees with who the claimant is: donor's side, recipient's side, neither, or nobody."""
    if "funding_claims" not in ctx.raw or "actors" not in ctx.raw:
        return
    tbl = ctx.pkg.table("funding_claims")
    ids, roots = _roots(ctx)

    def root(name: str) -> pa.Array:
        col = ctx.array("funding_claims", name)
        found = pc.take(roots, pc.index_in(col, value_set=ids))
        return pc.if_else(pc.is_valid(found), found, col)  # an unknown actor is its own root

    side = ctx.array("funding_claims", "claimant_side")
    claimant = ctx.array("funding_claims", "claimant_id")
    r_claimant, r_donor, r_recipient = root("claimant_id"), root("donor_id"), root("recipient_id")
    on_donor = pc.fill_null(pc.equal(r_claimant, r_donor), False)
    on_recipient = pc.fill_null(pc.equal(r_claimant, r_recipient), False)
    expected = pc.if_else(on_donor, pa.scalar("donor"), pc.if_else(on_recipient, pa.scalar("recipient"), pa.scalar("third_party")))
    unattributed = pc.equal(side, "unattributed")
    mismatch = pc.xor(unattributed, pc.is_null(claimant))
    wrong = pc.and_(pc.and_(pc.is_valid(claimant), pc.not_equal(side, expected)), pc.invert(pc.and_(on_donor, on_recipient)))
    for i in rows(pc.and_(pc.is_valid(side), pc.or_(mismatch, pc.and_(pc.invert(unattributed), wrong)))):
        s, c = side[i].as_py(), claimant[i].as_py()
        if (s == "unattributed") != (c is None):
            msg = "is 'unattributed' but a claimant_id is given" if c else "needs a claimant_id (or 'unattributed' if the source asserts the claim itself)"
            yield _issue(tbl, i, "claimant_side", s, "claimant side", msg)
        else:
            yield _issue(tbl, i, "claimant_side", s, "claimant side",
                         f"does not fit claimant {c!r}, who is on the {expected[i].as_py().replace('_', ' ')} side through actors.affiliation_id")


RULES: tuple[Rule, ...] = (
    cells,
    types,
    quotes,
    snapshots,
    edtf_dates,
    list_items,
    aliases,
    amounts,
    neutral_wording,
    unique_ids,
    retired_ids,
    any_refs,
    link_rules,
    events_have_actors,
    direct_speech,
    claimant_side,
)


def run(pkg: Package, raw: Raw, *, one_line: set[str] = frozenset(), pool: Executor | None = None) -> list[Issue]:
    """Every rule over the readable tables, in a thread pool if one is given (the rules spend their
    time in pyarrow and numpy, which release the GIL). ``one_line`` names tables known to hold one
    line per record (from the byte pass), whose cells therefore need no search for line breaks."""
    ctx = Context(pkg, raw, one_line=one_line)
    if pool is None:
        return [issue for rule in RULES for issue in rule(ctx)]
    jobs = [pool.submit(lambda r: list(r(ctx)), rule) for rule in RULES]
    return [issue for job in jobs for issue in job.result()]

"""The rules frictionless cannot express, each yielding :class:`Issue` objects.

Rules are driven by the schemas' ``x-`` extensions (see :mod:`iran_palestine_data.schema`), so a new
table gets them by declaring them. Each works column-wise on the all-string pyarrow tables that
:func:`iran_palestine_data.loader.read_strings` returns; Python loops run only over distinct values or
over rows that already failed a vectorised test.

Row numbers follow frictionless: the header is row 1.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from . import dates
from .loader import LEXICAL
from .report import Issue
from .schema import Package, Table

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
    _snapshots: dict[str, str | None] = field(default_factory=dict)

    def column(self, table: str, name: str) -> list:
        return self.raw[table].column(name).to_pylist()

    @cached_property
    def snapshot_paths(self) -> dict[str, str]:
        """source_id -> snapshot path, from the sources table."""
        if "sources" not in self.raw:
            return {}
        ids, paths = self.column("sources", "source_id"), self.column("sources", "snapshot")
        return {i: p for i, p in zip(ids, paths) if i and p}

    def snapshot(self, source_id: str) -> str | None:
        """Text of a source's snapshot, or None if it is unknown or unreadable."""
        if source_id not in self._snapshots:
            rel = self.snapshot_paths.get(source_id)
            text = None
            if rel is not None:
                try:
                    text = (self.pkg.root / rel).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    text = None
            self._snapshots[source_id] = text
        return self._snapshots[source_id]

    def snapshots(self) -> dict[str, str]:
        return {s: t for s in self.snapshot_paths if (t := self.snapshot(s)) is not None}


def _rows(mask) -> list[int]:
    """0-based indices where a boolean array is true."""
    mask = mask.combine_chunks() if isinstance(mask, pa.ChunkedArray) else mask
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist()


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
            col = raw.column(f.name)
            for i in _rows(pc.match_substring_regex(col, r"^[=+\-@\t\r]")):
                v = col[i].as_py()
                yield _issue(tbl, i, f.name, v, "formula injection",
                             f"begins with {v[0]!r}, which a spreadsheet would run as a formula")
            for i in _rows(pc.match_substring_regex(col, r"[\n\r]")):
                yield _issue(tbl, i, f.name, col[i].as_py(), "line break",
                             "contains a line break; cells must fit on one line (an unbalanced quote also causes this)")


def types(ctx: Context) -> Iterator[Issue]:
    """Numbers, integers and dates have the strict lexical form the loaders read (frictionless is laxer)."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if f.type not in LEXICAL:
                continue
            regex, kind = LEXICAL[f.type]
            col = raw.column(f.name)
            ok = pc.match_substring_regex(col, regex)
            if f.type == "date":
                real = pc.is_valid(pc.strptime(col, format="%Y-%m-%d", unit="s", error_is_null=True))
                ok = pc.and_(ok, real)
            for i in _rows(pc.and_(pc.is_valid(col), pc.invert(ok))):
                yield _issue(tbl, i, f.name, col[i].as_py(), "type", f"is not {kind}")


def quotes(ctx: Context) -> Iterator[Issue]:
    """x-quote: long enough, and found verbatim in the snapshot of the row's source."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("quote")
            if not spec:
                continue
            minimum = int(spec.get("minLength", 12))
            quotes_col, sources = ctx.column(tbl.name, f.name), ctx.column(tbl.name, spec["source"])
            for i, (q, s) in enumerate(zip(quotes_col, sources)):
                if q is None:
                    continue  # "required" reports it
                if len(q) < minimum:
                    yield _issue(tbl, i, f.name, q, "quote length", f"is {len(q)} characters long; a quote needs at least {minimum}")
                    continue
                text = ctx.snapshot(s) if s else None
                if text is None or q in text:
                    continue  # unknown source: the foreign key rule reports it
                yield _issue(tbl, i, f.name, q, "quote verbatim", _not_found(ctx, q, s))


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
    """x-edtf: the date parses, and its companion columns agree with it."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("edtf")
            if spec is None:
                continue
            companions = {k: ctx.column(tbl.name, c) for k, c in spec.items() if c in raw.column_names}
            for i, text in enumerate(ctx.column(tbl.name, f.name)):
                row = {k: v[i] for k, v in companions.items()}
                yield from _check_date(tbl, i, f.name, text, row, spec)


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
            vocab = set(f.item_enum or ())
            for i, cell in enumerate(ctx.column(tbl.name, f.name)):
                if cell is None:
                    continue
                items = cell.split(f.delimiter or ",")
                if "" in items or any(it != it.strip() for it in items):
                    yield _issue(tbl, i, f.name, cell, "list format", f"has an empty or space-padded item; separate items with a bare {f.delimiter!r}")
                elif vocab:
                    for it in items:
                        if it not in vocab:
                            yield _issue(tbl, i, f.name, cell, "list vocabulary",
                                         f"has the item {it!r}, which is not in the {f.name} vocabulary ({', '.join(f.item_enum)})")


def aliases(ctx: Context) -> Iterator[Issue]:
    """x-aliases: each alias occurs in a snapshot; no name or alias belongs to two rows."""
    texts = list(ctx.snapshots().values())
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            spec = f.ext("aliases")
            if not spec:
                continue
            owner: dict[str, int] = {}
            names = ctx.column(tbl.name, spec["name"])
            for i, (name, cell) in enumerate(zip(names, ctx.column(tbl.name, f.name))):
                items = cell.split(f.delimiter or ";") if cell else []
                for alias in items:
                    if alias and texts and not any(alias in t for t in texts):
                        yield _issue(tbl, i, f.name, cell, "alias attested", f"has the alias {alias!r}, which occurs in no source snapshot")
                for spelling in {s.casefold() for s in [name, *items] if s}:
                    if spelling in owner and owner[spelling] != i:
                        yield _issue(tbl, i, f.name, cell, "alias collision",
                                     f"shares the spelling {spelling!r} with row {owner[spelling] + 2}; one actor, one row")
                    owner.setdefault(spelling, i)


def amounts(ctx: Context) -> Iterator[Issue]:
    """x-lessOrEqual, x-presentIffAny and x-figureIn on number columns."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            col = ctx.column(tbl.name, f.name)
            if (other := f.ext("lessOrEqual")) and other in raw.column_names:
                for i, (a, b) in enumerate(zip(col, ctx.column(tbl.name, other))):
                    fa, fb = _number(a), _number(b)
                    if fa is not None and fb is not None and fa > fb:
                        yield _issue(tbl, i, f.name, a, "amount order", f"is greater than {other} ({b})")
            if deps := f.ext("presentIffAny"):
                dep_cols = [ctx.column(tbl.name, d) for d in deps if d in raw.column_names]
                for i, v in enumerate(col):
                    has_amount = any(c[i] is not None for c in dep_cols)
                    if has_amount and v is None:
                        yield _issue(tbl, i, f.name, None, "currency", f"is empty, but an amount is given in {' or '.join(deps)}")
                    elif v is not None and not has_amount:
                        yield _issue(tbl, i, f.name, v, "currency", f"is given, but {' and '.join(deps)} are empty")
            if (text_col := f.ext("figureIn")) and text_col in raw.column_names:
                for i, (v, text) in enumerate(zip(col, ctx.column(tbl.name, text_col))):
                    n = _number(v)
                    if n is None or text is None:
                        continue
                    found = figures(text)
                    if not any(abs(n - x) <= 1e-9 * max(1.0, x) for x in found):
                        shown = ", ".join(f"{x:,.0f}" for x in sorted(found)) or "none"
                        yield _issue(tbl, i, f.name, v, "amount in quote", f"matches no figure in the {text_col} (figures found: {shown})")


def figures(text: str) -> set[float]:
    """Numbers written in a text, scaled by a following 'million'/'billion'/'thousand'."""
    out = set()
    for m in _FIGURE.finditer(text):
        value = float(m.group(1).replace(",", ""))
        out.add(value * _SCALE.get((m.group(2) or "").lower(), 1.0))
    return out


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def neutral_wording(ctx: Context) -> Iterator[Issue]:
    """x-ourVoice: no loaded term outside quotation marks, proper names aside."""
    terms = ctx.pkg.loaded_terms
    if not terms:
        return
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else r"\b") for t in terms) + ")",
        re.IGNORECASE,
    )
    names = _proper_names(ctx)
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if not f.ext("ourVoice"):
                continue
            for i, text in enumerate(ctx.column(tbl.name, f.name)):
                if not text:
                    continue
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


def _current_ids(ctx: Context) -> dict[str, tuple[Table, int]]:
    """Every current single-column id (retired ids aside) -> its table and first row index."""
    seen: dict[str, tuple[Table, int]] = {}
    for tbl, raw in _tables(ctx):
        if tbl.id_field and not tbl.field(tbl.id_field).ext("retiredId"):
            for i, v in enumerate(ctx.column(tbl.name, tbl.id_field)):
                if v is not None:
                    seen.setdefault(v, (tbl, i))
    return seen


def retired_ids(ctx: Context) -> Iterator[Issue]:
    """x-retiredId: a withdrawn id never comes back; x-existingId: a replacement exists."""
    current = None
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            if not (f.ext("retiredId") or f.ext("existingId")):
                continue
            current = current if current is not None else _current_ids(ctx)
            version = ctx.column(tbl.name, "retired_in") if "retired_in" in raw.column_names else [None] * raw.num_rows
            for i, v in enumerate(ctx.column(tbl.name, f.name)):
                if v is None:
                    continue
                if f.ext("retiredId") and v in current:
                    other, j = current[v]
                    yield _issue(tbl, i, f.name, v, "retired id reused",
                                 f"was retired in {version[i]} and may not be used again, but is an id in {other.path} (row {j + 2})")
                if f.ext("existingId") and v not in current:
                    yield _issue(tbl, i, f.name, v, "replacement", "is not the id of any current row")


def unique_ids(ctx: Context) -> Iterator[Issue]:
    """Single-column primary keys are unique across the whole dataset, not only within a table."""
    seen: dict[str, tuple[Table, int]] = {}
    for tbl, raw in _tables(ctx):
        if not tbl.id_field or tbl.field(tbl.id_field).ext("retiredId"):
            continue
        for i, v in enumerate(ctx.column(tbl.name, tbl.id_field)):
            if v is None:
                continue
            if v in seen and seen[v][0].name != tbl.name:
                other, j = seen[v]
                yield _issue(tbl, i, tbl.id_field, v, "duplicate id", f"is also an id in {other.path} (row {j + 2}); ids must be unique across the dataset")
            seen.setdefault(v, (tbl, i))


def _row_owners(ctx: Context, tables) -> dict[str, tuple[str, str | None]] | None:
    """id -> (table, source_id) for the rows of the given tables; None if one of them could not be
    read (references into it cannot be judged, and its own issues say why)."""
    if any(name in ctx.pkg.tables and name not in ctx.raw for name in tables):
        return None
    out = {}
    for name in tables:
        if name not in ctx.raw:
            continue
        tbl = ctx.pkg.table(name)
        sources = ctx.column(name, "source_id") if "source_id" in tbl.field_names else [None] * ctx.raw[name].num_rows
        for i, s in zip(ctx.column(name, tbl.id_field), sources):
            if i is not None:
                out[i] = (name, s)
    return out


def any_refs(ctx: Context) -> Iterator[Issue]:
    """x-refersToAny: the value is the id of a row of one of the named tables."""
    for tbl, raw in _tables(ctx):
        for f in tbl.fields:
            targets = f.ext("refersToAny")
            if not targets:
                continue
            owners = _row_owners(ctx, targets)
            if owners is None:
                continue
            for i, v in enumerate(ctx.column(tbl.name, f.name)):
                if v is not None and v not in owners:
                    yield _issue(tbl, i, f.name, v, "link target", f"is not the id of a row of {', '.join(targets)}")


def link_rules(ctx: Context) -> Iterator[Issue]:
    """x-links: no self links, no duplicate or mirrored links, same_as within one table and never
    joining two rows of one source."""
    for tbl, raw in _tables(ctx):
        spec = tbl.schema_extras.get("x-links")
        if not spec:
            continue
        frm, to, rel = (ctx.column(tbl.name, spec[k]) for k in ("from", "to", "relation"))
        targets = tbl.field(spec["from"]).ext("refersToAny") or []
        owners = _row_owners(ctx, targets)
        if owners is None:
            continue
        directed = set(spec.get("directed", ()))
        seen: dict[tuple, tuple[int, str]] = {}  # key -> (row index, from_id as first written)
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

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
                parent[find(a)] = find(b)
                same_links.append((i, a))
        first_link: dict[str, int] = {}
        for i, a in same_links:  # in file order, so the first link of each cluster wins
            first_link.setdefault(find(a), i)
        clusters: dict[str, list[str]] = {}
        for x in parent:
            clusters.setdefault(find(x), []).append(x)
        for root, members in clusters.items():
            by_source: dict[str, list[str]] = {}
            for m in sorted(members):
                by_source.setdefault(owners.get(m, (None, None))[1], []).append(m)
            for source, rows in by_source.items():
                if source is not None and len(rows) > 1:
                    i = first_link.get(root, 0)
                    yield _issue(tbl, i, spec["relation"], "same_as", "same_as cluster",
                                 f"puts {' and '.join(rows)}, both from {source}, in one same_as cluster ({', '.join(sorted(members))}); a source reports an event once")


def events_have_actors(ctx: Context) -> Iterator[Issue]:
    """Every event has at least one row in event_actors."""
    if "events" not in ctx.raw or "event_actors" not in ctx.raw:
        return
    tbl = ctx.pkg.table("events")
    linked = set(ctx.column("event_actors", "event_id"))
    for i, ev in enumerate(ctx.column("events", "event_id")):
        if ev is not None and ev not in linked:
            yield _issue(tbl, i, "event_id", ev, "event actors", f"has no rows in {ctx.pkg.table('event_actors').path}")


def direct_speech(ctx: Context) -> Iterator[Issue]:
    """A statement coded as direct speech quotes the speaker's words in quotation marks."""
    if "statements" not in ctx.raw:
        return
    tbl = ctx.pkg.table("statements")
    for i, (speech, quote) in enumerate(zip(ctx.column("statements", "speech"), ctx.column("statements", "quote"))):
        if speech == "direct" and quote and not any(ch in quote for ch in '"“”'):
            yield _issue(tbl, i, "speech", speech, "direct speech", "says direct, but the quote holds no quotation marks")


def claimant_side(ctx: Context) -> Iterator[Issue]:
    """claimant_side agrees with who the claimant is: donor's side, recipient's side, neither, or nobody."""
    if "funding_claims" not in ctx.raw or "actors" not in ctx.raw:
        return
    tbl = ctx.pkg.table("funding_claims")
    parent = dict(zip(ctx.column("actors", "actor_id"), ctx.column("actors", "affiliation_id")))

    def chain(actor: str | None) -> set[str]:
        out: set[str] = set()
        while actor and actor not in out:
            out.add(actor)
            actor = parent.get(actor)
        return out

    col = lambda name: ctx.column("funding_claims", name)  # noqa: E731
    for i, (side, claimant, donor, recipient) in enumerate(zip(col("claimant_side"), col("claimant_id"), col("donor_id"), col("recipient_id"))):
        if side is None:
            continue
        if (side == "unattributed") != (claimant is None):
            msg = "is 'unattributed' but a claimant_id is given" if claimant else "needs a claimant_id (or 'unattributed' if the source asserts the claim itself)"
            yield _issue(tbl, i, "claimant_side", side, "claimant side", msg)
            continue
        if claimant is None:
            continue
        mine = chain(claimant)
        on_donor, on_recipient = bool(mine & chain(donor)), bool(mine & chain(recipient))
        expected = "donor" if on_donor else "recipient" if on_recipient else "third_party"
        if side != expected and not (on_donor and on_recipient):
            yield _issue(tbl, i, "claimant_side", side, "claimant side",
                         f"does not fit claimant {claimant!r}, who is on the {expected.replace('_', ' ')} side through actors.affiliation_id")


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


def run(pkg: Package, raw: Raw) -> list[Issue]:
    ctx = Context(pkg, raw)
    return [issue for rule in RULES for issue in rule(ctx)]


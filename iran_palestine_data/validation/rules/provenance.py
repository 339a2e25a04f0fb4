"""Provenance: every quote is found verbatim in the snapshot of its own source, once or at the
occurrence its row names (all quotes of all tables searched in one go, each snapshot once,
:mod:`~iran_palestine_data.kernels.substrings`, which counts the occurrences as it finds them),
each snapshot has the SHA-256 its source row records, and a source's address is given exactly when
its basis says it was established."""

from __future__ import annotations

import hashlib
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract.cells import LEXICAL
from ...contract.schema import Field, Table
from ...errors import DataError, Issue
from ...kernels import substrings
from ...kernels.columns import rows
from ...paths import read_inside
from .context import Context, flag_cells, issue_at


def quotes(ctx: Context) -> Iterator[Issue]:
    """x-quote: long enough, found verbatim in the snapshot of the row's source, and, where the
    schema names an ``occurrence`` column, pinned to one occurrence when it is found more than once.

    Every quote of every table is searched in one go, each snapshot once
    (:mod:`iran_palestine_data.kernels.substrings`); the search counts the occurrences as it finds
    them, so the occurrence check reads no snapshot again.
    """
    known = pa.array(sorted(ctx.snapshot_paths), pa.string())
    checks = []  # (table, field, quotes, sources, rows to search, the snapshot each row is searched in)
    for tbl in ctx.tables():
        for f in tbl.fields:
            spec = f.ext("quote")
            if not spec:
                continue
            minimum = int(spec.get("minLength", 12))
            q, s = ctx.chunked(tbl.name, f.name), ctx.array(tbl.name, spec["source"])
            short = pc.less(pc.utf8_length(q), minimum)
            for i in rows(short):
                v = q[i].as_py()
                yield issue_at(
                    tbl,
                    i,
                    f.name,
                    v,
                    rule.QUOTE_LENGTH,
                    f"is {len(v)} characters long; a quote needs at least {minimum}",
                )
            # an unknown source is null here, and the foreign key rule reports it
            source = pc.index_in(s, value_set=known)
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
    counts = substrings.count_all(texts, chunks, owners)
    for _, _, q, _, _ in checks:
        found.append(
            np.concatenate(counts[k : k + q.num_chunks]) if q.num_chunks else np.zeros(0, dtype=np.int64)
        )
        k += q.num_chunks
    for (tbl, f, q, s, owner), count in zip(checks, found):
        hit = count > 0
        missed = np.flatnonzero((owner >= 0) & ~hit)
        # rows whose snapshot is unreadable are the snapshot rule's to report
        unreadable = {k for k in np.unique(owner[missed]).tolist() if texts[k] is None}
        for i in missed[~np.isin(owner[missed], list(unreadable))].tolist():
            text, source = q[i].as_py(), s[i].as_py()
            yield issue_at(tbl, i, f.name, text, rule.QUOTE_VERBATIM, _not_found(ctx, text, source))
        yield from _occurrences(ctx, tbl, f, q, s, count)


def _occurrences(
    ctx: Context, tbl: Table, f: Field, q: pa.ChunkedArray, s: pa.Array, count: np.ndarray
) -> Iterator[Issue]:
    """x-quote's ``occurrence``: a quote found more than once names the occurrence it means, and no
    occurrence is beyond the count. Rows whose quote is not found are the verbatim rule's; a cell
    that is not an integer is the type rule's, one below 1 the minimum's, an empty required one the
    required rule's."""
    name = (f.ext("quote") or {}).get("occurrence")
    if not name or name not in tbl.field_names:
        return
    cells = ctx.array(tbl.name, name)
    given = pc.is_valid(cells).to_numpy(zero_copy_only=False)
    # an empty cell of a required column is the required rule's to report
    unpinned = [] if tbl.field(name).required else np.flatnonzero((count > 1) & ~given).tolist()
    for i in unpinned:
        n, source = int(count[i]), s[i].as_py()
        yield issue_at(
            tbl,
            i,
            name,
            None,
            rule.QUOTE_OCCURRENCE,
            f"is empty, but the quote {_excerpt(q[i].as_py())} occurs {n} times in "
            f"{ctx.snapshot_paths.get(source)} (the snapshot of {source}): fill {name} with the "
            f"occurrence the row means, 1 to {n} in reading order",
        )
    for i in np.flatnonzero(_beyond(cells, count)).tolist():
        value, n, source = cells[i].as_py(), int(count[i]), s[i].as_py()
        times = "once" if n == 1 else f"only {n} times"
        if n > 1:
            hint = f"write a number from 1 to {n}"
        else:
            hint = "write 1" if tbl.field(name).required else f"leave {name} empty or write 1"
        yield issue_at(
            tbl,
            i,
            name,
            value,
            rule.QUOTE_OCCURRENCE,
            f"names occurrence {int(value)} of the quote {_excerpt(q[i].as_py())}, which occurs {times} "
            f"in {ctx.snapshot_paths.get(source)} (the snapshot of {source}): {hint}",
        )


def _beyond(cells: pa.Array, count: np.ndarray) -> np.ndarray:
    """Rows of a found quote whose occurrence cell is an integer greater than its count, column-wise
    (an occurrence of more than 18 digits, leading zeros aside, is beyond any count; a cell that is
    not an integer is left to the type rule)."""
    integer = pc.fill_null(pc.match_substring_regex(cells, LEXICAL["integer"][0]), False)
    digits = pc.utf8_ltrim(cells, "+0")
    digits = pc.if_else(pc.equal(digits, ""), "0", digits)
    small = pc.fill_null(pc.less_equal(pc.utf8_length(digits), 18), False)
    castable = pc.and_(integer, small)
    numbers = pc.cast(pc.if_else(castable, digits, "0"), pa.int64()).to_numpy(zero_copy_only=False)
    positive = pc.invert(pc.fill_null(pc.starts_with(digits, "-"), False))
    huge = pc.and_(pc.and_(integer, pc.invert(small)), positive).to_numpy(zero_copy_only=False)
    return (count > 0) & ((numbers > count) | huge)


def _excerpt(quote: str, width: int = 40) -> str:
    """A quote as a message shows it: in quotation marks, shortened to ``width`` characters."""
    return repr(quote if len(quote) <= width else quote[: width - 1] + "…")


def _not_found(ctx: Context, quote: str, source_id: str) -> str:
    elsewhere = [s for s, t in ctx.snapshots().items() if s != source_id and quote in t]
    if elsewhere:
        return f"is not in the snapshot of {source_id} but is in that of {elsewhere[0]} (wrong source_id?)"
    text = ctx.snapshot(source_id) or ""
    lo, hi = 0, len(quote)  # longest prefix found in the snapshot, by bisection
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if quote[:mid] in text else (lo, mid - 1)
    hint = f"; the first {lo} characters match, then it differs at {quote[lo : lo + 20]!r}" if lo else ""
    return f"is not found verbatim in {ctx.snapshot_paths.get(source_id)} (the snapshot of {source_id}){hint}"


def snapshots(ctx: Context) -> Iterator[Issue]:
    """x-sha256Of: the named file exists and has this SHA-256."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            target = f.ext("sha256Of")
            if not target:
                continue
            for i, (digest, rel) in enumerate(
                zip(ctx.column(tbl.name, f.name), ctx.column(tbl.name, target))
            ):
                if not rel:
                    continue
                try:
                    data = read_inside(ctx.pkg.root, rel)
                except DataError as exc:
                    problem = exc.issues[0]
                    missing = problem.rule == rule.FILE
                    yield issue_at(
                        tbl,
                        i,
                        target,
                        rel,
                        rule.SNAPSHOT if missing else rule.PATH,
                        "names a snapshot file that does not exist"
                        if missing
                        else f"names a snapshot that {problem.message}",
                    )
                    continue
                actual = hashlib.sha256(data).hexdigest()
                if digest and actual != digest:
                    yield issue_at(
                        tbl,
                        i,
                        f.name,
                        digest,
                        rule.SNAPSHOT_SHA256,
                        f"does not match {rel}, whose SHA-256 is {actual} (was the snapshot edited?)",
                    )


def bases(ctx: Context) -> Iterator[Issue]:
    """x-basis: the named basis column is 'unknown' exactly when this cell is empty (a ``url`` is given
    if and only if ``url_basis`` says how it was established). Reported in the basis column."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            name = f.ext("basis")
            if not name or name not in tbl.field_names:
                continue
            col, basis = ctx.array(tbl.name, f.name), ctx.array(tbl.name, name)
            unknown = pc.equal(basis, "unknown")
            known = [v for v in tbl.field(name).enum or () if v != "unknown"]
            established = pc.is_in(basis, value_set=pa.array(known, pa.string()))
            yield from flag_cells(
                tbl,
                name,
                basis,
                pc.and_(pc.is_valid(col), unknown),
                rule.URL_BASIS,
                f"is 'unknown', but {f.name} is given (confirmed or derived?)",
            )
            yield from flag_cells(
                tbl,
                name,
                basis,
                pc.and_(pc.is_null(col), established),
                rule.URL_BASIS,
                f"says how {f.name} was established, but {f.name} is empty (should be 'unknown')",
            )

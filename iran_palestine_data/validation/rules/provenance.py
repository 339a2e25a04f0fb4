"""Provenance: every quote is found verbatim in the snapshot of its own source (all quotes of all
tables searched in one go, each snapshot once, :mod:`~iran_palestine_data.kernels.substrings`), and
each snapshot has the SHA-256 its source row records."""

from __future__ import annotations

import hashlib
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...errors import DataError, Issue
from ...kernels import substrings
from ...kernels.columns import rows
from ...paths import read_inside
from .context import Context, issue_at


def quotes(ctx: Context) -> Iterator[Issue]:
    """x-quote: long enough, and found verbatim in the snapshot of the row's source.

    Every quote of every table is searched in one go, each snapshot once
    (:mod:`iran_palestine_data.kernels.substrings`).
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
    hits = substrings.find_all(texts, chunks, owners)
    for _, _, q, _, _ in checks:
        found.append(np.concatenate(hits[k : k + q.num_chunks]) if q.num_chunks else np.zeros(0, dtype=bool))
        k += q.num_chunks
    for (tbl, f, q, s, owner), hit in zip(checks, found):
        missed = np.flatnonzero((owner >= 0) & ~hit)
        # rows whose snapshot is unreadable are the snapshot rule's to report
        unreadable = {k for k in np.unique(owner[missed]).tolist() if texts[k] is None}
        for i in missed[~np.isin(owner[missed], list(unreadable))].tolist():
            text, source = q[i].as_py(), s[i].as_py()
            yield issue_at(tbl, i, f.name, text, rule.QUOTE_VERBATIM, _not_found(ctx, text, source))


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

"""Dates: each EDTF date parses (:mod:`~iran_palestine_data.contract.dates`), and its companion
columns (start, end, precision, basis, note) agree with it. Each distinct date is parsed once. A claim
the source makes in its own voice is dated when the source's publication date is stated."""

from __future__ import annotations

from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...contract import dates
from ...contract.schema import Table
from ...errors import Issue
from ...kernels.columns import rows
from .context import Context, issue_at


def edtf_dates(ctx: Context) -> Iterator[Issue]:
    """x-edtf: the date parses, and its companion columns agree with it (each distinct date parsed once)."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            spec = f.ext("edtf")
            if spec is None:
                continue
            col = ctx.array(tbl.name, f.name)
            encoded = col.dictionary_encode()
            parsed: list[dates.Bounds | dates.EDTFError] = []
            for text in encoded.dictionary.to_pylist():
                try:
                    parsed.append(dates.parse(text))
                except dates.EDTFError as exc:
                    parsed.append(exc)
            companions = {k: ctx.array(tbl.name, c) for k, c in spec.items() if c in tbl.field_names}
            expected = {
                "start": pa.array(
                    [
                        b.start.isoformat() if isinstance(b, dates.Bounds) and b.start else None
                        for b in parsed
                    ],
                    pa.string(),
                ),
                "end": pa.array(
                    [b.end.isoformat() if isinstance(b, dates.Bounds) and b.end else None for b in parsed],
                    pa.string(),
                ),
                "precision": pa.array(
                    [b.precision if isinstance(b, dates.Bounds) else None for b in parsed], pa.string()
                ),
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
                    differs = pc.invert(
                        pc.equal(pc.fill_null(companions[key], "\x00"), pc.fill_null(want, "\x00"))
                    )
                    suspect = pc.or_(suspect, differs)
            if "basis" in companions:
                basis = companions["basis"]
                suspect = pc.or_(suspect, pc.and_(undated, pc.not_equal(basis, "unknown")))
                suspect = pc.or_(suspect, pc.and_(pc.invert(undated), pc.equal(basis, "unknown")))
                if "note" in companions:
                    suspect = pc.or_(
                        suspect, pc.and_(pc.equal(basis, "inferred"), pc.is_null(companions["note"]))
                    )
            for i in rows(suspect):
                row = {k: v[i].as_py() for k, v in companions.items()}
                yield from _check_date(tbl, i, f.name, col[i].as_py(), row, spec)


_COMPANION_RULES = {
    "start": rule.DATE_BOUNDS,
    "end": rule.DATE_BOUNDS,
    "precision": rule.DATE_PRECISION,
    "basis": rule.DATE_BASIS,
}


def _check_date(tbl: Table, i: int, column: str, text: str | None, row: dict, spec: dict) -> Iterator[Issue]:
    basis = row.get("basis")
    if text is None:
        expected = {"start": None, "end": None, "precision": "unknown", "basis": "unknown"}
        for key, want in expected.items():
            if key in row and row[key] != want:
                yield issue_at(
                    tbl,
                    i,
                    spec[key],
                    row[key],
                    _COMPANION_RULES[key],
                    f"should be {'empty' if want is None else repr(want)} because the date is empty",
                )
        return
    try:
        b = dates.parse(text)
    except dates.EDTFError as exc:
        yield issue_at(tbl, i, column, text, rule.EDTF, str(exc).replace(f'"{text}" ', "", 1))
        return
    for key, day in (("start", b.start), ("end", b.end)):
        if key in row:
            want_s = day.isoformat() if day else None
            if row[key] != want_s:
                yield issue_at(
                    tbl,
                    i,
                    spec[key],
                    row[key],
                    rule.DATE_BOUNDS,
                    f"should be {want_s or 'empty'}, the {'earliest' if key == 'start' else 'latest'} day {text!r} allows",
                )
    if "precision" in row and row["precision"] != b.precision:
        yield issue_at(
            tbl,
            i,
            spec["precision"],
            row["precision"],
            rule.DATE_PRECISION,
            f"should be {b.precision!r} for {text!r}",
        )
    if basis == "unknown":
        yield issue_at(
            tbl,
            i,
            spec["basis"],
            basis,
            rule.DATE_BASIS,
            "cannot be 'unknown' when a date is given (stated or inferred?)",
        )
    if basis == "inferred" and "note" in row and not row["note"]:
        yield issue_at(
            tbl,
            i,
            spec["note"],
            None,
            rule.DATE_NOTE,
            "is empty, but an inferred date must say how it was inferred",
        )


def claim_dates(ctx: Context) -> Iterator[Issue]:
    """x-ownVoiceDate: a claim the source asserts in its own voice (its ``side`` column holds the
    ``ownVoice`` code, 'unattributed') is made when the source is published, so where the source states
    its publication date (``sources.published_basis`` 'stated') the claim date is filled."""
    if "sources" not in ctx.raw or not {"published", "published_basis"} <= set(
        ctx.pkg.table("sources").field_names
    ):
        return
    stated = {
        s: published
        for s, published, basis in zip(
            *(ctx.column("sources", c) for c in ("source_id", "published", "published_basis"))
        )
        if s and basis == "stated"
    }
    for tbl in ctx.tables():
        for f in tbl.fields:
            spec = f.ext("ownVoiceDate")
            if not spec:
                continue
            side, source = ctx.array(tbl.name, spec["side"]), ctx.array(tbl.name, spec["source"])
            own = spec.get("ownVoice", "unattributed")
            undated = pc.and_(
                pc.fill_null(pc.equal(side, own), False), pc.is_null(ctx.array(tbl.name, f.name))
            )
            for i in rows(undated):
                s = source[i].as_py()
                if s in stated:
                    yield issue_at(
                        tbl,
                        i,
                        f.name,
                        None,
                        rule.CLAIM_DATE,
                        f"is empty, but {s} asserts this claim in its own voice ({spec['side']} {own!r}) and "
                        f"states when it was published ({stated[s]}): the claim was made then",
                    )

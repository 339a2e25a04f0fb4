"""Actors and attribution: aliases attested and never shared, the claimant's side consistent with
the affiliation chain, speech coded direct exactly when the quote holds the speaker's words in
quotation marks, every event with an actor."""

from __future__ import annotations

import re
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...errors import Issue, file_row
from ...kernels import substrings
from ...kernels.columns import flags, in_set, rows
from ...kernels.forest import ancestry
from .context import Context, flag_cells, issue_at


def aliases(ctx: Context) -> Iterator[Issue]:
    """x-aliases: each alias occurs in a snapshot; no name or alias belongs to two rows."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            spec = f.ext("aliases")
            if not spec:
                continue
            names = ctx.column(tbl.name, spec["name"])
            cells_ = ctx.column(tbl.name, f.name)
            split = [cell.split(f.delimiter or ";") if cell else [] for cell in cells_]
            found, searched = _attested(
                ctx, split, ctx.column(tbl.name, "source_id") if "source_id" in tbl.field_names else None
            )
            owner: dict[str, int] = {}
            for i, (name, items) in enumerate(zip(names, split)):
                for alias in items:
                    if alias and searched and alias not in found:
                        yield issue_at(
                            tbl,
                            i,
                            f.name,
                            cells_[i],
                            rule.ALIAS_ATTESTED,
                            f"has the alias {alias!r}, which occurs in no source snapshot",
                        )
                for spelling in {s.casefold() for s in [name, *items] if s}:
                    if spelling in owner and owner[spelling] != i:
                        yield issue_at(
                            tbl,
                            i,
                            f.name,
                            cells_[i],
                            rule.ALIAS_COLLISION,
                            f"shares the spelling {spelling!r} with row {file_row(owner[spelling])}; one actor, one row",
                        )
                    owner.setdefault(spelling, i)


def _attested(ctx: Context, split: list[list[str]], home: list | None) -> tuple[set[str], bool]:
    """The aliases that occur in some snapshot, and whether any snapshot could be read. Each alias
    is first looked for in the snapshot of its row's own source, the rest then in all of them; the
    snapshots are read one at a time, and each is searched for all its aliases at once."""
    found: set[str] = set()
    pending: set[str] = set()
    by_home: dict = {}
    for k, items in enumerate(split):
        by_home.setdefault(home[k] if home is not None else None, []).extend(a for a in items if a)
    searched = False
    for source, items in by_home.items():
        own = ctx.snapshot_bytes(source) if source is not None else None
        searched = searched or own is not None
        wanted = set(items) - found
        hits = substrings.found_set(own.decode("utf-8"), wanted) if own is not None and wanted else set()
        found |= hits
        pending |= wanted - hits
    pending -= found
    for source in ctx.snapshot_paths:
        if not pending:
            break
        data = ctx.snapshot_bytes(source)
        if data is not None:
            searched = True
            hits = substrings.found_set(data.decode("utf-8"), pending)
            found |= hits
            pending -= hits
    return found, searched or any(ctx.snapshot_bytes(s) is not None for s in ctx.snapshot_paths)


def events_have_actors(ctx: Context) -> Iterator[Issue]:
    """Every event has at least one row in event_actors."""
    if "events" not in ctx.raw or "event_actors" not in ctx.raw:
        return
    tbl = ctx.pkg.table("events")
    events = ctx.array("events", "event_id")
    linked = ctx.array("event_actors", "event_id")
    unlinked = pc.and_(pc.is_valid(events), pc.invert(in_set(events, linked)))
    where = ctx.pkg.table("event_actors").path
    yield from flag_cells(tbl, "event_id", events, unlinked, rule.EVENT_ACTORS, f"has no rows in {where}")


# quotation marks: each opening mark with its closing one (the straight " closes itself)
_CLOSER = {"“": "”", "«": "»", "‘": "’", '"': '"'}
_UNOPENED = ("”", "»")  # a closing mark with no opening one: the quote begins inside quoted words
_MARK = re.compile("[" + "".join(dict.fromkeys([*_CLOSER, *_UNOPENED])) + "]")  # any mark the scan acts on
_WORD = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*")  # a word; "all-out" and "Iran’s" are one
SPEECH_WORDS = 3  # this many words in quotation marks are the speaker's own: the statement is direct
# fewer may be a term, a title or a scare quote: an indirect statement then says why in its notes
_EXPLAINED = re.compile(r"quotation marks?", re.IGNORECASE)


def quoted_spans(text: str) -> list[str]:
    """The stretches of ``text`` inside quotation marks.

    A stretch runs from an opening mark (“ « ‘ or a straight ") to its closing mark (” » ’ or the next
    straight "); a ’ followed by a letter or digit is an apostrophe ("Iran’s"), not a closing mark, and a
    ‘ before a digit is an elision (‘90s), not an opening one. A mark that is never closed means the quote
    cuts the quoted words: an opening “ or « (or a straight " after a space or at the start) runs to the
    end of the text; a closing ” or » never opened (or a straight " after a word) runs back to the start
    or the previous stretch. A ‘ never closed is not a stretch.
    """
    spans: list[str] = []
    i, last = 0, 0
    while (found := _MARK.search(text, i)) is not None:  # from mark to mark: other characters are skipped
        i = found.start()
        ch = text[i]
        if ch == "‘" and text[i + 1 : i + 2].isdigit():
            i += 1
            continue
        if ch in _CLOSER:
            j = _closing(text, i)
            if j < 0:
                if ch == "‘":
                    i += 1
                    continue
                if ch == '"' and i > 0 and not text[i - 1].isspace() and text[i - 1] not in "([":
                    spans.append(text[last:i])  # a straight mark after a word closes
                else:
                    spans.append(text[i + 1 :])
                break
            spans.append(text[i + 1 : j])
            i = last = j + 1
            continue
        if ch in _UNOPENED:
            spans.append(text[last:i])
            last = i + 1
        i += 1
    return spans


def _closing(text: str, i: int) -> int:
    """Where the mark opened at ``i`` closes, or -1."""
    closer = _CLOSER[text[i]]
    j = text.find(closer, i + 1)
    while closer == "’" and j >= 0 and j + 1 < len(text) and (text[j + 1].isalnum()):
        j = text.find(closer, j + 1)  # an apostrophe inside the stretch
    return j


def quoted_words(text: str) -> list[int]:
    """How many words each stretch of ``text`` in quotation marks holds (:func:`quoted_spans`)."""
    return [len(_WORD.findall(span)) for span in quoted_spans(text)]


def direct_speech(ctx: Context) -> Iterator[Issue]:
    """``speech`` is direct exactly when the quote holds the speaker's words in quotation marks: a
    direct statement's quote holds at least one word in quotation marks; an indirect statement's quote
    holds no stretch of :data:`SPEECH_WORDS` (3) or more words in them. One or two words in quotation
    marks may be the speaker's (direct) or a term, title or the source's scare quote (indirect): the
    coder decides, and an indirect statement records why in its notes (which name the quotation marks)."""
    if "statements" not in ctx.raw:
        return
    tbl = ctx.pkg.table("statements")
    speech, q = ctx.chunked("statements", "speech"), ctx.chunked("statements", "quote")
    marks = pc.match_substring_regex(q, '["“”«»‘]')
    unmarked = pc.and_(pc.and_(pc.equal(speech, "direct"), pc.is_valid(q)), pc.invert(marks))
    message = "says direct, but the quote holds no quotation marks"
    yield from flag_cells(tbl, "speech", speech, unmarked, rule.DIRECT_SPEECH, message)
    counted: dict[str, list[int]] = {}  # a quote repeated in many rows is scanned once
    for i, code, quote, note in _marked_rows(ctx, flags(marks)):
        if quote not in counted:
            counted[quote] = quoted_words(quote)
        counts = counted[quote]
        if code == "direct" and not any(counts):
            yield issue_at(tbl, i, "speech", code, rule.DIRECT_SPEECH, message)
        elif code == "indirect" and max(counts, default=0) >= SPEECH_WORDS:
            span = next(s for s, k in zip(quoted_spans(quote), counts) if k >= SPEECH_WORDS)
            yield issue_at(
                tbl,
                i,
                "speech",
                code,
                rule.INDIRECT_SPEECH,
                f"says indirect, but the quote holds the speaker's words in quotation marks "
                f"({_shorten(span)!r}, {max(counts)} words): code it direct",
            )
        elif code == "indirect" and any(counts) and not _EXPLAINED.search(note or ""):
            span = next(s for s, k in zip(quoted_spans(quote), counts) if k)
            yield issue_at(
                tbl,
                i,
                "speech",
                code,
                rule.INDIRECT_SPEECH,
                f"says indirect, but the quote holds words in quotation marks ({_shorten(span)!r}): code it "
                "direct if they are the speaker's, or say in notes why the words in quotation marks are not",
            )


def _marked_rows(ctx: Context, marked: np.ndarray) -> Iterator[tuple[int, str, str, str | None]]:
    """(row, speech, quote, notes) of the statements whose quote holds a quotation mark, in row order:
    read into Python a slice of the table at a time, so that a million quotes are never all held as
    Python strings."""
    table = ctx.raw["statements"]
    names = ["speech", "quote"] + (["notes"] if "notes" in table.column_names else [])
    start = 0
    for batch in table.select(names).to_batches(max_chunksize=1 << 16):
        local = np.flatnonzero(marked[start : start + batch.num_rows])
        if len(local):
            picked = batch.take(pa.array(local, pa.int64()))
            notes = picked.column("notes").to_pylist() if "notes" in names else [None] * len(local)
            yield from zip(
                (start + local).tolist(),
                picked.column("speech").to_pylist(),
                picked.column("quote").to_pylist(),
                notes,
            )
        start += batch.num_rows


def _shorten(text: str, width: int = 60) -> str:
    text = text.strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _roots(ctx: Context) -> tuple[pa.Array, pa.Array]:
    """(actor ids, the root of each through affiliation_id). In a forest, two chains of affiliation meet
    exactly when they share a root; in a cycle the root is the first actor met twice."""
    ids = ctx.column("actors", "actor_id")
    parent = dict(zip(ids, ctx.column("actors", "affiliation_id")))
    roots = [ancestry(parent, a)[1] for a in ids]
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
    expected = pc.if_else(
        on_donor,
        pa.scalar("donor"),
        pc.if_else(on_recipient, pa.scalar("recipient"), pa.scalar("third_party")),
    )
    unattributed = pc.equal(side, "unattributed")
    mismatch = pc.xor(unattributed, pc.is_null(claimant))
    wrong = pc.and_(
        pc.and_(pc.is_valid(claimant), pc.not_equal(side, expected)),
        pc.invert(pc.and_(on_donor, on_recipient)),
    )
    for i in rows(pc.and_(pc.is_valid(side), pc.or_(mismatch, pc.and_(pc.invert(unattributed), wrong)))):
        s, c = side[i].as_py(), claimant[i].as_py()
        if (s == "unattributed") != (c is None):
            msg = (
                "is 'unattributed' but a claimant_id is given"
                if c
                else "needs a claimant_id (or 'unattributed' if the source asserts the claim itself)"
            )
            yield issue_at(tbl, i, "claimant_side", s, rule.CLAIMANT_SIDE, msg)
        else:
            yield issue_at(
                tbl,
                i,
                "claimant_side",
                s,
                rule.CLAIMANT_SIDE,
                f"does not fit claimant {c!r}, who is on the {expected[i].as_py().replace('_', ' ')} side "
                "through actors.affiliation_id",
            )

"""Which of many patterns occur, byte for byte, in a text, and how many times: exact multi-pattern
substring search.

The quote rule asks this for every quote of every table (a million rows each, at scale), each in
the snapshot of its own source, and counts the occurrences (a quote found twice must say which one it
means); the alias rule asks it for every alias. Occurrences may overlap ("aa" occurs twice in "aaa"),
as :func:`occurrences` counts them. Two methods, both exact:

* **Long patterns** (at least ``LONG`` = 31 UTF-8 bytes). An occurrence starting at byte ``p``
  contains the 24-byte window of the text that starts at the first multiple of 8 at or after
  ``p``, at offset ``j = 0..7`` into the pattern. So each pattern gives 8 keys (a hash of its bytes
  ``j..j+24`` and of its text's number), each text gives one key per multiple of 8, and keys that
  meet give candidate start positions. Every candidate is then confirmed by comparing the bytes
  themselves (pyarrow ``binary_view`` equality): the hash only says where to look. Each occurrence
  gives exactly one candidate (the one aligned window it holds at an offset 0..7), so counting the
  confirmed candidates counts the occurrences. It is all numpy/pyarrow work on the columns' own
  buffers: no Python loop over patterns, no copy of them.
* **Short patterns**: an Aho–Corasick automaton (pyahocorasick), one pass over the text, which
  reports every occurrence.

In valid UTF-8 a byte match is a character match, so searching bytes answers the question for text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WINDOW = 24  # bytes hashed per key: three 8-byte words
LONG = WINDOW + 7  # the shortest pattern sure to contain an 8-aligned window of the text
BATCH = 1 << 19  # bytes of text searched together: measured fastest (the keys stay in cache)
GROUP = 1 << 19  # long values whose first bytes are gathered at once (16 MiB of them)
_BITS = 20  # bits of the prefilter bitmap
_M1, _M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)  # odd multipliers that mix words


class Texts(Protocol):
    """The texts to search in, by number: a list, or a lazy sequence that reads each when asked."""

    def __len__(self) -> int: ...

    def __getitem__(self, k: int) -> str | bytes | None: ...


def _mix(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (((a * _M1) ^ b) * _M2) ^ c


def _windows(buf: np.ndarray, starts: np.ndarray, width: int) -> np.ndarray:
    """The ``width`` bytes at each start (a copy, one row per start)."""
    view = np.lib.stride_tricks.as_strided(
        buf, shape=(max(len(buf) - width + 1, 0), width), strides=(1, 1), writeable=False
    )
    return view[starts]


@dataclass
class _Column:
    """A string or binary array's data buffer and its offsets (value ``i`` is the bytes
    ``offsets[i]:offsets[i + 1]`` of ``data``), read in place."""

    buffer: pa.Buffer
    data: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, arr: pa.Array) -> "_Column":
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        wide = pa.types.is_large_string(arr.type) or pa.types.is_large_binary(arr.type)
        _, offsets, data = arr.buffers()
        if data is None or data.size == 0:
            data = pa.py_buffer(b"\0")
        if not wide and data.size >= 1 << 31:
            raise ValueError("a value buffer of 2 GiB or more needs a large_string array")
        off = np.frombuffer(
            offsets,
            dtype="<i8" if wide else "<i4",
            count=len(arr) + 1,
            offset=arr.offset * (8 if wide else 4),
        )
        return cls(data, np.frombuffer(data, dtype=np.uint8), off)

    def spans(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each of the values ``rows`` starts in the data, and its length in bytes."""
        start = self.offsets[rows].astype(np.int64)
        return start, self.offsets[rows + 1] - start


def _layout(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The texts in one zero-padded buffer, each starting at a multiple of 8: (buffer, starts, sizes)."""
    sizes = np.array([len(t) for t in texts], dtype=np.int64)
    starts = np.zeros(len(texts), dtype=np.int64)
    starts[1:] = np.cumsum((sizes + 15) // 8 * 8)[:-1]  # at least 8 bytes of padding after each text
    buf = np.zeros(int(starts[-1] + (sizes[-1] + 15) // 8 * 8 + WINDOW), dtype=np.uint8)
    for t, st in zip(texts, starts):
        buf[st : st + len(t)] = np.frombuffer(t, dtype=np.uint8)
    return buf, starts, sizes


def _views(
    count: int,
    buffer_index: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    prefix: np.ndarray,
    buffers: list[pa.Buffer],
) -> pa.Array:
    """A ``binary_view`` array of byte slices of several buffers, without copying them (every slice
    is longer than 12 bytes, so none is inlined)."""
    views = np.zeros((count, 4), dtype="<i4")
    views[:, 0] = length
    views[:, 1] = prefix
    views[:, 2] = buffer_index
    views[:, 3] = start
    return pa.Array.from_buffers(pa.binary_view(), count, [None, pa.py_buffer(views), *buffers])


def _found_long(
    texts: list[bytes],
    heads: np.ndarray,
    buffers: list[pa.Buffer],
    col: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    owner: np.ndarray,
) -> np.ndarray:
    """For each long pattern (bytes ``start..start+length`` of ``buffers[col]``, whose first ``LONG``
    bytes are ``heads``), how many times it occurs in ``texts[owner]``."""
    n = len(col)
    found = np.zeros(n, dtype=np.int64)
    buf, tstart, tsize = _layout(texts)
    # 8 keys per pattern: its bytes j..j+24 (j = 0..7), hashed together with the number of its text
    windows = np.lib.stride_tricks.as_strided(
        heads, shape=(n, 8, WINDOW), strides=(LONG, 1, 1), writeable=False
    )
    words = np.ascontiguousarray(windows).view("<u8").reshape(-1, 3)
    keys = pa.array(
        _mix(words[:, 0], words[:, 1], words[:, 2]) ^ (np.repeat(owner, 8).astype(np.uint64) * _M2)
    )
    # group equal keys (two patterns may share one): hash them, then order by group; the groups come
    # in order of first appearance, so the order is usually the identity
    distinct = pc.unique(keys)
    group = pc.index_in(keys, value_set=distinct).to_numpy()
    order = (
        np.arange(len(group)) if bool((group[1:] >= group[:-1]).all()) else np.argsort(group, kind="stable")
    )
    run_size = np.bincount(group, minlength=len(distinct))
    run_start = np.cumsum(run_size) - run_size
    distinct = distinct.to_numpy()
    # one key per multiple of 8 of the laid-out texts, hashed with the number of the text it starts in
    t_words = buf.view("<u8")
    text_of = np.repeat(np.arange(len(texts), dtype=np.uint64), np.diff(np.r_[tstart, len(buf)]) // 8)[
        : len(t_words) - 2
    ]
    t_keys = _mix(t_words[:-2], t_words[1:-1], t_words[2:]) ^ (text_of * _M2)
    # a bitmap of the keys' top bits rules out most windows before the exact hash lookup
    bitmap = np.zeros(1 << _BITS, dtype=bool)
    bitmap[distinct >> np.uint64(64 - _BITS)] = True
    maybe = np.flatnonzero(bitmap[t_keys >> np.uint64(64 - _BITS)])
    where = pc.index_in(pa.array(t_keys[maybe]), value_set=pa.array(distinct))
    known = pc.is_valid(where).to_numpy(zero_copy_only=False)
    hits, run = maybe[known], where.filter(pa.array(known)).to_numpy()
    if not len(hits):
        return found
    lo, counts = run_start[run], run_size[run]
    firsts = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    which = order[firsts]  # index into keys: pattern * 8 + j
    pattern, shift = which // 8, which % 8
    at = np.repeat(hits, counts).astype(np.int64) * 8 - shift
    text = owner[pattern]
    fits = (at >= tstart[text]) & (at + length[pattern] <= tstart[text] + tsize[text])
    pattern, at = pattern[fits], at[fits]
    if not len(pattern):
        return found
    # confirm: the text's bytes at each candidate equal the pattern's
    m = len(pattern)
    text_side = _views(
        m,
        np.zeros(m, dtype=np.int32),
        at,
        length[pattern],
        _windows(buf, at, 4).view("<i4").reshape(-1),
        [pa.py_buffer(buf)],
    )
    pattern_side = _views(
        m,
        col[pattern].astype(np.int32),
        start[pattern],
        length[pattern],
        np.ascontiguousarray(heads[pattern, :4]).view("<i4").reshape(-1),
        buffers,
    )
    same = pc.fill_null(pc.equal(text_side, pattern_side), False).to_numpy(zero_copy_only=False)
    # a candidate is a (pattern, position) pair, and no pair comes twice: count them
    found += np.bincount(pattern[same], minlength=n)
    return found


def _automaton(patterns: Iterable[str]):
    """An Aho–Corasick automaton over the patterns (None if there are none)."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for p in patterns:
        automaton.add_word(p, p)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _utf8(text: str | bytes | None) -> bytes | None:
    return text.encode("utf-8") if isinstance(text, str) else text


def find_all(texts: Texts, columns: list, owners: list[np.ndarray]) -> list[np.ndarray]:
    """For each value ``i`` of each string column ``c``, whether it occurs in ``texts[owners[c][i]]``.

    An owner of -1, or a text that is None, means "not searched": the answer is False. Texts may be
    ``str`` or their UTF-8 ``bytes``; ``texts`` may be a lazy sequence, since each text is asked for
    only while it is searched (and only if some value is to be found in it). The values are read in
    place from the columns' buffers.
    """
    return [counts > 0 for counts in count_all(texts, columns, owners)]


def count_all(texts: Texts, columns: list, owners: list[np.ndarray]) -> list[np.ndarray]:
    """As :func:`find_all`, but how many times each value occurs (overlapping occurrences count,
    as in :func:`occurrences`); 0 for a value not searched."""
    cols = [_Column.of(c) for c in columns]
    values = _Values.of(columns, cols, owners)
    hit = np.zeros(len(values.col), dtype=np.int64)
    is_long = values.length >= LONG
    _search_long(texts, cols, values, np.flatnonzero(is_long), hit)
    _search_short(texts, columns, values, np.flatnonzero(~is_long), hit)
    out = [np.zeros(len(c), dtype=np.int64) for c in columns]
    cut = values.cut
    for c in range(len(columns)):
        out[c][values.row[cut[c] : cut[c + 1]]] = hit[cut[c] : cut[c + 1]]
    return out


@dataclass
class _Values:
    """Every value to search, columns one after the other (each column's values are the slice
    ``cut[c]:cut[c + 1]``): its column, row, owner (the text it is searched in), and byte span."""

    col: np.ndarray
    row: np.ndarray
    owner: np.ndarray
    start: np.ndarray
    length: np.ndarray
    cut: np.ndarray

    @classmethod
    def of(cls, columns: list, cols: list[_Column], owners: list[np.ndarray]) -> _Values:
        # column, row and owner in 32 bits (a column has fewer than 2**31 rows), byte spans in 64
        parts = []
        for c, (column, own) in enumerate(zip(cols, owners)):
            valid = pc.is_valid(columns[c]).to_numpy(zero_copy_only=False)
            own = np.where(valid, np.asarray(own, dtype=np.int32), np.int32(-1))
            rows = np.flatnonzero(own >= 0).astype(np.int32)
            parts.append((np.full(len(rows), c, dtype=np.int32), rows, own[rows], *column.spans(rows)))
        if parts:
            col, row, owner, start, length = (np.concatenate(x) for x in zip(*parts))
        else:
            col, row, owner = (np.zeros(0, np.int32) for _ in range(3))
            start, length = np.zeros(0, np.int64), np.zeros(0, np.int64)
        return cls(col, row, owner, start, length, np.cumsum([0] + [len(p[0]) for p in parts]))


def _search_long(texts: Texts, cols: list[_Column], v: _Values, long: np.ndarray, hit: np.ndarray) -> None:
    """The long values, in groups of whole texts of about GROUP values each (so that the bytes
    gathered for a group stay small)."""
    if not len(long):
        return
    owner = v.owner[long]
    ends = np.cumsum(np.bincount(owner, minlength=len(texts)))
    last = np.unique(np.searchsorted(ends, np.arange(GROUP, ends[-1], GROUP)))  # the last text of each group
    for lo, hi in zip([0, *(last + 1).tolist()], [*(last + 1).tolist(), len(texts)]):
        _search_texts(texts, cols, v, long[(owner >= lo) & (owner < hi)], hit)


def _search_texts(texts: Texts, cols: list[_Column], v: _Values, long: np.ndarray, hit: np.ndarray) -> None:
    """Long values (ascending): their first LONG bytes gathered once, column by column; then the
    texts in batches of about BATCH bytes, with the values sorted by text."""
    # the long values in the order of their texts; their first LONG bytes are gathered straight into
    # that order, column by column (a column's long values are one run of ``long``)
    order = np.argsort(v.owner[long], kind="stable")
    place = np.empty_like(order)
    place[order] = np.arange(len(order))
    heads = np.empty((len(long), LONG), dtype=np.uint8)
    run = np.searchsorted(long, v.cut)
    for c, column in enumerate(cols):
        a, b = run[c], run[c + 1]
        if b > a:
            heads[place[a:b]] = _windows(column.data, v.start[long[a:b]], LONG)
    del place
    long = long[order]
    del order
    buffers = [c.buffer for c in cols]
    bounds = np.searchsorted(v.owner[long], np.arange(len(texts) + 1))
    wanted = np.flatnonzero(np.diff(bounds) > 0).tolist()
    batch: list[tuple[int, bytes]] = []
    size = 0
    for k in wanted + [None]:
        data = _utf8(texts[k]) if k is not None else None
        if batch and (k is None or size + len(data or b"") > BATCH):
            first, last = batch[0][0], batch[-1][0]
            sel = long[bounds[first] : bounds[last + 1]]
            number = {t: n for n, (t, _) in enumerate(batch)}
            local = np.array([number.get(t, -1) for t in range(first, last + 1)])[v.owner[sel] - first]
            keep = local >= 0  # values of texts that are None stay unfound
            if keep.any():
                sel_heads = heads[bounds[first] : bounds[last + 1]][keep]
                sel = sel[keep]
                hit[sel] = _found_long(
                    [d for _, d in batch],
                    sel_heads,
                    buffers,
                    v.col[sel],
                    v.start[sel],
                    v.length[sel],
                    local[keep],
                )
            batch, size = [], 0
        if data is not None:
            batch.append((k, data))
            size += len(data)


def _search_short(texts: Texts, columns: list, v: _Values, short: np.ndarray, hit: np.ndarray) -> None:
    """The short values: one Aho–Corasick pass per text that has any."""
    for k in np.unique(v.owner[short]).tolist():
        text = texts[k]
        if text is None:
            continue
        sel = short[v.owner[short] == k]
        values = [columns[c][r].as_py() for c, r in zip(v.col[sel].tolist(), v.row[sel].tolist())]
        automaton = _automaton(values)
        text = text if isinstance(text, str) else text.decode("utf-8")
        seen = Counter(p for _, p in automaton.iter(text)) if automaton is not None else Counter()
        hit[sel] = [seen[value] for value in values]


def occurrences(text: str, pattern: str) -> list[int]:
    """Where ``pattern`` starts in ``text``, every time, overlapping occurrences included: offsets in
    code points of the (str) text, in order. The one definition of "the n-th occurrence" that the
    quote rule, coverage and the annotations share.

    >>> occurrences("abcabc", "bc"), occurrences("aaa", "aa"), occurrences("abc", "x")
    ([1, 4], [0, 1], [])
    """
    found: list[int] = []
    if not pattern:
        return found
    at = text.find(pattern)
    while at >= 0:
        found.append(at)
        at = text.find(pattern, at + 1)
    return found


def found_set(text: str, patterns: Iterable[str]) -> set[str]:
    """The patterns that occur in ``text``."""
    values = sorted(set(patterns))
    if not values:
        return set()
    (mask,) = find_all([text], [pa.array(values, pa.string())], [np.zeros(len(values), dtype=np.int64)])
    return {v for v, ok in zip(values, mask) if ok}

"""Small pyarrow/numpy helpers shared by the column-wise checks (the Table Schema checks and the rules).

Tables arrive as pyarrow tables whose columns are chunked (one chunk per block the CSV reader
parsed). Combining chunks copies the column, so big text columns are worked on chunk by chunk and
only short columns (ids, codes, dates, numbers) are combined.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def single(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The column as one array (zero-copy when it has a single chunk)."""
    if isinstance(col, pa.ChunkedArray):
        return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()
    return col


def flags(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean array or chunked array as numpy booleans (nulls count as false)."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def indices(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """0-based positions where a boolean array is true (nulls count as false)."""
    return np.flatnonzero(flags(mask))


def rows(mask: pa.Array | pa.ChunkedArray) -> list[int]:
    return indices(mask).tolist()


def starts_with_any(col: pa.Array | pa.ChunkedArray, ascii_chars: str) -> np.ndarray:
    """Which cells begin with one of the given bytes (each given as the character of that code,
    below U+0100): read from the first byte of each value in the data buffers, without touching the
    rest of the text."""
    lut = np.zeros(256, dtype=bool)
    lut[[ord(ch) for ch in ascii_chars]] = True
    parts = []
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        _, offsets, data = chunk.buffers()
        if data is None or data.size == 0:
            parts.append(np.zeros(len(chunk), dtype=bool))
            continue
        off = np.frombuffer(offsets, dtype=np.int32, count=len(chunk) + 1, offset=chunk.offset * 4)
        first = np.frombuffer(data, dtype=np.uint8)[np.minimum(off[:-1], data.size - 1)]
        parts.append(lut[first] & (off[1:] > off[:-1]) & flags(pc.is_valid(chunk)))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)


def in_set(
    values: pa.Array | pa.ChunkedArray, reference: pa.Array | pa.ChunkedArray
) -> pa.Array | pa.ChunkedArray:
    """``pc.is_in(values, value_set=reference)``, hashing the smaller side.

    ``is_in`` builds a hash table of the whole value set on every call; when thousands of values are
    looked up among millions of ids, it is much cheaper to hash the few and probe the many: the
    reference values that occur among ``values`` are found first, then ``values`` are looked up in those.
    """
    if 2 * len(values) >= len(reference):
        return pc.is_in(values, value_set=single(reference))
    present = pc.filter(reference, pc.is_in(reference, value_set=single(values)))
    return pc.is_in(values, value_set=single(present))


def repeats(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose values (in all the columns together) equal an earlier row's: (rows, the most recent
    earlier row with the same values). Nulls are values like any other.

    A stable sort brings equal rows together in row order, so each repeat sits right after the row
    it repeats; for string keys this is several times faster than hashing them.
    """
    n = len(columns[0])
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    names = [f"k{i}" for i in range(len(columns))]
    order = pc.sort_indices(pa.table(dict(zip(names, columns))), sort_keys=[(k, "ascending") for k in names])
    same = None
    for col in columns:
        ranked = col.take(order)
        if pa.types.is_string(ranked.type) or pa.types.is_large_string(ranked.type):
            ranked = pc.fill_null(
                ranked, "\x00"
            )  # NUL cannot occur in a readable file: a safe stand-in for empty
            equal = pc.equal(ranked.slice(1), ranked.slice(0, n - 1))
        else:
            a, b = ranked.slice(1), ranked.slice(0, n - 1)
            equal = pc.or_kleene(pc.equal(a, b), pc.and_(pc.is_null(a), pc.is_null(b)))
        same = equal if same is None else pc.and_(same, equal)
    at = indices(same)
    order = order.to_numpy()
    return order[at + 1], order[at]

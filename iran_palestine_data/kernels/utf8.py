"""Is a byte string valid UTF-8, and if not, where does it first break? pyarrow validates at memory
speed; only a failure is located, with an incremental decode."""

from __future__ import annotations

import codecs

import numpy as np

_STEP = 1 << 26  # bytes decoded per step while locating a failure


def is_utf8(data) -> bool:
    """Whether ``data`` (bytes, or any buffer such as an mmap) is valid UTF-8."""
    import pyarrow as pa

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(data)).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def first_invalid_utf8(data) -> int | None:
    """Offset of the first byte of ``data`` that is not valid UTF-8, or None."""
    if is_utf8(data):
        return None
    size = len(data)
    decoder = codecs.getincrementaldecoder("utf-8")()
    for a in range(0, size, _STEP):
        pending = len(decoder.getstate()[0])  # bytes of a character cut by the previous step
        try:
            decoder.decode(data[a : a + _STEP], final=a + _STEP >= size)
        except UnicodeDecodeError as exc:
            return a - pending + exc.start
    return size - 1

"""The one file hasher: a digest and a size, read from an open binary file in chunks (hashlib
releases the GIL on large chunks). No memory map: a file cut short while it is read ends the read,
it does not crash the reader."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

CHUNK = 1 << 20


def stream_digest(fh: BinaryIO, algorithm: str = "sha256") -> tuple[str, int]:
    """(hex digest, byte count) of what is left to read in ``fh``."""
    digest = hashlib.new(algorithm)
    size = 0
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size

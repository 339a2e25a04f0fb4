"""The one file hasher: a digest and a size, read through a memory map (hashlib releases the GIL,
so a worker thread can hash while another parses)."""

from __future__ import annotations

import hashlib
import mmap
from pathlib import Path


def file_digest(path: Path, algorithm: str = "sha256") -> tuple[str, int]:
    """(hex digest, byte count) of the file at ``path``."""
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        if size == 0:
            return hashlib.new(algorithm).hexdigest(), 0
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return hashlib.new(algorithm, mm).hexdigest(), size

"""Byte-level checks of the data files: present, UTF-8 without BOM, LF line endings, no NUL byte,
no empty line, ends with a line break; and their hash and size against the descriptor.

Each file is memory-mapped and scanned in place: numpy finds the line feeds (whose positions give
every problem its line number), ``mmap.find`` looks for CR and NUL, pyarrow validates the UTF-8
(:mod:`~iran_palestine_data.kernels.utf8`), and the file is hashed in a worker thread
(:mod:`~iran_palestine_data.kernels.hashing`) while the tables are parsed.
"""

from __future__ import annotations

import codecs
import mmap
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import rulebook as rule
from ..contract.schema import Table
from ..errors import Issue
from ..kernels.hashing import file_digest
from ..kernels.utf8 import first_invalid_utf8
from .messages import count_issue

_STEP = 1 << 26  # bytes per numpy pass: bounds the temporary boolean array
LF = 10


@dataclass
class FileScan:
    """What one scan of a file found: its issues, and facts the later checks use."""

    issues: list[Issue] = field(default_factory=list)
    newlines: int = 0
    carriage_returns: bool = False

    @property
    def unreadable(self) -> bool:
        """True if the file cannot be parsed at all (missing, empty, not UTF-8)."""
        return any(i.rule in rule.UNREADABLE for i in self.issues)


def _line_feeds(data: np.ndarray) -> np.ndarray:
    """Byte offsets of every line feed."""
    parts = [np.flatnonzero(data[a : a + _STEP] == LF) + a for a in range(0, len(data), _STEP)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _scan(tbl: Table, mm: mmap.mmap, scan: FileScan) -> None:
    size = len(mm)
    data = np.frombuffer(mm, dtype=np.uint8)
    feeds = _line_feeds(data)
    scan.newlines = len(feeds)

    def line(offset: int) -> int:
        return int(np.searchsorted(feeds, offset)) + 1

    add = scan.issues.append
    if mm[:3] == codecs.BOM_UTF8:
        add(
            Issue(
                tbl.path, rule.BOM, "begins with a byte order mark (BOM); save it as UTF-8 without BOM", row=1
            )
        )
    for token, rule_id, message in (
        (b"\r", rule.LINE_ENDINGS, "has CR or CRLF line endings; use LF only"),
        (b"\x00", rule.NUL_BYTE, "contains a NUL byte"),
    ):
        pos = mm.find(token)
        if pos >= 0:
            scan.carriage_returns = scan.carriage_returns or token == b"\r"
            add(Issue(tbl.path, rule_id, f"{message} (first at line {line(pos)})", row=line(pos)))
    empty = np.flatnonzero(np.diff(feeds) == 1)
    if len(feeds) and feeds[0] == 0:
        at = 1
    elif len(empty):
        at = line(int(feeds[empty[0] + 1]))
    else:
        at = None
    if at is not None:
        add(
            Issue(
                tbl.path,
                rule.BLANK_LINE,
                "has an empty line; delete it (its rows are checked once it is gone: "
                f"readers skip it, so row numbers would not match lines) (first at line {at})",
                row=at,
            )
        )
    bad = first_invalid_utf8(mm)
    if bad is not None:
        byte = mm[bad : bad + 1].hex()
        add(
            Issue(
                tbl.path,
                rule.ENCODING,
                f"is not valid UTF-8: byte 0x{byte} at line {line(bad)} (Latin-1 or Windows-1252?)",
                row=line(bad),
            )
        )
    if mm[size - 1 : size] != b"\n":
        add(
            Issue(
                tbl.path,
                rule.TRUNCATED,
                "does not end with a line break; the file may be truncated",
                row=len(feeds) + 1,
            )
        )
    del data  # release the export of the mapping before it is closed


def scan_file(root: Path, tbl: Table) -> FileScan:
    """Every byte-level problem of a table's file, each reported once, at its first line."""
    path = root / tbl.path
    scan = FileScan()
    if not path.is_file():
        scan.issues.append(Issue(tbl.path, rule.FILE, "is missing"))
        return scan
    if path.stat().st_size == 0:
        scan.issues.append(Issue(tbl.path, rule.EMPTY_FILE, "is empty (not even a header row)"))
        return scan
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        _scan(tbl, mm, scan)
    return scan


def declared_hash(value) -> tuple[str | None, str | None]:
    """(algorithm, hex digest) of a descriptor ``hash``, read as frictionless reads it (no prefix: md5)."""
    if not isinstance(value, str) or not value:
        return None, None
    algorithm, _, digest = value.rpartition(":") if ":" in value else ("md5", "", value)
    return (algorithm, digest) if algorithm in ("md5", "sha256") else (None, None)


def start_digest(root: Path, tbl: Table, pool: Executor) -> Future | None:
    """Begin hashing a table's file in the pool, if the descriptor records a hash we can check."""
    algorithm, _ = declared_hash(tbl.resource.get("hash"))
    path = root / tbl.path
    return pool.submit(lambda: file_digest(path, algorithm)[0]) if algorithm and path.is_file() else None


def count_issues(root: Path, tbl: Table, digest: Future | None) -> list[Issue]:
    """The file's hash and size against the descriptor's ``hash`` and ``bytes`` (frictionless's
    hash-count and byte-count checks)."""
    out: list[Issue] = []
    path = root / tbl.path
    if not path.is_file():
        return out
    _, expected = declared_hash(tbl.resource.get("hash"))
    if digest is not None and (actual := digest.result()) != expected:
        out.append(count_issue(tbl, rule.HASH, expected, actual))
    recorded, size = tbl.resource.get("bytes"), path.stat().st_size
    if recorded and recorded != size:
        out.append(count_issue(tbl, rule.BYTES, recorded, size))
    return out

"""Byte-level checks of the data files: present, UTF-8 without BOM, LF line endings, no NUL byte,
no empty line, ends with a line break; and their hash and size against the descriptor.

Each file is read once into memory, through :func:`iran_palestine_data.paths.read_inside` (a path
that leaves the folder, a FIFO, a device or a file over the size cap is refused before it is read),
and everything works on those bytes: ``bytes.count`` counts the line feeds (and, for a problem
found, the ones before it: its line number), ``bytes.find`` looks for CR and NUL, a regular
expression for an empty line, pyarrow validates the UTF-8 (:mod:`~iran_palestine_data.kernels.utf8`),
hashlib digests it in a worker thread while the CSV parser reads the same bytes. No file is
memory-mapped, so a file cut short while it is read is a problem reported, never a crash (SIGBUS).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

from .. import rulebook as rule
from ..contract.schema import Table
from ..errors import Issue
from ..kernels.utf8 import first_invalid_utf8
from .contract_check import HASH_FORM
from .messages import count_issue

# an empty line: two line feeds in a row. A regular expression finds it about three times faster than
# ``bytes.find`` (whose search for a two-byte needle stalls on every line feed)
_EMPTY_LINE = re.compile(b"\n\n")


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


def _scan(tbl: Table, raw: bytes, scan: FileScan) -> None:
    size = len(raw)
    # bytes.count and bytes.find run in C over the buffer (memchr); a line number is counted only for
    # a problem found, so a clean file costs one count of its line feeds
    scan.newlines = raw.count(b"\n")

    def line(offset: int) -> int:
        return raw.count(b"\n", 0, offset) + 1

    add = scan.issues.append
    if raw[:3] == codecs.BOM_UTF8:
        add(
            Issue(
                tbl.path, rule.BOM, "begins with a byte order mark (BOM); save it as UTF-8 without BOM", row=1
            )
        )
    for token, rule_id, message in (
        (b"\r", rule.LINE_ENDINGS, "has CR or CRLF line endings; use LF only"),
        (b"\x00", rule.NUL_BYTE, "contains a NUL byte"),
    ):
        pos = raw.find(token)
        if pos >= 0:
            scan.carriage_returns = scan.carriage_returns or token == b"\r"
            add(Issue(tbl.path, rule_id, f"{message} (first at line {line(pos)})", row=line(pos)))
    if raw[:1] == b"\n":
        at: int | None = 1
    else:
        blank = _EMPTY_LINE.search(raw)
        at = line(blank.start() + 1) if blank is not None else None
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
    bad = first_invalid_utf8(raw)
    if bad is not None:
        byte = raw[bad : bad + 1].hex()
        add(
            Issue(
                tbl.path,
                rule.ENCODING,
                f"is not valid UTF-8: byte 0x{byte} at line {line(bad)} (Latin-1 or Windows-1252?)",
                row=line(bad),
            )
        )
    if raw[size - 1 : size] != b"\n":
        add(
            Issue(
                tbl.path,
                rule.TRUNCATED,
                "does not end with a line break; the file may be truncated",
                row=scan.newlines + 1,
            )
        )


def scan_bytes(tbl: Table, raw: bytes) -> FileScan:
    """Every byte-level problem of a table's file (its bytes ``raw``), each reported once, at its first line."""
    scan = FileScan()
    if not raw:
        scan.issues.append(Issue(tbl.path, rule.EMPTY_FILE, "is empty (not even a header row)"))
        return scan
    _scan(tbl, raw, scan)
    return scan


def start_digest(raw: bytes, pool: Executor) -> Future:
    """Begin hashing a file's bytes in the pool (hashlib releases the GIL while it works)."""
    return pool.submit(lambda: hashlib.sha256(raw).hexdigest())


def count_issues(tbl: Table, size: int, digest: Future) -> list[Issue]:
    """The file's SHA-256 and size against the descriptor's ``hash`` and ``bytes`` (frictionless's
    hash-count and byte-count checks). A hash not of the contract's form ``sha256:<hex>`` never
    matches (its form is reported as a descriptor problem too)."""
    out: list[Issue] = []
    declared = tbl.resource.get("hash")
    actual = digest.result()
    if declared is not None:
        expected = (
            declared[len("sha256:") :]
            if isinstance(declared, str) and HASH_FORM.match(declared)
            else declared
        )
        if expected != actual:
            out.append(count_issue(tbl, rule.HASH, expected, actual))
    recorded = tbl.resource.get("bytes")
    if recorded is not None and recorded != size:
        out.append(count_issue(tbl, rule.BYTES, recorded, size))
    return out

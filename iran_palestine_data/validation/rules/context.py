"""What the rules share: the package, its all-string tables, the snapshots read lazily, and how a
rule names the cell it reports."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Hashable, Iterator, TypeVar

import pyarrow as pa

from ...contract.schema import Package, Table
from ...errors import DataError, Issue, file_row
from ...kernels.columns import rows, single
from ...kernels.utf8 import is_utf8
from ...paths import read_inside

Raw = dict[str, pa.Table]  # table name -> all-string table (tables that could not be read are absent)
T = TypeVar("T")


@dataclass
class Context:
    """What the rules share: the package, its string tables, and lazily read snapshots."""

    pkg: Package
    raw: Raw
    one_line: set[str] = field(default_factory=set)
    published: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> key -> first version
    _texts: dict[str, str] | None = None
    _shared: dict = field(default_factory=dict)
    _locks: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A result two rules both need, computed once, by whichever asks first (the rules run in
        threads: a second rule asking for it meanwhile waits for it)."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]

    def array(self, table: str, name: str) -> pa.Array:
        """One column as a single array (for short columns: ids, codes, dates, numbers), combined at
        each call and not kept: combining a million short cells takes milliseconds, while keeping every
        combined column would hold hundreds of megabytes until the last rule ends."""
        return single(self.raw[table].column(name))

    def chunked(self, table: str, name: str) -> pa.ChunkedArray:
        """One column as read, chunk by chunk (for long text, which combining would copy)."""
        return self.raw[table].column(name)

    def column(self, table: str, name: str) -> list:
        return self.raw[table].column(name).to_pylist()

    @cached_property
    def snapshot_paths(self) -> dict[str, str]:
        """source_id -> snapshot path, from the sources table."""
        if "sources" not in self.raw:
            return {}
        ids, paths = self.column("sources", "source_id"), self.column("sources", "snapshot")
        return {i: p for i, p in zip(ids, paths) if i and p}

    def snapshot_bytes(self, source_id: str) -> bytes | None:
        """UTF-8 bytes of a source's snapshot, or None if it is unknown, missing or not UTF-8.

        Read from disk at each call: a million-row dataset has hundreds of megabytes of snapshots,
        which the rules visit one at a time rather than hold all at once.
        """
        rel = self.snapshot_paths.get(source_id)
        if rel is None:
            return None
        try:
            data = read_inside(self.pkg.root, rel)  # refused unless a regular file inside the folder
        except DataError:
            return None  # the snapshot rule reports why
        return data if is_utf8(data) else None

    def snapshot(self, source_id: str) -> str | None:
        """Text of a source's snapshot, or None if it is unknown or unreadable."""
        data = self.snapshot_bytes(source_id)
        return data.decode("utf-8") if data is not None else None

    def snapshots(self) -> dict[str, str]:
        """Every readable snapshot's text (for messages about failures, which are few)."""
        if self._texts is None:
            self._texts = {s: t for s in self.snapshot_paths if (t := self.snapshot(s)) is not None}
        return self._texts

    def readable(self, source_ids: list[str]) -> Snapshots:
        return Snapshots(self, source_ids)

    def tables(self) -> Iterator[Table]:
        """The tables that could be read, in descriptor order."""
        return (tbl for name, tbl in self.pkg.tables.items() if name in self.raw)


@dataclass
class Snapshots:
    """The snapshots of some sources as a lazy sequence: each read when asked for."""

    ctx: Context
    ids: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, k: int) -> bytes | None:
        return self.ctx.snapshot_bytes(self.ids[k])


def issue_at(tbl: Table, index: int, column: str | None, value, rule_id: str, message: str) -> Issue:
    """An issue of ``rule_id`` at the cell of record ``index`` (0-based) and ``column``."""
    return Issue(tbl.path, rule_id, message, row=file_row(index), column=column, value=value)


def flag_cells(tbl: Table, column: str, values, mask, rule_id: str, message: str) -> Iterator[Issue]:
    """An issue of ``rule_id`` at each record where ``mask`` is true, naming the cell of ``values``
    there (``values=None``: an empty cell, no value to show)."""
    for i in rows(mask):
        yield issue_at(tbl, i, column, values[i].as_py() if values is not None else None, rule_id, message)

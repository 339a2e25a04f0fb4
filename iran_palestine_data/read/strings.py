"""Files -> all-string pyarrow tables: the one CSV read that ``load()`` and ``validate()`` share.

The header is checked against the schema first (names and order); every cell is read as text, an
empty cell as null. A file the fast parser rejects is read again record by record to say where its
structure breaks (a row with the wrong number of cells, an unbalanced quote).
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .. import rulebook as rule
from ..contract.schema import Table, package
from ..errors import DataError, Issue
from ..paths import open_inside, resolve_root

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


def resolve(table: str | Table, root) -> tuple[Path, Table]:
    """The dataset folder ``root`` and one of its tables: given as a Table (whose schema is kept, as
    the validator binds the installed contract to a folder), or by name (read from the folder)."""
    if isinstance(table, Table):
        return resolve_root(root), table
    pkg = package(root)
    return pkg.root, pkg.table(table)


def read_header(first: bytes, table: Table) -> list[str]:
    """The header row (the file's first line, ``first``), checked against the schema's field names and order."""
    rel = table.path
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            [Issue(rel, rule.ENCODING, f"header is not UTF-8 ({exc.reason} at byte {exc.start})", row=1)]
        ) from None
    try:
        header = next(csv.reader(io.StringIO(line)), [])
    except csv.Error as exc:
        raise DataError([Issue(rel, rule.HEADER, f"cannot be read as a CSV header: {exc}", row=1)]) from None
    if not any(name.strip() for name in header):
        raise DataError([Issue(rel, rule.EMPTY_FILE, "has no header row")])
    expected = table.field_names
    if header != expected:
        raise DataError(list(header_issues(table, header)))
    return header


def header_issues(table: Table, header: list[str]):
    """Plain-words differences between a header row and the schema's field list."""
    rel, expected = table.path, table.field_names
    missing = [n for n in expected if n not in header]
    extra = [n for n in header if n not in expected]
    for name in missing:
        yield Issue(
            rel, rule.HEADER, f"column is missing (required by {table.schema_path})", row=1, column=name
        )
    for name in extra:
        yield Issue(rel, rule.HEADER, "is not a column of the schema", row=1, column=name, value=name)
    if not missing and not extra:
        for pos, (got, want) in enumerate(zip(header, expected), start=1):
            if got != want:
                yield Issue(
                    rel,
                    rule.HEADER,
                    f"is in position {pos}, where the schema has {want!r} (columns must be in schema order)",
                    row=1,
                    column=got,
                    value=got,
                )
                break


def read_strings(table: str | Table, *, root=None, data: bytes | None = None) -> pa.Table:
    """Read a table's CSV as all-string columns (empty cell = null), after checking its header.

    The file is opened through :func:`iran_palestine_data.paths.open_inside`; a caller that has
    already read its bytes (the validator) passes them as ``data``.
    """
    base, tbl = resolve(table, root)
    if data is not None:
        return _parse(tbl, data)
    # checked first: inside the folder, a regular file, not too big
    with open_inside(base, tbl.path) as fh:
        return _parse(tbl, fh)


def _native(fh: BinaryIO) -> BinaryIO | pa.NativeFile:
    """The open file as pyarrow's own file (its reads do not go through Python, about a quarter
    faster), reopened from the very file checked and opened (``/proc/self/fd``); where the platform
    has no such path, the Python file itself."""
    import pyarrow as pa

    try:
        return pa.OSFile(f"/proc/self/fd/{fh.fileno()}")
    except (OSError, ValueError, pa.ArrowException):
        return fh


def _parse(tbl: Table, source: bytes | BinaryIO) -> pa.Table:
    """Parse a table's CSV from its bytes, or from a file open for reading at its start."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if isinstance(source, bytes):
        first = source[: source.find(b"\n") + 1] if b"\n" in source else source
        stream: bytes | BinaryIO | pa.BufferReader = pa.BufferReader(source)
    else:
        first = source.readline()
        source.seek(0)
        stream = _native(source)
    names = read_header(first, tbl)
    # bytes in memory parse fastest in smaller blocks (more of them in parallel); a file, in large ones
    block_size = 1 << 22 if isinstance(source, bytes) else 1 << 24
    try:
        return pacsv.read_csv(
            stream,
            memory_pool=_parser_pool(),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=block_size),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except pa.ArrowInvalid as exc:
        if not isinstance(source, bytes):
            source.seek(0)
            source = source.read()
        located = locate_structure_problem(source, tbl)
        raise DataError([located or _arrow_issue(tbl.path, str(exc))]) from None


@lru_cache(maxsize=1)
def _parser_pool() -> pa.MemoryPool | None:
    """The memory the parser allocates the tables in: jemalloc's pool where pyarrow has it (its
    Linux and macOS wheels), else the default one. Measured at a million rows, in a fresh process
    (as the command line and ``load()`` mostly run): reading every file took 6.3 s with the default
    mimalloc pool, 6.2 s of it in the kernel mapping fresh pages, and 4.0 s with jemalloc (2.1 s in
    the kernel), with about 100 MB less at the peak; runs after the first in a process are alike."""
    import pyarrow as pa

    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # a build without jemalloc (Windows)
        return None


def locate_structure_problem(data: bytes, table: Table) -> Issue | None:
    """The first record that breaks the file's structure, found by reading it record by record.

    Used when the fast parser rejects a file without saying where: a record with the wrong number
    of cells, or whose cell runs over a line break (an unbalanced quote does both).
    """
    names = table.field_names
    try:
        text = data.decode("utf-8")
        with io.StringIO(text, newline="") as fh:
            reader = csv.reader(fh)
            for number, record in enumerate(reader, start=1):
                for i, cell in enumerate(record):
                    if "\n" in cell or "\r" in cell:
                        column = names[i] if i < len(names) else None
                        return Issue(
                            table.path,
                            rule.LINE_BREAK,
                            "has a cell that runs over a line break (an unbalanced quote?)",
                            row=number,
                            column=column,
                            value=cell[:60],
                        )
                if len(record) != len(names):
                    what = "more" if len(record) > len(names) else "fewer"
                    line = _physical_line(text, reader.line_num)
                    bad = _badly_quoted_field(line)
                    if bad is not None and bad < len(names):
                        return Issue(
                            table.path,
                            rule.UNBALANCED_QUOTE,
                            "starts a quoted cell that is not closed properly, "
                            f"so the row has {len(record)} cells instead of {len(names)}",
                            row=number,
                            column=names[bad],
                        )
                    return Issue(
                        table.path,
                        rule.STRUCTURE,
                        f"has {len(record)} cells, {what} than the {len(names)} columns of the header",
                        row=number,
                    )
    except (csv.Error, UnicodeDecodeError) as exc:
        return Issue(table.path, rule.STRUCTURE, f"cannot be read as CSV: {exc}")
    return None


def _physical_line(text: str, number: int) -> str:
    with io.StringIO(text, newline="") as fh:
        for n, line in enumerate(fh, start=1):
            if n == number:
                return line.rstrip("\r\n")
    return ""


def _badly_quoted_field(line: str) -> int | None:
    """Index of the first field of a raw CSV line whose quoting is broken, or None."""
    i, field, n = 0, 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j = i + 1
            while True:
                j = line.find('"', j)
                if j < 0:
                    return field  # never closed on this line
                if j + 1 < n and line[j + 1] == '"':
                    j += 2  # an escaped quote
                    continue
                break
            if j + 1 < n and line[j + 1] != ",":
                return field  # text after the closing quote
            i = j + 2
        else:
            end = line.find(",", i)
            end = n if end < 0 else end
            if '"' in line[i:end]:
                return field  # a stray quote inside an unquoted field
            i = end + 1
        field += 1
    return None


def _arrow_issue(rel: str, message: str) -> Issue:
    text = message.replace("CSV parse error: ", "").strip()
    if "invalid UTF8" in text:
        return Issue(rel, rule.ENCODING, "is not valid UTF-8")
    if text.startswith("Expected") and "columns, got" in text:
        head, _, line = text.partition(": ")
        return Issue(
            rel, rule.STRUCTURE, f"has a row with the wrong number of cells ({head.lower()})", value=line
        )
    return Issue(rel, rule.STRUCTURE, f"cannot be parsed as CSV: {text}")

"""CSV -> pandas DataFrames with real dtypes, or lists of pydantic models.

dtypes: text is ``string[pyarrow]``, enums are ``category`` (categories = the schema's vocabulary, in
schema order), integers ``Int64``, numbers ``Float64``, dates ``datetime64[ms]``, lists
``list<string>[pyarrow]``. Only an empty cell is missing: "NA", "None" and "null" stay strings.

A file that cannot be read as its schema promises raises :class:`~iran_palestine_data.DataError`
naming the file, row, column and value. Loading is not validation: run ``validate()`` for every rule.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from .report import DataError, Issue
from .schema import Field, Package, Table, package

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

    from .models import Row

_MAX_ISSUES = 50  # cells reported per DataError; the validator reports everything
# lexical forms a cell of each type must have (shared with the validator's "type" rule)
LEXICAL = {
    "number": (r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", "a number"),
    "integer": (r"^[+-]?\d+$", "an integer"),
    "date": (r"^\d{4}-\d{2}-\d{2}$", "a date (YYYY-MM-DD)"),
}
FORMAT_WORDS = {"uri": "a URI with a scheme (such as https://…)"}


def type_words(field: Field) -> str:
    """How a message names what a cell of this field must be: 'a number', 'a URI with a scheme …'."""
    fmt = field.descriptor.get("format")
    if fmt in FORMAT_WORDS:
        return FORMAT_WORDS[fmt]
    return LEXICAL[field.type][1] if field.type in LEXICAL else {"list": "a list", "string": "text"}.get(field.type, field.type)


def calendar_dates(col):
    """A string column as ``date32``: null where empty, not of the form YYYY-MM-DD, or not a real day
    (years 0001 to 9999, the range of Python's ``datetime.date``).

    A cast does it when every cell is such a date. Otherwise each cell is parsed with ``strptime``, which
    rolls impossible days over (2002-02-30 becomes 2002-03-02); such a day lands in another month,
    so a parsed month that differs from the written one marks it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # arrow's cast reads exactly YYYY-MM-DD and refuses impossible days: the fast path
        days = pc.cast(col, pa.date32())
        first_year = pc.min(pc.year(days)).as_py()
        if first_year is None or first_year >= 1:
            return days
    except pa.ArrowInvalid:
        pass  # some cell is not a date: find which, cell by cell
    col = pc.if_else(pc.match_substring_regex(col, LEXICAL["date"][0]), col, pa.scalar(None, pa.string()))
    stamps = pc.strptime(col, format="%Y-%m-%d", unit="s", error_is_null=True)
    written = pc.cast(pc.utf8_slice_codeunits(col, 5, 7), pa.int64())
    real = pc.fill_null(pc.and_(pc.equal(pc.month(stamps), written), pc.greater_equal(pc.year(stamps), 1)), False)
    return pc.cast(pc.if_else(real, stamps, pa.scalar(None, stamps.type)), pa.date32())


def is_uri(text: str | None) -> bool:
    """True for an RFC 3986 URI with a scheme: frictionless's test for ``"format": "uri"``."""
    import rfc3986
    from rfc3986.exceptions import ValidationError

    if text is None:
        return False
    try:
        rfc3986.validators.Validator().require_presence_of("scheme").validate(rfc3986.uri_reference(text))
    except ValidationError:
        return False
    return True


def _resolve(table: str | Table, root) -> tuple[Package, Table]:
    pkg = package(root)
    return pkg, table if isinstance(table, Table) else pkg.table(table)


def read_header(path: Path, table: Table) -> list[str]:
    """The header row of ``path``, checked against the schema's field names and order."""
    rel = table.path
    try:
        with path.open("rb") as fh:
            first = fh.readline()
    except FileNotFoundError:
        raise DataError([Issue(rel, "file", "is missing")]) from None
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Issue(rel, "encoding", f"header is not UTF-8 ({exc.reason} at byte {exc.start})", row=1)]) from None
    try:
        header = next(csv.reader(io.StringIO(line)), [])
    except csv.Error as exc:
        raise DataError([Issue(rel, "header", f"cannot be read as a CSV header: {exc}", row=1)]) from None
    if not any(name.strip() for name in header):
        raise DataError([Issue(rel, "empty file", "has no header row")])
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
        yield Issue(rel, "header", f"column is missing (required by {table.schema_path})", row=1, column=name)
    for name in extra:
        yield Issue(rel, "header", "is not a column of the schema", row=1, column=name, value=name)
    if not missing and not extra:
        for pos, (got, want) in enumerate(zip(header, expected), start=1):
            if got != want:
                yield Issue(rel, "header", f"is in position {pos}, where the schema has {want!r} (columns must be in schema order)", row=1, column=got, value=got)
                break


def read_strings(table: str | Table, *, root=None) -> "pa.Table":
    """Read a table's CSV as all-string columns (empty cell = null), after checking its header."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    pkg, tbl = _resolve(table, root)
    path = pkg.root / tbl.path
    names = read_header(path, tbl)
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except pa.ArrowInvalid as exc:
        located = locate_structure_problem(path, tbl)
        raise DataError([located or _arrow_issue(tbl.path, str(exc))]) from None


def locate_structure_problem(path: Path, table: Table) -> Issue | None:
    """The first record that breaks the file's structure, found by reading it record by record.

    Used when the fast parser rejects a file without saying where: a record with the wrong number
    of cells, or whose cell runs over a line break (an unbalanced quote does both).
    """
    names = table.field_names
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            for number, record in enumerate(reader, start=1):
                for i, cell in enumerate(record):
                    if "\n" in cell or "\r" in cell:
                        column = names[i] if i < len(names) else None
                        return Issue(table.path, "line break", "has a cell that runs over a line break (an unbalanced quote?)",
                                     row=number, column=column, value=cell[:60])
                if len(record) != len(names):
                    what = "more" if len(record) > len(names) else "fewer"
                    line = _physical_line(path, reader.line_num)
                    bad = _badly_quoted_field(line)
                    if bad is not None and bad < len(names):
                        return Issue(table.path, "unbalanced quote", "starts a quoted cell that is not closed properly, "
                                     f"so the row has {len(record)} cells instead of {len(names)}", row=number, column=names[bad])
                    return Issue(table.path, "structure", f"has {len(record)} cells, {what} than the {len(names)} columns of the header", row=number)
    except (csv.Error, UnicodeDecodeError) as exc:
        return Issue(table.path, "structure", f"cannot be read as CSV: {exc}")
    return None


def _physical_line(path: Path, number: int) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
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
        return Issue(rel, "encoding", "is not valid UTF-8")
    if text.startswith("Expected") and "columns, got" in text:
        head, _, line = text.partition(": ")
        return Issue(rel, "structure", f"has a row with the wrong number of cells ({head.lower()})", value=line)
    return Issue(rel, "structure", f"cannot be parsed as CSV: {text}")


def _row_numbers(mask: "pa.ChunkedArray") -> list[int]:
    """1-based file row numbers (header = 1) of the True positions of ``mask``."""
    import pyarrow.compute as pc

    idx = pc.indices_nonzero(mask.combine_chunks() if hasattr(mask, "combine_chunks") else mask)
    return [i + 2 for i in idx.to_pylist()]


def _bad_cells(tbl: Table, column: str, values: "pa.ChunkedArray", bad: "pa.ChunkedArray", rule: str, message: str) -> list[Issue]:
    rows = _row_numbers(bad)[:_MAX_ISSUES]
    return [Issue(tbl.path, rule, message, row=r, column=column, value=values[r - 2].as_py()) for r in rows]


def _convert(tbl: Table, raw: "pa.Table") -> "pa.Table":
    """Cast the string columns of ``raw`` to their schema types, collecting every unconvertible cell.

    Columns are cast in parallel threads (pyarrow compute releases the GIL); issues keep column order.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = list(pool.map(lambda field: _cast_column(tbl, field, raw.column(field.name)), tbl.fields))
    issues = [issue for _, found in done for issue in found]
    if issues:
        raise DataError(issues)
    return pa.table([column for column, _ in done], names=tbl.field_names)


def _cast_column(tbl: Table, field: Field, col: "pa.ChunkedArray") -> tuple["pa.ChunkedArray", list[Issue]]:
    """One string column cast to its schema type, and the issues of the cells that do not convert."""
    import pyarrow as pa
    import pyarrow.compute as pc

    issues: list[Issue] = []
    if field.type == "date":  # the cast behind calendar_dates is strict: check the form only on failure
        parsed = calendar_dates(col)
        bad = pc.and_(pc.is_valid(col), pc.is_null(parsed))
        if pc.any(bad).as_py():
            form = pc.match_substring_regex(col, LEXICAL["date"][0])
            issues += _bad_cells(tbl, field.name, col, pc.and_(bad, pc.invert(form)), "type", f"is not {LEXICAL['date'][1]}")
            issues += _bad_cells(tbl, field.name, col, pc.and_(bad, form), "type", "is not a real calendar date")
        return parsed, issues
    if field.type in LEXICAL:
        target = pa.int64() if field.type == "integer" else pa.float64()
        try:  # the cast reads every form the strict pattern allows; it also takes inf and nan, which it does not
            cast = pc.cast(col, target)
            if field.type == "integer" or pc.all(pc.is_finite(cast)).as_py() is not False:
                return cast, issues
        except pa.ArrowInvalid:
            pass
        regex, kind = LEXICAL[field.type]
        bad = pc.and_(pc.is_valid(col), pc.invert(pc.match_substring_regex(col, regex)))
        if pc.any(bad).as_py():
            return pa.nulls(len(col)), _bad_cells(tbl, field.name, col, bad, "type", f"is not {kind}")
        return pc.cast(col, target), issues
    if field.type == "list":
        return pc.split_pattern(col, field.delimiter or ","), issues
    if field.enum:  # a dictionary column: pandas reads it as a categorical of the vocabulary
        vocabulary = pa.array(field.enum, pa.string())
        codes = pc.index_in(col, value_set=vocabulary)
        bad = pc.and_(pc.is_valid(col), pc.is_null(codes))
        if pc.any(bad).as_py():
            issues += _bad_cells(tbl, field.name, col, bad, "enum", f"is not in the {field.name} vocabulary")
        col = pa.chunked_array([pa.DictionaryArray.from_arrays(c, vocabulary) for c in codes.chunks],
                               pa.dictionary(pa.int32(), pa.string()))
    return col, issues


def read_typed(table: str | Table, *, root=None) -> "pa.Table":
    """Read a table with its schema types: numbers, dates, lists, and vocabularies as dictionary arrays.

    Raises :class:`~iran_palestine_data.report.DataError` listing every cell that does not convert.
    """
    _, tbl = _resolve(table, root)
    return _convert(tbl, read_strings(tbl, root=root))


def _to_pandas(tbl: Table, typed: "pa.Table") -> "pd.DataFrame":
    import pandas as pd
    import pyarrow as pa

    mapping = {
        pa.string(): pd.StringDtype("pyarrow"),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
    }
    list_type = pa.list_(pa.string())
    frame = typed.to_pandas(
        types_mapper=lambda t: pd.ArrowDtype(t) if t == list_type else mapping.get(t),
        date_as_object=False,
    )
    frame.attrs.update({"table": tbl.name, "description": tbl.description, "source_file": tbl.path})
    return frame


def load(table: str, *, root: str | Path | None = None, merge_same: bool = False) -> "pd.DataFrame":
    """Load one table as a pandas DataFrame with real dtypes.

    Parameters
    ----------
    table : str
        A table name: sources, actors, events, event_actors, statements, funding_claims, ...
    root : path, optional
        Another copy of the dataset (a directory holding ``datapackage.json``); default: the shipped data.
    merge_same : bool, default False
        For events, statements and funding_claims: fold each same_as cluster (one real-world event
        reported by several sources, see ``csv/claim_links.csv``) into one row, which gains the lists
        ``ids``, ``source_ids`` and ``quotes`` of its members.

    Examples
    --------
    >>> from iran_palestine_data import load
    >>> events = load("events")
    >>> str(events["date_start"].dtype)
    'datetime64[ms]'
    """
    _, tbl = _resolve(table, root)
    frame = _to_pandas(tbl, read_typed(tbl, root=root))
    if merge_same:
        from .graph import ROW_TABLES, merge_same as fold

        if tbl.name not in ROW_TABLES:
            raise ValueError(f"merge_same applies to {', '.join(ROW_TABLES)}, not {tbl.name}")
        frame = fold(frame, tbl.name, root=root)
    return frame


def load_all(*, root: str | Path | None = None) -> dict[str, "pd.DataFrame"]:
    """Every table of the dataset, keyed by name, in descriptor order."""
    pkg = package(root)
    return {name: load(name, root=pkg.root) for name in pkg.tables}


def records(table: str, *, root: str | Path | None = None) -> list["Row"]:
    """Load one table as a list of frozen pydantic models (see :mod:`iran_palestine_data.models`).

    Raises :class:`DataError` with every cell the model rejects.
    """
    from pydantic import TypeAdapter, ValidationError

    from .models import MODELS

    pkg, tbl = _resolve(table, root)
    model = MODELS.get(tbl.name)
    if model is None:
        raise KeyError(f"no model for table {tbl.name!r}")
    adapter = TypeAdapter(list[model])
    out: list = []
    issues: list[Issue] = []
    first_row = 2
    # batch by batch: only one batch of plain dicts is alive at a time, beside the models
    for batch in read_strings(tbl, root=pkg.root).to_batches(max_chunksize=_RECORD_BATCH):
        rows = [{k: ("" if v is None else v) for k, v in r.items()} for r in batch.to_pylist()]
        try:
            out += adapter.validate_python(rows)
        except ValidationError as exc:
            issues += _pydantic_issues(tbl, rows, exc, first_row=first_row)
        first_row += len(rows)
    if issues:
        raise DataError(issues[:_MAX_ISSUES])
    return out


_RECORD_BATCH = 1 << 16


def _pydantic_issues(tbl: Table, rows: list[dict], exc, first_row: int = 2) -> list[Issue]:
    """The model's complaints about a batch of rows whose first is file row ``first_row``."""
    issues = []
    for err in exc.errors(include_url=False)[:_MAX_ISSUES]:
        loc = err["loc"]
        index, column = (loc[0], loc[1]) if len(loc) >= 2 else (loc[0], None)
        value = rows[index].get(column) if column else None
        issues.append(Issue(tbl.path, "model", err["msg"], row=index + first_row, column=column, value=value))
    return issues


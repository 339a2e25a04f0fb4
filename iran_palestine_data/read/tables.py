"""What users load: a table as a pandas DataFrame with real dtypes, or as a list of frozen pydantic models.

dtypes: text is ``string[pyarrow]``, enums are ``category`` (categories = the schema's vocabulary, in
schema order), integers ``Int64``, numbers ``Float64``, dates ``datetime64[ms]``, lists
``list<string>[pyarrow]``. Only an empty cell is missing: "NA", "None" and "null" stay strings.

A file that cannot be read as its schema promises raises :class:`~iran_palestine_data.DataError`
naming the file, row, column and value. Loading is not validation: run ``validate()`` for every rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import rulebook as rule
from ..contract.published import version_root
from ..contract.schema import Table, package
from ..errors import MAX_ISSUES, DataError, Issue, file_row
from .casts import read_typed
from .column_docs import column_docs, derived_columns
from .derived import add_derived
from .same_as import ROW_TABLES
from .same_as import merge_same as fold_same_as
from .strings import read_strings, resolve

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

    from ..contract.models import Row


def _to_pandas(tbl: Table, typed: pa.Table) -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    mapping = {
        pa.string(): pd.StringDtype("pyarrow"),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),  # a derived flag (bounded_by_publication)
    }
    list_type = pa.list_(pa.string())
    frame = typed.to_pandas(
        types_mapper=lambda t: pd.ArrowDtype(t) if t == list_type else mapping.get(t),
        date_as_object=False,
    )
    frame.attrs.update({"table": tbl.name, "description": tbl.description, "source_file": tbl.path})
    return frame


def load(
    table: str,
    *,
    columns: list[str] | tuple[str, ...] | None = None,
    version: str | None = None,
    root: str | Path | None = None,
    merge_same: bool = False,
) -> pd.DataFrame:
    """Load one table as a pandas DataFrame with real dtypes.

    Events, statements and funding claims gain four columns worked out from the date (never in the
    CSV; see :mod:`iran_palestine_data.read.derived`): ``year_start`` and ``year_end`` (the years of the
    earliest and latest possible day), ``year`` (a best guess, only when those days are at most 365
    days apart) and ``bounded_by_publication`` (the source gives no date, only that it was so when it
    was published). ``frame.attrs["columns"]`` documents every column (``describe(table)`` shows it).

    Parameters
    ----------
    table : str
        A table name: sources, actors, events, event_actors, statements, funding_claims, ...
        A misspelt name is refused with the closest names.
    columns : list of str, optional
        Only these columns, in this order (schema or derived ones); an unknown name is refused with
        the closest names.
    version : str, optional
        A released version (see ``versions()``), rebuilt byte for byte from the release store inside
        the package, and read with that version's own Table Schemas; default: the installed data.
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
    >>> len(load("events", version="0.1.0"))
    23
    """
    root = version_root(version, root)
    pkg = package(root)
    tbl = pkg.table(table)
    if merge_same and tbl.name not in ROW_TABLES:
        raise ValueError(f"merge_same applies to {', '.join(ROW_TABLES)}, not {tbl.name}")
    docs = column_docs(pkg, tbl)
    if merge_same:
        docs.update(MERGED_DOCS)
    if columns is not None:
        docs = {name: docs[name] for name in _known_columns(tbl.name, columns, docs)}
    typed = read_typed(tbl, root=pkg.root)
    if derived_columns(pkg, tbl):
        with_sources = "bounded_by_publication" in derived_columns(pkg, tbl)
        sources = read_strings("sources", root=pkg.root).to_pandas() if with_sources else None
        typed = add_derived(typed, sources)
    frame = _to_pandas(tbl, typed)
    if merge_same:
        frame = fold_same_as(frame, tbl.name, root=pkg.root)
    if columns is not None:
        frame = frame[list(docs)]
    frame.attrs["columns"] = docs
    return frame


# the columns load(merge_same=True) adds
MERGED_DOCS = {
    name: {
        "type": "list",
        "dtype": "object",
        "required": True,
        "derived": True,
        "description": f"Added by merge_same: {what} of every row of the same_as cluster, the row itself included.",
        "vocabulary": None,
    }
    for name, what in (("ids", "the id"), ("source_ids", "the source_id"), ("quotes", "the quote"))
}


def _known_columns(table: str, wanted, docs: dict) -> list[str]:
    """``wanted`` checked against the columns of ``docs``: a misspelt name is refused with the closest."""
    import difflib

    if isinstance(wanted, str):
        raise TypeError(f"columns= takes a list of column names, e.g. columns=[{wanted!r}]")
    wanted = list(dict.fromkeys(wanted))
    for name in wanted:
        if name not in docs:
            close = difflib.get_close_matches(str(name), list(docs), n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"table {table} has no column {name!r}{hint} (columns: {', '.join(docs)})")
    return wanted


def load_all(*, version: str | None = None, root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the dataset (or of a released ``version``), keyed by name, in descriptor order."""
    pkg = package(version_root(version, root))
    return {name: load(name, root=pkg.root) for name in pkg.tables}


def records(table: str, *, version: str | None = None, root: str | Path | None = None) -> list[Row]:
    """Load one table (of the installed data, or of a released ``version``) as a list of frozen
    pydantic models (see :mod:`iran_palestine_data.contract.models`).

    Raises :class:`DataError` with every cell the model rejects.
    """
    from pydantic import TypeAdapter, ValidationError

    from ..contract.models import MODELS

    base, tbl = resolve(table, version_root(version, root))
    model = MODELS.get(tbl.name)
    if model is None:
        raise KeyError(f"no model for table {tbl.name!r}")
    model = _model_for(model, tbl.field_names)
    adapter = TypeAdapter(list[model])  # type: ignore[valid-type]  # the model is chosen at run time
    out: list = []
    issues: list[Issue] = []
    offset = 0  # records before the batch
    # batch by batch: only one batch of plain dicts is alive at a time, beside the models
    for batch in read_strings(tbl, root=base).to_batches(max_chunksize=_RECORD_BATCH):
        rows = [{k: ("" if v is None else v) for k, v in r.items()} for r in batch.to_pylist()]
        try:
            out += adapter.validate_python(rows)
        except ValidationError as exc:
            issues += _pydantic_issues(tbl, rows, exc, offset=offset)
        offset += len(rows)
    if issues:
        raise DataError(issues[:MAX_ISSUES])
    return out


_RECORD_BATCH = 1 << 16


def _model_for(model: type[Row], columns: list[str]) -> type[Row]:
    """The row model for a table with these columns: the model itself when they are its fields;
    for an older release, the model with every field that release did not have yet made optional
    (``None``), and every column it had that the model no longer has kept as text."""
    fields = model.model_fields
    missing = [f for f in fields if f not in columns]
    extra = [c for c in columns if c not in fields]
    if not missing and not extra:
        return model
    from typing import Optional

    from pydantic import create_model

    spec: dict = {f: (Optional[fields[f].annotation], None) for f in missing}
    spec.update({c: (Optional[str], None) for c in extra})
    return create_model(f"{model.__name__}AsReleased", __base__=model, **spec)


def _pydantic_issues(tbl: Table, rows: list[dict], exc, offset: int = 0) -> list[Issue]:
    """The model's complaints about a batch of rows that starts at record ``offset``."""
    issues = []
    for err in exc.errors(include_url=False)[:MAX_ISSUES]:
        loc = err["loc"]
        index, column = (loc[0], loc[1]) if len(loc) >= 2 else (loc[0], None)
        value = rows[index].get(column) if column else None
        issues.append(
            Issue(tbl.path, rule.MODEL, err["msg"], row=file_row(offset + index), column=column, value=value)
        )
    return issues

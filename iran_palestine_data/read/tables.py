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
    }
    list_type = pa.list_(pa.string())
    frame = typed.to_pandas(
        types_mapper=lambda t: pd.ArrowDtype(t) if t == list_type else mapping.get(t),
        date_as_object=False,
    )
    frame.attrs.update({"table": tbl.name, "description": tbl.description, "source_file": tbl.path})
    return frame


def load(
    table: str, *, version: str | None = None, root: str | Path | None = None, merge_same: bool = False
) -> pd.DataFrame:
    """Load one table as a pandas DataFrame with real dtypes.

    Parameters
    ----------
    table : str
        A table name: sources, actors, events, event_actors, statements, funding_claims, ...
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
    _, tbl = resolve(table, root)
    frame = _to_pandas(tbl, read_typed(tbl, root=root))
    if merge_same:
        if tbl.name not in ROW_TABLES:
            raise ValueError(f"merge_same applies to {', '.join(ROW_TABLES)}, not {tbl.name}")
        frame = fold_same_as(frame, tbl.name, root=root)
    return frame


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

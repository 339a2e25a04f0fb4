"""The ``parquet`` export: one file per table, typed as ``load()`` types it, documented inside.

``pd.read_parquet(path)`` gives back ``load(table)``, dtypes included: text ``string[pyarrow]``;
vocabularies ``category`` with every code of the schema, in schema order (an Arrow dictionary holding
the whole vocabulary, used or not); integers ``Int64``, numbers ``Float64``, flags ``boolean``; dates
``datetime64[ms]`` (Arrow ``timestamp[ms]``, midnight, no time zone); lists ``list<string>``. One
exception, a pandas limitation (pandas-dev/pandas#57411): pandas cannot rebuild a list dtype from the
file's pandas metadata, so a list column comes back as arrays of strings (``object``);
``pd.read_parquet(path, dtype_backend="pyarrow")``, polars, DuckDB and R ``arrow`` read it as a list.

The descriptions are in the file: each column's ``description`` (and its ``vocabulary``, code →
definition, as JSON) in the Arrow field metadata; the table's name, title, description, licence and
source in the schema metadata; and ``frame.attrs`` as pandas stores it (``PANDAS_ATTRS``), so that
``pd.read_parquet`` also gives back the frame's documentation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import replacing
from ..contract.schema import Package, Table
from .export_frames import licence, loaded, source_note, table_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa


def _storage_type(kind: pa.DataType) -> pa.DataType:
    """The Arrow type written for a column pyarrow made from pandas: plain (not large) strings."""
    import pyarrow as pa

    if pa.types.is_large_string(kind):
        return pa.string()
    if pa.types.is_dictionary(kind):
        return pa.dictionary(kind.index_type, _storage_type(kind.value_type), kind.ordered)
    if pa.types.is_large_list(kind) or pa.types.is_list(kind):
        return pa.list_(_storage_type(kind.value_type))
    return kind


def _pandas_metadata(frame: pd.DataFrame) -> bytes:
    """pyarrow's pandas metadata for the frame, corrected so that pandas can read it back: text as
    ``string[pyarrow]`` (not whatever ``"string"`` means to the reader's pandas), lists as ``object``
    (pandas cannot parse ``list<item: string>[pyarrow]``)."""
    import pandas as pd
    import pyarrow as pa

    meta = json.loads(pa.Table.from_pandas(frame.head(0), preserve_index=False).schema.metadata[b"pandas"])
    for column in meta["columns"]:
        dtype = frame.dtypes[column["name"]]
        if isinstance(dtype, pd.ArrowDtype) and not pa.types.is_primitive(dtype.pyarrow_dtype):
            column["numpy_type"] = "object"
        elif isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            column["numpy_type"] = "string[pyarrow]"
    return json.dumps(meta).encode("utf-8")


def arrow_table(pkg: Package, tbl: Table) -> pa.Table:
    """The table as ``load()`` gives it, as an Arrow table with every description in its metadata."""
    import pyarrow as pa

    frame, docs = loaded(tbl, pkg.root)
    base = pa.Table.from_pandas(frame, preserve_index=False)
    required = {f.name for f in tbl.fields if f.required}
    fields = []
    for name, column in zip(base.column_names, base.columns):
        doc = docs[name]
        meta = {"description": doc["description"]}
        if doc.get("vocabulary"):
            meta["vocabulary"] = json.dumps(doc["vocabulary"], ensure_ascii=False)
        nullable = name not in required or column.null_count > 0
        fields.append(pa.field(name, _storage_type(column.type), nullable=nullable, metadata=meta))
    names, url = licence(pkg)
    schema_meta = {
        "table": tbl.name,
        "title": table_title(pkg, tbl),
        "description": str(frame.attrs.get("description") or tbl.description),
        "license": names,
        "license_url": url,
        "source": source_note(pkg, tbl),
        "version": pkg.version,
    }
    metadata = {k.encode(): v.encode("utf-8") for k, v in schema_meta.items()}
    metadata[b"pandas"] = _pandas_metadata(frame)
    metadata[b"PANDAS_ATTRS"] = json.dumps(frame.attrs, ensure_ascii=False, default=str).encode("utf-8")
    return base.cast(pa.schema(fields)).replace_schema_metadata(metadata)


def to_parquet(out: Path, pkg: Package) -> list[Path]:
    import pyarrow.parquet as pq

    written = []
    for tbl in pkg.tables.values():
        path = out / f"{tbl.name}.parquet"
        with replacing(path) as tmp:
            pq.write_table(arrow_table(pkg, tbl), tmp)
        written.append(path)
    return written

"""Column documentation in Python: what each column of a loaded table holds, from its Table Schema.

``describe("events")`` is the codebook's table as a DataFrame (one row per column: schema type, pandas
dtype, required, description, vocabulary with the definition of each code); ``load()`` puts the same
in ``frame.attrs["columns"]``, so that a frame carries its own documentation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract.published import version_root
from ..contract.schema import Field, Package, Table, package
from .derived import DERIVED, has_dates

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

# the pandas dtype load() gives each schema type (a vocabulary is a category whatever its type)
DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "date": "datetime64[ms]",
    "list": "list<item: string>[pyarrow]",
    "boolean": "boolean",
}


def _field_doc(f: Field) -> dict:
    definitions = f.ext("enumDescriptions") or {}
    codes = f.vocabulary
    return {
        "type": f.type,
        "dtype": "category" if f.enum else DTYPES.get(f.type, "string"),
        "required": f.required,
        "derived": False,
        "description": f.description,
        "vocabulary": {code: definitions.get(code) for code in codes} if codes else None,
    }


def derived_columns(pkg: Package, tbl: Table) -> list[str]:
    """The columns ``load()`` appends to this table (:mod:`.derived`), in order."""
    if not has_dates(tbl.field_names):
        return []
    names = ["year_start", "year_end", "year"]
    if "source_id" in tbl.field_names and "sources" in pkg.tables:
        names.append("bounded_by_publication")
    return names


def column_docs(pkg: Package, tbl: Table) -> dict[str, dict]:
    """Every column ``load()`` gives for the table, schema columns then derived ones: its schema
    type, pandas dtype, whether it is required or derived, its description and its vocabulary
    (code → definition, or None where the schema defines no code)."""
    docs = {f.name: _field_doc(f) for f in tbl.fields}
    for name in derived_columns(pkg, tbl):
        kind, description = DERIVED[name]
        docs[name] = {
            "type": kind,
            "dtype": DTYPES[kind],
            "required": False,
            "derived": True,
            "description": description,
            "vocabulary": None,
        }
    return docs


def describe(table: str, *, version: str | None = None, root: str | Path | None = None) -> pd.DataFrame:
    """What each column of ``load(table)`` holds: one row per column, in the frame's order, with its
    schema ``type``, pandas ``dtype``, ``required``, ``derived`` (added by ``load()`` from the date, not
    in the CSV), ``description`` and ``vocabulary`` (a dict code → definition, or None).

    The table's own description is in ``.attrs["description"]``. A misspelt table name is refused
    with the closest names.

    Examples
    --------
    >>> from iran_palestine_data import describe
    >>> describe("funding_claims").loc["status", "vocabulary"]["pledged"]  # doctest: +ELLIPSIS
    '...'
    """
    import pandas as pd

    pkg = package(version_root(version, root))
    tbl = pkg.table(table)
    docs = column_docs(pkg, tbl)
    frame = pd.DataFrame.from_dict(docs, orient="index")
    frame.index.name = "column"
    frame.attrs.update({"table": tbl.name, "description": tbl.description, "source_file": tbl.path})
    return frame

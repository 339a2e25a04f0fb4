"""What the Parquet, Stata and SQLite exports share: each table as ``load()`` gives it, with the
documentation of every column (``frame.attrs["columns"]``), and the licence and
source note every exported table carries.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..contract.schema import Package, Table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def loaded(tbl: Table, root: Path) -> tuple[pd.DataFrame, dict[str, dict]]:
    """The table exactly as ``load()`` gives it (derived columns included), and each of its columns'
    documentation as ``load()`` records it in ``frame.attrs["columns"]``
    (:func:`iran_palestine_data.read.column_docs.column_docs`: description, vocabulary, ...)."""
    from ..read.tables import load

    frame = load(tbl.name, root=root)
    return frame, {str(name): doc for name, doc in frame.attrs["columns"].items()}


def licence(pkg: Package) -> tuple[str, str]:
    """The package's licence name(s) (joined by " and " when there are several) and the first one's URL."""
    licences = pkg.descriptor.get("licenses") or []
    names = " and ".join(str(lic.get("name") or lic.get("title") or "") for lic in licences)
    return names, str(licences[0].get("path", "")) if licences else ""


def source_note(pkg: Package, tbl: Table) -> str:
    """Where a table comes from: its file in this version of the dataset, and the archived sources."""
    d = pkg.descriptor
    return (
        f"{tbl.path} of {d.get('name', 'the dataset')} v{pkg.version}, "
        f"coded from {len(d.get('sources', []))} archived source documents"
    )


def table_title(pkg: Package, tbl: Table) -> str:
    return str(tbl.resource.get("title") or tbl.name)

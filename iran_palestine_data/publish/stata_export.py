"""The ``stata`` export: one ``.dta`` file per table (format 118, Stata 14 and later: UTF-8 text, so
Arabic script and curly quotes are kept), made from the frame ``load()`` gives.

* every vocabulary column is a numeric variable with a value label holding every code of the schema
  (codes 0, 1, ... in schema order, the code as label), used or not;
* each variable's label is its description, cut to Stata's 80 characters with an ellipsis; the
  dataset label is the table's title;
* dates are Stata dates (``%td``); lists are text, items joined with ``;``; flags are 0/1;
* missing is missing: ``.`` for numbers and dates, the empty string for text (Stata has no other);
* text longer than 244 bytes is a ``strL``, shorter text a fixed ``str#``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import replacing
from ..contract.schema import Package, Table
from .export_frames import loaded, table_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

LABEL_MAX = 80  # Stata's limit on variable and dataset labels, in characters
STR_MAX = 244  # longer text becomes a strL
LIST_SEPARATOR = ";"


def label(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis when longer."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def stata_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any], list[str]]:
    """The frame as Stata can hold it, the ``convert_dates`` map and the ``strL`` columns."""
    import pandas as pd

    out = pd.DataFrame(index=frame.index)
    dates: dict[str, Any] = {}
    strl: list[str] = []
    for name in frame.columns:
        column = frame[name]
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            out[name] = column
        elif isinstance(dtype, pd.ArrowDtype):  # a list: its items joined, missing as ""
            out[name] = [
                LIST_SEPARATOR.join(map(str, items)) if isinstance(items, list) else ""
                for items in column.tolist()
            ]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            out[name] = column
            dates[str(name)] = "td"
        elif isinstance(dtype, pd.BooleanDtype):
            out[name] = column.astype("Int8")
        elif pd.api.types.is_string_dtype(dtype):
            out[name] = column.astype("object").where(column.notna(), "")
        else:
            out[name] = column
        if out[name].dtype == object and max(map(_bytes, out[name]), default=0) > STR_MAX:
            strl.append(str(name))
    return out, dates, strl


def _bytes(text) -> int:
    return len(str(text).encode("utf-8"))


def write_dta(pkg: Package, tbl: Table, path: Path) -> None:
    from pandas import errors

    frame, docs = loaded(tbl, pkg.root)
    data, dates, strl = stata_frame(frame)
    labels = {name: label(doc["description"]) for name, doc in docs.items()}
    with warnings.catch_warnings():
        # a column Stata cannot hold as it is (renamed, rounded, relabelled) must not pass silently
        for kind in (
            errors.InvalidColumnName,
            errors.PossiblePrecisionLoss,
            errors.CategoricalConversionWarning,
            errors.ValueLabelTypeMismatch,
        ):
            warnings.simplefilter("error", kind)
        data.to_stata(
            path,
            version=118,
            write_index=False,
            convert_dates=dates,
            convert_strl=strl,
            variable_labels=labels,
            data_label=label(f"{table_title(pkg, tbl)} ({pkg.descriptor.get('name', '')} v{pkg.version})"),
        )


def to_stata(out: Path, pkg: Package) -> list[Path]:
    written = []
    for tbl in pkg.tables.values():
        path = out / f"{tbl.name}.dta"
        with replacing(path) as tmp:
            write_dta(pkg, tbl, tmp)
        written.append(path)
    return written

"""The peer a user would pick today for fast schema checks: pandera on polars, given our own Table Schemas.

``schemas(root)`` translates every Table Schema of the dataset at ``root`` into a
``pandera.polars.DataFrameSchema`` with the same column checks our fast engine runs: the type
(integer, number, date: text coerced, a failure is an error), required (not null), enum (``isin``),
pattern (``str_matches``, anchored as Table Schema patterns are), unique, minimum, and the primary
key (``unique`` over its columns). Foreign keys have no pandera counterpart across tables, so the
peer does less than we do there; lists are checked as text. ``check(root)`` reads every table with
polars (all columns as text, missing = empty cell, as our reader does) and validates it lazily
(every failure collected), returning the number of failure cases.

Needs the ``bench`` extra: pandera 0.35 with polars >= 1.30, < 2 (polars 2.0 no longer casts text to
dates, which pandera's ``coerce`` relies on: every date column then fails to coerce).
"""

from __future__ import annotations

import json
from pathlib import Path


def _column(field: dict, pl, pa):
    kind = {"integer": pl.Int64, "number": pl.Float64, "date": pl.Date}.get(field["type"], pl.Utf8)
    constraints = field.get("constraints", {})
    checks = []
    if "enum" in constraints:
        checks.append(pa.Check.isin(constraints["enum"]))
    if "pattern" in constraints:
        checks.append(pa.Check.str_matches(f"^(?:{constraints['pattern']})$"))
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"]))
    return pa.Column(
        kind,
        checks=checks,
        nullable=not constraints.get("required", False),
        unique=bool(constraints.get("unique", False)),
        coerce=kind is not pl.Utf8,
    )


def schemas(root: str | Path) -> dict[str, tuple[Path, object]]:
    """table -> (its CSV, its pandera-polars schema), from the dataset's own descriptor and schemas."""
    import pandera.polars as pa
    import polars as pl

    root = Path(root)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    out = {}
    for resource in descriptor["resources"]:
        schema = json.loads((root / resource["schema"]).read_text(encoding="utf-8"))
        columns = {f["name"]: _column(f, pl, pa) for f in schema["fields"]}
        key = schema.get("primaryKey") or []
        key = [key] if isinstance(key, str) else key
        out[resource["name"]] = (
            root / resource["path"],
            pa.DataFrameSchema(columns, unique=key if len(key) > 1 else None, strict=True),
        )
    return out


def check(root: str | Path) -> int:
    """Read every table with polars and validate it lazily; the number of failure cases found."""
    import pandera.errors
    import polars as pl

    failures = 0
    for path, schema in schemas(root).values():
        frame = pl.read_csv(path, infer_schema=False)
        try:
            schema.validate(frame, lazy=True)  # type: ignore[attr-defined]
        except pandera.errors.SchemaErrors as exc:
            failures += len(exc.failure_cases)
    return failures

"""Is a Table Schema well formed enough to check data against? Every property the package reads is
of the type it expects, and every column or table it names exists, so that a broken or hostile
schema becomes issues (rule ``descriptor``) and never a traceback in a check.

Pure: works on the JSON as read, before any :class:`~iran_palestine_data.contract.schema.Table` is built.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

TYPES = ("string", "number", "integer", "date", "list", "boolean", "datetime", "time", "year", "any")
_NUMBER_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_LENGTHS = ("minLength", "maxLength")
# x- extensions of a field that name other columns of the same table: how to find the names
_COLUMN_REFS = {
    "x-edtf": lambda v: list(v.values()) if isinstance(v, dict) else None,
    "x-quote": lambda v: (
        [v.get("source")] + ([v["occurrence"]] if "occurrence" in v else []) if isinstance(v, dict) else None
    ),
    "x-sha256Of": lambda v: [v],
    "x-basis": lambda v: [v],
    "x-aliases": lambda v: [v.get("name")] if isinstance(v, dict) else None,
    "x-lessOrEqual": lambda v: [v],
    "x-presentIffAny": lambda v: v if isinstance(v, list) else None,
    "x-figureIn": lambda v: [v],
    "x-ownVoiceDate": lambda v: [v.get("side"), v.get("source")] if isinstance(v, dict) else None,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _constraint_problems(field: dict) -> Iterator[str]:
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        yield f"field {name}: constraints must be an object"
        return
    for key, value in constraints.items():
        if key in ("required", "unique") and not isinstance(value, bool):
            yield f"field {name}: constraint {key} must be true or false"
        elif key == "enum" and not (isinstance(value, list) and value):
            yield f"field {name}: constraint enum must be a non-empty list"
        elif key == "pattern":
            if not isinstance(value, str):
                yield f"field {name}: constraint pattern must be a text"
            else:
                try:
                    re.compile(value)
                except (re.error, RecursionError, OverflowError):
                    yield f"field {name}: constraint pattern {value!r:.60} is not a regular expression"
        elif key in _NUMBER_BOUNDS:
            ok = isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value, re.ASCII)
            if not (_is_number(value) if kind in ("number", "integer") else ok if kind == "date" else False):
                yield f"field {name}: constraint {key} = {value!r:.40} does not fit a field of type {kind}"
        elif key in _LENGTHS and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            yield f"field {name}: constraint {key} must be a whole number of 0 or more"


def _field_problems(fields: Any, names: set[str]) -> Iterator[str]:
    for f in fields:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or not f["name"]:
            yield "every field must be an object with a name"
            continue
        kind = f.get("type", "string")
        if kind not in TYPES:
            yield f"field {f['name']}: type {kind!r:.40} is not a Table Schema type"
        for key in ("description", "format", "delimiter"):
            if key in f and not isinstance(f[key], str):
                yield f"field {f['name']}: {key} must be a text"
        yield from _constraint_problems(f)
        for ext, find in _COLUMN_REFS.items():
            if ext in f:
                refs = find(f[ext])
                if refs is None or any(not isinstance(r, str) or r not in names for r in refs):
                    yield f"field {f['name']}: {ext} names a column the schema does not have"


def schema_problems(schema: dict, tables: set[str]) -> list[str]:
    """Plain-words problems of one Table Schema; ``tables`` are the resource names of its package."""
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        return ["has no list of fields"]
    names = {f["name"] for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}
    out = list(_field_problems(fields, names))
    if len(names) != len(fields):
        out.append("names a field twice")
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    if not isinstance(key, list) or any(k not in names for k in key):
        out.append("primaryKey names a column the schema does not have")
    for fk in schema.get("foreignKeys", []) if isinstance(schema.get("foreignKeys", []), list) else [None]:
        out += _foreign_key_problems(fk, names, tables)
    for f in fields:
        targets = f.get("x-refersToAny") if isinstance(f, dict) else None
        if targets is not None and (not isinstance(targets, list) or any(t not in tables for t in targets)):
            out.append(f"field {f.get('name')}: x-refersToAny names a table the package does not have")
    links = schema.get("x-links")
    if links is not None and (
        not isinstance(links, dict) or any(links.get(k) not in names for k in ("from", "to", "relation"))
    ):
        out.append("x-links names a column the schema does not have")
    return out


def _foreign_key_problems(fk: Any, names: set[str], tables: set[str]) -> list[str]:
    if not isinstance(fk, dict) or not isinstance(fk.get("reference"), dict):
        return ["every foreign key must be an object with fields and a reference"]
    fields = [fk.get("fields")] if isinstance(fk.get("fields"), str) else fk.get("fields")
    ref = fk["reference"]
    ref_fields = [ref.get("fields")] if isinstance(ref.get("fields"), str) else ref.get("fields")
    out = []
    if not isinstance(fields, list) or not fields or any(f not in names for f in fields):
        out.append("a foreign key names a column the schema does not have")
    if not isinstance(ref_fields, list) or len(ref_fields) != len(fields or []):
        out.append("a foreign key's reference must name as many columns as the key")
    resource = ref.get("resource", "")
    if not isinstance(resource, str) or (resource and resource not in tables):
        out.append(f"a foreign key refers to the resource {resource!r:.40}, which the package does not have")
    return out

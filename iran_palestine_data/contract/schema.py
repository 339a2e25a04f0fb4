"""Reads ``datapackage.json`` and the Table Schemas it points to. Everything else asks this module.

The schemas are the single source of truth for columns. Besides the standard Table Schema
properties they carry a few ``x-`` extensions for the rules frictionless cannot express; the
validator reads them from here:

``x-edtf``            the field holds an EDTF date; maps companion columns (start, end, precision, basis)
``x-quote``           the field must be a verbatim excerpt of the snapshot of the row's source
``x-sha256Of``        the field is the SHA-256 of the file named in another field
``x-itemEnum``        allowed values of each item of a list field
``x-aliases``         list of spellings that must each occur in a snapshot and name one actor only
``x-lessOrEqual``     this number must not exceed the one in the named field
``x-presentIffAny``   this cell is filled if and only if one of the named fields is
``x-figureIn``        the number must appear as a figure in the named text field
``x-ourVoice``        our own words: no loaded terms (see ``x-loadedTerms`` in datapackage.json)
``x-enumDescriptions`` the meaning of each enum value, for the codebook
``x-retiredId``       a withdrawn id: it may not appear as an id anywhere in the current data
``x-existingId``      must be the id of a current row of some table
``x-refersToAny``     the value is the id of a row of one of the named tables (a polymorphic key)
``x-mayBeEmpty``      (on a schema) the table may have no rows
``x-links``           (on a schema) the table links rows: no self or duplicate links; same_as stays in
                      one table and never joins two rows of one source
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import rulebook as rule
from ..errors import DataError, Issue
from ..paths import DESCRIPTOR, resolve_root


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    descriptor: dict

    @property
    def constraints(self) -> dict:
        return self.descriptor.get("constraints", {})

    @property
    def required(self) -> bool:
        return bool(self.constraints.get("required", False))

    @property
    def unique(self) -> bool:
        return bool(self.constraints.get("unique", False))

    @property
    def enum(self) -> tuple[str, ...] | None:
        values = self.constraints.get("enum")
        return tuple(values) if values is not None else None

    @property
    def pattern(self) -> str | None:
        return self.constraints.get("pattern")

    @property
    def minimum(self) -> float | None:
        return self.constraints.get("minimum")

    @property
    def delimiter(self) -> str | None:
        return self.descriptor.get("delimiter") if self.type == "list" else None

    @property
    def item_enum(self) -> tuple[str, ...] | None:
        values = self.ext("itemEnum")
        return tuple(values) if values is not None else None

    @property
    def vocabulary(self) -> tuple[str, ...] | None:
        """Allowed values of the cell (enum) or of each list item (x-itemEnum)."""
        return self.enum or self.item_enum

    def ext(self, key: str, default: Any = None) -> Any:
        """An ``x-`` extension property of this field."""
        return self.descriptor.get(f"x-{key}", default)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # "" means the same table
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the dataset root, e.g. csv/events.csv
    schema_path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    resource: dict
    schema_extras: dict

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name} has no field {name!r}")

    @property
    def may_be_empty(self) -> bool:
        """Declared by ``x-mayBeEmpty`` in the schema (e.g. no id has been retired yet)."""
        return bool(self.schema_extras.get("x-mayBeEmpty", False))

    @property
    def id_field(self) -> str | None:
        """The single-column primary key, if the table has one (these ids are unique dataset-wide)."""
        return self.primary_key[0] if len(self.primary_key) == 1 else None


@dataclass(frozen=True)
class Package:
    root: Path
    descriptor: dict
    tables: dict[str, Table]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def table(self, name: str) -> Table:
        try:
            return self.tables[name]
        except KeyError:
            raise KeyError(f"no table {name!r}; tables are: {', '.join(self.tables)}") from None

    @property
    def loaded_terms(self) -> tuple[str, ...]:
        return tuple(self.descriptor.get("x-loadedTerms", ()))

    def table_for_id_prefix(self) -> dict[str, str]:
        """Map an id prefix such as ``EV-`` to its table, read from the id patterns."""
        out = {}
        for t in self.tables.values():
            if t.id_field and (p := t.field(t.id_field).pattern) and p[:3].endswith("-") and p[:2].isalpha():
                out[p[:3]] = t.name
        return out


def _read_json(root: Path, rel: str) -> dict:
    path = root / rel
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Issue(rel, rule.DESCRIPTOR, "file is missing")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError([Issue(rel, rule.DESCRIPTOR, f"is not valid UTF-8 JSON: {exc}")]) from None
    if not isinstance(data, dict):
        raise DataError([Issue(rel, rule.DESCRIPTOR, "must hold a JSON object")])
    return data


def _table(root: Path, resource: dict) -> Table:
    name = resource.get("name")
    path = resource.get("path")
    schema_ref = resource.get("schema")
    if not isinstance(name, str) or not isinstance(path, str):
        raise DataError(
            [Issue(DESCRIPTOR, rule.DESCRIPTOR, f"resource {resource!r:.80} needs a name and a path")]
        )
    if isinstance(schema_ref, str):
        schema, schema_path = _read_json(root, schema_ref), schema_ref
    elif isinstance(schema_ref, dict):
        schema, schema_path = schema_ref, DESCRIPTOR
    else:
        raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, f"resource {name} has no schema")])
    try:
        fields = tuple(
            Field(f["name"], f.get("type", "string"), f.get("description", ""), f) for f in schema["fields"]
        )
        fks = tuple(
            ForeignKey(
                tuple(_as_list(fk["fields"])),
                fk["reference"].get("resource", ""),
                tuple(_as_list(fk["reference"]["fields"])),
            )
            for fk in schema.get("foreignKeys", [])
        )
    except (KeyError, TypeError) as exc:
        raise DataError(
            [Issue(schema_path, rule.DESCRIPTOR, f"is not a valid Table Schema (missing {exc})")]
        ) from None
    return Table(
        name=name,
        path=path,
        schema_path=schema_path,
        description=schema.get("description", resource.get("description", "")),
        fields=fields,
        primary_key=tuple(_as_list(schema.get("primaryKey", []))),
        foreign_keys=fks,
        resource=resource,
        schema_extras={k: v for k, v in schema.items() if k.startswith("x-")},
    )


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, str) else list(value)


def package(root: str | Path | None = None) -> Package:
    """Read the package descriptor and every table schema of the dataset at ``root`` (default: the shipped data).

    Raises :class:`DataError` if the descriptor or a schema cannot be read.
    """
    base = resolve_root(root)
    descriptor = _read_json(base, DESCRIPTOR)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, "has no resources")])
    tables = {}
    for res in resources:
        if not isinstance(res, dict):
            raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, "every resource must be a JSON object")])
        table = _table(base, res)
        tables[table.name] = table
    return Package(base, descriptor, tables)

"""Reads ``datapackage.json`` and the Table Schemas it points to. Everything else asks this module.

The schemas are the single source of truth for columns. Besides the standard Table Schema
properties they carry a few ``x-`` extensions for the rules frictionless cannot express; the
validator reads them from here:

``x-edtf``            the field holds an EDTF date; maps companion columns (start, end, precision, basis)
``x-quote``           the field must be a verbatim excerpt of the snapshot of the row's source; its
                      ``occurrence`` names the column saying which occurrence a repeated quote means
``x-sha256Of``        the field is the SHA-256 of the file named in another field
``x-basis``           the named field says how this one was established; it is 'unknown' exactly when
                      this cell is empty
``x-itemEnum``        allowed values of each item of a list field
``x-aliases``         list of spellings that must each occur in a snapshot and name one actor only
``x-lessOrEqual``     this number must not exceed the one in the named field
``x-presentIffAny``   this cell is filled if and only if one of the named fields is
``x-figureIn``        the number must appear as a money figure (tied to a currency) in the named text field
``x-ourVoice``        our own words: no loaded terms (see ``x-loadedTerms`` in datapackage.json)
``x-ownVoiceDate``    (on a claim date) filled when the row's ``side`` column is ``ownVoice`` (the source
                      asserts the claim itself) and its ``source`` states its publication date
``x-enumDescriptions`` the meaning of each enum value, for the codebook
``x-retiredId``       a withdrawn id: it may not appear as an id anywhere in the current data
``x-existingId``      must be the id of a current row of some table
``x-refersToAny``     the value is the id of a row of one of the named tables (a polymorphic key)
``x-mayBeEmpty``      (on a schema) the table may have no rows
``x-links``           (on a schema) the table links rows: no self or duplicate links; same_as stays in
                      one table and never joins two rows of one source
``x-namedById``       (on a schema) our own words name a row of this table by its id, never by the
                      number of its file (a source by its source_id, not "source 002")
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .. import rulebook as rule
from ..errors import DataError, Issue
from ..paths import DESCRIPTOR, path_problem, read_inside, resolve_root
from .wellformed import schema_problems


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
    schema: dict  # the Table Schema as read (compared with the contract's)

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
            import difflib

            close = difflib.get_close_matches(str(name), list(self.tables), n=2, cutoff=0.6)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise KeyError(f"no table {name!r}; tables are: {', '.join(self.tables)}{hint}") from None

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


def read_json(root: Path, rel: str) -> dict:
    """A JSON object from the file ``rel`` of the folder ``root``, opened safely (:mod:`..paths`)."""
    try:
        data = read_inside(root, rel)
    except DataError as exc:  # a missing descriptor or schema is a problem of the descriptor
        raise DataError(
            [
                replace(i, rule=rule.DESCRIPTOR, message="file is missing") if i.rule == rule.FILE else i
                for i in exc.issues
            ]
        ) from None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError([Issue(rel, rule.DESCRIPTOR, f"is not valid UTF-8 JSON: {exc}")]) from None
    except RecursionError:
        raise DataError([Issue(rel, rule.DESCRIPTOR, "is JSON nested too deeply to read")]) from None
    if not isinstance(value, dict):
        raise DataError([Issue(rel, rule.DESCRIPTOR, "must hold a JSON object")])
    return value


def _schema_of(root: Path, resource: dict, tables: set[str]) -> tuple[dict, str]:
    """The resource's Table Schema (from its file, or inline) and where it was read, checked to be
    well formed enough to build a Table from."""
    name, schema_ref = resource.get("name"), resource.get("schema")
    if isinstance(schema_ref, str):
        schema, schema_path = read_json(root, schema_ref), schema_ref
    elif isinstance(schema_ref, dict):
        schema, schema_path = schema_ref, DESCRIPTOR
    else:
        raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, f"resource {name} has no schema")])
    problems = schema_problems(schema, tables)
    if problems:
        raise DataError(
            [Issue(schema_path, rule.DESCRIPTOR, f"is not a usable Table Schema: {p}") for p in problems]
        )
    return schema, schema_path


def _table(root: Path, resource: dict, tables: set[str]) -> Table:
    name, path = resource["name"], resource["path"]
    schema, schema_path = _schema_of(root, resource, tables)
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
    description = schema.get("description", resource.get("description", ""))
    return Table(
        name=name,
        path=path,
        schema_path=schema_path,
        description=description if isinstance(description, str) else "",
        fields=fields,
        primary_key=tuple(_as_list(schema.get("primaryKey", []))),
        foreign_keys=fks,
        resource=resource,
        schema_extras={k: v for k, v in schema.items() if k.startswith("x-")},
        schema=schema,
    )


def _as_list(value: Any) -> list:
    return [value] if isinstance(value, str) else list(value)


def _resources(descriptor: dict) -> list[dict]:
    """The descriptor's resources, each an object with a unique text name and a well-formed path."""
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, "has no resources")])
    issues, seen = [], set()
    for res in resources:
        if (
            not isinstance(res, dict)
            or not isinstance(res.get("name"), str)
            or not isinstance(res.get("path"), str)
        ):
            issues.append(
                Issue(DESCRIPTOR, rule.DESCRIPTOR, f"resource {str(res)[:80]!r} needs a name and a path")
            )
            continue
        if res["name"] in seen:
            issues.append(Issue(DESCRIPTOR, rule.DESCRIPTOR, f"names the resource {res['name']} twice"))
        seen.add(res["name"])
        if problem := path_problem(res["path"]):
            issues.append(
                Issue(DESCRIPTOR, rule.PATH, f"resource {res['name']}: path {res['path']!r:.80} {problem}")
            )
    if issues:
        raise DataError(issues)
    return resources


def _reference_problems(tables: dict[str, Table]) -> list[Issue]:
    """Foreign keys whose referenced columns the referenced table does not have."""
    out = []
    for tbl in tables.values():
        for fk in tbl.foreign_keys:
            target = tables[fk.resource] if fk.resource else tbl
            missing = [f for f in fk.reference_fields if f not in target.field_names]
            if missing:
                out.append(
                    Issue(
                        tbl.schema_path,
                        rule.DESCRIPTOR,
                        f"a foreign key refers to {', '.join(missing)}, which {target.name} does not have",
                    )
                )
    return out


def package(root: str | Path | None = None) -> Package:
    """Read the package descriptor and every table schema of the dataset at ``root`` (default: the shipped data).

    Raises :class:`DataError` if the descriptor or a schema cannot be read, or is not well formed.
    """
    base = resolve_root(root)
    if not base.exists():
        raise DataError([Issue(str(base), rule.DESCRIPTOR, "folder does not exist")])
    if not base.is_dir():
        raise DataError([Issue(str(root), rule.DESCRIPTOR, "is not a folder holding datapackage.json")])
    descriptor = read_json(base, DESCRIPTOR)
    for key in ("profile", "$schema"):  # a profile is a built-in name here: a URL would be fetched
        if (
            isinstance(descriptor.get(key), str)
            and (problem := path_problem(descriptor[key]))
            and "URL" in problem
        ):
            raise DataError([Issue(DESCRIPTOR, rule.PATH, f"{key} {descriptor[key]!r:.80} {problem}")])
    resources = _resources(descriptor)
    names = {res["name"] for res in resources}
    tables, issues = {}, []
    for res in resources:
        try:
            table = _table(base, res, names)
        except DataError as exc:
            issues += exc.issues
            continue
        tables[table.name] = table
    issues += _reference_problems(tables) if not issues else []
    if issues:
        raise DataError(issues)
    return Package(base, descriptor, tables)

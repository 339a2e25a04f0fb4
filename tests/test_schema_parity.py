"""The Table Schemas are the single source of truth: every pydantic model must agree with its schema."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field

import annotated_types
import pytest
from pydantic.fields import FieldInfo

from iran_palestine_data.contract import iso_codes as codes
from iran_palestine_data.contract import models
from iran_palestine_data.contract.schema import package

pytestmark = pytest.mark.unit

SCHEMA_TYPES = {str: "string", float: "number", int: "integer", dt.date: "date", list: "list"}
KNOWN_EXTENSIONS = {
    "x-edtf",
    "x-quote",
    "x-sha256Of",
    "x-basis",
    "x-itemEnum",
    "x-aliases",
    "x-lessOrEqual",
    "x-presentIffAny",
    "x-figureIn",
    "x-ourVoice",
    "x-ownVoiceDate",
    "x-enumDescriptions",
    "x-retiredId",
    "x-existingId",
    "x-refersToAny",
}


@dataclass
class Described:
    """What a model field promises, flattened out of its (nested) annotation."""

    type: str = ""
    optional: bool = False
    enum: tuple | None = None
    pattern: str | None = None
    minimum: float | None = None
    min_length: int | None = None
    validators: list = field(default_factory=list)


def _collect(meta, out: Described) -> None:
    for m in meta:
        if isinstance(m, FieldInfo):
            _collect(m.metadata, out)
        elif hasattr(m, "pattern") and m.pattern is not None:
            out.pattern = m.pattern
        elif isinstance(m, annotated_types.Ge):
            out.minimum = m.ge
        elif isinstance(m, annotated_types.MinLen):
            out.min_length = m.min_length
        elif hasattr(m, "func"):
            out.validators.append(m.func)


def describe(annotation, metadata) -> Described:
    out = Described()
    _collect(metadata, out)

    def walk(tp):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            base, *meta = typing.get_args(tp)
            _collect(meta, out)
            return walk(base)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            out.optional = len(args) < len(typing.get_args(tp)) or out.optional
            return walk(args[0])
        if origin is typing.Literal:
            out.enum = typing.get_args(tp)
            return str
        if origin is list:
            out.type = "list"
            walk(typing.get_args(tp)[0])
            return list
        return tp

    base = walk(annotation)
    out.type = out.type or SCHEMA_TYPES[base]
    return out


PKG = package()
TABLES = list(PKG.tables)


def test_every_table_has_a_model():
    assert sorted(models.MODELS) == sorted(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_names_and_order(table):
    assert list(models.MODELS[table].model_fields) == PKG.table(table).field_names


@pytest.mark.parametrize("table", TABLES)
def test_each_field_agrees(table):
    model = models.MODELS[table]
    problems = []
    for f in PKG.table(table).fields:
        info = model.model_fields[f.name]
        d = describe(info.annotation, info.metadata)
        checks = {
            "type": (d.type, f.type),
            "required": (info.is_required() and not d.optional, f.required),
            "enum": (d.enum, f.vocabulary),
            "pattern": (d.pattern, f"^{f.pattern}$" if f.pattern else None),
            "minimum": (d.minimum, f.minimum),
            "quote minLength": (d.min_length, (f.ext("quote") or {}).get("minLength")),
            "edtf": (models._check_edtf in d.validators, f.ext("edtf") is not None),
        }
        problems += [
            f"{table}.{f.name} {what}: model {m!r} != schema {s!r}"
            for what, (m, s) in checks.items()
            if m != s
        ]
    assert not problems, "\n".join(problems)


def test_model_config_is_frozen_and_strict_about_columns():
    for model in models.MODELS.values():
        assert model.model_config["frozen"] is True
        assert model.model_config["extra"] == "forbid"


def test_code_lists_match_schema_enums():
    assert (
        codes.ISO3166_ALPHA3
        == PKG.table("actors").field("country").enum
        == PKG.table("events").field("country").enum
    )
    assert codes.ISO4217 == PKG.table("funding_claims").field("currency").enum
    assert "PSE" in codes.ISO3166_ALPHA3


def test_describe_catches_drift():
    """The parity check itself must notice a changed pattern, enum or optionality."""

    class Drifted(models.Row):
        a: typing.Annotated[str, models.Field(pattern="^x$")]
        b: typing.Optional[typing.Literal["p", "q"]] = None

    a, b = (describe(Drifted.model_fields[n].annotation, Drifted.model_fields[n].metadata) for n in "ab")
    assert (a.type, a.pattern, a.optional) == ("string", "^x$", False)
    assert (b.enum, b.optional) == (("p", "q"), True)


@pytest.mark.parametrize("table", TABLES)
def test_schema_documents_every_field_and_code(table):
    tbl = PKG.table(table)
    assert tbl.description, f"{tbl.schema_path} has no description"
    for f in tbl.fields:
        assert f.description.strip(), f"{table}.{f.name} has no description"
        unknown = {k for k in f.descriptor if k.startswith("x-")} - KNOWN_EXTENSIONS
        assert not unknown, f"{table}.{f.name}: unknown extension {unknown}"
        vocab = f.vocabulary
        if vocab and len(vocab) < 60:  # ISO code lists excepted
            described = f.ext("enumDescriptions") or {}
            assert set(described) == set(vocab), (
                f"{table}.{f.name}: every code needs a definition in x-enumDescriptions"
            )


@pytest.mark.parametrize("table", TABLES)
def test_resource_declares_the_contract(table):
    res = PKG.table(table).resource
    assert res["encoding"] == "utf-8" and res["type"] == "table" and res["format"] == "csv"
    assert res["schema"] == f"schemas/{table}.schema.json"
    assert res["hash"].startswith("sha256:") and isinstance(res["bytes"], int)
    assert PKG.table(table).primary_key

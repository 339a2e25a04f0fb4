"""Metadata where catalogues look: an MLCommons Croissant 1.0 description of the dataset
(``croissant.json`` at the repository root) and a schema.org ``Dataset`` block (``docs/dataset.jsonld``),
both generated from ``datapackage.json`` and the Table Schemas by ``iran-palestine-data codebook``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..contract.schema import Field, Package, Table, package
from ..read.tables import load
from .citation import cite

CROISSANT_FILE = "croissant.json"
SCHEMA_ORG_FILE = "docs/dataset.jsonld"

# The Croissant 1.0 JSON-LD context, as the specification (and mlcroissant) writes it.
CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
CONFORMS_TO = "http://mlcommons.org/croissant/1.0"

# Table Schema type -> Croissant dataType; a list is one delimited text cell
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "date": "sc:Date",
    "list": "sc:Text",
}


def _license(descriptor: dict) -> str | list[str] | None:
    names = [
        str(lic.get("path") or lic.get("name"))
        for lic in descriptor.get("licenses", [])
        if isinstance(lic, dict) and (lic.get("path") or lic.get("name"))
    ]
    return names[0] if len(names) == 1 else (names or None)


def _creators(descriptor: dict) -> list[dict]:
    people = [c for c in descriptor.get("contributors", []) if isinstance(c, dict)]
    authors = [c for c in people if c.get("role", "author") in ("author", "creator")] or people
    return [
        {"@type": "Organization" if "contributors" in c.get("title", "") else "Person", "name": c["title"]}
        for c in authors
        if c.get("title")
    ]


def _sha256(table: Table) -> str:
    digest = str(table.resource.get("hash", ""))
    return digest.split(":", 1)[1] if digest.startswith("sha256:") else digest


def _field(table: Table, field: Field, pkg: Package) -> dict:
    description = field.description
    if field.type == "list":
        description += f" (A list: one text cell, items separated by {field.delimiter or ','!r}.)"
    # a URI column is a URL to catalogues; any other by its Table Schema type
    data_type = "sc:URL" if field.descriptor.get("format") == "uri" else DATA_TYPES.get(field.type, "sc:Text")
    out: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": f"{table.name}/{field.name}",
        "name": field.name,
        "description": description,
        "dataType": data_type,
        "source": {"fileObject": {"@id": table.path}, "extract": {"column": field.name}},
    }
    for fk in table.foreign_keys:
        if field.name in fk.fields:
            target = fk.resource or table.name
            if target in pkg.tables:
                ref = fk.reference_fields[fk.fields.index(field.name)]
                out["references"] = {"field": {"@id": f"{target}/{ref}"}}
                break
    return out


def croissant(root: str | Path | None = None) -> dict:
    """The dataset as MLCommons Croissant 1.0 JSON-LD: one FileObject per CSV, one RecordSet per table."""
    pkg = package(root)
    d = pkg.descriptor
    meta: dict[str, Any] = {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": d["name"],
        "conformsTo": CONFORMS_TO,
        "description": d.get("description", d.get("title", "")),
        "version": pkg.version,
        "license": _license(d),
        "citeAs": cite("bibtex", root=pkg.root),
        "creator": _creators(d),
        "keywords": list(d.get("keywords", [])),
    }
    if d.get("homepage"):
        meta["url"] = d["homepage"]
    if d.get("created"):
        meta["datePublished"] = str(d["created"])[:10]
    meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
    meta["distribution"] = [
        {
            "@type": "cr:FileObject",
            "@id": t.path,
            "name": t.path,
            "description": t.description or t.name,
            "contentUrl": t.path,
            "contentSize": f"{t.resource['bytes']} B" if "bytes" in t.resource else None,
            "encodingFormat": "text/csv",
            "sha256": _sha256(t),
        }
        for t in pkg.tables.values()
    ]
    for obj in meta["distribution"]:
        if obj["contentSize"] is None:
            del obj["contentSize"]
    meta["recordSet"] = [
        {
            "@type": "cr:RecordSet",
            "@id": t.name,
            "name": t.name,
            "description": t.description or t.name,
            "key": [{"@id": f"{t.name}/{k}"} for k in t.primary_key],
            "field": [_field(t, f, pkg) for f in t.fields],
        }
        for t in pkg.tables.values()
    ]
    return meta


def temporal_coverage(root: str | Path | None = None) -> str | None:
    """``start/end``: the earliest and latest day any event's date allows (None if no event is dated)."""
    events = load("events", root=root)
    days = [*events["date_start"].dropna(), *events["date_end"].dropna()]
    if not days:
        return None
    return f"{min(days).date().isoformat()}/{max(days).date().isoformat()}"


def schema_org(root: str | Path | None = None, *, base: str = "../") -> dict:
    """A schema.org ``Dataset`` JSON-LD block for search engines and catalogues.

    ``base`` is put before each file's path in ``contentUrl``: the block lives in ``docs/``, so by
    default the paths go up one folder to the repository root.
    """
    pkg = package(root)
    d = pkg.descriptor
    meta: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": d.get("title") or d["name"],
        "alternateName": d["name"],
        "description": d.get("description", ""),
        "version": pkg.version,
        "license": _license(d),
        "creator": _creators(d),
        "keywords": list(d.get("keywords", [])),
        "isAccessibleForFree": True,
        "temporalCoverage": temporal_coverage(pkg.root),
        "url": d.get("homepage"),
        "datePublished": str(d["created"])[:10] if d.get("created") else None,
    }
    meta = {k: v for k, v in meta.items() if v not in (None, [], "")}
    meta["distribution"] = [
        {
            "@type": "DataDownload",
            "name": t.name,
            "description": t.description or t.name,
            "contentUrl": base + t.path,
            "encodingFormat": "text/csv",
            "sha256": _sha256(t),
            **({"contentSize": f"{t.resource['bytes']} B"} if "bytes" in t.resource else {}),
        }
        for t in pkg.tables.values()
    ]
    return meta


def dump(obj: dict) -> str:
    """JSON-LD text as the files hold it: 2-space indent, UTF-8, a final newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def render_croissant(root: str | Path | None = None) -> str:
    """The text of ``croissant.json``."""
    return dump(croissant(root))


def render_schema_org(root: str | Path | None = None) -> str:
    """The text of ``docs/dataset.jsonld``."""
    return dump(schema_org(root))

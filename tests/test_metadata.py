"""Metadata where catalogues look: croissant.json (MLCommons Croissant 1.0) and docs/dataset.jsonld
(schema.org) are current, valid, and say what datapackage.json and the Table Schemas say."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from iran_palestine_data.contract.schema import package
from iran_palestine_data.publish import metadata

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
CROISSANT = REPO / metadata.CROISSANT_FILE
SCHEMA_ORG = REPO / metadata.SCHEMA_ORG_FILE


@pytest.fixture(scope="module")
def pkg():
    return package()


@pytest.fixture(scope="module")
def croissant() -> dict:
    return json.loads(CROISSANT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema_org() -> dict:
    return json.loads(SCHEMA_ORG.read_text(encoding="utf-8"))


def test_croissant_file_is_current():
    committed = CROISSANT.read_text(encoding="utf-8")
    assert committed == metadata.render_croissant(), (
        "croissant.json is stale: run `iran-palestine-data codebook`"
    )


def test_schema_org_file_is_current():
    committed = SCHEMA_ORG.read_text(encoding="utf-8")
    assert committed == metadata.render_schema_org(), (
        "docs/dataset.jsonld is stale: run `iran-palestine-data codebook`"
    )


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: validation reads the metadata only."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during metadata validation: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_mlcroissant_accepts_the_croissant_file(no_network):
    import mlcroissant as mlc

    # Dataset() validates the JSON-LD and raises mlcroissant.ValidationError on any error; records are
    # read only when asked for (ds.records), which this test never does
    ds = mlc.Dataset(jsonld=str(CROISSANT))
    issues = ds.metadata.ctx.issues
    assert not issues.errors, issues.report()
    assert not issues.warnings, issues.report()
    assert ds.metadata.version == package().version


def test_mlcroissant_refuses_a_broken_croissant_file(no_network, tmp_path, croissant):
    import mlcroissant as mlc

    broken = json.loads(json.dumps(croissant))
    broken["recordSet"][0]["field"][0]["dataType"] = "sc:NoSuchType"
    path = tmp_path / "croissant.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(mlc.ValidationError, match="dataType"):
        mlc.Dataset(jsonld=str(path))


def test_croissant_describes_the_dataset(croissant, pkg):
    d = pkg.descriptor
    assert croissant["@type"] == "sc:Dataset"
    assert croissant["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    assert croissant["name"] == d["name"]
    assert croissant["version"] == pkg.version
    assert croissant["license"] == d["licenses"][0]["path"]
    assert croissant["citeAs"].startswith("@") and pkg.version in croissant["citeAs"]


def test_every_csv_is_a_file_object_with_the_descriptor_hash(croissant, pkg):
    files = {f["@id"]: f for f in croissant["distribution"]}
    assert set(files) == {t.path for t in pkg.tables.values()}
    for table in pkg.tables.values():
        obj = files[table.path]
        assert obj["@type"] == "cr:FileObject"
        assert obj["contentUrl"] == table.path
        assert obj["encodingFormat"] == "text/csv"
        assert re.fullmatch(r"[0-9a-f]{64}", obj["sha256"]), obj["sha256"]
        assert f"sha256:{obj['sha256']}" == table.resource["hash"], table.name


def test_record_sets_and_fields_match_the_schemas(croissant, pkg):
    sets = {rs["@id"]: rs for rs in croissant["recordSet"]}
    assert list(sets) == list(pkg.tables)
    for table in pkg.tables.values():
        rs = sets[table.name]
        assert rs["@type"] == "cr:RecordSet"
        assert [k["@id"] for k in rs["key"]] == [f"{table.name}/{k}" for k in table.primary_key]
        assert [f["name"] for f in rs["field"]] == table.field_names
        for field, cr in zip(table.fields, rs["field"]):
            assert cr["@type"] == "cr:Field"
            assert cr["@id"] == f"{table.name}/{field.name}"
            # a URI column (sources.url) is a URL to catalogues; any other column goes by its type
            uri = field.descriptor.get("format") == "uri"
            expected_type = "sc:URL" if uri else metadata.DATA_TYPES[field.type]
            assert cr["dataType"] == expected_type, (table.name, field.name)
            assert cr["source"] == {"fileObject": {"@id": table.path}, "extract": {"column": field.name}}
            if field.type == "list":
                assert f"separated by {field.delimiter!r}" in cr["description"]
        references = {f["name"]: f["references"]["field"]["@id"] for f in rs["field"] if "references" in f}
        expected = {
            column: f"{fk.resource or table.name}/{target}"
            for fk in table.foreign_keys
            for column, target in zip(fk.fields, fk.reference_fields)
        }
        assert references == expected, table.name


def test_schema_org_block(schema_org, pkg):
    from iran_palestine_data.read.tables import load

    assert schema_org["@context"] == "https://schema.org/"
    assert schema_org["@type"] == "Dataset"
    assert schema_org["version"] == pkg.version
    assert schema_org["keywords"] == pkg.descriptor["keywords"]
    assert schema_org["creator"] and all(c["name"] for c in schema_org["creator"])
    events = load("events")
    days = [*events["date_start"].dropna(), *events["date_end"].dropna()]
    start, end = schema_org["temporalCoverage"].split("/")
    assert start == min(days).date().isoformat() and end == max(days).date().isoformat()
    downloads = schema_org["distribution"]
    assert [d["contentUrl"] for d in downloads] == [f"../{t.path}" for t in pkg.tables.values()]
    for download, table in zip(downloads, pkg.tables.values()):
        assert download["@type"] == "DataDownload" and download["encodingFormat"] == "text/csv"
        assert f"sha256:{download['sha256']}" == table.resource["hash"]
        assert (SCHEMA_ORG.parent / download["contentUrl"]).resolve() == (REPO / table.path).resolve()


def test_citation_cff_message_names_the_current_version(pkg):
    cff = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    message = cff.split("\nmessage:", 1)[1].split("\ntype:", 1)[0]
    versions = re.findall(r"\bv(\d+\.\d+\.\d+)\b", message)
    assert versions == [pkg.version], message
    assert re.search(r"^version: (\S+)$", cff, re.M).group(1) == pkg.version

"""Quotes as W3C Web Annotations: every row's selectors find its quote again in its snapshot, at the
occurrence the row pins; the JSON-LD has what the Web Annotation model requires; the export holds one
annotation per row; an unknown id is refused with the closest ids."""

from __future__ import annotations

import base64
import csv
import doctest
import hashlib
import json
import os
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data import DataError, data_path, export
from iran_palestine_data.contract.schema import package
from iran_palestine_data.publish import web_annotations
from iran_palestine_data.publish.coverage import EXCLUDED, coverage
from iran_palestine_data.publish.web_annotations import (
    CONTEXT,
    CONTEXT_URL,
    annotation,
    annotations,
    exclusion_id,
    selectors,
)
from iran_palestine_data.read.lookup import UnknownIdError

from helpers import read_rows, set_cell, write_rows

W3C_MOTIVATIONS = {
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
}
CAPTION = "Iranian students gather outside the UAE embassy in Tehran, Iran to protest a deal with Israel"
CLI = [str(Path(sys.executable).with_name("iran-palestine-data"))]


def run(*args):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, check=False)


@lru_cache(maxsize=1)
def _all() -> tuple[dict, ...]:
    return tuple(annotations())


@lru_cache(maxsize=1)
def _sources() -> dict[str, dict]:
    """sha256 hex -> the sources.csv row, with the snapshot's text decoded from UTF-8."""
    root = data_path()
    with (root / "csv/sources.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["sha256"]: {**r, "text": (root / r["snapshot"]).read_bytes().decode("utf-8")} for r in rows}


def _source_of(a: dict) -> dict:
    """The sources.csv row an annotation's target names, through its RFC 6920 ni URI."""
    name = a["target"]["source"]["id"]
    assert name.startswith("ni:///sha-256;"), name
    value = name.split(";", 1)[1]
    digest = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).hex()
    return _sources()[digest]


def _quoted_rows() -> list[tuple[str, str, dict]]:
    """(table, id, row) of every row with a quote, read straight from the CSVs."""
    pkg = package()
    out = []
    for tbl in pkg.tables.values():
        if not any(f.ext("quote") for f in tbl.fields):
            continue
        with (pkg.root / tbl.path).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                key = (
                    row[tbl.id_field]
                    if tbl.id_field
                    else exclusion_id(row["source_id"], row["quote_occurrence"], row["quote"])
                )
                out.append((tbl.name, key, row))
    return out


def _selector(a: dict, kind: str) -> dict:
    (found,) = [s for s in a["target"]["selector"] if s["type"] == kind]
    return found


def _positions(text: str, passage: str) -> list[int]:
    """Every start of ``passage`` in ``text``, overlapping ones too (independently of the package)."""
    return [m.start() for m in re.finditer(f"(?={re.escape(passage)})", text)]


# --- every row -----------------------------------------------------------------------------------


@pytest.mark.data
def test_one_annotation_per_row_with_a_quote_and_unique_ids():
    rows = _quoted_rows()
    got = _all()
    assert len(got) == len(rows) > 400
    assert [a["body"]["dcterms:identifier"] for a in got] == [key for _, key, _ in rows]
    ids = [a["id"] for a in got]
    assert len(set(ids)) == len(ids)
    assert len({key for _, key, _ in rows}) == len(rows)


@pytest.mark.data
def test_the_position_selector_slices_the_quote_out_of_its_snapshot():
    for (_, key, row), a in zip(_quoted_rows(), _all()):
        text = _source_of(a)["text"]
        pos, quote = _selector(a, "TextPositionSelector"), _selector(a, "TextQuoteSelector")
        assert text[pos["start"] : pos["end"]] == row["quote"] == quote["exact"], key
        assert _source_of(a)["source_id"] == row["source_id"], key


@pytest.mark.data
def test_prefix_exact_suffix_occur_once_exactly_at_the_position():
    for a in _all():
        text = _source_of(a)["text"]
        pos, q = _selector(a, "TextPositionSelector"), _selector(a, "TextQuoteSelector")
        start, end = pos["start"], pos["end"]
        assert text[start - len(q["prefix"]) : start] == q["prefix"]
        assert text[end : end + len(q["suffix"])] == q["suffix"]
        assert len(q["prefix"]) >= min(CONTEXT, start) and len(q["suffix"]) >= min(CONTEXT, len(text) - end)
        assert _positions(text, q["prefix"] + q["exact"] + q["suffix"]) == [start - len(q["prefix"])], a["id"]


@pytest.mark.data
def test_the_quote_selector_alone_finds_the_same_position():
    """Anchoring as a reader would, from the quote selector only, lands where the position says."""
    for a in _all():
        text = _source_of(a)["text"]
        q = _selector(a, "TextQuoteSelector")
        (at,) = _positions(text, q["prefix"] + q["exact"] + q["suffix"])
        assert at + len(q["prefix"]) == _selector(a, "TextPositionSelector")["start"]


@pytest.mark.data
def test_a_repeated_quote_points_at_the_occurrence_its_row_pins():
    for _, key, row in _quoted_rows():
        a = annotation(key)
        text = _source_of(a)["text"]
        found = _positions(text, row["quote"])
        nth = int(row["quote_occurrence"] or 1)
        assert len(found) == 1 or row["quote_occurrence"], key
        assert _selector(a, "TextPositionSelector")["start"] == found[nth - 1], key


@pytest.mark.data
def test_the_ambiguous_rows_of_the_data_are_pinned():
    """The photo caption printed twice: EV-0415 is its first printing; the table of contents lists the
    headings of enduring-link-palestine-iran before they head their sections."""
    first = _selector(annotation("EV-0415"), "TextPositionSelector")["start"]
    text = _source_of(annotation("EV-0415"))["text"]
    assert _positions(text, CAPTION)[0] == first
    toc = exclusion_id("enduring-link-palestine-iran", 1, "Historical Roots of a Complex Alliance")
    heading = exclusion_id("enduring-link-palestine-iran", 2, "Historical Roots of a Complex Alliance")
    text = _source_of(annotation(toc))["text"]
    at_toc = _selector(annotation(toc), "TextPositionSelector")["start"]
    at_heading = _selector(annotation(heading), "TextPositionSelector")["start"]
    assert text[at_toc - 2 : at_toc] == "- " and text[at_heading - 1] == "\n" and at_toc < at_heading
    assert (
        "navigation" in annotation(toc)["body"]["value"] and "heading" in annotation(heading)["body"]["value"]
    )


# --- the shape the W3C model asks for ------------------------------------------------------------


@pytest.mark.data
def test_every_annotation_has_the_keys_the_web_annotation_model_requires():
    for a in _all():
        assert a["@context"] == CONTEXT_URL == "http://www.w3.org/ns/anno.jsonld"
        assert a["type"] == "Annotation" and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", a["id"])
        assert a["motivation"] in W3C_MOTIVATIONS
        body = a["body"]
        assert body["type"] == "TextualBody" and body["value"].strip() and body["format"] == "text/plain"
        assert body["purpose"] == a["motivation"] and body["language"] == "en"
        assert body["dcterms:isPartOf"]["schema:version"] == package().version
        target = a["target"]
        assert target["type"] == "SpecificResource"
        assert {s["type"] for s in target["selector"]} == {"TextQuoteSelector", "TextPositionSelector"}
        assert set(_selector(a, "TextQuoteSelector")) == {"type", "exact", "prefix", "suffix"}
        assert set(_selector(a, "TextPositionSelector")) == {"type", "start", "end"}
        source = _source_of(a)
        assert (
            target["source"]["type"] == "Text"
            and target["source"]["dcterms:identifier"] == source["source_id"]
        )
        assert hashlib.sha256(source["text"].encode("utf-8")).hexdigest() == source["sha256"]
        assert target.get("scope") == (source["url"] or None)


@pytest.mark.data
def test_motivation_follows_the_table():
    tables = {key: table for table, key, _ in _quoted_rows()}
    for a in _all():
        table = tables[a["body"]["dcterms:identifier"]]
        want = {"actors": "identifying", "exclusions": "classifying"}.get(table, "describing")
        assert a["motivation"] == want


@pytest.mark.data
def test_the_json_ld_reads_as_rdf():
    """rdflib reads the collection as JSON-LD. The W3C context is not fetched (no network): the
    terms used are mapped here to the IRIs the Web Annotation vocabulary gives them."""
    rdflib = pytest.importorskip("rdflib")
    oa, dct, as_ = (
        "http://www.w3.org/ns/oa#",
        "http://purl.org/dc/terms/",
        "http://www.w3.org/ns/activitystreams#",
    )
    ref = {"@type": "@id"}
    context = {
        "oa": oa,
        "dcterms": dct,
        "dctypes": "http://purl.org/dc/dcmitype/",
        "as": as_,
        "schema": "http://schema.org/",
        "id": "@id",
        "type": "@type",
        **{t: f"oa:{t}" for t in ("Annotation", "TextualBody", "SpecificResource")},
        **{t: f"oa:{t}" for t in ("TextQuoteSelector", "TextPositionSelector")},
        "Text": "dctypes:Text",
        "Dataset": "dctypes:Dataset",
        "AnnotationCollection": "as:OrderedCollection",
        "AnnotationPage": "as:OrderedCollectionPage",
        "motivation": {"@id": "oa:motivatedBy", "@type": "@vocab"},
        "purpose": {"@id": "oa:hasPurpose", "@type": "@vocab"},
        **{m: f"oa:{m}" for m in W3C_MOTIVATIONS},
        "body": {"@id": "oa:hasBody", **ref},
        "target": {"@id": "oa:hasTarget", **ref},
        "source": {"@id": "oa:hasSource", **ref},
        "selector": {"@id": "oa:hasSelector", **ref},
        "scope": {"@id": "oa:hasScope", **ref},
        "rights": {"@id": "dcterms:rights", **ref},
        "value": "http://www.w3.org/1999/02/22-rdf-syntax-ns#value",
        "format": "http://purl.org/dc/elements/1.1/format",
        "language": "http://purl.org/dc/elements/1.1/language",
        "exact": "oa:exact",
        "prefix": "oa:prefix",
        "suffix": "oa:suffix",
        "start": "oa:start",
        "end": "oa:end",
        "label": "http://www.w3.org/2000/01/rdf-schema#label",
        "total": "as:totalItems",
        "startIndex": "as:startIndex",
        "first": {"@id": "as:first", **ref},
        "items": {"@id": "as:items", **ref, "@container": "@list"},
    }
    doc = web_annotations.collection()
    assert doc["@context"] == CONTEXT_URL
    graph = rdflib.Graph().parse(data=json.dumps({**doc, "@context": context}), format="json-ld")
    kind = rdflib.RDF.type
    annotated = set(graph.subjects(kind, rdflib.URIRef(oa + "Annotation")))
    assert {str(s) for s in annotated} == {a["id"] for a in _all()}
    starts = list(graph.objects(None, rdflib.URIRef(oa + "start")))
    assert len(starts) == len(_all())


# --- the export and the command line -------------------------------------------------------------


@pytest.mark.unit
def test_export_writes_one_collection_with_one_annotation_per_row(tmp_path):
    (path,) = export("annotations", tmp_path / "out")
    assert path.name == "annotations.jsonld"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["@context"] == CONTEXT_URL and doc["type"] == "AnnotationCollection"
    assert doc["id"].startswith("urn:uuid:") and doc["label"]
    page = doc["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    assert doc["total"] == len(page["items"]) == len(_quoted_rows())
    assert all("@context" not in a for a in page["items"])  # given once, at the top
    assert page["items"] == [{k: v for k, v in a.items() if k != "@context"} for a in _all()]
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.unit
def test_cli_export_and_one_annotation(tmp_path):
    result = run("export", "-f", "annotations", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "annotations.jsonld").read_text(encoding="utf-8"))["total"] == len(_all())
    result = run("annotation", "EV-0415")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == annotation("EV-0415")


@pytest.mark.unit
def test_the_same_row_gets_the_same_annotation():
    assert (
        annotation("EV-0415")
        == annotation("EV-0415")
        == _all()[[a["body"]["dcterms:identifier"] for a in _all()].index("EV-0415")]
    )
    assert ipd.annotation is annotation and ipd.annotations is annotations


# --- unknown ids ---------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("id, close", [("EV-9415", "EV-0415"), ("ev-0415", "EV-0415"), ("hamass", "hamas")])
def test_an_unknown_id_is_refused_with_the_closest_ids(id, close):
    with pytest.raises(DataError) as info:
        annotation(id)
    assert isinstance(info.value, UnknownIdError) and info.value.id == id
    assert f"no row has the id {id!r}; did you mean {close}" in info.value.line


@pytest.mark.unit
def test_retired_ids_and_rows_without_a_quote_are_refused():
    with pytest.raises(UnknownIdError, match="ST-0108' was retired"):
        annotation("ST-0108")
    with pytest.raises(UnknownIdError, match="quotes no source"):
        annotation("LK-0001")


@pytest.mark.unit
def test_cli_unknown_id():
    result = run("annotation", "EV-9415")
    assert result.returncode == 1 and result.stdout == ""
    assert "did you mean EV-0415" in result.stderr


# --- selectors, and the rows a broken dataset gives ----------------------------------------------


@pytest.mark.unit
def test_context_widens_until_the_quote_selector_is_unique():
    text = "ab " * 100 + "ab"
    start = len(text) - 2
    quote, position = selectors(text, start, len(text), context=2)
    assert position == {"type": "TextPositionSelector", "start": start, "end": len(text)}
    assert quote["suffix"] == "" and len(_positions(text, quote["prefix"] + "ab")) == 1
    # overlapping repeats: "aaa" is twice in "aaaa", so the context doubles until the whole text is used
    quote, _ = selectors("aaaa", 1, 2, context=1)
    assert (quote["prefix"], quote["exact"], quote["suffix"]) == ("a", "a", "aa")


@pytest.mark.unit
def test_the_module_examples_hold():
    assert doctest.testmod(web_annotations).failed == 0


@pytest.mark.unit
def test_an_ambiguous_quote_without_its_occurrence_is_a_data_error(dataset):
    row = set_cell(dataset, "csv/events.csv", "EV-0415", "quote_occurrence", "")
    with pytest.raises(DataError) as info:
        annotation("EV-0415", root=dataset)
    (issue,) = info.value.issues
    assert (issue.file, issue.row, issue.column, issue.rule) == (
        "csv/events.csv",
        row,
        "quote_occurrence",
        "quote occurrence",
    )


@pytest.mark.unit
def test_a_contract_without_occurrences_means_the_first_one(dataset):
    """Releases before the occurrence column pinned nothing: their quotes mean the first occurrence."""
    header, rows = read_rows(dataset, "csv/events.csv")
    k = header.index("quote_occurrence")
    write_rows(dataset, "csv/events.csv", header[:k] + header[k + 1 :], [r[:k] + r[k + 1 :] for r in rows])
    path = dataset / "schemas/events.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "quote_occurrence"]
    schema["fields"][[f["name"] for f in schema["fields"]].index("quote")]["x-quote"].pop("occurrence")
    path.write_text(json.dumps(schema), encoding="utf-8")
    a = annotation("EV-0415", root=dataset)
    text = _source_of(a)["text"]
    assert _selector(a, "TextPositionSelector")["start"] == _positions(text, CAPTION)[0]


# --- the validator and coverage ------------------------------------------------------------------


@pytest.mark.unit
def test_the_occurrence_rule_says_how_many_and_which_column(dataset):
    event_row = set_cell(dataset, "csv/events.csv", "EV-0415", "quote_occurrence", "", refresh_hashes=False)
    actor_row = set_cell(dataset, "csv/actors.csv", "hamas", "quote_occurrence", "2")
    issues = [i for i in ipd.validate(dataset).issues if i.rule == "quote occurrence"]
    assert [(i.file, i.row, i.column, i.value) for i in issues] == [
        ("csv/actors.csv", actor_row, "quote_occurrence", "2"),
        ("csv/events.csv", event_row, "quote_occurrence", None),
    ]
    assert (
        "occurs once in sources/" in issues[0].message
        and "leave quote_occurrence empty or write 1" in issues[0].message
    )
    assert "occurs 2 times in sources/004_972a0851efd58555.txt" in issues[1].message
    assert "fill quote_occurrence with the occurrence the row means, 1 to 2" in issues[1].message


@pytest.mark.unit
@pytest.mark.parametrize("cell, beyond", [("02", False), ("+2", False), ("+3", True), ("9" * 30, True)])
def test_an_occurrence_is_read_as_the_integer_it_writes(dataset, cell, beyond):
    n = set_cell(dataset, "csv/events.csv", "EV-0416", "quote_occurrence", cell)
    issues = [i for i in ipd.validate(dataset).issues if i.rule == "quote occurrence"]
    assert [(i.row, i.value) for i in issues] == ([(n, cell)] if beyond else [])


@pytest.mark.data
def test_coverage_marks_only_the_occurrence_a_row_pins():
    """The caption's second printing is not covered by EV-0415 (its first): it is excluded, as a duplicate."""
    (memo,) = coverage(source_id="memo-palestinian-resistance-iran")
    captions = [s for s in memo.sentences if s.sentence.text.startswith(CAPTION)]
    assert len(captions) == 2
    assert captions[0].coded > 0.5 and captions[1].coded == 0 and captions[1].status == EXCLUDED


@pytest.mark.data
def test_annotations_of_a_released_version_point_into_its_snapshots():
    """annotation(version=) annotates a row as that release published it; its position selector
    slices the quote out of the snapshot the release holds."""
    from iran_palestine_data.contract.published import release_files

    older = ipd.annotations(version="0.2.0")
    assert len(older) == sum(
        len(ipd.load(t, version="0.2.0"))
        for t in ("actors", "events", "statements", "funding_claims", "exclusions")
    )
    one = ipd.annotation("EV-0011", version="0.1.0")
    snapshot = next(p for p in release_files("0.1.0") if p.startswith("sources/000_"))
    text = release_files("0.1.0")[snapshot].decode("utf-8")
    quote, position = one["target"]["selector"]
    assert text[position["start"] : position["end"]] == quote["exact"]

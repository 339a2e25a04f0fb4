"""Citations that hold: every entry parses with the tools that read it, and every key is unique."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from iran_palestine_data import DataError, cite
from iran_palestine_data.publish import citation
from iran_palestine_data.publish.citation import STYLES, UnknownIdError, known_date

pytestmark = pytest.mark.unit

ROWS = [
    "EV-0015",
    "FC-0213",
    "hamas",
    "wikipedia-iran-palestine-relations",
    "memo-palestinian-resistance-iran",
]
VERSION = json.loads(
    (Path(__file__).resolve().parent.parent / "datapackage.json").read_text(encoding="utf-8")
)["version"]  # the dataset version every entry must name (it changes with each release)
KEY = re.compile(r"[A-Za-z0-9_:.\-]+")  # what BibTeX, biber and bibtexparser all take in a key
CLI = [str(Path(sys.executable).with_name("iran-palestine-data"))]


def run(*args):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, check=False)


def _bib(text: str):
    bibtexparser = pytest.importorskip("bibtexparser", minversion="2.0.0b7")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys)), keys
    for key in keys:
        assert KEY.fullmatch(key), key
    return library


@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_dataset_and_rows_cited_together_parse(style):
    library = _bib(cite(style, ids=ROWS))
    keys = [e.key for e in library.entries]
    assert len(keys) == 1 + len(ROWS)
    assert keys[0] == "iran_palestine_data_" + VERSION.replace(".", "_")
    for row, key in zip(ROWS, keys[1:]):
        assert key == f"{keys[0]}:{row}"
    kind = "misc" if style == "bibtex" else "dataset"
    assert {e.entry_type for e in library.entries} == {kind}


@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_separate_calls_concatenate(style):
    """The original bug: the dataset entry and a row's entry (and rows cited one by one) shared a key."""
    text = "\n\n".join([cite(style)] + [cite(style, id=row) for row in ROWS])
    library = _bib(text)
    assert len(library.entries) == 1 + len(ROWS)


def test_row_names_version_and_source():
    entry = _bib(cite("biblatex", id="memo-palestinian-resistance-iran")).entries[0]
    note = entry["note"]
    assert entry["version"] == VERSION and f"Dataset version {VERSION}" in note
    assert "Middle East Monitor" in note and "2021-12-25" in note
    assert entry["origpublisher"] == "{Middle East Monitor}"
    assert entry["origdate"] == "2021-12-25"
    event = _bib(cite("bibtex", id="EV-0015")).entries[0]
    assert "EV-0015" in event["note"] and "Wikipedia" in event["note"]
    assert "2024-06-03/.." in event["note"]  # an open date is told as recorded, not turned into a year


def _source_urls() -> dict[str, str]:
    """Each row of ROWS -> the url recorded for the source it quotes (or is)."""
    from iran_palestine_data import load_all

    tables = load_all()
    urls = dict(zip(tables["sources"]["source_id"], tables["sources"]["url"].fillna("")))
    out = {}
    for row in ROWS:
        for name, ids in (("events", "event_id"), ("funding_claims", "claim_id"), ("actors", "actor_id")):
            hit = tables[name][tables[name][ids] == row]
            if len(hit):
                out[row] = urls[hit["source_id"].iloc[0]]
        out.setdefault(row, urls.get(row, ""))
    return out


def test_a_row_cites_its_source_url_and_no_other():
    """A row's entry carries the url recorded for its source (the original must be reachable); no entry
    carries an address that is not recorded: the dataset's own entry none, since it records none."""
    urls = _source_urls()
    assert all(urls.values()), urls  # every shipped source records one
    address = re.compile(r"https?://[^\s,;}\]]+")
    for style in ("bibtex", "biblatex", "ris", "apa"):
        assert not address.search(cite(style)), style
        for row, url in urls.items():
            found = {a.rstrip(".") for a in address.findall(cite(style, id=row))}
            # in BibTeX the address is TeX in a note: % and _ escaped (Iran\%E2\%80\%93Palestine\_relations)
            assert found == {citation._tex(url) if "bib" in style else url}, (style, row, found)
    items = json.loads(cite("csl-json", ids=ROWS))
    assert all("URL" not in item for item in items)  # CSL's URL is the item's (the dataset's) own
    for item, row in zip(items[1:], ROWS):
        assert urls[row] in item["note"], row


def test_ris_parses():
    rispy = pytest.importorskip("rispy")
    entries = rispy.loads(cite("ris", ids=ROWS))
    assert len(entries) == 1 + len(ROWS)
    assert all(e["type_of_reference"] == "DATA" for e in entries)
    ids = [e["id"] for e in entries]
    assert len(set(ids)) == len(ids)
    by_id = {e["id"]: e for e in entries}
    row = by_id[f"{ids[0]}:FC-0213"]
    assert row["edition"] == VERSION and "IranWire" in row["original_publication"]
    assert "FC-0213" in row["notes"][0]


def test_csl_json_renders_with_citeproc():
    citeproc = pytest.importorskip("citeproc")
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(cite("csl-json", ids=ROWS))
    assert len({i["id"] for i in items}) == len(items) == 1 + len(ROWS)
    memo = next(i for i in items if i["id"].endswith(":memo-palestinian-resistance-iran"))
    assert memo["original-date"] == {"date-parts": [[2021, 12, 25]]}
    event = next(i for i in items if i["id"].endswith(":EV-0015"))
    assert "original-date" not in event  # published "2024-06-03/..": no date is known
    source = CiteProcJSON(items)
    bundled = Path(citeproc.__file__).parent / "data" / "styles"
    name = next(n for n in ("harvard1", "harvard-cite-them-right") if (bundled / f"{n}.csl").exists())
    style = CitationStylesStyle(name, validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(items)
    assert all("2026" in r and "iran-palestine-data" in r for r in rendered)


def test_apa_and_cff():
    apa = cite("apa", id="FC-0213")
    assert f"(Version {VERSION}) [Data set]" in apa and "FC-0213" in apa and "IranWire (n.d.)" in apa
    assert "(2021, December 25)" in cite("apa", id="memo-palestinian-resistance-iran")
    assert cite("cff").startswith("cff-version:")
    assert cite("apa", ids=["EV-0015", "LK-0001"]).count("[Data set]") == 3


def test_every_style_cites_rows():
    for style in STYLES:
        assert cite(style, ids=["EV-0015"])


@pytest.mark.parametrize("ids", [["EV-9999"], ["EV-0015", "nobody-at-all"], ["ev-0015"]])
def test_unknown_id_is_an_error(ids):
    with pytest.raises(DataError) as info:
        cite("bibtex", ids=ids)
    assert isinstance(info.value, ValueError) and isinstance(info.value, UnknownIdError)
    assert info.value.id == ids[-1] and info.value.suggestions
    assert f"no row has the id {ids[-1]!r}; did you mean " in info.value.line


def test_suggestion_ignores_case():
    with pytest.raises(ValueError, match="did you mean EV-0015 or"):
        cite("apa", id="ev-0015")


def test_unknown_id_checked_for_cff_too():
    with pytest.raises(UnknownIdError):
        cite("cff", id="EV-9999")


def test_retired_id_is_an_error():
    with pytest.raises(UnknownIdError, match="ST-0108' was retired"):
        cite("apa", id="ST-0108")


@pytest.mark.parametrize(
    "edtf, known",
    [
        ("2021-12-25", ((2021, 12, 25), False)),
        ("2020-01", ((2020, 1), False)),
        ("2020-01/..", ((), False)),
        ("2024-06-03/..", ((), False)),
        ("2017-12/2018-09", ((), False)),
        ("2018-02/2018-09", ((2018,), False)),
        ("2019?", ((2019,), True)),
        ("199X", ((), False)),
        ("not a date", ((), False)),
    ],
)
def test_known_date(edtf, known):
    assert known_date(edtf) == known


def test_cli_several_ids():
    result = run("cite", "-f", "bibtex", "--id", "EV-0015", "--id", "FC-0213")
    assert result.returncode == 0, result.stderr
    library = _bib(result.stdout)
    assert [e.key.rpartition(":")[2] for e in library.entries[1:]] == ["EV-0015", "FC-0213"]


def test_cli_one_id_and_dataset_concatenate():
    both = run("cite", "-f", "bibtex").stdout + "\n" + run("cite", "-f", "bibtex", "--id", "EV-0015").stdout
    assert len(_bib(both).entries) == 2


def test_cli_unknown_id():
    result = run("cite", "--id", "EV-9999")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "EV-9999" in lines[0] and "did you mean" in lines[0]
    result = run("cite", "-f", "ris", "--id", "EV-0015", "--id", "ev-0016")
    assert result.returncode == 1 and "'ev-0016'; did you mean EV-0016 " in result.stderr


def test_a_recorded_url_and_an_uncertain_date_are_told():
    """A source's URL is given in every style, as recorded; an uncertain date is told as uncertain."""
    from iran_palestine_data.publish import citation

    src = citation._source(
        {
            "source_id": "s-1",
            "title": "A {title} & 100%",
            "publisher": "P",
            "published": "2019-03?",
            "url": "https://e.org/a",
        }
    )
    assert src.date == (2019, 3) and src.uncertain
    ds = citation._dataset(
        {"title": "T", "version": "1.2.3", "date-released": "2026-01-02", "authors": [{"name": "X"}]}
    )
    entry = citation._Entry(citation._key("1.2.3", "EV-0001"), "EV-0001", "events", src)
    assert entry.key == "iran_palestine_data_1_2_3:EV-0001"
    assert "https://e.org/a" in citation._note(ds, entry) and "2019-03?; EDTF 2019-03?" in citation._note(
        ds, entry
    )
    assert "P (2019, March?). A {title} & 100%. https://e.org/a" in citation._apa(ds, entry)
    bib = _bib(citation._bib(ds, entry, biblatex=True)).entries[0]
    assert "origdate" not in bib.fields_dict  # uncertain: told in the note, not as a date
    assert "https://e.org/a" in bib["note"]
    rispy = pytest.importorskip("rispy")
    assert "https://e.org/a" in rispy.loads(citation._ris(ds, entry))[0]["original_publication"]
    assert citation._csl(ds, entry)["original-date"] == {"date-parts": [[2019, 3]], "circa": True}

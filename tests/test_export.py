"""Exports round-trip: every format holds exactly the rows and ids of the CSVs, with real types; the
Parquet and Stata files give back what ``load()`` gives (compared with ``load()`` itself, whatever
columns it has). Datasette, DuckDB, polars and R read them in tests/test_export_tools.py."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.schema import package
from iran_palestine_data.publish.datasette_meta import fts_columns
from iran_palestine_data.publish.stata_export import LABEL_MAX, label

PKG = package()
TABLES = list(PKG.tables)


def ids(table: str) -> list[str]:
    tbl = PKG.table(table)
    frame = ipd.load(table)
    return ["|".join(str(frame[k].iloc[i]) for k in tbl.primary_key) for i in range(len(frame))]


def _exported(factory, fmt: str) -> Path:
    out = factory.mktemp(fmt)
    ipd.export(fmt, out)
    return out


@pytest.fixture(scope="module")
def sqlite_dir(tmp_path_factory) -> Path:
    return _exported(tmp_path_factory, "sqlite")


@pytest.fixture(scope="module")
def parquet_dir(tmp_path_factory) -> Path:
    return _exported(tmp_path_factory, "parquet")


@pytest.fixture(scope="module")
def stata_dir(tmp_path_factory) -> Path:
    return _exported(tmp_path_factory, "stata")


@pytest.fixture(scope="module")
def jsonl_dir(tmp_path_factory) -> Path:
    return _exported(tmp_path_factory, "jsonl")


def _con(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "iran_palestine.db")


def _meta(folder: Path) -> dict:
    return json.loads((folder / "metadata.json").read_text(encoding="utf-8"))


# --- SQLite ------------------------------------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_sqlite_round_trip(sqlite_dir, table):
    keys = PKG.table(table).primary_key
    got = [
        "|".join(map(str, r)) for r in _con(sqlite_dir).execute(f'SELECT {", ".join(keys)} FROM "{table}"')
    ]
    assert sorted(got) == sorted(ids(table))


@pytest.mark.unit
def test_sqlite_keys_types_and_indexes(sqlite_dir):
    con = _con(sqlite_dir)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(r[2], r[3]) for r in con.execute("PRAGMA foreign_key_list(statements)")}
    assert ("actors", "speaker_id") in fks and ("events", "event_id") in fks
    declared = {r[1]: r[2] for r in con.execute("PRAGMA table_info(funding_claims)")}
    assert (
        declared["amount_low"] == "REAL"
        and declared["date_start"] == "DATE"
        and declared["claim_id"] == "TEXT"
    )
    indexes = {r[1] for r in con.execute("PRAGMA index_list(events)")}
    assert {"idx_events_date_start", "idx_events_source_id"} <= indexes
    with pytest.raises(sqlite3.IntegrityError):  # vocabularies are CHECK constraints
        con.execute("UPDATE events SET event_type = 'coup' WHERE event_id = 'EV-0001'")
    support = json.loads(
        con.execute("SELECT support_types FROM funding_claims WHERE claim_id = 'FC-0005'").fetchone()[0]
    )
    assert support == ["weapons", "military_technology"]


def _has_word(text, word: str) -> bool:
    return isinstance(text, str) and word.casefold() in re.findall(r"\w+", text.casefold())


@pytest.mark.unit
@pytest.mark.parametrize(("table", "word"), [("events", "Soleimani"), ("actors", "Sayyed")])
def test_full_text_search_finds_a_word_of_the_quotes_and_names(sqlite_dir, table, word):
    tbl = PKG.table(table)
    frame = ipd.load(table)
    columns = fts_columns(tbl)
    assert "quote" in columns or "aliases" in columns
    expected = {
        row[tbl.id_field]
        for row in frame.to_dict("records")
        if any(_has_word(" ".join(v) if isinstance(v, list) else v, word) for v in map(row.get, columns))
    }
    assert expected  # the word is in the data
    got = _con(sqlite_dir).execute(
        f"SELECT {tbl.id_field} FROM {table} WHERE rowid IN "
        f"(SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?)",
        [word.lower()],
    )
    assert {r[0] for r in got} == expected


@pytest.mark.unit
def test_views_have_a_row_per_base_row_and_the_names(sqlite_dir):
    con = _con(sqlite_dir)
    bases = {
        "events_with_actors": "events",
        "statements_named": "statements",
        "funding_named": "funding_claims",
    }
    for view, base in bases.items():
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] == len(ipd.load(base)), view
    actors = ipd.load("actors").set_index("actor_id")["name"]
    participants = ipd.load("event_actors").query("event_id == 'EV-0001'")
    row = con.execute(
        "SELECT actors, actor_ids FROM events_with_actors WHERE event_id = 'EV-0001'"
    ).fetchone()
    assert sorted(row[1].split("; ")) == sorted(participants["actor_id"])
    assert all(f"{actors[a]} ({r})" in row[0] for a, r in zip(participants["actor_id"], participants["role"]))
    claims = ipd.load("funding_claims").set_index("claim_id")
    donor, recipient = con.execute(
        "SELECT donor_name, recipient_name FROM funding_named WHERE claim_id = 'FC-0005'"
    ).fetchone()
    assert (donor, recipient) == (
        actors[claims.loc["FC-0005", "donor_id"]],
        actors[claims.loc["FC-0005", "recipient_id"]],
    )
    speakers = con.execute("SELECT count(*) FROM statements_named WHERE speaker_name IS NOT NULL").fetchone()[
        0
    ]
    assert speakers == ipd.load("statements")["speaker_id"].notna().sum()


@pytest.mark.unit
def test_canned_queries_give_the_hand_counted_answers(sqlite_dir):
    con = _con(sqlite_dir)
    sql = {name: q["sql"] for name, q in _meta(sqlite_dir)["databases"]["iran_palestine"]["queries"].items()}
    assert set(sql) == {"contradictions", "timeline", "funding_by_donor"}

    # csv/claim_links.csv: the four rows with relation "contradicts"
    cursor = con.execute(sql["contradictions"])
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, r)) for r in cursor]
    assert [r["link_id"] for r in rows] == ["LK-0016", "LK-0018", "LK-0019", "LK-0077"]
    quotes = pd.concat(
        [
            ipd.load(t).set_index(PKG.table(t).id_field)["quote"]
            for t in ("events", "funding_claims", "statements")
        ]
    )
    for r in rows:
        assert (r["from_quote"], r["to_quote"]) == (quotes[r["from_id"]], quotes[r["to_id"]])

    # csv/events.csv: 66 of the 109 events have a date_start, in 21 distinct years; 12 in 1979, 7 in 2020
    timeline = {year: (n, sources) for year, n, sources in con.execute(sql["timeline"])}
    assert len(timeline) == 21 and sum(n for n, _ in timeline.values()) == 66
    assert timeline[1979][0] == 12 and timeline[2020][0] == 7

    # csv/funding_claims.csv: 54 claims in 17 (donor, status, currency, period) groups; Iran "provided"
    # without a figure 27 times, and twice with a yearly USD figure summing to 200,000,000
    cursor = con.execute(sql["funding_by_donor"])
    columns = [c[0] for c in cursor.description]
    groups = {
        (r["donor_id"], r["status"], r["currency"], r["period"]): r
        for r in (dict(zip(columns, x)) for x in cursor)
    }
    assert len(groups) == 17 and sum(g["claims"] for g in groups.values()) == 54
    assert groups[("iran", "provided", None, "unspecified")]["claims"] == 27
    yearly = groups[("iran", "provided", "USD", "per_year")]
    assert (yearly["claims"], yearly["amount_low_sum"], yearly["donor"]) == (2, 200_000_000, "Iran")


@pytest.mark.unit
def test_datasette_metadata_describes_licenses_and_searches_every_table(sqlite_dir):
    meta = _meta(sqlite_dir)
    licence = PKG.descriptor["licenses"][0]
    assert meta["license"] == licence["name"] == "CC-BY-4.0" and meta["source"]
    tables = meta["databases"]["iran_palestine"]["tables"]
    assert set(TABLES) | {"events_with_actors", "statements_named", "funding_named"} == set(tables)
    for name, entry in tables.items():
        assert entry["description"] and entry["source"], name
        assert (entry["license"], entry["license_url"]) == (licence["name"], licence["path"]), name
        if name in PKG.tables:
            tbl = PKG.table(name)
            assert set(entry["columns"]) == set(tbl.field_names)
            assert tbl.path in entry["source"]
            assert ("fts_table" in entry) == bool(fts_columns(tbl)), name
    assert tables["events"]["fts_table"] == "events_fts" and tables["events"]["fts_pk"] == "rowid"
    assert {"quote", "title"} <= set(fts_columns(PKG.table("events")))
    assert {"name", "aliases", "description"} <= set(fts_columns(PKG.table("actors")))


# --- Parquet -----------------------------------------------------------------------------------------


def _list_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.ArrowDtype)]


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_parquet_gives_back_load(parquet_dir, table):
    path = parquet_dir / f"{table}.parquet"
    want = ipd.load(table)
    got = pd.read_parquet(path)
    lists = _list_columns(want)
    pd.testing.assert_frame_equal(got.drop(columns=lists), want.drop(columns=lists), check_dtype=True)
    if lists:  # pandas cannot rebuild a list dtype from the file (pandas-dev/pandas#57411): arrays here
        for column in lists:
            assert [None if v is None else list(v) for v in got[column]] == [
                v if isinstance(v, list) else None for v in want[column].tolist()
            ]
        lists_back = pd.read_parquet(path, columns=lists, dtype_backend="pyarrow")
        pd.testing.assert_frame_equal(lists_back, want[lists], check_dtype=True)
    assert got.attrs == json.loads(json.dumps(want.attrs, default=str))


@pytest.mark.unit
def test_parquet_keeps_every_code_and_every_description(parquet_dir):
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = ipd.load("actors")
    got = pd.read_parquet(parquet_dir / "actors.parquet")
    vocabulary = PKG.table("actors").field("country").enum
    assert list(got["country"].cat.categories) == list(vocabulary)  # unused codes too, in schema order
    assert got["country"].nunique() < len(vocabulary)
    schema = pq.read_schema(parquet_dir / "funding_claims.parquet")
    assert schema.field("date_start").type == pa.timestamp("ms")
    assert schema.field("amount_low").type == pa.float64()
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("support_types").type == pa.list_(pa.string())
    docs = ipd.load("funding_claims").attrs.get("columns") or {
        f.name: {"description": f.description} for f in PKG.table("funding_claims").fields
    }
    for name in schema.names:
        assert schema.field(name).metadata[b"description"].decode() == docs[name]["description"], name
    status = json.loads(schema.field("status").metadata[b"vocabulary"])
    assert list(status) == list(PKG.table("funding_claims").field("status").enum)
    table_meta = {k.decode(): v.decode() for k, v in schema.metadata.items() if k != b"pandas"}
    assert table_meta["description"] == PKG.table("funding_claims").description
    assert table_meta["license"] == "CC-BY-4.0" and "csv/funding_claims.csv" in table_meta["source"]
    assert frame.attrs["table"] == "actors"


# --- Stata -------------------------------------------------------------------------------------------


def _stata_expected(column: pd.Series) -> list:
    """What Stata holds for a column of load(): lists joined, missing text empty, flags 0/1."""
    if isinstance(column.dtype, pd.ArrowDtype):
        return [";".join(v) if isinstance(v, list) else "" for v in column.tolist()]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [None if pd.isna(v) else str(v) for v in column]
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return [None if pd.isna(v) else pd.Timestamp(v) for v in column]
    if pd.api.types.is_string_dtype(column.dtype):
        return ["" if pd.isna(v) else v for v in column]
    return [None if pd.isna(v) else float(v) for v in column]


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_stata_gives_back_the_values_of_load(stata_dir, table):
    from pandas.io.stata import StataReader

    want = ipd.load(table)
    got = pd.read_stata(stata_dir / f"{table}.dta")
    with StataReader(stata_dir / f"{table}.dta") as reader:
        value_labels = reader.value_labels()
    assert list(got.columns) == list(want.columns) and len(got) == len(want)
    for name in want.columns:
        column = got[name]
        if isinstance(want[name].dtype, pd.CategoricalDtype):
            # the value label holds every code; pandas makes categories of the codes used only
            assert list(value_labels[name].values()) == list(want[name].cat.categories), name
            used = want[name].cat.remove_unused_categories().cat.categories
            assert list(column.cat.categories) == list(used), name
        values = [
            None if pd.isna(v) else (pd.Timestamp(v) if isinstance(v, pd.Timestamp) else v) for v in column
        ]
        if pd.api.types.is_numeric_dtype(column.dtype):
            values = [None if v is None else float(v) for v in values]
        assert values == _stata_expected(want[name]), name


@pytest.mark.unit
def test_stata_labels_and_scripts(stata_dir):
    from pandas.io.stata import StataReader

    with StataReader(stata_dir / "funding_claims.dta") as reader:
        variable_labels = reader.variable_labels()
        value_labels = reader.value_labels()
        data_label = reader.data_label
    docs = ipd.load("funding_claims").attrs.get("columns") or {
        f.name: {"description": f.description} for f in PKG.table("funding_claims").fields
    }
    assert set(variable_labels) == set(docs)
    for name, text in variable_labels.items():
        assert text == label(docs[name]["description"]) and len(text) <= LABEL_MAX
    assert any(text.endswith("…") for text in variable_labels.values())
    assert list(value_labels["status"].values()) == list(PKG.table("funding_claims").field("status").enum)
    assert data_label.startswith("Funding claims")
    # Arabic script (a file name in an exclusion's quote) and curly quotes come back unchanged
    exclusions = pd.read_stata(stata_dir / "exclusions.dta")["quote"].tolist()
    arabic = [q for q in ipd.load("exclusions")["quote"] if re.search("[\u0600-\u06ff]", q)]
    assert arabic and all(q in exclusions for q in arabic)
    statements = pd.read_stata(stata_dir / "statements.dta")["quote"].tolist()
    curly = [q for q in ipd.load("statements")["quote"] if "“" in q or "’" in q]
    assert curly and all(q in statements for q in curly)


@pytest.mark.unit
def test_stata_label_is_cut_with_an_ellipsis():
    assert label("short") == "short"
    long = "word " * 30
    cut = label(long)
    assert len(cut) == LABEL_MAX and cut.endswith("…") and long.startswith(cut[:-1])
    assert label("a\nb") == "a b"


# --- JSON Lines, errors, command line ----------------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_jsonl_round_trip(jsonl_dir, table):
    lines = (jsonl_dir / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    keys = PKG.table(table).primary_key
    assert sorted("|".join(str(o[k]) for k in keys) for o in objects) == sorted(ids(table))
    for o in objects:
        assert list(o) == PKG.table(table).field_names
        for f in PKG.table(table).fields:
            if f.type == "list":
                assert o[f.name] is None or isinstance(o[f.name], list)


@pytest.mark.unit
def test_unknown_format_names_every_format():
    from iran_palestine_data.publish.exporters import FORMATS

    with pytest.raises(ValueError, match="unknown export format 'xml'") as err:
        ipd.export("xml", "nowhere")
    assert all(fmt in str(err.value) for fmt in FORMATS) and "stata" in FORMATS


@pytest.mark.unit
def test_cli_export(tmp_path):
    cli = str(Path(sys.executable).with_name("iran-palestine-data"))
    done = subprocess.run(
        [cli, "export", "--format", "jsonl", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and (tmp_path / "events.jsonl").is_file()
    assert len(done.stdout.splitlines()) == len(TABLES)
    bad = subprocess.run(
        [cli, "export", "--format", "xml", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown format 'xml'" in bad.stderr and "stata" in bad.stderr


@pytest.mark.integration
def test_sqlite_export_of_broken_keys_is_a_data_error(dataset, tmp_path):
    # bad data never raises anything but DataError: a dangling key is refused with the validator's rule
    from iran_palestine_data.errors import DataError

    from helpers import set_cell

    set_cell(dataset, "csv/statements.csv", "ST-0003", "speaker_id", "ali-khamenie")
    with pytest.raises(DataError) as info:
        ipd.export("sqlite", tmp_path / "out", root=dataset)
    [issue] = info.value.issues
    assert issue.rule == "foreign key" and issue.file == "csv/statements.csv"
    assert (
        "cannot be exported to SQLite (FOREIGN KEY constraint failed: a key that names no row of actors)"
        in issue.message
    )
    assert not (tmp_path / "out" / "iran_palestine.db").exists()  # nothing half-written is left

"""Exports round-trip: every format holds exactly the rows and ids of the CSVs, with real types."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.schema import package

PKG = package()
TABLES = list(PKG.tables)


def ids(table: str) -> list[str]:
    tbl = PKG.table(table)
    frame = ipd.load(table)
    return ["|".join(str(frame[k].iloc[i]) for k in tbl.primary_key) for i in range(len(frame))]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    for fmt in ("sqlite", "parquet", "jsonl"):
        ipd.export(fmt, out)
    return out


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_sqlite_round_trip(exported, table):
    con = sqlite3.connect(exported / "iran_palestine.db")
    keys = PKG.table(table).primary_key
    got = ["|".join(map(str, r)) for r in con.execute(f'SELECT {", ".join(keys)} FROM "{table}"')]
    assert sorted(got) == sorted(ids(table))


@pytest.mark.unit
def test_sqlite_keys_types_and_indexes(exported):
    con = sqlite3.connect(exported / "iran_palestine.db")
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


@pytest.mark.unit
def test_datasette_metadata_describes_every_table_and_column(exported):
    meta = json.loads((exported / "metadata.json").read_text(encoding="utf-8"))
    assert meta["license"] == "CC-BY-4.0" and meta["source"]
    tables = meta["databases"]["iran_palestine"]["tables"]
    assert set(tables) == set(TABLES)
    for name, entry in tables.items():
        assert entry["description"] and set(entry["columns"]) == set(PKG.table(name).field_names)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.integration
def test_datasette_serves_a_documented_browsable_site(exported):
    port = _free_port()
    datasette = Path(sys.executable).with_name("datasette")
    proc = subprocess.Popen(
        [
            str(datasette),
            "serve",
            str(exported / "iran_palestine.db"),
            "-m",
            str(exported / "metadata.json"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):  # bounded wait for the server: at most 30 s
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(
                "datasette did not start: " + proc.stdout.read1().decode(errors="replace")
                if proc.stdout
                else ""
            )
        table_page = _get(f"{base}/iran_palestine/events")
        assert "One row per event per source" in table_page  # the table's description from the schema
        row_page = _get(f"{base}/iran_palestine/events/EV-0015")
        quote = ipd.load("events").set_index("event_id").loc["EV-0015", "quote"]
        assert quote in row_page
        row = json.loads(_get(f"{base}/iran_palestine/events/EV-0015.json?_shape=objects"))
        assert row["rows"][0]["quote"] == quote
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.integration
@pytest.mark.parametrize("table", TABLES)
def test_parquet_round_trip_with_duckdb_and_polars(exported, table):
    import duckdb
    import polars as pl

    path = exported / f"{table}.parquet"
    keys = PKG.table(table).primary_key
    rows = duckdb.sql(f"SELECT {', '.join(keys)} FROM read_parquet('{path}')").fetchall()
    assert sorted("|".join(map(str, r)) for r in rows) == sorted(ids(table))
    frame = pl.read_parquet(path)
    assert frame.height == len(ids(table)) and frame.columns == PKG.table(table).field_names


@pytest.mark.unit
def test_parquet_types(exported):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(exported / "funding_claims.parquet")
    assert schema.field("date_start").type == pa.date32()
    assert schema.field("amount_low").type == pa.float64()
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("support_types").type == pa.list_(pa.string())
    assert schema.field("quote").metadata[b"description"].startswith(b"Verbatim excerpt")


@pytest.mark.unit
@pytest.mark.parametrize("table", TABLES)
def test_jsonl_round_trip(exported, table):
    lines = (exported / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    objects = [json.loads(line) for line in lines]
    keys = PKG.table(table).primary_key
    assert sorted("|".join(str(o[k]) for k in keys) for o in objects) == sorted(ids(table))
    for o in objects:
        assert list(o) == PKG.table(table).field_names
        for f in PKG.table(table).fields:
            if f.type == "list":
                assert o[f.name] is None or isinstance(o[f.name], list)


@pytest.mark.unit
def test_unknown_format():
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        ipd.export("xml", "nowhere")


@pytest.mark.unit
def test_cli_export(tmp_path):
    cli = str(Path(sys.executable).with_name("iran-palestine-data"))
    done = subprocess.run(
        [cli, "export", "--format", "jsonl", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and (tmp_path / "events.jsonl").is_file()
    bad = subprocess.run(
        [cli, "export", "--format", "xml", "--out", str(tmp_path)], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "unknown format 'xml'" in bad.stderr

"""Other tools read the exports: Datasette serves the SQLite export with its search boxes, views and
canned queries; DuckDB and polars read the Parquet files; R reads them with ``arrow`` (the README's
snippet) and the Stata files with ``haven``, where those R packages are installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.schema import package

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
PKG = package()
TABLES = list(PKG.tables)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    for fmt in ("sqlite", "parquet", "stata"):
        ipd.export(fmt, out)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def datasette(exported, tmp_path_factory):
    """The base URL of Datasette serving the SQLite export with its metadata."""
    port = _free_port()
    command = [str(Path(sys.executable).with_name("datasette")), "serve", str(exported / "iran_palestine.db")]
    command += ["-m", str(exported / "metadata.json"), "-h", "127.0.0.1", "-p", str(port)]
    log = tmp_path_factory.mktemp("datasette") / "log.txt"
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):  # bounded wait for the server: at most 30 s
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("datasette stopped: " + log.read_text(errors="replace")[-2000:])
                time.sleep(0.5)
        else:
            pytest.fail("datasette did not start: " + log.read_text(errors="replace")[-2000:])
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _json(url: str) -> dict:
    return json.loads(_get(url))


def test_datasette_serves_a_documented_browsable_site(datasette):
    table_page = _get(f"{datasette}/iran_palestine/events")
    assert "One row per event per source" in table_page  # the table's description from the schema
    assert 'name="_search"' in table_page  # the search box of the full-text index
    assert "CC-BY-4.0" in table_page
    quote = ipd.load("events").set_index("event_id").loc["EV-0015", "quote"]
    assert quote in _get(f"{datasette}/iran_palestine/events/EV-0015")
    row = _json(f"{datasette}/iran_palestine/events/EV-0015.json?_shape=objects")
    assert row["rows"][0]["quote"] == quote


def test_datasette_searches_and_shows_views_and_canned_queries(datasette):
    found = _json(f"{datasette}/iran_palestine/events.json?_search=Soleimani&_shape=objects&_size=max")
    frame = ipd.load("events")
    expected = {
        e
        for e, title, q in zip(frame["event_id"], frame["title"], frame["quote"])
        if "Soleimani" in f"{title} {q}"
    }
    assert {r["event_id"] for r in found["rows"]} == expected
    view = _json(f"{datasette}/iran_palestine/events_with_actors.json?_shape=objects&_size=max")
    assert len(view["rows"]) == len(frame) and "actors" in view["rows"][0]
    contradictions = _json(f"{datasette}/iran_palestine/contradictions.json?_shape=objects")
    assert [r["link_id"] for r in contradictions["rows"]] == ["LK-0016", "LK-0018", "LK-0019", "LK-0077"]
    assert "side by side" in _get(f"{datasette}/iran_palestine/contradictions")
    timeline = _json(f"{datasette}/iran_palestine/timeline.json?_shape=objects")
    assert sum(r["events"] for r in timeline["rows"]) == frame["date_start"].notna().sum()
    query = urllib.parse.quote("SELECT count(*) AS n FROM funding_named")
    assert _json(f"{datasette}/iran_palestine.json?sql={query}&_shape=objects")["rows"][0]["n"] == len(
        ipd.load("funding_claims")
    )


@pytest.mark.parametrize("table", TABLES)
def test_parquet_read_by_duckdb_and_polars(exported, table):
    import duckdb
    import polars as pl

    path = exported / f"{table}.parquet"
    frame = ipd.load(table)
    keys = PKG.table(table).primary_key
    rows = duckdb.sql(f"SELECT {', '.join(keys)} FROM read_parquet('{path}')").fetchall()
    want = ["|".join(str(frame[k].iloc[i]) for k in keys) for i in range(len(frame))]
    assert sorted("|".join(map(str, r)) for r in rows) == sorted(want)
    got = pl.read_parquet(path)
    assert got.height == len(frame) and got.columns == list(frame.columns)
    for name in frame.columns:
        dtype = frame[name].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            assert isinstance(got.schema[name], (pl.Categorical, pl.Enum)), name
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            assert got.schema[name] == pl.Datetime("ms"), name
        elif isinstance(dtype, pd.ArrowDtype):
            assert got.schema[name] == pl.List(pl.String), name
    if "quote" in frame.columns:
        assert got["quote"].to_list() == frame["quote"].tolist()


def _rscript_with(package_name: str, *, required_in_ci: bool = False) -> str:
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("IPD_REQUIRE_R"):
            pytest.fail("Rscript is required here (IPD_REQUIRE_R is set) but not installed")
        pytest.skip("Rscript is not installed on this machine")
    check = subprocess.run(
        [rscript, "-e", f'cat(requireNamespace("{package_name}", quietly = TRUE))'],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check.stdout.strip() != "TRUE":
        if required_in_ci and os.environ.get("IPD_REQUIRE_R"):
            pytest.fail(
                f"the R package {package_name} is required here (IPD_REQUIRE_R is set) but not installed"
            )
        pytest.skip(f"the R package {package_name} is not installed (Debian has no r-cran-{package_name})")
    return rscript


def test_readme_r_arrow_snippet_is_valid_r():
    # R's own parser reads the snippet, wherever R is (the arrow package itself is not in Debian, so the
    # run below needs it installed from CRAN)
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("IPD_REQUIRE_R"):
            pytest.fail("Rscript is required here (IPD_REQUIRE_R is set) but not installed")
        pytest.skip("Rscript is not installed on this machine")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"```r arrow\n(.+?)\n```", readme, re.S)
    done = subprocess.run(
        [rscript, "-e", "invisible(parse(text = readLines(file('stdin'))))"],
        input=snippet,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "read_parquet(" in snippet and "library(arrow)" in snippet


def test_readme_r_arrow_snippet_reads_the_parquet_files(exported):
    rscript = _rscript_with("arrow")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"```r arrow\n(.+?)\n```", readme, re.S)
    script = (
        snippet.replace('dir = "parquet"', f'dir = "{exported.as_posix()}"')
        + """
cat("rows", nrow(events), "\\n")
cat("levels", length(levels(events$event_type)), "\\n")
cat("date-class", class(events$date_start), "\\n")
cat("first-date", format(min(events$date_start, na.rm = TRUE)), "\\n")
claims <- read_export("funding_claims")
cat("amount-class", class(claims$amount_low), "\\n")
cat("support", paste(claims$support_types[[which(claims$claim_id == "FC-0005")]], collapse = ";"), "\\n")
"""
    )
    done = subprocess.run([rscript, "-e", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    events = ipd.load("events")
    assert int(lines["rows"]) == len(events)
    assert int(lines["levels"]) == len(events["event_type"].cat.categories)
    assert lines["date-class"].strip() == "Date"
    assert lines["first-date"].strip() == events["date_start"].min().strftime("%Y-%m-%d")
    assert lines["amount-class"].strip() == "numeric"
    assert lines["support"].strip() == "weapons;military_technology"


def test_r_haven_reads_the_stata_files(exported):
    rscript = _rscript_with("haven", required_in_ci=True)  # .ci/run installs r-cran-haven
    calls = "\n".join(f'cat("{t}", nrow(read_dta("{(exported / t).as_posix()}.dta")), "\\n")' for t in TABLES)
    script = f"""library(haven)
{calls}
claims <- read_dta("{(exported / "funding_claims").as_posix()}.dta")
cat("status-labels", paste(names(attr(claims$status, "labels")), collapse = ";"), "\\n")
cat("date-class", class(claims$date_start), "\\n")
cat("label", attr(claims$claim_id, "label"), "\\n")
"""
    done = subprocess.run([rscript, "-e", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    for table in TABLES:
        assert int(lines[table]) == len(ipd.load(table)), table
    status = PKG.table("funding_claims").field("status")
    assert lines["status-labels"].strip() == ";".join(status.enum or ())
    assert lines["date-class"].strip() == "Date"
    assert lines["label"].strip() == PKG.table("funding_claims").field("claim_id").description

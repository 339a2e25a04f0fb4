"""Other tools read the CSVs without flags: DuckDB, the frictionless CLI, and R (the README's snippet)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.schema import package

from helpers import edit_and_refresh

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
TABLES = list(package().tables)


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_reads_every_table_without_flags(root, table):
    import duckdb

    tbl = package().table(table)
    relation = duckdb.sql(f"SELECT * FROM read_csv('{root / tbl.path}')")
    assert relation.columns == tbl.field_names
    rows = relation.fetchall()
    frame = ipd.load(table)
    assert len(rows) == len(frame)
    if "quote" in tbl.field_names:
        i = tbl.field_names.index("quote")
        assert [r[i] for r in rows] == list(frame["quote"])


@pytest.mark.parametrize("table", TABLES)
def test_frictionless_cli_extracts_every_table(root, table):
    frictionless = Path(sys.executable).with_name("frictionless")
    done = subprocess.run(
        [str(frictionless), "extract", "datapackage.json", "--resource-name", table, "--json"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert len(json.loads(done.stdout)[table]) == len(ipd.load(table))


def r_snippet() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    [code] = re.findall(r"```r\n(.+?)\n```", readme, re.S)
    return code


def test_readme_r_snippet_reads_every_table(dataset):
    rscript = shutil.which("Rscript")
    if rscript is None:
        if os.environ.get("IPD_REQUIRE_R"):
            pytest.fail("Rscript is required here (IPD_REQUIRE_R is set) but not installed")
        pytest.skip(
            "Rscript is not installed on this machine; .ci/run installs r-base-core and r-cran-readr and requires it"
        )
    edit_and_refresh(dataset, "csv/actors.csv", "Spokesman of Fatah.", "NA")
    calls = "\n".join(
        f'cat("{t}", nrow(read_table("{t}", "{Path(package().table(t).path).parent}")), "\\n")'
        for t in TABLES
    )
    script = (
        r_snippet()
        + f"""
{calls}
actors <- read_table("actors")
cat("NA-string", actors$description[actors$actor_id == "osama-al-qawasmi"], "\\n")
cat("missing", is.na(actors$affiliation_id[actors$actor_id == "iran"]), "\\n")
cat("date-class", class(events$date_start), "\\n")
"""
    )
    done = subprocess.run([rscript, "-e", script], cwd=dataset, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    for table in TABLES:
        assert int(lines[table]) == len(ipd.load(table, root=dataset)), table
    assert lines["NA-string"].strip() == "NA"  # the string, not a missing value
    assert lines["missing"].strip() == "TRUE"
    assert lines["date-class"].strip() == "Date"

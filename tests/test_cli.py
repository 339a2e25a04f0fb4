"""The command line, run as users run it: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import set_cell

CLI = [str(Path(sys.executable).with_name("iran-palestine-data"))]


def run(*args, cwd=None):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.mark.unit
def test_validate_passes_on_shipped_data():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    from iran_palestine_data.contract.schema import package

    assert (
        result.stdout.startswith(f"valid: {len(package().tables)} tables,")
        and "every rule passed" in result.stdout
    )


@pytest.mark.unit
def test_validate_failure_exit_code_and_lines(dataset):
    set_cell(dataset, "csv/statements.csv", "ST-0003", "speaker_id", "ali-khamenie")
    result = run("validate", dataset)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == 'csv/statements.csv row 4, column speaker_id: value "ali-khamenie" is not an actor_id in csv/actors.csv (rule: foreign key)'
    )
    assert lines[-1].startswith("invalid: 1 problem(s)")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.integration
def test_validate_reference_engine_prints_the_same_lines(dataset):
    set_cell(dataset, "csv/statements.csv", "ST-0003", "speaker_id", "ali-khamenie")
    fast, reference = run("validate", dataset), run("validate", dataset, "--engine", "reference")
    assert reference.returncode == fast.returncode == 1
    assert reference.stdout == fast.stdout


@pytest.mark.unit
def test_validate_unknown_engine_is_a_usage_error():
    result = run("validate", "--engine", "turbo")
    assert result.returncode == 2 and "--engine must be one of fast, reference" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.unit
def test_validate_json(dataset):
    set_cell(dataset, "csv/statements.csv", "ST-0003", "speaker_id", "ali-khamenie")
    result = run("validate", dataset, "--json")
    data = json.loads(result.stdout)
    assert result.returncode == 1 and data["valid"] is False and data["issues"][0]["rule"] == "foreign key"


@pytest.mark.unit
def test_validate_accepts_descriptor_path(dataset):
    assert run("validate", dataset / "datapackage.json").returncode == 0


@pytest.mark.unit
@pytest.mark.parametrize("damage", ["garbage", "missing"])
def test_broken_package_never_tracebacks(dataset, damage):
    if damage == "missing":
        (dataset / "datapackage.json").unlink()
    else:
        (dataset / "datapackage.json").write_bytes(b"\x00\xff{{{")
    result = run("validate", dataset)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "(rule: descriptor)" in result.stdout


@pytest.mark.unit
def test_validate_nonexistent_directory(tmp_path):
    # a folder that is not there is named as such, not as a dataset missing its descriptor
    result = run("validate", tmp_path / "nowhere")
    assert result.returncode == 1
    assert f"{tmp_path / 'nowhere'}: folder does not exist (rule: descriptor)" in result.stdout
    assert "datapackage.json" not in result.stdout
    for command in (["info", tmp_path / "nowhere"], ["show", "EV-0001", "--path", tmp_path / "nowhere"]):
        other = run(*command)
        assert other.returncode == 1 and f"{tmp_path / 'nowhere'}: folder does not exist" in other.stderr
    # a folder that is there but holds no dataset: its descriptor is missing
    (tmp_path / "empty").mkdir()
    result = run("validate", tmp_path / "empty")
    assert result.returncode == 1 and "datapackage.json: file is missing (rule: descriptor)" in result.stdout


@pytest.mark.unit
def test_info_shows_counts_and_sources():
    result = run("info")
    assert result.returncode == 0
    assert (
        "iran-palestine-data v" in result.stdout
        and "events" in result.stdout
        and "web_article" in result.stdout
    )
    data = json.loads(run("info", "--json").stdout)
    assert data["tables"]["events"] > 0 and len(data["sources"]) == 5


@pytest.mark.unit
@pytest.mark.parametrize(
    "fmt, marker",
    [("bibtex", "@misc{iran_palestine_data_"), ("apa", "[Data set]"), ("cff", "cff-version: 1.2.0")],
)
def test_cite(fmt, marker):
    result = run("cite", "--format", fmt)
    assert result.returncode == 0 and marker in result.stdout


@pytest.mark.unit
def test_cite_with_row_id():
    assert "EV-0012" in run("cite", "--format", "bibtex", "--id", "EV-0012").stdout


@pytest.mark.unit
def test_cite_unknown_format():
    result = run("cite", "--format", "mla")
    assert result.returncode == 2 and "unknown format 'mla'" in result.stderr


@pytest.mark.unit
def test_show_highlights_quote_in_context():
    result = run("show", "EV-0015", "--width", "60")
    assert result.returncode == 0
    assert "arms_interdiction" in result.stdout
    assert "sources/000_e3302a3580880a1e.txt, character" in result.stdout
    assert "captured the Karine A in 2002" in result.stdout


@pytest.mark.unit
def test_show_highlight_survives_a_pipe():
    # captured output is a pipe: no colour, so markers frame the quote in its context
    result = run("show", "EV-0015", "--width", "60")
    assert (
        ">>>The renewed support became evident when Israeli commandos captured the Karine A in 2002, a ship "
        "carrying 50 tons of advanced weaponry from Iran to Gaza.<<<" in result.stdout
    )


@pytest.mark.unit
def test_show_renders_the_sources_emphasis_but_keeps_the_quote_verbatim():
    result = run("show", "FC-0104", "--width", "40")
    # the row's quote column, verbatim, with the snapshot's ** markers
    assert "**Palestine to Iran**" in result.stdout
    # the context shows the emphasis without its markers
    context = result.stdout[result.stdout.index("character ") :]
    assert ">>>A significant aspect of the Palestine to Iran relationship" in context


@pytest.mark.unit
def test_show_event_lists_its_actors_and_roles():
    result = run("show", "EV-0015")
    lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
    assert "target iran Iran" in lines and "initiator israel-defense-forces Israel Defense Forces" in lines


@pytest.mark.unit
def test_show_actor_lists_its_rows_and_affiliates():
    result = run("show", "hamas")
    assert result.returncode == 0
    out = result.stdout
    assert "Izz ad-Din al-Qassam Brigades (qassam-brigades)" in out
    import csv

    from iran_palestine_data import data_path

    with open(data_path() / "csv/event_actors.csv", encoding="utf-8") as fh:
        events = {r["event_id"] for r in csv.DictReader(fh) if r["actor_id"] == "hamas"}
    assert f"Events ({len(events)})" in out and all(e in out for e in events)
    assert "Statements (" in out and "Funding claims (" in out and "FC-0213" in out


@pytest.mark.unit
def test_show_misspelt_id_suggests_the_closest():
    result = run("show", "EV-015")
    assert result.returncode == 1 and "no row has the id 'EV-015'; did you mean EV-0015" in result.stderr


@pytest.mark.unit
def test_show_actor_and_source_ids():
    assert "Supreme Leader" in run("show", "ali-khamenei").stdout
    assert "Wikipedia" in run("show", "wikipedia-iran-palestine-relations").stdout


@pytest.mark.unit
def test_show_unknown_id():
    result = run("show", "EV-9999")
    assert result.returncode == 1 and "no row has the id 'EV-9999'" in result.stderr


@pytest.mark.unit
def test_release_refresh(dataset):
    (dataset / "csv/events.csv").write_text(
        (dataset / "csv/events.csv").read_text(encoding="utf-8") + "", encoding="utf-8"
    )
    result = run("release", "refresh", dataset)
    assert result.returncode == 0 and "already current" in result.stdout


@pytest.mark.unit
def test_links_lists_possible_duplicates_with_their_decisions(dataset):
    from helpers import read_rows, write_rows

    header, rows = read_rows(dataset, "csv/statements.csv")
    copy = list(next(r for r in rows if r[0] == "ST-0201"))
    copy[0] = "ST-9001"
    write_rows(dataset, "csv/statements.csv", header, rows + [copy])
    result = run("links", "--duplicates", "--path", dataset)
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "ST-0201 ST-9001" in x)
    assert "[undecided] (one passage)" in line
    assert result.stdout.splitlines()[-1].endswith("duplicate pair(s)")
    undecided = run("links", "--duplicates", "--undecided", "--path", dataset)
    assert undecided.returncode == 1 and "ST-0201 ST-9001" in undecided.stdout


@pytest.mark.unit
def test_links_takes_one_search_at_a_time():
    result = run("links", "--candidates", "--duplicates")
    assert result.returncode == 2 and "choose one of --candidates and --duplicates" in result.stderr


@pytest.mark.unit
def test_conflicts_says_undated_not_nan(dataset):
    for column, value in (
        ("date", ""),
        ("date_start", ""),
        ("date_end", ""),
        ("date_precision", "unknown"),
        ("date_basis", "unknown"),
        ("date_note", ""),
    ):
        set_cell(dataset, "csv/events.csv", "EV-0205", column, value)
    result = run("conflicts", dataset)
    assert result.returncode == 0, result.stderr
    assert "EV-0205 (iranwire-khamenei-hamas, undated)" in result.stdout
    assert "(iranwire-khamenei-hamas, nan)" not in result.stdout

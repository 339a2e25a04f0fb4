"""Every release, whole and offline: the release store gives back each published version byte for
byte, grows with the rows that change, refuses an edited store, and serves load(version=), history,
diff and the CLI's --version."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.published import (
    load_release,
    release_files,
    released_versions,
    rows_path,
)
from iran_palestine_data.errors import DataError
from iran_palestine_data.read.lookup import UnknownIdError
from iran_palestine_data.release.bump import bump
from iran_palestine_data.release.diff import diff, to_markdown
from iran_palestine_data.release.row_history import history
from iran_palestine_data.release.store import add_release, changelog_entry, split_records

from helpers import set_cell

REPO = Path(__file__).resolve().parent.parent
RELEASED = ["0.1.0", "0.2.0", "0.3.0", "0.4.0"]  # made before the store, rebuilt from git
CLI = str(Path(sys.executable).with_name("iran-palestine-data"))


def run(*args):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=env)


# --- the store gives back what was released --------------------------------------------------


@pytest.mark.data
@pytest.mark.parametrize("version", released_versions(REPO))
def test_each_rebuilt_release_hashes_to_what_was_released(version):
    """Every resource rebuilt from the store hashes to the ``hash`` (and ``bytes``) that resource had
    in that release's own datapackage.json."""
    files = release_files(version)
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["version"] == version
    for res in descriptor["resources"]:
        data = files[res["path"]]
        assert "sha256:" + hashlib.sha256(data).hexdigest() == res["hash"], res["path"]
        assert len(data) == res["bytes"], res["path"]


@pytest.mark.data
@pytest.mark.parametrize("version", RELEASED)
def test_each_rebuilt_release_is_the_commit_that_released_it(version):
    """Independent of the store's own hashes: in a git checkout, each rebuilt file is byte for byte
    the file of the commit the manifest names (an installed wheel has no git history to ask, and
    then the hashes of the test above are the proof)."""
    release = load_release(version)
    assert release.commit and len(release.commit) == 40
    if not (REPO / ".git").exists():
        return
    for path, data in release_files(version).items():
        shown = subprocess.run(
            ["git", "-C", str(REPO), "show", f"{release.commit}:{path}"], capture_output=True, check=True
        )
        assert shown.stdout == data, f"{version}: {path}"


@pytest.mark.data
@pytest.mark.parametrize("version", released_versions(REPO))
def test_each_release_keeps_its_changelog_entry(version):
    """A release's manifest holds its CHANGELOG entry as it was released; the CHANGELOG's entry for a
    released version never changes afterwards (later notes go under a later heading)."""
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert load_release(version).notes == changelog_entry(changelog, version) != ""


@pytest.mark.data
def test_the_store_holds_each_distinct_row_once_and_grows_with_changes():
    """The store holds a row once however many releases hold it: its rows are exactly the distinct
    records of all releases, fewer than releases x rows (that a release adds only the rows that
    changed is shown by the bump test below)."""
    distinct: dict[str, set[str]] = {}
    listed = 0
    for version in released_versions():
        for name, entry in load_release(version).tables().items():
            distinct.setdefault(name, set()).update([entry.header or ""] + [ref for _, ref in entry.rows])
            listed += len(entry.rows) + 1
    stored = 0
    for name, refs in distinct.items():
        lines = (ipd.data_path() / rows_path(name)).read_text(encoding="utf-8").splitlines()
        held = [json.loads(line)[0] for line in lines]
        assert len(held) == len(set(held)), f"{name}: a row stored twice"
        assert set(held) == refs, f"{name}: the store holds rows no release lists, or lacks some"
        stored += len(held)
    # 4 releases list 3,140 records; the store holds 1,712 (0.4.0 alone adds 795 new link_review rows)
    assert stored == sum(len(refs) for refs in distinct.values()) < listed


@pytest.mark.data
def test_versions_oldest_first_current_last():
    found = ipd.versions()
    assert found[: len(RELEASED)] == RELEASED
    assert found[-1] == json.loads((ipd.data_path() / "datapackage.json").read_text())["version"]
    assert found == sorted(found, key=lambda v: tuple(int(x) for x in v.split("-")[0].split(".")))


@pytest.mark.unit
def test_split_records_keeps_quoted_line_breaks_and_every_byte():
    data = b'a,b\r\n1,"two\nlines, and ""quotes"""\n3,x'
    records = split_records(data)
    assert records == [b"a,b\r\n", b'1,"two\nlines, and ""quotes"""\n', b"3,x"]
    assert b"".join(records) == data


# --- load(version=) -----------------------------------------------------------------------------


@pytest.mark.data
def test_load_a_released_version():
    assert len(ipd.load("events", version="0.1.0")) == 23
    assert len(ipd.load("events", version="0.2.0")) == 110
    tables = ipd.load_all(version="0.2.0")
    assert "claim_links" not in tables and len(tables["statements"]) == 90
    old = ipd.load("events", version="0.1.0").set_index("event_id")
    assert old.loc["EV-0011", "date"] == "2000"  # as 0.1.0 published it; 0.2.0 changed it
    assert len(ipd.records("funding_claims", version="0.2.0")) == 54


@pytest.mark.data
@pytest.mark.parametrize("version", RELEASED)
def test_records_of_every_release_fit_the_row_models(version):
    """records(version=) reads an older release with the current row models: a column that release
    did not have yet is None, and every row of every table comes back."""
    for name, frame in ipd.load_all(version=version).items():
        rows = ipd.records(name, version=version)
        assert len(rows) == len(frame), (version, name)
        columns = list(frame.columns)
        assert all(getattr(rows[0], c) is None for c in type(rows[0]).model_fields if c not in columns)


@pytest.mark.unit
def test_unknown_version_names_the_versions_there_are():
    with pytest.raises(KeyError, match=r"no version '9\.9\.9' of the dataset \(versions: 0\.1\.0, 0\.2\.0"):
        ipd.load("events", version="9.9.9")


# --- an edited store is refused -----------------------------------------------------------------


def _repo_copy(tmp_path) -> Path:
    dest = tmp_path / "repo"
    shutil.copytree(
        ipd.data_path(), dest, ignore=shutil.ignore_patterns(".git", "tests", "docs", "__pycache__")
    )
    return dest


@pytest.mark.unit
def test_an_edited_row_in_the_store_is_refused(tmp_path):
    repo = _repo_copy(tmp_path)
    path = repo / rows_path("events")
    text = path.read_text(encoding="utf-8")
    assert "Camp David" in text
    path.write_text(text.replace("Camp David", "Camp Davis", 1), encoding="utf-8")
    with pytest.raises(DataError, match="does not match its SHA-256"):
        release_files("0.1.0", repo)


@pytest.mark.unit
def test_a_broken_store_line_or_manifest_is_a_data_error(tmp_path):
    repo = _repo_copy(tmp_path)
    with (repo / rows_path("events")).open("a", encoding="utf-8") as fh:
        fh.write('{"not": "a pair"}\n')
    with pytest.raises(DataError, match="is not a \\[ref, content\\] pair"):
        release_files("0.4.0", repo)
    (repo / "releases" / "0.3.0.json").write_text('{"version": "0.3.0", "files": []}', encoding="utf-8")
    with pytest.raises(DataError, match="is not a release manifest"):
        load_release("0.3.0", repo)


@pytest.mark.unit
def test_a_released_version_is_never_added_twice(tmp_path):
    repo = _repo_copy(tmp_path)
    with pytest.raises(RuntimeError, match="already in the store"):
        add_release("0.4.0", "2030-01-01", repo)


# --- release bump adds to the store -------------------------------------------------------------


def _release(repo: Path, version: str, notes: str) -> None:
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("\n## ", f"\n## {version} — 2030-01-01\n\n{notes}\n\n## ", 1), encoding="utf-8"
    )
    bump(version, date="2030-01-01", root=repo)


@pytest.mark.unit
def test_bump_adds_only_the_changed_rows_and_the_release_comes_back(tmp_path):
    repo = _repo_copy(tmp_path)
    for name in ("pyproject.toml", "CHANGELOG.md"):
        shutil.copy2(REPO / name, repo / name)
    _release(repo, "9.0.0", "The data as it is.")
    cff = (repo / "CITATION.cff").read_text(encoding="utf-8")
    assert "iran-palestine-data v9.0.0," in cff and "version: 9.0.0" in cff  # the example cites it too
    before = {p.name: p.read_text(encoding="utf-8") for p in (repo / "releases" / "rows").iterdir()}
    set_cell(repo, "csv/events.csv", "EV-0015", "title", "A changed title")
    _release(repo, "9.1.0", "One title changed.")
    after = {p.name: p.read_text(encoding="utf-8") for p in (repo / "releases" / "rows").iterdir()}
    grown = {n: after[n][len(before.get(n, "")) :] for n in after if after[n] != before.get(n)}
    assert list(grown) == ["events.jsonl"] and grown["events.jsonl"].count("\n") == 1
    assert after["events.jsonl"].startswith(before["events.jsonl"])  # appended, nothing rewritten
    assert "A changed title" in grown["events.jsonl"]
    # the new release comes back whole, and history and diff see the change
    assert released_versions(repo)[-2:] == ["9.0.0", "9.1.0"]
    assert load_release("9.1.0", repo).notes == "One title changed.\n"
    events = ipd.load("events", version="9.1.0", root=repo).set_index("event_id")
    assert events.loc["EV-0015", "title"] == "A changed title"
    last = history("EV-0015", root=repo)[-1]
    assert (last.version, last.status, list(last.changes)) == ("9.1.0", "changed", ["title"])
    assert last.changes["title"][1] == "A changed title" and last.notes == "One title changed.\n"
    result = diff("9.0.0", "9.1.0", root=repo)
    assert result["events"].cells == {"EV-0015": {"title": [last.changes["title"][0], "A changed title"]}}
    assert result["events"].summary() == {
        "added": 0,
        "retired": 0,
        "removed": 0,
        "changed": 1,
        "unchanged": len(events) - 1,
    }


# --- history ------------------------------------------------------------------------------------


@pytest.mark.data
def test_history_of_a_row_changed_in_a_release():
    revisions = history("EV-0011")
    assert [r.version for r in revisions][: len(RELEASED)] == RELEASED
    assert [r.status for r in revisions][:4] == ["added", "changed", "unchanged", "unchanged"]
    changed = revisions[1]
    assert list(changed.changes) == ["date", "date_start", "date_end", "date_precision", "date_note"]
    assert changed.changes["date"] == ["2000", "../2000-09"]
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changed.notes.strip() and changed.notes.strip().splitlines()[0] in changelog
    assert revisions[0].row is not None and revisions[0].row["event_id"] == "EV-0011"


@pytest.mark.data
def test_history_of_a_retired_row_gives_the_reason():
    revisions = {r.version: r for r in history("ST-0108")}
    assert revisions["0.2.0"].status == "added" and revisions["0.2.0"].table == "statements"
    assert revisions["0.3.0"].status == "retired" and revisions["0.3.0"].row is None
    assert revisions["0.3.0"].reason.startswith("Withdrawn after review")


@pytest.mark.unit
def test_history_ends_with_the_unreleased_data(tmp_path):
    """Data not yet released is the last version of a row's history, marked unreleased."""
    repo = _repo_copy(tmp_path)
    set_cell(repo, "csv/events.csv", "EV-0015", "title", "A title not yet released")
    descriptor = json.loads((repo / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.9.9"
    (repo / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    last = history("EV-0015", root=repo)[-1]
    assert (last.version, last.released, last.status, list(last.changes)) == (
        "9.9.9",
        False,
        "changed",
        ["title"],
    )
    assert history("EV-0109", root=repo)[-1].status == "retired"


@pytest.mark.unit
def test_history_of_an_unknown_id_suggests_the_closest():
    with pytest.raises(UnknownIdError) as caught:
        history("EV-00111")
    assert "EV-0111" in caught.value.suggestions


# --- diff ---------------------------------------------------------------------------------------


@pytest.mark.data
def test_diff_shows_old_and_new_values_and_a_summary():
    result = diff("0.1.0", "0.2.0")
    assert result["events"].cells["EV-0011"]["date"] == ["2000", "../2000-09"]
    assert result["statements"].summary()["unchanged"] + result["statements"].summary()["changed"] == 12
    text = to_markdown(result, values=True)
    assert 'EV-0011 date: "2000" → "../2000-09"' in text
    retired = diff("0.2.0", "0.3.0")["statements"]
    assert retired.retired == ["ST-0108"] and retired.summary()["removed"] == 0


@pytest.mark.data
def test_diff_new_side_defaults_to_the_installed_data():
    assert to_markdown(diff("0.3.0"), values=True) == to_markdown(diff("0.3.0", ipd.data_path()), values=True)
    assert diff("0.3.0")["claim_links"].table == "new"


@pytest.mark.data
def test_readme_cite_section_round_trip(capsys):
    """The README's Cite section runs as written: cite a row, get a version back, trace the row."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Cite\n", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```python\n(.+?)\n```", section, re.S)[0]
    namespace: dict = {}
    exec(compile(block, "README Cite", "exec"), namespace)  # noqa: S102 - the README's own example
    printed = capsys.readouterr().out
    current = json.loads((ipd.data_path() / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert current in printed and "EV-0011" in printed
    assert len(namespace["events"]) == 110  # 0.2.0 as it was released
    assert "0.2.0 changed ['date', 'date_start', 'date_end', 'date_precision', 'date_note']" in printed


@pytest.mark.data
def test_diff_0_4_0_to_0_5_0_follows_rows_across_the_new_exclusion_key():
    """0.5.0 keyed exclusions by occurrence: rows are matched on the key columns both releases share,
    and a new column counts as a change only where it holds a value."""
    result = diff("0.4.0", "0.5.0")
    exclusions = result["exclusions"]
    assert exclusions.key_change == [["source_id", "quote"], ["source_id", "quote", "quote_occurrence"]]
    assert exclusions.summary() == {"added": 15, "retired": 0, "removed": 0, "changed": 115, "unchanged": 0}
    assert result["events"].cells["EV-0415"]["quote_occurrence"] == [None, "1"]
    statements = result["statements"]
    assert statements.summary() == {"added": 0, "retired": 1, "removed": 0, "changed": 26, "unchanged": 62}
    assert statements.retired == ["ST-0111"]
    assert all("quote_occurrence" not in cols for cols in statements.changed.values())  # left empty
    assert "primary key ['source_id', 'quote'] → ['source_id', 'quote', 'quote_occurrence']" in to_markdown(
        result
    )
    uae = history("uae")
    assert (uae[-1].version, uae[-1].status, uae[-1].changes) == (
        "0.5.0",
        "changed",
        {"quote_occurrence": [None, "1"]},
    )
    assert history("EV-0011")[4].status == "unchanged"  # an empty new column is no change
    merged = history("EV-0109")[-1]
    assert (merged.version, merged.status) == (
        "0.5.0",
        "retired",
    ) and "(replaced by EV-0111)" in merged.reason


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.integration
def test_cli_versions_history_and_diff():
    listed = run("versions", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [v["version"] for v in json.loads(listed.stdout)][: len(RELEASED)] == RELEASED
    shown = run("history", "EV-0011")
    assert shown.returncode == 0, shown.stderr
    assert "0.2.0 (2026-11-21): changed in events" in shown.stdout
    assert 'date: "2000" → "../2000-09"' in shown.stdout
    as_json = json.loads(run("history", "EV-0011", "--json").stdout)
    assert [r["status"] for r in as_json][:2] == ["added", "changed"]
    missing = run("history", "EV-00111")
    assert missing.returncode == 1 and "did you mean EV-0111" in missing.stderr
    changes = run("diff", "0.1.0", "0.2.0")
    assert changes.returncode == 0 and "Summary" in changes.stdout
    assert 'EV-0011 date: "2000" → "../2000-09"' in changes.stdout
    data = json.loads(run("diff", "0.2.0", "0.3.0", "--json").stdout)
    assert data["statements"]["summary"]["retired"] == 1
    assert data["statements"]["retired"] == ["ST-0108"]
    assert run("diff", "0.3.0").returncode == 0  # NEW defaults to the installed data


@pytest.mark.integration
def test_cli_version_option_on_show_info_export_and_validate(tmp_path):
    shown = run("show", "EV-0011", "--version", "0.1.0")
    assert shown.returncode == 0, shown.stderr
    assert "The source places the collapse just before the intifada" in shown.stdout
    info = json.loads(run("info", "--json", "--version", "0.2.0").stdout)
    assert info["version"] == "0.2.0" and info["tables"]["events"] == 110
    exported = run("export", "-f", "jsonl", "--out", tmp_path, "--version", "0.2.0")
    assert exported.returncode == 0, exported.stderr
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 110
    checked = run("validate", "--version", "0.1.0")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "release 0.1.0" in checked.stdout and "valid:" in checked.stdout
    # today's rules find in 0.4.0 what the second reading fixed in 0.5.0: the speakers' "all-out
    # support" coded indirect without a word on the quotation marks (ST-0305, ST-0306); nothing else
    older = run("validate", "--version", "0.4.0")
    assert older.returncode == 1
    problems = [line for line in older.stdout.splitlines() if "(rule: " in line]
    assert len(problems) == 2 and all(
        "'all-out support'" in p and "(rule: indirect speech)" in p for p in problems
    )
    unknown = run("info", "--version", "9.9.9")
    assert unknown.returncode == 2 and "versions: 0.1.0" in unknown.stderr

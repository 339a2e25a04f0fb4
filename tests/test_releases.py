"""A published version never silently changes, and a published id never disappears or comes back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data.contract.published import load_release, released_versions
from iran_palestine_data.release.bump import ReleaseError, bump, versions
from iran_palestine_data.release.diff import diff, read_side, to_markdown

from helpers import messages, set_cell, write_rows

REPO = Path(__file__).resolve().parent.parent
ID_TABLES = ("sources", "actors", "events", "statements", "funding_claims", "claim_links")


@pytest.mark.unit
def test_versions_agree_everywhere(root):
    found = versions(REPO)
    assert len(set(found.values())) == 1, found
    assert ipd.__version__ == found["datapackage.json"]


@pytest.mark.data
def test_current_version_is_released_and_unchanged(root):
    version = versions(REPO)["datapackage.json"]
    assert version in released_versions(REPO), (
        f"version {version} has no manifest: run `iran-palestine-data release bump`"
    )
    changes = to_markdown(diff(version, str(root), root=REPO))
    assert changes == "no changes", (
        f"data differ from the published {version}; release a new version:\n{changes}"
    )


@pytest.mark.data
@pytest.mark.parametrize("version", released_versions(REPO))
def test_no_published_id_disappears_unless_retired(root, version):
    retired = {r.id for r in ipd.records("retired")}
    current = {name: side.rows for name, side in read_side(root).items()}
    old = load_release(version, REPO).keys()
    missing = [
        (t, k)
        for t in ID_TABLES
        if t in old
        for k in old[t]
        if k not in current.get(t, old[t]) and k not in retired
    ]
    assert not missing, f"ids of {version} missing from the data and not in csv/retired.csv: {missing}"


@pytest.mark.unit
def test_releases_are_in_order_and_each_has_a_changelog_entry():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in released_versions(REPO):
        assert re.search(rf"^## {re.escape(version)} — \d{{4}}-\d{{2}}-\d{{2}}", changelog, re.M), version


@pytest.mark.unit
def test_retired_id_may_not_come_back(dataset):
    header = ["id", "table", "retired_in", "reason", "replaced_by"]
    write_rows(
        dataset,
        "csv/retired.csv",
        header,
        [["EV-0015", "events", "0.3.0", "Duplicate of another row.", "EV-0016"]],
    )
    from iran_palestine_data.release.hashes import refresh

    refresh(dataset)
    assert any(
        m.startswith(
            'csv/retired.csv row 2, column id: value "EV-0015" was retired in 0.3.0 and may not be used again'
        )
        for m in messages(dataset)
    )


@pytest.mark.unit
def test_replacement_must_exist(dataset):
    header = ["id", "table", "retired_in", "reason", "replaced_by"]
    write_rows(
        dataset,
        "csv/retired.csv",
        header,
        [["EV-9998", "events", "0.3.0", "Duplicate of another row.", "EV-9999"]],
    )
    from iran_palestine_data.release.hashes import refresh

    refresh(dataset)
    assert (
        'csv/retired.csv row 2, column replaced_by: value "EV-9999" is not the id of any current row (rule: replacement)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_diff_of_two_directories_names_changed_columns(dataset, root):
    set_cell(dataset, "csv/events.csv", "EV-0015", "title", "Changed title")
    result = diff(str(root), str(dataset))
    assert result["events"].changed == {"EV-0015": ["title"]}
    assert "changed 1: EV-0015 (title)" in to_markdown(result)


@pytest.mark.unit
def test_diff_reports_added_and_removed_rows(dataset, root):
    path = dataset / "csv/statements.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("ST-0001,")), encoding="utf-8")
    result = diff(str(root), str(dataset))
    assert result["statements"].removed == ["ST-0001"] and not result["statements"].added


@pytest.mark.unit
def test_diff_between_released_versions_needs_no_data():
    versions_ = released_versions(REPO)
    result = diff(versions_[0], versions_[1], root=REPO)
    assert result["events"].changed.get("EV-0011") == [
        "date",
        "date_start",
        "date_end",
        "date_precision",
        "date_note",
    ]


@pytest.mark.unit
def test_unknown_version_is_a_clear_error():
    with pytest.raises(KeyError, match="no manifest for version '9.9.9'"):
        diff("9.9.9", ".", root=REPO)


def _checkout(tmp_path) -> Path:
    """A copy of the repository files a release touches."""
    dest = tmp_path / "repo"
    shutil.copytree(
        ipd.data_path(), dest, ignore=shutil.ignore_patterns(".git", "*.pyc", "__pycache__", "tests", "docs")
    )
    for name in ("pyproject.toml", "CHANGELOG.md"):
        shutil.copy2(REPO / name, dest / name)
    return dest


@pytest.mark.unit
def test_bump_refuses_without_changelog_entry(tmp_path):
    repo = _checkout(tmp_path)
    with pytest.raises(ReleaseError, match="add '## 9.0.0 — 2030-01-01' with the release notes first"):
        bump("9.0.0", date="2030-01-01", root=repo)


@pytest.mark.unit
def test_bump_refuses_to_rewrite_a_released_version(tmp_path):
    repo = _checkout(tmp_path)
    current = versions(repo)["datapackage.json"]
    with pytest.raises(ReleaseError, match="already released"):
        bump(current, date="2030-01-01", root=repo)


@pytest.mark.unit
def test_bump_sets_every_version_and_writes_the_manifest(tmp_path):
    repo = _checkout(tmp_path)
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(
        text.replace("\n## ", "\n## 9.0.0 — 2030-01-01\n\n- test release\n\n## ", 1), encoding="utf-8"
    )
    bump("9.0.0", date="2030-01-01", root=repo)
    assert set(versions(repo).values()) == {"9.0.0"}
    assert (repo / "releases" / "9.0.0.json").is_file()
    assert 'date-released: "2030-01-01"' in (repo / "CITATION.cff").read_text(encoding="utf-8")
    assert to_markdown(diff("9.0.0", str(repo), root=repo)) == "no changes"

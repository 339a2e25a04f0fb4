"""Sources one can reach: each source's address and how it was established, and when its snapshot
entered the repository."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from iran_palestine_data.contract.schema import package

from helpers import messages, set_cell

SOURCES = "csv/sources.csv"


def _sources(root: Path) -> list[dict[str, str]]:
    with (root / SOURCES).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.data
def test_every_url_has_a_basis_and_is_a_web_address(root):
    vocabulary = package(root).table("sources").field("url_basis").enum
    for row in _sources(root):
        url, basis = row["url"], row["url_basis"]
        assert basis in vocabulary, row["source_id"]
        assert (basis == "unknown") == (url == ""), row["source_id"]
        if not url:
            continue
        parts = urlsplit(url)
        assert parts.hostname and "." in parts.hostname and not parts.hostname.endswith("."), url
        assert url == url.strip() and not any(c.isspace() for c in url) and not parts.fragment, url
        # https, unless a stored copy of the page was seen at http: an address is recorded as seen,
        # never upgraded by guess (an address derived by rule is written https)
        assert parts.scheme == "https" or (parts.scheme == "http" and basis == "confirmed"), url


@pytest.mark.data
def test_a_wikipedia_address_is_the_one_its_title_gives(root):
    from urllib.parse import quote

    for row in _sources(root):
        if row["publisher"] == "Wikipedia" and row["url"]:
            expected = "https://en.wikipedia.org/wiki/" + quote(row["title"].replace(" ", "_"), safe="_()',")
            assert row["url"] == expected


@pytest.mark.unit
def test_a_url_with_basis_unknown_is_refused(dataset):
    n = set_cell(dataset, SOURCES, "memo-palestinian-resistance-iran", "url_basis", "unknown")
    assert (
        f"{SOURCES} row {n}, column url_basis: value \"unknown\" is 'unknown', but url is given "
        "(confirmed or derived?) (rule: url basis)" in messages(dataset)
    )


@pytest.mark.unit
def test_an_empty_url_with_basis_confirmed_is_refused(dataset):
    n = set_cell(dataset, SOURCES, "wikipedia-iran-palestine-relations", "url", "")
    assert (
        f'{SOURCES} row {n}, column url_basis: value "confirmed" says how url was established, but url is '
        "empty (should be 'unknown') (rule: url basis)" in messages(dataset)
    )


@pytest.mark.unit
def test_no_url_and_basis_unknown_is_accepted(dataset):
    set_cell(dataset, SOURCES, "wikipedia-iran-palestine-relations", "url", "")
    set_cell(dataset, SOURCES, "wikipedia-iran-palestine-relations", "url_basis", "unknown")
    assert [m for m in messages(dataset) if m.startswith(SOURCES)] == []


def _git_added(root: Path, snapshot: str) -> str | None:
    """The day git says the snapshot's file was first added, or None when git cannot tell (no git, no
    checkout, a shallow clone whose first commit seems to add everything, or a file not yet committed)."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return None

    def run(*args: str) -> str | None:
        done = subprocess.run([git, "-C", str(root), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    if run("rev-parse", "--is-shallow-repository") != "false":
        return None
    days = run("log", "--follow", "--diff-filter=A", "--format=%ad", "--date=short", "--", snapshot)
    return days.splitlines()[-1] if days else None  # the oldest: the commit that archived it


@pytest.mark.data
def test_archived_is_the_day_the_snapshot_was_committed(root):
    """`archived` is the date of the commit that added the snapshot, as git gives it in a checkout;
    without git history to ask, it must at least be a real day, not in the future."""
    for row in _sources(root):
        archived = dt.date.fromisoformat(row["archived"])
        assert archived <= dt.date.today(), row["source_id"]
        added = _git_added(root, row["snapshot"])
        if added is not None:
            assert row["archived"] == added, (row["source_id"], added)

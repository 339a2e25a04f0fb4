"""Plain helpers for the tests (no fixtures): copy the shipped dataset, and edit a copy's files and cells.

``copy_dataset`` makes a private copy of the data that a test may corrupt; ``edit_text``,
``edit_and_refresh``, ``read_rows``, ``write_rows`` and ``set_cell`` change that copy as a
contributor would; ``messages`` returns the validator's one-line issues for it. The fixtures that
use these live in ``conftest.py``; test modules import from here with ``from helpers import ...``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from iran_palestine_data import data_path
from iran_palestine_data.release.hashes import refresh

DATA_ITEMS = ("datapackage.json", "CITATION.cff", "csv", "schemas", "sources", "curation", "releases")


def copy_dataset(dest: Path) -> Path:
    root = data_path()
    dest.mkdir(parents=True, exist_ok=True)
    for item in DATA_ITEMS:
        src = root / item
        if src.is_dir():
            shutil.copytree(src, dest / item)
        elif src.exists():
            shutil.copy2(src, dest / item)
    return dest


def edit_text(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def edit_and_refresh(root: Path, rel: str, old: str, new: str) -> None:
    """Change a data file as a contributor would: edit it, then refresh hash and bytes."""
    edit_text(root / rel, old, new)
    refresh(root)


def read_rows(root: Path, rel: str) -> tuple[list[str], list[list[str]]]:
    import csv

    with (root / rel).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def write_rows(root: Path, rel: str, header: list[str], rows: list[list[str]]) -> None:
    import csv

    with (root / rel).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def set_cell(root: Path, rel: str, key: str, column: str, value: str, *, refresh_hashes: bool = True) -> int:
    """Set one cell of the row whose first column is ``key``; return that row's file row number."""
    header, rows = read_rows(root, rel)
    col = header.index(column)
    for n, row in enumerate(rows, start=2):
        if row[0] == key:
            row[col] = value
            write_rows(root, rel, header, rows)
            if refresh_hashes:
                refresh(root)
            return n
    raise KeyError(key)


def messages(root: Path) -> list[str]:
    from iran_palestine_data import validate

    return [str(i) for i in validate(root).issues]

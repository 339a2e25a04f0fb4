"""Published history: the release manifests, ``releases/<version>.json`` — for each released version,
the key of every row of every table and its hashes. Read here (they are part of the contract: an id
once published is never silently dropped); written by :mod:`iran_palestine_data.release.manifest`.

A row's key is its primary key (joined by ``|``; a long key such as an exclusion's quote is shortened
to its first 12 hex digits of SHA-256). Each row stores a 16-hex hash of the whole row and an 8-hex
hash of each cell, in the order of ``columns``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .. import rulebook as rule
from ..errors import DataError, Issue
from ..paths import read_inside, resolve_root
from .versions import is_version, version_key

RELEASES = "releases"
_KEY_MAX = 80


def short_hash(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def row_key(values: list[str]) -> str:
    key = "|".join(values)
    return (
        key
        if len(key) <= _KEY_MAX
        else "|".join(v if len(v) <= 40 else "sha256:" + short_hash(v, 12) for v in values)
    )


@dataclass
class TableHashes:
    columns: list[str]
    rows: dict[str, tuple[str, list[str]]]  # key -> (row hash, cell hashes)


Manifest = dict[str, TableHashes]  # table name -> its rows' hashes


def from_json(text: str) -> tuple[str, Manifest]:
    data = json.loads(text)
    manifest = {
        name: TableHashes(t["columns"], {k: (h, cells.split(" ")) for k, (h, cells) in t["rows"].items()})
        for name, t in data["tables"].items()
    }
    return data["version"], manifest


def releases_dir(root: str | Path | None = None) -> Path:
    return resolve_root(root) / RELEASES


def released_versions(root: str | Path | None = None) -> list[str]:
    """Versions with a manifest, oldest first."""
    folder = releases_dir(root)
    found = [p.stem for p in folder.glob("*.json") if is_version(p.stem)] if folder.is_dir() else []
    return sorted(found, key=version_key)


def load_release(version: str, root: str | Path | None = None) -> Manifest:
    path = releases_dir(root) / f"{version}.json"
    if not path.is_file():
        known = ", ".join(released_versions(root)) or "none"
        raise KeyError(f"no manifest for version {version!r} (released versions: {known})")
    rel = f"{RELEASES}/{version}.json"
    data = read_inside(resolve_root(root), rel)
    try:
        return from_json(data.decode("utf-8"))[1]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise DataError(
            [Issue(rel, rule.DESCRIPTOR, f"is not a release manifest ({exc.__class__.__name__})")]
        ) from None

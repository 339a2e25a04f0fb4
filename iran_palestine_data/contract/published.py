"""Published history: the release store in ``releases/`` — every released version, whole and
offline, in a content-addressed form. Read here (the store is part of the contract: an id once
published is never silently dropped, and a published version never changes); written by
:mod:`iran_palestine_data.release.store`.

The store holds three kinds of file:

- ``releases/<version>.json`` — one **release manifest** per version: its date, its CHANGELOG entry,
  the commit it was rebuilt from (for releases made before the store), and every file of the
  release with its SHA-256 and size. A table's CSV is listed as its header and its rows in file
  order, each row as ``[key, ref]``: the row's primary key (as :func:`row_key` writes it) and the
  reference of its exact bytes in the row store. Any other file (the descriptor, the Table Schemas,
  the source snapshots) is a reference to a whole-file blob.
- ``releases/rows/<table>.jsonl`` — the **row store**: one line ``[ref, record]`` per distinct CSV
  record (header or row, exactly as its bytes were, line ending included) of that table in any
  release. A row that never changes is stored once, however many releases hold it.
- ``releases/blobs.jsonl`` — the **blob store**: one line ``[ref, text]`` per distinct whole file.

A reference is the first 16 hex digits of the SHA-256 of the UTF-8 bytes. References are only a
way to find content: every file rebuilt from the store is checked against the full SHA-256 its
index records, so a collision or an edited store is an error, never a silently different release.
The store only grows by appending (``release bump`` adds the rows that changed), so a line once
written never changes, and git shows a release as the lines it added.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .. import rulebook as rule
from ..atomic import write_bytes
from ..errors import DataError, Issue
from ..paths import DESCRIPTOR, read_inside, resolve_root
from .semver import is_version, version_key

RELEASES = "releases"
ROWS = "rows"
BLOBS = "blobs.jsonl"
REF_DIGITS = 16
_KEY_MAX = 80


def short_hash(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def ref_of(data: bytes) -> str:
    """The store's reference of some bytes: the first 16 hex digits of their SHA-256."""
    return hashlib.sha256(data).hexdigest()[:REF_DIGITS]


def row_key(values: list[str]) -> str:
    """A row's key from its primary-key cells: joined by ``|``; a long key (an exclusion's quote) has
    each long cell shortened to ``sha256:`` and its first 12 hex digits."""
    key = "|".join(values)
    return (
        key
        if len(key) <= _KEY_MAX
        else "|".join(v if len(v) <= 40 else "sha256:" + short_hash(v, 12) for v in values)
    )


@dataclass(frozen=True)
class FileEntry:
    """One file of a release: where it was, its SHA-256 and size, and how the store holds it —
    a ``blob`` reference, or (a table's CSV) ``table``, a ``header`` reference and ``rows``."""

    path: str
    sha256: str
    bytes: int
    blob: str | None = None
    table: str | None = None
    header: str | None = None
    rows: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Release:
    """A release manifest: ``releases/<version>.json``."""

    version: str
    date: str
    notes: str
    commit: str | None
    files: dict[str, FileEntry]

    def tables(self) -> dict[str, FileEntry]:
        """Table name -> its CSV's entry."""
        return {e.table: e for e in self.files.values() if e.table is not None}

    def keys(self) -> dict[str, list[str]]:
        """Table name -> the keys of its rows, in file order (what this release published)."""
        return {name: [k for k, _ in e.rows] for name, e in self.tables().items()}


def releases_dir(root: str | Path | None = None) -> Path:
    return resolve_root(root) / RELEASES


def released_versions(root: str | Path | None = None) -> list[str]:
    """Versions with a release manifest, oldest first."""
    folder = releases_dir(root)
    found = [p.stem for p in folder.glob("*.json") if is_version(p.stem)] if folder.is_dir() else []
    return sorted(found, key=version_key)


def _bad(rel: str, why: str) -> DataError:
    return DataError([Issue(rel, rule.DESCRIPTOR, why)])


def _str(value: object, rel: str, what: str) -> str:
    if not isinstance(value, str):
        raise _bad(rel, f"is not a release manifest ({what} is not text)")
    return value


def release_from_json(text: str, rel: str) -> Release:
    """Parse a release manifest; anything out of shape is a :class:`DataError` naming the file."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise _bad(rel, "is not a release manifest (not JSON)") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise _bad(rel, "is not a release manifest (no files)")
    files: dict[str, FileEntry] = {}
    for path, spec in data["files"].items():
        if not isinstance(spec, dict):
            raise _bad(rel, f"is not a release manifest (entry {path!r} is not an object)")
        rows = spec.get("rows", [])
        if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r) for r in rows
        ):
            raise _bad(rel, f"is not a release manifest (rows of {path!r} are not [key, ref] pairs)")
        size = spec.get("bytes")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _bad(rel, f"is not a release manifest (bytes of {path!r} is not a count)")
        table = spec.get("table")
        files[path] = FileEntry(
            path=path,
            sha256=_str(spec.get("sha256"), rel, f"sha256 of {path!r}"),
            bytes=size,
            blob=None if spec.get("blob") is None else _str(spec["blob"], rel, f"blob of {path!r}"),
            table=None if table is None else _str(table, rel, f"table of {path!r}"),
            header=None if spec.get("header") is None else _str(spec["header"], rel, f"header of {path!r}"),
            rows=tuple((k, r) for k, r in rows),
        )
        if (files[path].blob is None) == (files[path].table is None):
            raise _bad(rel, f"is not a release manifest ({path!r} must be a blob or a table)")
    commit = data.get("commit")
    return Release(
        version=_str(data.get("version"), rel, "version"),
        date=_str(data.get("date"), rel, "date"),
        notes=_str(data.get("notes", ""), rel, "notes"),
        commit=None if commit is None else _str(commit, rel, "commit"),
        files=files,
    )


def versions(root: str | Path | None = None) -> list[str]:
    """Every version of the dataset one can load, oldest first: the released versions, then the
    installed data's own version if it is not (yet) released."""
    from .schema import read_json

    found = released_versions(root)
    current = read_json(resolve_root(root), DESCRIPTOR).get("version")
    if isinstance(current, str) and current not in found:
        found.append(current)
    return found


def load_release(version: str, root: str | Path | None = None) -> Release:
    """The index of a released version; a :class:`KeyError` listing the released ones if there is
    none, a :class:`DataError` if it is unreadable."""
    if not is_version(version) or version not in released_versions(root):
        known = ", ".join(released_versions(root)) or "none"
        raise KeyError(f"no manifest for version {version!r} (released versions: {known})")
    rel = f"{RELEASES}/{version}.json"
    data = read_inside(resolve_root(root), rel)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad(rel, "is not a release manifest (not UTF-8)") from None
    release = release_from_json(text, rel)
    if release.version != version:
        raise _bad(rel, f"is not the index of {version} (it says {release.version!r})")
    return release


def store_lines(root: Path, rel: str) -> dict[str, str]:
    """ref -> content of a row or blob store file (empty if there is none)."""
    if not (root / rel).is_file():
        return {}
    data = read_inside(root, rel)
    out: dict[str, str] = {}
    for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        try:
            ref, content = json.loads(line)
        except (ValueError, TypeError, RecursionError):
            ref = content = None
        if not isinstance(ref, str) or not isinstance(content, str):
            raise _bad(rel, f"line {n} is not a [ref, content] pair of the release store")
        out[ref] = content
    return out


def rows_path(table: str) -> str:
    return f"{RELEASES}/{ROWS}/{table}.jsonl"


def blobs_path() -> str:
    return f"{RELEASES}/{BLOBS}"


def release_files(version: str, root: str | Path | None = None) -> dict[str, bytes]:
    """Every file of a released version, rebuilt from the store: path -> bytes, each checked
    against the SHA-256 and size its manifest records (a mismatch is a :class:`DataError`)."""
    base = resolve_root(root)
    release = load_release(version, base)
    blobs = store_lines(base, blobs_path())
    rows: dict[str, dict[str, str]] = {}
    out: dict[str, bytes] = {}
    rel = f"{RELEASES}/{version}.json"
    for path, entry in release.files.items():
        if entry.blob is not None:
            parts = [blobs.get(entry.blob)]
        else:
            assert entry.table is not None  # release_from_json: a blob or a table
            if entry.table not in rows:
                rows[entry.table] = store_lines(base, rows_path(entry.table))
            store = rows[entry.table]
            parts = [store.get(entry.header or "")] + [store.get(ref) for _, ref in entry.rows]
        if any(p is None for p in parts):
            raise _bad(rel, f"{path} refers to content the store does not hold")
        data = "".join(p for p in parts if p is not None).encode("utf-8")
        if len(data) != entry.bytes or hashlib.sha256(data).hexdigest() != entry.sha256:
            raise _bad(
                rel, f"{path} rebuilt from the store does not match its SHA-256 (the store was changed)"
            )
        out[path] = data
    return out


_MATERIALISED: dict[tuple[str, str], Path] = {}
_LOCK = threading.Lock()


def materialise(version: str, root: str | Path | None = None) -> Path:
    """A folder holding released ``version`` exactly as it was published (rebuilt once per process
    into a temporary folder, removed at exit), with the release manifestes up to it, so that it can be
    loaded and validated like any dataset folder."""
    base = resolve_root(root)
    key = (str(base), version)
    with _LOCK:
        if key in _MATERIALISED and (_MATERIALISED[key] / DESCRIPTOR).is_file():
            return _MATERIALISED[key]
        files = release_files(version, base)
        folder = Path(tempfile.mkdtemp(prefix=f"iran-palestine-data-{version}-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        for path, data in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            write_bytes(folder / path, data)
        for earlier in released_versions(base):
            if version_key(earlier) <= version_key(version):
                (folder / RELEASES).mkdir(exist_ok=True)
                write_bytes(
                    folder / RELEASES / f"{earlier}.json", read_inside(base, f"{RELEASES}/{earlier}.json")
                )
        _MATERIALISED[key] = folder
        return folder


def version_root(version: str | None, root: str | Path | None = None) -> Path | str | None:
    """The folder that holds ``version`` of the dataset: ``root`` itself for ``None`` or for the
    data's own version while it is unreleased; a released version rebuilt from the store (see
    :func:`materialise`). Any other version is a :class:`KeyError` naming the ones there are."""
    if version is None:
        return root
    if version in released_versions(root):
        return materialise(version, root)
    known = versions(root)
    if known and version == known[-1]:
        return root
    raise KeyError(f"no version {version!r} of the dataset (versions: {', '.join(known) or 'none'})")

"""Maintainer tasks: keep ``hash`` and ``bytes`` current, and cut releases.

Never edit ``hash``/``bytes`` by hand: after changing any CSV run ``iran-palestine-data release
refresh``, which rewrites them for every resource (and nothing else), so ``frictionless validate`` and
our validator can tell a deliberate change from corruption.

A release (see README, "Releasing"): write the CHANGELOG entry from ``iran-palestine-data diff
<last version> .``, then ``iran-palestine-data release bump X.Y.Z --date YYYY-MM-DD``, which sets the
version in pyproject.toml, datapackage.json and CITATION.cff, refreshes hash/bytes and writes the
release manifest ``releases/X.Y.Z.json``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .paths import DESCRIPTOR, resolve_root

_SCALAR_LIST = re.compile(r'\[\s*(?:"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?)(?:,\s*(?:"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?))*\s*\]')


def dump_json(obj) -> str:
    """JSON as the repository stores it: 2-space indent, UTF-8, lists of scalars on one line."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return _SCALAR_LIST.sub(lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=False), text) + "\n"


def file_digest(path: Path) -> tuple[str, int]:
    """(sha256 hex, byte count) of a file."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def refresh(root: str | Path | None = None, *, only: list[str] | None = None) -> list[str]:
    """Recompute ``hash`` and ``bytes`` of the resources (all, or the named ones); return what changed."""
    base = resolve_root(root)
    path = base / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    changed = []
    for res in descriptor["resources"]:
        if only is not None and res["name"] not in only:
            continue
        sha, size = file_digest(base / res["path"])
        new = {"hash": f"sha256:{sha}", "bytes": size}
        if {k: res.get(k) for k in new} != new:
            res.update(new)
            changed.append(res["name"])
    path.write_text(dump_json(descriptor), encoding="utf-8")
    return changed


_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


class ReleaseError(RuntimeError):
    """A release step that cannot proceed; the message says what to do."""


def versions(root: str | Path | None = None) -> dict[str, str | None]:
    """The version each place declares: pyproject.toml, datapackage.json, CITATION.cff, CHANGELOG.md."""
    base = resolve_root(root)

    def find(rel: str, pattern: str) -> str | None:
        path = base / rel
        if not path.is_file():
            return None
        m = re.search(pattern, path.read_text(encoding="utf-8"), re.M)
        return m.group(1) if m else None

    return {
        "pyproject.toml": find("pyproject.toml", r'^version = "([^"]+)"'),
        "datapackage.json": json.loads((base / DESCRIPTOR).read_text(encoding="utf-8")).get("version"),
        "CITATION.cff": find("CITATION.cff", r"^version: ['\"]?([^'\"\s]+)"),
        "CHANGELOG.md": find("CHANGELOG.md", r"^## (\d+\.\d+\.\d+)\b"),
    }


def bump(version: str, *, date: str, root: str | Path | None = None) -> list[str]:
    """Set ``version`` everywhere at once, refresh hash/bytes, and write ``releases/<version>.json``.

    The CHANGELOG's top entry must already be ``## <version> — <date>`` (write it first, from
    ``iran-palestine-data diff``): a release without its entry is refused.
    """
    if not _SEMVER.match(version):
        raise ReleaseError(f"{version!r} is not MAJOR.MINOR.PATCH")
    base = resolve_root(root)
    top = versions(base)["CHANGELOG.md"]
    if (base / "releases" / f"{version}.json").exists():
        raise ReleaseError(f"version {version} is already released; a published version never changes, so bump to a new one")
    if top != version:
        raise ReleaseError(f"CHANGELOG.md's top entry is {top!r}; add '## {version} — {date}' with the release notes first")
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        text = pyproject.read_text(encoding="utf-8")
        pyproject.write_text(re.sub(r'^version = "[^"]+"', f'version = "{version}"', text, count=1, flags=re.M), encoding="utf-8")
    cff = base / "CITATION.cff"
    text = cff.read_text(encoding="utf-8")
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    text = re.sub(r"^date-released: .*$", f'date-released: "{date}"', text, count=1, flags=re.M)
    cff.write_text(text, encoding="utf-8")
    descriptor = json.loads((base / DESCRIPTOR).read_text(encoding="utf-8"))
    descriptor["version"] = version
    (base / DESCRIPTOR).write_text(dump_json(descriptor), encoding="utf-8")
    refresh(base)
    from .manifest import write_release

    write_release(version, date, base)
    return [k for k, v in versions(base).items() if v == version]

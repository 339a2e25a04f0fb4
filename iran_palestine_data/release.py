"""Maintainer tasks: keep ``hash`` and ``bytes`` in datapackage.json current.

Never edit ``hash``/``bytes`` by hand: after changing any CSV run ::

    iran-palestine-data release refresh

which rewrites them for every resource (and nothing else) so ``frictionless validate`` and our
validator can tell a deliberate change from corruption.
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

"""Keep ``hash`` and ``bytes`` of every resource in ``datapackage.json`` current.

Never edit ``hash``/``bytes`` by hand: after changing any CSV run ``iran-palestine-data release
refresh``, which rewrites them for every resource (and nothing else), so ``frictionless validate`` and
our validator can tell a deliberate change from corruption.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..kernels.hashing import file_digest
from ..paths import DESCRIPTOR, resolve_root
from .jsonfile import write_json


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
    write_json(path, descriptor)
    return changed

"""Keep ``hash`` and ``bytes`` of every resource in ``datapackage.json`` current.

Never edit ``hash``/``bytes`` by hand: after changing any CSV run ``iran-palestine-data release
refresh``, which rewrites them for every resource (and nothing else), so ``frictionless validate`` and
our validator can tell a deliberate change from corruption.
"""

from __future__ import annotations

from pathlib import Path

from .. import rulebook as rule
from ..contract.schema import read_json
from ..errors import DataError, Issue
from ..kernels.hashing import stream_digest
from ..paths import DESCRIPTOR, open_inside, resolve_root
from .jsonfile import write_json


def refresh(root: str | Path | None = None, *, only: list[str] | None = None) -> list[str]:
    """Recompute ``hash`` and ``bytes`` of the resources (all, or the named ones); return what changed."""
    base = resolve_root(root)
    path = base / DESCRIPTOR
    descriptor = read_json(base, DESCRIPTOR)  # a broken descriptor raises DataError, with its issues
    changed = []
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not all(
        isinstance(r, dict) and isinstance(r.get("name"), str) for r in resources
    ):
        raise DataError([Issue(DESCRIPTOR, rule.DESCRIPTOR, "has no list of named resources to refresh")])
    for res in resources:
        if only is not None and res["name"] not in only:
            continue
        with open_inside(base, res["path"]) as fh:  # never a file outside the folder, a FIFO or a device
            sha, size = stream_digest(fh)
        new = {"hash": f"sha256:{sha}", "bytes": size}
        if {k: res.get(k) for k in new} != new:
            res.update(new)
            changed.append(res["name"])
    write_json(path, descriptor)
    return changed

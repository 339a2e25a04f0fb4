"""The contract is the package's own: how the folder under test differs from the contract it is held to.

``validate(PATH)`` checks the files of PATH against the contract shipped with the installed package
(or the one named with ``contract=`` / ``--contract``), never against the descriptor and schemas that
PATH brings along: a contribution cannot switch a check off by editing the rules it is checked by.
What PATH's own ``datapackage.json`` and schemas say differently is reported here, each difference an
issue of the rule ``contract``, so that a reviewer cannot miss a change of the contract.

Only the version, and each resource's ``hash`` and ``bytes`` (which describe the folder's files), are
the folder's own; their form is checked here too (``sha256:`` and 64 lowercase hex digits; a whole
number of bytes).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from .. import rulebook as rule
from ..contract.schema import Package, read_json
from ..errors import DataError, Issue
from ..paths import DESCRIPTOR

HASH_FORM = re.compile(r"^sha256:[0-9a-f]{64}$", re.ASCII)
FOLDER_OWN = ("version",)  # descriptor keys that are the folder's to set
RESOURCE_OWN = ("hash", "bytes")  # resource keys that describe the folder's files


def bind(contract: Package, root: Path, descriptor: dict) -> Package:
    """The contract's tables, pointed at the files of the folder ``root``: the version and each
    resource's ``hash`` and ``bytes`` come from the folder's ``descriptor``, everything else from the
    contract."""
    theirs = _named(descriptor)
    tables = {}
    for name, tbl in contract.tables.items():
        resource = {k: v for k, v in tbl.resource.items() if k not in RESOURCE_OWN}
        resource.update({k: theirs[name][k] for k in RESOURCE_OWN if k in theirs.get(name, {})})
        tables[name] = replace(tbl, resource=resource)
    merged = {k: v for k, v in contract.descriptor.items() if k not in FOLDER_OWN}
    merged.update({k: descriptor[k] for k in FOLDER_OWN if k in descriptor})
    return Package(root, merged, tables)


def folder_descriptor(root: Path) -> tuple[dict | None, list[Issue]]:
    """The folder's own ``datapackage.json``, or the issues that say why it cannot be read."""
    try:
        return read_json(root, DESCRIPTOR), []
    except DataError as exc:
        return None, exc.issues


def differences(contract: Package, root: Path, descriptor: dict) -> Iterator[Issue]:
    """Every way the folder's descriptor and schemas differ from the contract, and the form of the
    keys that are the folder's own."""
    for key in sorted(set(contract.descriptor) | set(descriptor), key=str):
        if key in FOLDER_OWN or key == "resources":
            continue
        if contract.descriptor.get(key) != descriptor.get(key):
            yield _issue(DESCRIPTOR, _what_differs(key, contract.descriptor.get(key), descriptor.get(key)))
    theirs = _named(descriptor)
    for name, tbl in contract.tables.items():
        if name not in theirs:
            yield _issue(DESCRIPTOR, f"has no resource {name}, which the contract requires")
            continue
        yield from _resource_differences(tbl.resource, theirs[name], name)
        yield from _schema_differences(
            root, tbl.schema, tbl.resource.get("schema"), theirs[name].get("schema"), name
        )
        yield from _own_key_problems(theirs[name], name)
    for extra in theirs:
        if extra not in contract.tables:
            yield _issue(
                DESCRIPTOR,
                f"resource {_shown(extra)} is not in the contract (an extra table is never checked)",
            )


def _resource_differences(ours: dict, theirs: dict, name: str) -> Iterator[Issue]:
    for key in sorted(set(ours) | set(theirs), key=str):
        if key in RESOURCE_OWN or key == "schema":
            continue
        if ours.get(key) != theirs.get(key):
            yield _issue(
                DESCRIPTOR, f"resource {name}: " + _what_differs(key, ours.get(key), theirs.get(key))
            )


def _schema_differences(root: Path, schema: dict, our_ref: Any, their_ref: Any, name: str) -> Iterator[Issue]:
    if isinstance(their_ref, str) and their_ref != our_ref:
        yield _issue(
            DESCRIPTOR, f"resource {name}: schema is {_shown(their_ref)}; the contract's is {_shown(our_ref)}"
        )
        return
    if isinstance(their_ref, str):
        try:
            their_schema = read_json(root, their_ref)
        except DataError as exc:
            yield from (replace(i, rule=rule.CONTRACT) for i in exc.issues)
            return
        where = their_ref
    elif isinstance(their_ref, dict):
        their_schema, where = their_ref, DESCRIPTOR
    else:
        yield _issue(DESCRIPTOR, f"resource {name} has no schema; the contract's is {_shown(our_ref)}")
        return
    if their_schema != schema:
        yield _issue(
            where,
            f"the schema of {name} differs from the contract's: "
            + "; ".join(_field_changes(schema, their_schema)),
        )


def _field_changes(ours: dict, theirs: dict) -> list[str]:
    """What differs between two Table Schemas, field by field, in a few words each."""
    mine = {str(f.get("name")): f for f in _list(ours.get("fields")) if isinstance(f, dict)}
    other = {str(f.get("name")): f for f in _list(theirs.get("fields")) if isinstance(f, dict)}
    out = [f"field {n} removed" for n in mine if n not in other]
    out += [f"field {_shown(n)} added" for n in other if n not in mine]
    for n in mine:
        if n in other and mine[n] != other[n]:
            keys = sorted(k for k in set(mine[n]) | set(other[n]) if mine[n].get(k) != other[n].get(k))
            out.append(f"field {n} ({', '.join(map(str, keys))})")
    if [f.get("name") for f in _list(ours.get("fields")) if isinstance(f, dict)] != [
        f.get("name") for f in _list(theirs.get("fields")) if isinstance(f, dict)
    ] and not out:
        out.append("fields in another order")
    out += [
        _what_differs(k, ours.get(k), theirs.get(k))
        for k in sorted(set(ours) | set(theirs), key=str)
        if k != "fields" and ours.get(k) != theirs.get(k)
    ]
    return out or ["(formatting aside, no difference found)"]


def _own_key_problems(resource: dict, name: str) -> Iterator[Issue]:
    if "hash" in resource and not (isinstance(resource["hash"], str) and HASH_FORM.match(resource["hash"])):
        yield Issue(
            DESCRIPTOR,
            rule.DESCRIPTOR,
            f"resource {name}: hash {_shown(resource['hash'])} is not of the form "
            "sha256:<64 lowercase hex digits> (run `iran-palestine-data release refresh`)",
        )
    size = resource.get("bytes", 0)
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        yield Issue(
            DESCRIPTOR,
            rule.DESCRIPTOR,
            f"resource {name}: bytes {_shown(size)} is not a whole number of bytes",
        )


def _what_differs(key: Any, ours: Any, theirs: Any) -> str:
    if ours is None:
        return f"{_shown(key)} is not in the contract"
    if theirs is None:
        return f"{_shown(key)} is missing; the contract has {_shown(ours)}"
    if isinstance(ours, list) and isinstance(theirs, list):
        gone = [x for x in ours if x not in theirs]
        new = [x for x in theirs if x not in ours]
        if gone or new:
            return f"{_shown(key)} differs from the contract's: removed {_shown(gone)}, added {_shown(new)}"
    return f"{_shown(key)} is {_shown(theirs)}; the contract's is {_shown(ours)}"


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _named(descriptor: dict) -> dict[str, dict]:
    """The folder's resources by name (a resource without a text name cannot be matched)."""
    return {
        r["name"]: r
        for r in _list(descriptor.get("resources"))
        if isinstance(r, dict) and isinstance(r.get("name"), str)
    }


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _issue(file: str, message: str) -> Issue:
    return Issue(file, rule.CONTRACT, message)

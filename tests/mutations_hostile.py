"""Mutation kinds of the tamper-proof validation: a hostile contributor's edits to the descriptor, the
schemas, paths and file types, and published history.

Registered into ``mutations.MUTATIONS`` (this module is imported at the end of ``mutations.py``). A
hostile contributor edits whatever the folder holds, then refreshes ``hash`` and ``bytes`` so that the
hash check cannot be what catches the edit.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from iran_palestine_data.release.hashes import refresh

from helpers import read_rows, set_cell, write_rows
from mutations import Expect, mutation

DESCRIPTOR = "datapackage.json"


def _descriptor(root: Path) -> dict:
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))


def _write_descriptor(root: Path, data: dict, *, refresh_hashes: bool = True) -> None:
    (root / DESCRIPTOR).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    if refresh_hashes:
        refresh(root)


def _resource(data: dict, name: str) -> dict:
    return next(r for r in data["resources"] if r["name"] == name)


def _row_of(root: Path, rel: str, key: str) -> int:
    _, rows = read_rows(root, rel)
    return next(n for n, r in enumerate(rows, start=2) if r[0] == key)


def _snapshot(root: Path, source_id: str = "wikipedia-iran-palestine-relations") -> tuple[str, int]:
    """A source's snapshot path and its row in csv/sources.csv."""
    header, rows = read_rows(root, "csv/sources.csv")
    for n, r in enumerate(rows, start=2):
        if r[0] == source_id:
            return r[header.index("snapshot")], n
    raise LookupError(source_id)


# --- the descriptor and the schemas switch nothing off -----------------------------------------------


@mutation("sources resource removed, then a quote fabricated")
def _(root):
    data = _descriptor(root)
    data["resources"] = [r for r in data["resources"] if r["name"] != "sources"]
    _write_descriptor(root, data)
    n = set_cell(root, "csv/statements.csv", "ST-0001", "quote", "Words nobody ever wrote in any source.")
    return Expect("csv/statements.csv", n, "quote")


@mutation("resource dropped from the descriptor")
def _(root):
    data = _descriptor(root)
    data["resources"] = [r for r in data["resources"] if r["name"] != "retired"]
    _write_descriptor(root, data)
    return Expect(DESCRIPTOR)


@mutation("extra resource in the descriptor")
def _(root):
    data = _descriptor(root)
    extra = dict(_resource(data, "events"), name="events_extra")
    data["resources"].append(extra)
    _write_descriptor(root, data)
    return Expect(DESCRIPTOR)


def _edit_descriptor(edit) -> object:
    """A mutation that edits the folder's descriptor (and nothing else) with ``edit(data, root)``."""

    def apply(root: Path) -> Expect:
        data = _descriptor(root)
        edit(data, root)
        _write_descriptor(root, data, refresh_hashes=False)
        return Expect(DESCRIPTOR)

    return apply


def _events_path(path: str):
    def edit(data: dict, root: Path) -> None:
        shutil.copy(root / "csv/events.csv", root.parent / "events.csv")  # for a path that leads out
        _resource(data, "events")["path"] = path

    return edit


for _name, _edit in {
    "resource path absolute": _events_path("/etc/passwd"),
    "resource path out of the folder": _events_path("../events.csv"),
    "resource path remote": _events_path("http://127.0.0.1:9/events.csv"),
    "descriptor profile remote": lambda data, root: data.update(profile="http://127.0.0.1:9/profile.json"),
    "loaded terms removed from the descriptor": lambda data, root: data.update(
        {"x-loadedTerms": data["x-loadedTerms"][1:]}
    ),
}.items():
    mutation(_name)(_edit_descriptor(_edit))


@mutation("hash under an algorithm name the checker does not know")
def _(root):
    set_cell(
        root,
        "csv/events.csv",
        "EV-0016",
        "title",
        "A title changed without a word to anyone",
        refresh_hashes=False,
    )
    data = _descriptor(root)
    res = _resource(data, "events")
    res["hash"] = "SHA256:" + res["hash"].split(":", 1)[1]  # the stale hash, under a name a checker may skip
    res["bytes"] = (root / "csv/events.csv").stat().st_size
    _write_descriptor(root, data, refresh_hashes=False)
    return Expect("csv/events.csv")


@mutation("bytes not a number")
def _(root):
    data = _descriptor(root)
    res = _resource(data, "statements")
    res["bytes"] = str(res["bytes"])
    _write_descriptor(root, data, refresh_hashes=False)
    return Expect(DESCRIPTOR)


@mutation("descriptor nested very deep")
def _(root):
    text = (root / DESCRIPTOR).read_text(encoding="utf-8")
    (root / DESCRIPTOR).write_text(text[:-2] + ', "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    return Expect(DESCRIPTOR)


@mutation("schema constraint removed")
def _(root):
    path = root / "schemas/events.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    for f in schema["fields"]:
        f.get("constraints", {}).pop("enum", None)
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return Expect("schemas/events.schema.json")


@mutation("schema constraint of the wrong type")
def _(root):
    path = root / "schemas/funding_claims.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    next(f for f in schema["fields"] if f["name"] == "amount_low").setdefault("constraints", {})[
        "minimum"
    ] = "abc"
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return Expect("schemas/funding_claims.schema.json")


@mutation("foreign key to a resource that does not exist")
def _(root):
    path = root / "schemas/statements.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["foreignKeys"][0]["reference"]["resource"] = "no_such_table"
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return Expect("schemas/statements.schema.json")


@mutation("schema swapped for another table's")
def _(root):
    data = _descriptor(root)
    _resource(data, "events")["schema"] = "schemas/statements.schema.json"
    _write_descriptor(root, data, refresh_hashes=False)
    return Expect(DESCRIPTOR)


# --- paths and file types -------------------------------------------------------------------------


@mutation("snapshot symlinked to a copy outside the folder")
def _(root):
    rel, n = _snapshot(root)
    outside = root.parent / "copy.txt"
    shutil.copy(root / rel, outside)
    (root / rel).unlink()
    os.symlink(outside, root / rel)
    return Expect("csv/sources.csv", n, "snapshot")


@mutation("snapshot is a FIFO")
def _(root):
    rel, n = _snapshot(root)
    (root / rel).unlink()
    os.mkfifo(root / rel)
    return Expect("csv/sources.csv", n, "snapshot")


@mutation("snapshot symlinked to /dev/zero")
def _(root):
    rel, n = _snapshot(root)
    (root / rel).unlink()
    os.symlink("/dev/zero", root / rel)
    return Expect("csv/sources.csv", n, "snapshot")


@mutation("snapshot is a folder")
def _(root):
    rel, n = _snapshot(root)
    (root / rel).unlink()
    (root / rel).mkdir()
    return Expect("csv/sources.csv", n, "snapshot")


@mutation("data file is a FIFO")
def _(root):
    (root / "csv/actors.csv").unlink()
    os.mkfifo(root / "csv/actors.csv")
    return Expect("csv/actors.csv")


@mutation("data file symlinked out of the folder")
def _(root):
    outside = root.parent / "events.csv"
    shutil.copy(root / "csv/events.csv", outside)
    (root / "csv/events.csv").unlink()
    os.symlink(outside, root / "csv/events.csv")
    return Expect("csv/events.csv")


@mutation("data file is a folder")
def _(root):
    (root / "csv/retired.csv").unlink()
    (root / "csv/retired.csv").mkdir()
    return Expect("csv/retired.csv")


@mutation("descriptor is a folder")
def _(root):
    (root / DESCRIPTOR).unlink()
    (root / DESCRIPTOR).mkdir()
    return Expect(DESCRIPTOR)


@mutation("extra column appended to a table")
def _(root):
    header, rows = read_rows(root, "csv/actors.csv")
    write_rows(root, "csv/actors.csv", header + ["extra"], [r + ["x"] for r in rows])
    refresh(root)
    return Expect("csv/actors.csv", 1, "extra")


# --- published history -----------------------------------------------------------------------------


@mutation("published row deleted without retirement")
def _(root):
    header, rows = read_rows(root, "csv/events.csv")
    write_rows(root, "csv/events.csv", header, [r for r in rows if r[0] != "EV-0001"])
    path = root / "csv/event_actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("EV-0001,")), encoding="utf-8")
    refresh(root)
    return Expect("csv/events.csv", None, "event_id")


@mutation("retirement entry removed")
def _(root):
    header, rows = read_rows(root, "csv/retired.csv")
    write_rows(root, "csv/retired.csv", header, rows[1:])
    refresh(root)
    return Expect("csv/retired.csv", None, "id")

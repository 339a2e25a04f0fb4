"""A hostile folder: links out of it, FIFOs, remote paths, a listener that must hear nothing,
interrupted and concurrent exports. Every command ends, with a message and an exit code, never a
traceback, a hang or a read outside the folder."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data.errors import DataError

from helpers import copy_dataset, read_rows, write_rows

pytestmark = pytest.mark.integration

CLI = [str(Path(sys.executable).with_name("iran-palestine-data"))]
TIMEOUT = 120


def run(*args, timeout=TIMEOUT):
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


def _snapshot_rel(root: Path) -> str:
    header, rows = read_rows(root, "csv/sources.csv")
    return rows[0][header.index("snapshot")]


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def _remote_everything(root: Path, port: int) -> None:
    """Point the folder's descriptor, a resource, a schema and the profile at the listener."""
    data = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    data["profile"] = f"http://127.0.0.1:{port}/profile.json"
    data["resources"][2]["path"] = f"http://127.0.0.1:{port}/events.csv"
    data["resources"][3]["schema"] = f"http://127.0.0.1:{port}/schema.json"
    (root / "datapackage.json").write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_no_network_ever(dataset, listener, engine):
    _remote_everything(dataset, listener.port)
    # held to the installed contract, the folder's remote paths are differences, never followed
    report = ipd.validate(dataset, engine=engine)
    assert {i.rule for i in report.issues} >= {"contract"}
    assert any(f"127.0.0.1:{listener.port}/events.csv" in i.message for i in report.issues), report.issues[:5]
    # held to itself as its own contract, the remote paths are refused before anything opens them
    report = ipd.validate(dataset, engine=engine, contract=dataset)
    assert any(i.rule == "path" and "never the network" in i.message for i in report.issues), report.issues[
        :5
    ]
    with pytest.raises(DataError):
        ipd.load("events", root=dataset)
    assert run("info", dataset).returncode == 1
    time.sleep(0.3)
    assert listener.connections == 0, "something of the package opened a connection"


@pytest.mark.parametrize(
    "make",
    ["fifo snapshot", "dev zero snapshot", "fifo table", "linked table", "folder table"],
)
def test_hostile_files_never_hang_crash_or_leak(tmp_path, make):
    root = copy_dataset(tmp_path / "d")
    outside = tmp_path / "outside.csv"
    outside.write_text("secret,values\n1,2\n", encoding="utf-8")
    target = {"fifo snapshot": _snapshot_rel(root), "dev zero snapshot": _snapshot_rel(root)}.get(
        make, "csv/actors.csv"
    )
    (root / target).unlink()
    if make.startswith("fifo"):
        os.mkfifo(root / target)
    elif make == "dev zero snapshot":
        os.symlink("/dev/zero", root / target)
    elif make == "linked table":
        os.symlink(outside, root / target)
    else:
        (root / target).mkdir()
    commands = [
        ("validate", root),
        ("validate", root, "--engine", "reference"),
        ("info", root),
        ("coverage", root),
        ("show", "EV-0001", "--path", root),
        ("export", "-f", "jsonl", "--out", tmp_path / "out", "--path", root),
        ("diff", "0.4.0", root),
        ("release", "refresh", root),
    ]
    for command in commands:
        started = time.monotonic()
        result = run(*command)
        out = result.stdout + result.stderr
        assert "Traceback" not in out and "MemoryError" not in out, (command, out[-2000:])
        assert result.returncode in (0, 1, 2), (command, result.returncode, out[-2000:])
        assert time.monotonic() - started < TIMEOUT
        assert "secret" not in out, (command, "read a file outside the folder")
    report = ipd.validate(root)
    assert any(i.rule == "path" for i in report.issues), report.issues[:5]


def test_snapshot_linked_to_a_copy_outside_is_refused(tmp_path):
    root = copy_dataset(tmp_path / "d")
    rel = _snapshot_rel(root)
    copy = tmp_path / "copy.txt"
    copy.write_bytes((root / rel).read_bytes())
    (root / rel).unlink()
    os.symlink(copy, root / rel)
    issues = [i for i in ipd.validate(root).issues if i.rule == "path"]
    assert issues and issues[0].file == "csv/sources.csv" and issues[0].column == "snapshot", issues


def test_a_file_over_the_size_cap_is_refused(dataset, monkeypatch):
    monkeypatch.setenv(
        "IRAN_PALESTINE_DATA_MAX_FILE_BYTES", "40000"
    )  # over it: events, statements, link_review
    issues = [i for i in ipd.validate(dataset).issues if i.rule == "path"]
    assert any(i.file == "csv/events.csv" and "over the cap of 40000" in i.message for i in issues), issues[
        :5
    ]


def test_a_stray_file_in_releases_is_ignored(dataset):
    (dataset / "releases" / "notes.json").write_text("{}", encoding="utf-8")
    (dataset / "releases" / "README").write_text("hello", encoding="utf-8")
    assert ipd.validate(dataset).valid
    assert run("diff", "0.3.0", dataset).returncode == 0


def test_commands_explain_a_broken_descriptor(tmp_path):
    root = copy_dataset(tmp_path / "d")
    (root / "datapackage.json").write_text("[1, 2", encoding="utf-8")
    for command in (("validate", root), ("info", root), ("release", "refresh", root), ("coverage", root)):
        result = run(*command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        assert "datapackage.json" in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_export_refuses_a_file_where_a_folder_is_needed(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep me", encoding="utf-8")
    result = run("export", "-f", "sqlite", "--out", target)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"


def _bigger_dataset(tmp_path: Path) -> Path:
    """The dataset with its events repeated, so that an export takes a few seconds."""
    root = copy_dataset(tmp_path / "big")
    header, rows = read_rows(root, "curation/exclusions.csv")
    # many exclusions: a table no other refers to, so the copies stay valid for the export
    more = [r[:1] + [f"{r[1]} ({k})"] + r[2:] for k in range(400) for r in rows]
    write_rows(root, "curation/exclusions.csv", header, rows + more)
    return root


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def test_an_interrupted_export_leaves_the_previous_one_whole(tmp_path):
    root = _bigger_dataset(tmp_path)
    out = tmp_path / "out"
    assert run("export", "-f", "sqlite", "--out", out, "--path", root).returncode == 0
    db = out / "iran_palestine.db"
    before, counts = db.read_bytes(), _counts(db)
    for delay in (0.5, 1.0, 2.0):
        proc = subprocess.Popen(
            [*CLI, "export", "-f", "sqlite", "--out", str(out), "--path", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=TIMEOUT)
        assert _counts(db) == counts  # the old export, or a complete new one: never a half-written file
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")], list(out.iterdir())
    assert len(before) > 0


def test_concurrent_exports_never_leave_a_broken_database(tmp_path):
    root = _bigger_dataset(tmp_path)
    out = tmp_path / "out"
    procs = [
        subprocess.Popen(
            [*CLI, "export", "-f", "sqlite", "--out", str(out), "--path", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for proc in procs:
        proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0
    counts = _counts(out / "iran_palestine.db")
    assert counts["exclusions"] == len(read_rows(root, "curation/exclusions.csv")[1])
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_file_that_changes_while_it_is_read_is_a_problem_not_a_crash(dataset, monkeypatch):
    """No memory map: a file cut short while it is read is reported (a memory-mapped read of a
    shrinking file dies of SIGBUS)."""
    from iran_palestine_data import paths

    opened = paths.open_inside

    class CutWhileRead:
        def __init__(self, fh, path: Path) -> None:
            self.fh, self.path = fh, path

        def fileno(self) -> int:
            return self.fh.fileno()

        def read(self, n: int = -1) -> bytes:
            os.truncate(self.path, 100)  # another process cuts the file short, mid-read
            return self.fh.read(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            self.fh.close()

    def open_then_cut(root, rel):
        fh = opened(root, rel)
        return CutWhileRead(fh, Path(root) / rel) if rel == "csv/events.csv" else fh

    monkeypatch.setattr(paths, "open_inside", open_then_cut)
    issues = ipd.validate(dataset).issues
    assert any(
        i.file == "csv/events.csv" and i.rule == "path" and "changed while it was read" in i.message
        for i in issues
    ), issues[:5]


def test_an_unreadable_contract_is_named_as_the_contract(dataset, tmp_path):
    issues = ipd.validate(dataset, contract=tmp_path / "nowhere").issues
    assert [(i.file, i.rule, i.message) for i in issues] == [
        (str(tmp_path / "nowhere"), "descriptor", "folder does not exist")
    ]
    (tmp_path / "empty").mkdir()
    issues = ipd.validate(dataset, contract=tmp_path / "empty").issues
    assert [(i.file, i.rule, i.message) for i in issues] == [
        (str(tmp_path / "empty" / "datapackage.json"), "descriptor", "file is missing")
    ]

"""The command line in front of hostile data, and at scale.

Values written by a hostile contributor (Rich markup, escape sequences, an OSC 8 hyperlink, BEL,
backspace, a C1 CSI, a bidi override, a carriage return) must reach the screen as visible text, through
a pipe and through a terminal (a pseudo-terminal, where Rich styles its own output), while ``--json``
keeps them intact. And ``validate`` must print millions of problems quickly: a summary and the first
200 by default, every line with ``--all``, the same JSON document as ``Report.to_json()`` with ``--json``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import select
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from iran_palestine_data.cli import app
from iran_palestine_data.cli.check import print_report, report_json_chunks
from iran_palestine_data.cli.common import escape, fail, json_text, safe, write_lines
from iran_palestine_data.errors import DataError, Issue
from iran_palestine_data.validation.report import Report

from helpers import copy_dataset, set_cell

pytestmark = pytest.mark.unit

app_module = importlib.import_module("iran_palestine_data.cli.app")  # the package's ``app`` is the Typer app

CLI = [str(Path(sys.executable).with_name("iran-palestine-data"))]

# the comma makes the csv module quote the cell, so that the lone CR stays inside it
HOSTILE = (
    "[/bold], [link=https://evil.example]click[/link] \x1b[31mred "
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x07 \x08 \x9b2J \u202e \r end"
)
# how it must look: the markup as text, every control as an escape (the data's own backslash stays one)
SHOWN = (
    "[/bold], [link=https://evil.example]click[/link] \\x1b[31mred "
    "\\x1b]8;;http://x\\x1b\\link\\x1b]8;;\\x1b\\ \\x07 \\x08 \\x9b2J \\u202e \\r end"
)
RAW = ("\x1b", "\x07", "\x08", "\x9b", "\u202e", "\r")  # none of these may reach the output
SGR = re.compile(r"\x1b\[[0-9;]*m")  # Rich's own styles, on a terminal

# the source of EV-0018 and of ali-khamenei; LK-0016 contradicts EV-0018
SOURCE, ACTOR, LINK = "wikipedia-iran-palestine-relations", "ali-khamenei", "LK-0016"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    root = copy_dataset(tmp_path_factory.mktemp("hostile") / "dataset")
    set_cell(root, "csv/sources.csv", SOURCE, "title", "T " + HOSTILE, refresh_hashes=False)
    set_cell(root, "csv/sources.csv", SOURCE, "publisher", "P " + HOSTILE, refresh_hashes=False)
    set_cell(root, "csv/actors.csv", ACTOR, "name", "N " + HOSTILE, refresh_hashes=False)
    set_cell(root, "csv/claim_links.csv", LINK, "note", "L " + HOSTILE)
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    return {**env, "COLUMNS": "1000", "TERM": "xterm-256color"}  # wide: no table cell is wrapped


def run_pipe(args: list[str]) -> tuple[int, str]:
    result = subprocess.run(
        [*CLI, *args], capture_output=True, text=True, encoding="utf-8", env=_env(), timeout=120
    )
    return result.returncode, result.stdout + result.stderr


def run_pty(args: list[str], timeout: float = 120) -> tuple[int, str, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; returns the exit code, the raw output
    and the output with the terminal's CRLF turned back into LF."""
    import pty  # POSIX only, as the test is

    master, slave = pty.openpty()
    proc = subprocess.Popen([*CLI, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=_env())
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            pytest.fail(f"{args} did not finish within {timeout} s")
        code = proc.wait(timeout=timeout)
    finally:
        os.close(master)
    raw = b"".join(chunks).decode("utf-8")
    return code, raw, raw.replace("\r\n", "\n")


def _args(name: str, root: Path) -> list[str]:
    return [a.replace("ROOT", str(root)) for a in COMMANDS[name][0]]


# name: (arguments, exit code, what must be seen)
COMMANDS = {
    "show an event": (["show", "EV-0018", "--path", "ROOT"], 0, ["T " + SHOWN, "P " + SHOWN, "L " + SHOWN]),
    "show an actor": (["show", ACTOR, "--path", "ROOT"], 0, ["N " + SHOWN, "T " + SHOWN]),
    "show a source": (["show", SOURCE, "--path", "ROOT"], 0, ["T " + SHOWN, "P " + SHOWN]),
    "conflicts": (["conflicts", "ROOT"], 0, ["L " + SHOWN]),
    "links": (["links", "--path", "ROOT"], 0, ["L " + SHOWN]),
    "info": (["info", "ROOT"], 0, ["P " + SHOWN]),
    # issue values are cut at 120 characters
    "validate": (["validate", "ROOT"], 1, [f'value "{p} {SHOWN[:90]}' for p in "TPNL"]),
}
JSON_COMMANDS = {
    "info --json": ["info", "ROOT", "--json"],
    "conflicts --json": ["conflicts", "ROOT", "--json"],
    "validate --json": ["validate", "ROOT", "--json"],
}
JSON_RUNS = [("pipe", name) for name in JSON_COMMANDS] + [("pty", "validate --json")]  # one writer for all


@pytest.fixture(scope="module")
def runs(hostile) -> dict:
    """Every command, through a pipe and through a pseudo-terminal, run side by side once."""
    jobs = {}
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for name in COMMANDS:
            jobs["pipe", name] = pool.submit(run_pipe, _args(name, hostile))
            jobs["pty", name] = pool.submit(run_pty, _args(name, hostile))
        for mode, name in JSON_RUNS:
            argv = [a.replace("ROOT", str(hostile)) for a in JSON_COMMANDS[name]]
            jobs[mode, name] = pool.submit(run_pipe if mode == "pipe" else run_pty, argv)
        return {key: job.result() for key, job in jobs.items()}


def _no_raw_controls(text: str) -> None:
    assert "Traceback" not in text
    assert "\x1b]" not in text, "an OSC sequence (a hyperlink, a window title) reached the output"
    for ch in RAW:
        assert ch not in text, f"raw {ch!r} in the output"


@pytest.mark.parametrize("name", COMMANDS)
def test_hostile_values_are_shown_escaped_through_a_pipe(runs, name):
    code, text = runs["pipe", name]
    assert code == COMMANDS[name][1], text
    _no_raw_controls(text)
    for seen in COMMANDS[name][2]:
        assert seen in text, f"{seen!r} not shown"


@pytest.mark.parametrize("name", COMMANDS)
def test_hostile_values_are_shown_escaped_on_a_terminal(runs, name):
    code, raw, text = runs["pty", name]
    assert code == COMMANDS[name][1], text
    assert "\x1b]" not in raw, "an OSC sequence (a hyperlink, a window title) reached the terminal"
    if not name.startswith("links"):  # links prints no style of its own
        assert "\x1b[" in raw, "Rich did not style its output: the terminal path was not taken"
    plain = SGR.sub("", text)  # Rich's own styling is the only escape sequence allowed
    _no_raw_controls(plain)
    for seen in COMMANDS[name][2]:
        assert seen in plain, f"{seen!r} not shown"


@pytest.mark.parametrize("mode, name", JSON_RUNS)
def test_json_keeps_hostile_values_intact_and_escaped(runs, name, mode):
    result = runs[mode, name]
    code, text = result[0], result[-1]
    assert code == (1 if name.startswith("validate") else 0), text
    _no_raw_controls(text)
    data = json.loads(text)
    if name.startswith("info"):
        (source,) = [s for s in data["sources"] if s["source_id"] == SOURCE]
        assert source["title"] == "T " + HOSTILE and source["publisher"] == "P " + HOSTILE
    elif name.startswith("conflicts"):
        assert "L " + HOSTILE in [r["note"] for r in data]
    else:
        values = {i["value"] for i in data["issues"]}
        assert {p + " " + HOSTILE for p in "TPNL"} <= values


def test_error_lines_are_escaped():
    result = subprocess.run(
        [*CLI, "show", "[/bold][link=https://evil.example]x[/link]\x1b[31m\u202e"],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert result.returncode == 1
    _no_raw_controls(result.stdout + result.stderr)
    assert "[/bold][link=https://evil.example]x[/link]" in result.stderr


def test_fail_escapes_its_message(capsys):
    with pytest.raises(typer.Exit):
        fail("bad [/bold] [link=https://evil.example]x[/link] \x1b[2J\u202e")
    assert (
        capsys.readouterr().err == "error: bad [/bold] [link=https://evil.example]x[/link] \\x1b[2J\\u202e\n"
    )


def test_data_errors_in_main_are_escaped(monkeypatch, capsys):
    def broken():
        raise DataError([Issue("csv/x.csv", "type", "bad \x1b]0;title\x07 [/red]", row=2, value="\x1b[2J")])

    monkeypatch.setattr(app_module, "app", broken)
    with pytest.raises(SystemExit) as exit:
        app_module.main()
    assert exit.value.code == 1
    assert capsys.readouterr().err == (
        'csv/x.csv row 2: value "\\x1b[2J" bad \\x1b]0;title\\x07 [/red] (rule: type)\n'
    )


@pytest.mark.parametrize(
    "value",
    [
        "Iran–Palestine relations",
        "Ḥamās, Tōkyō, naïve café",
        "حماس والجهاد الإسلامي",
        "جمهوری\u200cاسلامی",  # a zero-width non-joiner, as Persian writes it
        "12\u00a0000 dollars",  # a no-break space
        "family \U0001f468\u200d\U0001f469\u200d\U0001f467",  # an emoji sequence joined by ZWJ
        "a \\ backslash, a [bracket] and :smile:",
    ],
)
def test_ordinary_values_print_as_themselves(value):
    assert escape(value) == value
    assert safe(value).plain == value
    assert json.loads(json_text(json.dumps(value, ensure_ascii=False))) == value


def test_escape_and_json_text():
    assert escape("a\x1bb\x07c\x08d\re\nf\tg\x7fh\x9bi\u202ej\u2066k\u200fl\u2028m\ufeffn\ud800") == (
        "a\\x1bb\\x07c\\x08d\\re\\nf\\tg\\x7fh\\x9bi\\u202ej\\u2066k\\u200fl\\u2028m\\ufeffn\\ud800"
    )
    assert escape("one\ntwo\r", keep="\n") == "one\ntwo\\r"
    assert escape("only ascii\x1b", keep="\n") == "only ascii\\x1b"
    assert escape(None) == "None" and safe(None).plain == ""
    text = json.dumps({"k": "\x1b\x7f\x9b\u202e\U000e0041 ok"}, ensure_ascii=False)
    safe_text = json_text(text)
    assert all(ch not in safe_text for ch in "\x1b\x7f\x9b\u202e\U000e0041")
    assert json.loads(safe_text) == json.loads(text)


def test_write_lines_escapes_in_bulk(capsys):
    lines = [f"line {n}" for n in range(50)] + ["bad \x1b[31m line\nwith a break", "naïve\u00a0ok"]
    assert write_lines(lines, chunk=7) == 52
    out = capsys.readouterr().out
    assert out.splitlines() == [*lines[:50], "bad \\x1b[31m line\\nwith a break", "naïve\u00a0ok"]


# -- at scale ------------------------------------------------------------------------------------------


def fake_report(n: int) -> Report:
    rules = ("enum", "foreign key", "pattern")
    files = ("csv/event_actors.csv", "csv/events.csv")
    issues = [
        Issue(
            files[i % 7 == 0],
            rules[i % 3],
            f"is not right here #{i}",
            row=i + 2,
            column="role",
            value=None if i % 5 == 0 else f"x{i}",
        )
        for i in range(n)
    ]
    return Report(issues, {"events": n, "event_actors": 2 * n})


@pytest.fixture
def fake_validate(monkeypatch):
    """Make ``iran-palestine-data validate`` find the issues of a fake report."""
    from iran_palestine_data.validation import validator

    def use(report: Report) -> None:
        monkeypatch.setattr(validator, "validate", lambda path=None, engine="fast", contract=None: report)

    return use


def test_validate_summarises_many_problems(fake_validate):
    n = 100_000
    report = fake_report(n)
    fake_validate(report)
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    per_rule = {"enum": 33334, "foreign key": 33333, "pattern": 33333}
    per_file = {"csv/event_actors.csv": n - 14286, "csv/events.csv": 14286}
    assert lines[:7] == [
        f"{n} problem(s) per rule:",
        *(f"  {count}  {rule}" for rule, count in per_rule.items()),
        f"{n} problem(s) per file:",
        *(f"  {count}  {file}" for file, count in per_file.items()),
    ]
    assert lines[7:207] == [str(i) for i in report.issues[:200]]
    assert lines[207:] == [
        f"... and {n - 200} more problem(s): `iran-palestine-data validate --all` prints every line",
        f"invalid: {n} problem(s) in 2 tables, {3 * n} rows",
    ]

    result = CliRunner().invoke(app, ["validate", "--all"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *(str(i) for i in report.issues),
        f"invalid: {n} problem(s) in 2 tables, {3 * n} rows",
    ]

    result = CliRunner().invoke(app, ["validate", "--json"])
    assert result.exit_code == 1 and result.stdout == report.to_json() + "\n"
    assert time.perf_counter() - start < 15  # about 2 s; the old path took a minute


@pytest.mark.parametrize("n", [0, 1, 200])
def test_validate_prints_every_line_up_to_200_problems(fake_validate, n):
    report = fake_report(n)
    fake_validate(report)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == (1 if n else 0)
    verdict = (
        f"invalid: {n} problem(s) in 2 tables, {3 * n} rows"
        if n
        else "valid: 2 tables, 0 rows, every rule passed"
    )
    assert result.stdout == "".join(f"{i}\n" for i in report.issues) + verdict + "\n"
    assert CliRunner().invoke(app, ["validate", "--all"]).stdout == result.stdout
    assert CliRunner().invoke(app, ["validate", "--json"]).stdout == report.to_json() + "\n"


def test_print_report_escapes_and_json_streams_the_same_document(capsys):
    issues = [
        Issue("csv/a.csv", "rule", "msg \x1b[31m “q” [/bold]", row=None, column="c", value='v\n"\\ ش\x1b'),
        Issue("csv/b.csv", "rule", "plain", row=3),
    ] * 150
    report = Report(issues, {"a": 2})
    print_report(report, every=True)
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert (
        out.splitlines()[0]
        == 'csv/a.csv column c: value "v\\n"\\ ش\\x1b" msg \\x1b[31m “q” [/bold] (rule: rule)'
    )
    for chunk in (1, 7, 1000):
        assert "".join(report_json_chunks(report, chunk=chunk)) == report.to_json()
    assert "".join(report_json_chunks(Report())) == Report().to_json()

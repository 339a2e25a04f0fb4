"""``validate``: every rule the data promises, one line per problem, or a JSON report.

A run may find millions of problems, so the lines go out through the fast path of
:func:`.common.write_lines` (escaped, thousands at a time), and beyond :data:`SHOWN` problems the
default output is a summary (problems per rule and per file) and the first :data:`SHOWN` lines;
``--all`` prints every line. ``--json`` writes the report issue by issue.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields
from itertools import islice
from json.encoder import encode_basestring
from pathlib import Path
from typing import Annotated, Iterable, Iterator, Optional, TextIO

import typer
from rich.text import Text

from ..errors import Issue
from ..validation.report import Report
from .common import PathArg, VersionOption, at_version, err, escape, json_text, out, write_lines

SHOWN = 200  # problems printed one line each before the rest is summed up (all of them with --all)
JSON_CHUNK = 5_000  # issues per write of the JSON report


def validate(
    path: PathArg = None,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    engine: str = typer.Option(
        "fast", "--engine", help="fast (vectorised) or reference (frictionless); same verdicts."
    ),
    every: bool = typer.Option(
        False, "--all", help=f"Print every problem, not a summary and the first {SHOWN}."
    ),
    contract: Annotated[
        Optional[Path],
        typer.Option(
            "--contract",
            help="Hold the data to the contract (descriptor, schemas, releases) in this folder instead of "
            "the installed package's: for developing a new contract. The output's first line says so.",
        ),
    ] = None,
    version: VersionOption = None,
) -> None:
    """Check the dataset against every rule it promises. Exit code 1 if anything fails.

    The rules are the installed package's, not the folder's own: how the folder's descriptor and
    schemas differ from them is reported (rule: contract). With --version, a released version is
    rebuilt from the release store and held to its own contract of that release, by today's rules (a
    rule made stricter since may find what a later release fixed)."""
    from ..validation.validator import ENGINES
    from ..validation.validator import validate as run

    if engine not in ENGINES:
        err.print(escape(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}"), markup=False)
        raise typer.Exit(2)
    if version is not None:
        if path is not None or contract is not None:
            err.print(
                "--version takes neither a path nor --contract: it checks a release of the package's own store"
            )
            raise typer.Exit(2)
        path = contract = at_version(version, None)
        notice = f"release {version}, rebuilt from the release store and held to its own contract"
        (err if as_json else out).print(escape(notice), markup=False)
    elif contract is not None:  # announced first: the rules are not the installed package's
        notice = f"contract: {contract} (given with --contract; not the installed package's)"
        (err if as_json else out).print(escape(notice), markup=False)
    report = run(path, engine=engine, contract=contract)
    if as_json:
        write_report_json(report)
    else:
        print_report(report, every=every)
    raise typer.Exit(0 if report.valid else 1)


def print_report(report: Report, *, every: bool = False, shown: int = SHOWN) -> None:
    """The problems (all, or a summary and the first ``shown``) and the verdict line."""
    issues = report.issues
    if every or len(issues) <= shown:
        write_lines(str(issue) for issue in issues)
    else:
        write_lines(summary(issues))
        write_lines(str(issue) for issue in islice(issues, shown))
        write_lines(
            [
                f"... and {len(issues) - shown} more problem(s): "
                "`iran-palestine-data validate --all` prints every line"
            ]
        )
    rows = sum(report.checked.values())
    tables = len(report.checked)
    if report.valid:
        verdict = Text.assemble(("valid", "green"), f": {tables} tables, {rows} rows, every rule passed")
    else:
        verdict = Text.assemble(
            ("invalid", "red"), f": {len(issues)} problem(s) in {tables} tables, {rows} rows"
        )
    out.print(verdict)


def summary(issues: list[Issue]) -> Iterator[str]:
    """The number of problems per rule and per file, most first: one line each, aligned."""
    for title, counts in (
        ("per rule", Counter(issue.rule for issue in issues)),
        ("per file", Counter(issue.file for issue in issues)),
    ):
        yield f"{len(issues)} problem(s) {title}:"
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        width = len(str(ranked[0][1]))
        for name, n in ranked:
            yield f"  {n:>{width}}  {name}"


def report_json_chunks(report: Report, chunk: int = JSON_CHUNK) -> Iterator[str]:
    """``report.to_json()``, piece by piece: the same text, never held whole in memory."""
    head = json.dumps(
        {"valid": report.valid, "issue_count": len(report.issues), "checked": report.checked},
        ensure_ascii=False,
        indent=2,
    )[: -len("\n}")]
    issues = report.issues
    if not issues:
        yield head + ',\n  "issues": []\n}'
        return
    yield head + ',\n  "issues": [\n'
    for start in range(0, len(issues), chunk):
        piece = ",\n".join(map(_issue_json, issues[start : start + chunk]))
        yield piece + (",\n" if start + chunk < len(issues) else "\n")
    yield "  ]\n}"


# Issue's fields in to_dict() order, as the template of _issue_json writes them
_FAST = tuple(f.name for f in fields(Issue)) == ("file", "rule", "message", "row", "column", "value")


def _issue_json(issue: Issue) -> str:
    """One issue as ``json.dumps(issue.to_dict(), ensure_ascii=False, indent=2)`` writes it inside the
    report's list (indented by four): the same text, without that encoder's pure-Python slowness."""
    if _FAST and type(issue) is Issue:
        file, rule, message = issue.file, issue.rule, issue.message
        row, column, value = issue.row, issue.column, issue.value
        if (
            type(file) is str
            and type(rule) is str
            and type(message) is str
            and (row is None or type(row) is int)
            and (column is None or type(column) is str)
            and (value is None or type(value) is str)
        ):
            return (
                f'    {{\n      "file": {encode_basestring(file)},\n'
                f'      "rule": {encode_basestring(rule)},\n'
                f'      "message": {encode_basestring(message)},\n'
                f'      "row": {"null" if row is None else int.__repr__(row)},\n'
                f'      "column": {"null" if column is None else encode_basestring(column)},\n'
                f'      "value": {"null" if value is None else encode_basestring(value)}\n    }}'
            )
    # anything unusual: the standard encoder, re-indented
    return "    " + json.dumps(issue.to_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")


def write_report_json(report: Report, file: TextIO | None = None) -> None:
    """Stream ``report.to_json()`` and a newline, made safe for a terminal by :func:`.common.json_text`."""
    import sys

    stream = sys.stdout if file is None else file
    for piece in _chunks_with_newline(report_json_chunks(report)):
        stream.write(json_text(piece))
    stream.flush()


def _chunks_with_newline(pieces: Iterable[str]) -> Iterator[str]:
    yield from pieces
    yield "\n"

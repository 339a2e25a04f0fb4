"""Validate a copy of the dataset: one :class:`~iran_palestine_data.validation.report.Report` of every problem.

Order of the checks, each adding issues to the same report:

1. the descriptor and schemas can be read; every resource declares utf-8, hash and bytes;
2. each file's bytes (:mod:`.file_bytes`): present, UTF-8 without BOM, LF line endings, no NUL, no
   empty line, ends with a newline, has rows;
3. header (names and order as in the schema) and CSV structure (:mod:`iran_palestine_data.read.strings`);
4. what the Table Schemas promise: constraints, primary, unique and foreign keys, hash and bytes;
5. :mod:`.rules`: the rules a Table Schema cannot express.

Step 4 has two engines with the same verdicts and messages. ``engine="fast"`` (the default) checks
column-wise with pyarrow (:mod:`.schema_checks`) and hashes the files itself, in a worker thread
while they are parsed; ``engine="reference"`` runs ``frictionless`` itself (:mod:`.reference`), which
also validates the descriptor against the Data Package profile, and translates its errors.
``tests/test_engines.py`` holds the two to the same answers on every corruption of the mutation suite.

Bad data never raises: it becomes issues. Only a bug in this package would.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from .. import rulebook as rule
from ..contract.published import load_release, released_versions
from ..contract.schema import Package, Table, package
from ..contract.semver import is_version
from ..errors import DataError, Issue
from ..paths import DESCRIPTOR, read_inside, resolve_root
from ..read.strings import read_strings
from . import rules, schema_checks
from .contract_check import bind, differences, folder_descriptor
from .file_bytes import count_issues, scan_bytes, start_digest
from .reference import frictionless_issues
from .report import Report

ENGINES = ("fast", "reference")


def validate(
    root: str | Path | None = None, *, engine: str = "fast", contract: str | Path | None = None
) -> Report:
    """Check the dataset at ``root`` (default: the shipped data) against every rule it promises.

    The rules are the installed package's own (its ``datapackage.json``, schemas and published
    releases), not the ones the folder brings along: how the folder's descriptor and schemas differ
    from them is reported (rule ``contract``). To develop a new contract, name the folder that holds
    it with ``contract=``.

    ``engine`` is ``"fast"`` (vectorised, the default) or ``"reference"`` (frictionless); both give
    the same issues, but only the reference engine checks the descriptor against the Data Package profile.

    Examples
    --------
    >>> from iran_palestine_data import validate
    >>> report = validate()
    >>> report.valid
    True
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    report = Report()
    try:
        terms = package(contract)  # None: the installed package's contract
    except DataError as exc:  # a contract that cannot be read: say whose it is
        where = Path(contract) if contract is not None else resolve_root(None)
        report.extend(replace(i, file=str(where / i.file)) for i in exc.issues)
        return report.sorted()
    try:
        folder = resolve_root(root)
        if not folder.exists():
            raise DataError([Issue(str(folder), rule.DESCRIPTOR, "folder does not exist")])
        if not folder.is_dir():
            raise DataError([Issue(str(root), rule.DESCRIPTOR, "is not a folder holding datapackage.json")])
    except DataError as exc:
        report.extend(exc.issues)
        return report.sorted()
    descriptor, problems = folder_descriptor(folder)
    report.extend(problems)
    if descriptor is None:
        return report.sorted()
    report.extend(differences(terms, folder, descriptor))
    pkg = bind(terms, folder, descriptor)
    report.extend(_descriptor_issues(pkg))
    fast = engine == "fast"
    if fast:
        report.extend(schema_checks.unsupported(pkg))
    with ThreadPoolExecutor(max_workers=1) as hasher:  # hashes are computed while the files are parsed
        files = _read_files(pkg, report, hasher)
    readable = {k: v for k, v in files.raw.items() if k not in files.broken}
    published = _published_ids(terms.root, report)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        table_checks = pool.submit(lambda: list(schema_checks.check(pkg, readable))) if fast else None
        if not fast:
            report.extend(frictionless_issues(pkg, skip_rows=files.broken))
        report.extend(rules.run(pkg, readable, one_line=files.one_line, published=published, pool=pool))
        if table_checks is not None:
            report.extend(table_checks.result())
    return report.sorted()


@dataclass
class _Files:
    """What reading the files gave: the all-string tables, the tables too broken for row checks,
    and those known to hold one line per record (no cell of theirs can hold a line break)."""

    raw: dict[str, pa.Table] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    one_line: set[str] = field(default_factory=set)


def _read_files(pkg: Package, report: Report, hasher: Executor) -> _Files:
    """Read each file once (safely), scan its bytes, parse them, and check hash and size."""
    files = _Files()
    tables = list(pkg.tables.values())
    with ThreadPoolExecutor(max_workers=1) as reader:  # the next file is read while this one is parsed
        ahead = reader.submit(read_inside, pkg.root, tables[0].path) if tables else None
        for k, tbl in enumerate(tables):
            assert ahead is not None
            current = ahead
            ahead = reader.submit(read_inside, pkg.root, tables[k + 1].path) if k + 1 < len(tables) else None
            _read_file(pkg, tbl, current, files, report, hasher)
    return files


def _read_file(
    pkg: Package, tbl: Table, pending: Future, files: _Files, report: Report, hasher: Executor
) -> None:
    """One file: its bytes (read safely, maybe ahead of time), scanned, parsed and hashed."""
    try:
        data = pending.result()
    except DataError as exc:
        report.extend(exc.issues)
        files.broken.add(tbl.name)
        return
    digest = start_digest(data, hasher)
    scan = scan_bytes(tbl, data)
    found = scan.issues
    if not scan.unreadable:
        try:
            table = files.raw[tbl.name] = read_strings(tbl, root=pkg.root, data=data)
            report.checked[tbl.name] = table.num_rows
            if table.num_rows == 0 and not tbl.may_be_empty:
                found.append(Issue(tbl.path, rule.EMPTY_TABLE, "has a header but no rows"))
        except DataError as exc:
            found += exc.issues
    if any(i.rule not in rule.READABLE_DESPITE for i in found):
        files.broken.add(tbl.name)
    elif not scan.carriage_returns and scan.newlines == files.raw[tbl.name].num_rows + 1:
        files.one_line.add(tbl.name)
    report.extend(found)
    report.extend(count_issues(tbl, len(data), digest))


def _published_ids(contract_root: Path, report: Report) -> dict[str, dict[str, str]]:
    """table -> published key -> the first version that published it, from the contract's release
    manifests (an unreadable manifest is reported)."""
    out: dict[str, dict[str, str]] = {}
    for version in released_versions(contract_root):
        try:
            keys = load_release(version, contract_root).keys()
        except (DataError, KeyError) as exc:
            report.extend(exc.issues if isinstance(exc, DataError) else [])
            continue
        for name, published in keys.items():
            first = out.setdefault(name, {})
            for key in published:
                first.setdefault(key, version)
    return out


def _descriptor_issues(pkg: Package) -> Iterator[Issue]:
    version = pkg.version
    if not is_version(version):
        yield Issue(DESCRIPTOR, rule.DESCRIPTOR, f"version {version!r} is not semantic (MAJOR.MINOR.PATCH)")
    for tbl in pkg.tables.values():
        res = tbl.resource
        for key, want in (("encoding", "utf-8"), ("type", "table")):
            if res.get(key) != want:
                yield Issue(
                    DESCRIPTOR, rule.DESCRIPTOR, f'resource {tbl.name} must declare "{key}": "{want}"'
                )
        for key in ("hash", "bytes"):
            if key not in res:
                yield Issue(
                    DESCRIPTOR,
                    rule.DESCRIPTOR,
                    f"resource {tbl.name} has no {key} (run `iran-palestine-data release refresh`)",
                )
        missing = [f.name for f in tbl.fields if not f.description]
        if missing:
            yield Issue(
                tbl.schema_path, rule.DESCRIPTOR, f"fields without a description: {', '.join(missing)}"
            )

"""Sections of the codebook that are not one table's: the blocks of ids each source numbers its rows
in (read from the data), and the columns ``load()`` adds (read from :mod:`..read.derived`)."""

from __future__ import annotations

import re

from ..contract.schema import Package
from ..read.strings import read_strings


def escape_cell(text: str) -> str:
    """Text for one cell of a Markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")


def id_blocks_section(pkg: Package) -> list[str]:
    """Which block of numbers each source's rows take (EV-01xx: the second source ...), read from the data."""
    numbered = set(pkg.table_for_id_prefix().values())  # the tables whose ids are EV-0001, ...
    prefixed = {
        name: t for name, t in pkg.tables.items() if name in numbered and "source_id" in t.field_names
    }
    if "sources" not in pkg.tables or not prefixed:
        return []
    blocks: dict[str, dict[str, set[str]]] = {}
    for name, tbl in prefixed.items():
        data = read_strings(name, root=pkg.root)
        for row_id, sid in zip(data.column(tbl.id_field).to_pylist(), data.column("source_id").to_pylist()):
            m = re.fullmatch(r"([A-Z]{2})-([0-9]{2})([0-9]{2})", row_id or "", re.ASCII)
            if m:
                blocks.setdefault(sid, {}).setdefault(name, set()).add(f"{m.group(1)}-{m.group(2)}xx")
    sources = read_strings("sources", root=pkg.root).column("source_id").to_pylist()
    lines = [
        "## Ids and their blocks",
        "",
        "Events, statements and funding claims are numbered in blocks of a hundred, one block per source,",
        "so that an id says which source it comes from and one source's new rows never renumber another's:",
        "`EV-0001`–`EV-0099` are the first source's events, `EV-0101`–`EV-0199` the second's, and so on",
        "(the same for `ST-` and `FC-`). Within a block, ids follow the order of coding, not of the text;",
        "a gap is a withdrawn id (`csv/retired.csv`) or one never used. Links (`LK-`) are numbered across",
        "the dataset. The blocks in this release:",
        "",
        "| source_id | " + " | ".join(prefixed) + " |",
        "|---|" + "---|" * len(prefixed),
    ]
    for sid in sources:
        cells = [", ".join(f"`{b}`" for b in sorted(blocks.get(sid, {}).get(n, ()))) or "—" for n in prefixed]
        lines.append(f"| `{sid}` | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def derived_section() -> list[str]:
    """The columns load() adds to the dated tables, and the rule of each."""
    from ..read.derived import DERIVED, MAX_GUESS_DAYS

    lines = [
        "## Columns `load()` adds (not in the CSVs)",
        "",
        "`iran_palestine_data.load()` gives events, statements and funding claims four more columns,",
        "worked out from `date`, `date_start` and `date_end` (and the source's `published`); they are never",
        "written to the CSVs. `ipd.describe(table)` documents them beside the schema's columns, and",
        "`ipd.between(frame, start, end, how=...)` selects rows by period with the same reading of",
        f"open and uncertain dates. `year` is given only when the bounds are at most {MAX_GUESS_DAYS} days apart.",
        "",
        "| column | type | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {kind} | {escape_cell(text)} |" for name, (kind, text) in DERIVED.items()]
    lines.append("")
    return lines

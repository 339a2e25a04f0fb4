"""Wording: no loaded term (``x-loadedTerms`` in datapackage.json) in our own words, outside
quotation marks and proper names."""

from __future__ import annotations

import re
from typing import Iterator

import pyarrow.compute as pc

from ... import rulebook as rule
from ...errors import Issue
from ...kernels.columns import rows
from .context import Context, issue_at

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


def neutral_wording(ctx: Context) -> Iterator[Issue]:
    """x-ourVoice: no loaded term outside quotation marks, proper names aside."""
    terms = ctx.pkg.loaded_terms
    if not terms:
        return
    pattern = re.compile(
        r"\b("
        + "|".join(re.escape(t.rstrip("*")) + (r"\w*" if t.endswith("*") else r"\b") for t in terms)
        + ")",
        re.IGNORECASE,
    )
    # a superset test that runs in C over whole columns: the stems, case-insensitively, anywhere
    prefilter = "|".join(re.escape(t.rstrip("*")) for t in terms)
    names = [n for n in _proper_names(ctx) if re.search(prefilter, n, re.IGNORECASE)]
    for tbl in ctx.tables():
        for f in tbl.fields:
            if not f.ext("ourVoice"):
                continue
            col = ctx.chunked(tbl.name, f.name)
            for i in rows(pc.match_substring_regex(col, prefilter, ignore_case=True)):
                text = col[i].as_py()
                stripped = _QUOTED.sub(" ", text)
                for name in names:
                    if name in stripped:
                        stripped = stripped.replace(name, " ")
                m = pattern.search(stripped)
                if m:
                    yield issue_at(
                        tbl,
                        i,
                        f.name,
                        text,
                        rule.NEUTRAL_WORDING,
                        f"uses the loaded term {m.group(1)!r} in our own words; "
                        "put it inside quotation marks as the source's word, or rephrase",
                    )


def _proper_names(ctx: Context) -> list[str]:
    """Actor names and aliases (longest first): a loaded word inside a proper name is not our wording."""
    if "actors" not in ctx.raw:
        return []
    out = set(n for n in ctx.column("actors", "name") if n)
    for cell in ctx.column("actors", "aliases"):
        out.update(a for a in (cell or "").split(";") if a)
    return sorted(out, key=len, reverse=True)

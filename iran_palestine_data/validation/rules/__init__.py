"""The rules a Table Schema cannot express, one module per family, each rule yielding
:class:`~iran_palestine_data.errors.Issue` objects whose ``rule`` is registered in
:mod:`iran_palestine_data.rulebook`.

Rules are driven by the schemas' ``x-`` extensions (see :mod:`iran_palestine_data.contract.schema`), so
a new table gets them by declaring them. They work column-wise on the all-string pyarrow tables that
:func:`iran_palestine_data.read.strings.read_strings` returns: a vectorised test finds the failing
rows, and Python runs only over those rows or over distinct values. Quotes and aliases are searched
for all at once in each snapshot, so the cost grows with the text and the number of distinct quotes,
not with their product.

May import ``read``, ``contract`` and the ground floor.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Callable, Iterable

from ...contract.schema import Package
from ...errors import Issue
from .actors import aliases, claimant_side, direct_speech, events_have_actors
from .amounts import amounts
from .cells import cells, control_characters, list_items, types
from .claim_links import any_refs, link_rules
from .context import Context, Raw
from .edtf import claim_dates, edtf_dates
from .ids import published_ids, retired_ids, unique_ids
from .provenance import bases, quotes, snapshots
from .wording import neutral_wording, sources_by_id

Rule = Callable[[Context], Iterable[Issue]]

RULES: tuple[Rule, ...] = (
    cells,
    control_characters,
    types,
    quotes,
    snapshots,
    bases,
    edtf_dates,
    claim_dates,
    list_items,
    aliases,
    amounts,
    neutral_wording,
    sources_by_id,
    unique_ids,
    retired_ids,
    published_ids,
    any_refs,
    link_rules,
    events_have_actors,
    direct_speech,
    claimant_side,
)


def run(
    pkg: Package,
    raw: Raw,
    *,
    one_line: set[str] | frozenset[str] = frozenset(),
    published: dict[str, dict[str, str]] | None = None,
    pool: Executor | None = None,
) -> list[Issue]:
    """Every rule over the readable tables, in a thread pool if one is given (the rules spend their
    time in pyarrow and numpy, which release the GIL). ``one_line`` names tables known to hold one
    line per record (from the byte pass), whose cells therefore need no search for line breaks;
    ``published`` holds the keys of every published release (table -> key -> first version)."""
    ctx = Context(pkg, raw, one_line=set(one_line), published=published or {})
    if pool is None:
        return [issue for check in RULES for issue in check(ctx)]
    jobs = [pool.submit(lambda check: list(check(ctx)), check) for check in RULES]
    return [issue for job in jobs for issue in job.result()]

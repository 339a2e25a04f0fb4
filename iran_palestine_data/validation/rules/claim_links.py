"""Links between rows (``x-refersToAny``, ``x-links``): targets exist; no self, duplicate or mirrored
links; same_as within one table and never joining two rows of one source."""

from __future__ import annotations

from typing import Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ... import rulebook as rule
from ...errors import Issue, file_row
from ...kernels.columns import in_set
from ...kernels.unionfind import Clusters
from .context import Context, flag_cells, issue_at


def _readable(ctx: Context, tables) -> bool:
    """False if one of the tables could not be read: references into it cannot be judged."""
    return not any(name in ctx.pkg.tables and name not in ctx.raw for name in tables)


def _ids_of(ctx: Context, tables) -> pa.Array:
    arrays = [
        ctx.array(n, key).cast(pa.string())
        for n in tables
        if n in ctx.raw and (key := ctx.pkg.table(n).id_field)
    ]
    return pa.concat_arrays(arrays) if arrays else pa.array([], pa.string())


def _row_owners(ctx: Context, tables, wanted: set[str]) -> dict[str, tuple[str, str | None]]:
    """id -> (table, source_id) for the wanted ids among the rows of the given tables."""
    out: dict[str, tuple[str, str | None]] = {}
    value_set = pa.array(sorted(wanted), pa.string())
    for name in tables:
        if name not in ctx.raw:
            continue
        tbl = ctx.pkg.table(name)
        if tbl.id_field is None:
            continue  # not a table of single ids: nothing of it can be a link's end
        ids = ctx.array(name, tbl.id_field)
        wanted_here = pc.fill_null(pc.is_in(ids, value_set=value_set), False)
        found = pc.filter(ids, wanted_here).to_pylist()
        sources = (
            pc.filter(ctx.array(name, "source_id"), wanted_here).to_pylist()
            if "source_id" in tbl.field_names
            else [None] * len(found)
        )
        # in row order, so that a later row of a repeated id wins, as it always has
        out.update((i, (name, s)) for i, s in zip(found, sources))
    return out


def any_refs(ctx: Context) -> Iterator[Issue]:
    """x-refersToAny: the value is the id of a row of one of the named tables."""
    for tbl in ctx.tables():
        for f in tbl.fields:
            targets = f.ext("refersToAny")
            if not targets or not _readable(ctx, targets):
                continue
            col = ctx.array(tbl.name, f.name)
            unknown = pc.and_(pc.is_valid(col), pc.invert(in_set(col, _ids_of(ctx, targets))))
            message = f"is not the id of a row of {', '.join(targets)}"
            yield from flag_cells(tbl, f.name, col, unknown, rule.LINK_TARGET, message)


def link_rules(ctx: Context) -> Iterator[Issue]:
    """x-links: no self links, no duplicate or mirrored links, same_as within one table and never
    joining two rows of one source."""
    for tbl in ctx.tables():
        spec = tbl.schema_extras.get("x-links")
        if not spec:
            continue
        targets = tbl.field(spec["from"]).ext("refersToAny") or []
        if not _readable(ctx, targets):
            continue
        frm, to, rel = (ctx.column(tbl.name, spec[k]) for k in ("from", "to", "relation"))
        owners = _row_owners(ctx, targets, {x for x in frm + to if x})
        directed = set(spec.get("directed", ()))
        seen: dict[tuple, tuple[int, str]] = {}  # key -> (row index, from_id as first written)
        sets = Clusters()
        same_links: list[tuple[int, str]] = []
        for i, (a, b, r) in enumerate(zip(frm, to, rel)):
            if a is None or b is None or r is None:
                continue
            if a == b:
                yield issue_at(tbl, i, spec["to"], b, rule.SELF_LINK, "links a row to itself")
                continue
            key = (a, b, r) if r in directed else (min(a, b), max(a, b), r)
            mirror = (b, a, r) if r in directed else None
            earlier = seen.get(key) or (seen.get(mirror) if mirror else None)
            if earlier is not None:
                j, first_from = earlier
                what = "repeats" if first_from == a else "mirrors"
                yield issue_at(
                    tbl,
                    i,
                    spec["relation"],
                    r,
                    rule.DUPLICATE_LINK,
                    f"{what} the link of row {file_row(j)} between {a} and {b}",
                )
                continue
            seen[key] = (i, a)
            if r == spec["sameAs"]:
                ta, tb = owners.get(a, (None,))[0], owners.get(b, (None,))[0]
                if ta and tb and ta != tb:
                    yield issue_at(
                        tbl,
                        i,
                        spec["relation"],
                        r,
                        rule.SAME_AS_TABLE,
                        f"joins rows of two tables ({ta} and {tb}); same_as links rows of one table",
                    )
                    continue
                sets.join(a, b)
                same_links.append((i, a))
        first_link: dict[str, int] = {}
        for i, a in same_links:  # in file order, so the first link of each cluster wins
            first_link.setdefault(sets.root(a), i)
        for root, members in sets.groups().items():
            by_source: dict[str | None, list[str]] = {}
            for m in sorted(members):
                by_source.setdefault(owners.get(m, (None, None))[1], []).append(m)
            for source, same_source in by_source.items():
                if source is not None and len(same_source) > 1:
                    i = first_link.get(root, 0)
                    yield issue_at(
                        tbl,
                        i,
                        spec["relation"],
                        "same_as",
                        rule.SAME_AS_CLUSTER,
                        f"puts {' and '.join(same_source)}, both from {source}, in one same_as cluster "
                        f"({', '.join(sorted(members))}); a source reports an event once",
                    )

"""The walk up a tree of parents (an actor's ``affiliation_id`` chain), written once."""

from __future__ import annotations

from typing import Mapping


def ancestry(parent: Mapping, node) -> tuple[list[str], str | None]:
    """``node``, its parent, its parent's parent ... and the root the walk ends at.

    The walk stops at a node without a parent (the root), or at the first node met twice (a cycle:
    that node is then the root). A node that is not a string (None, a missing value) has no
    ancestry: ``([], None)``.
    """
    chain: list[str] = []
    seen: set[str] = set()
    while isinstance(node, str):
        if node in seen:
            return chain, node
        chain.append(node)
        seen.add(node)
        nxt = parent.get(node)
        if not isinstance(nxt, str):
            return chain, node
        node = nxt
    return chain, None

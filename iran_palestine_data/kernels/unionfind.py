"""Disjoint sets (union-find): which ids have been joined into one group."""

from __future__ import annotations


class Clusters:
    """Disjoint sets of ids: ``join`` two ids, the ``root`` of an id, the ``groups``."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def root(self, x: str) -> str:
        parent = self._parent
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        self._parent[self.root(a)] = self.root(b)

    def groups(self) -> dict[str, list[str]]:
        """Each root with its members, in the order the ids were first seen."""
        out: dict[str, list[str]] = {}
        for x in list(self._parent):
            out.setdefault(self.root(x), []).append(x)
        return out

"""How a query names things: an actor by its id, name or alias (and, if asked, its affiliates down
the ``affiliation_id`` tree), a code of a vocabulary, a source id; a misspelt one is refused with the
closest (``UnknownNameError``)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Iterable, Union

from ..read.tables import load

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Names = Union[str, Iterable[str], None]


class UnknownNameError(LookupError):
    """An actor, code or source id that the data does not have; the message names the closest ones."""

    def __init__(self, what: str, value: str, known: Iterable[str]):
        known = list({k.casefold(): k for k in reversed(list(known))}.values())[
            ::-1
        ]  # once each, ignoring case
        close = (
            difflib.get_close_matches(value, known, n=3, cutoff=0.6)
            or [k for k in known if value.casefold() in k.casefold()][:3]
        )
        self.value, self.suggestions = value, close
        if close:
            hint = f"; did you mean {' or '.join(map(repr, close))}?"
        elif len(known) <= 30:  # a vocabulary: say what it holds
            hint = f"; the {what}s are: {', '.join(known)}"
        else:
            hint = ""
        super().__init__(f"no {what} {value!r}{hint}")

    def __str__(self) -> str:  # LookupError's str() would quote the message
        return str(self.args[0])


def listed(value: Names) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class ActorIndex:
    """The actors table, and the two ways of naming one: id, name or alias; and the affiliation tree."""

    def __init__(self, root):
        self.frame = load("actors", root=root)
        self.name = dict(zip(self.frame["actor_id"], self.frame["name"].astype("object")))
        self.parent = {
            a: (p if isinstance(p, str) else None)
            for a, p in zip(self.frame["actor_id"], self.frame["affiliation_id"].astype("object"))
        }
        self.children: dict[str, list[str]] = {}
        for a, p in self.parent.items():
            if p is not None:
                self.children.setdefault(p, []).append(a)
        self.spelling: dict[str, set[str]] = {}
        for a, n, aliases in zip(self.frame["actor_id"], self.frame["name"], self.frame["aliases"]):
            for s in [a, n, *(aliases if isinstance(aliases, list) else [])]:
                if isinstance(s, str):
                    self.spelling.setdefault(s.casefold(), set()).add(a)

    def resolve(self, value: str) -> str:
        if value in self.name:
            return value
        found = self.spelling.get(str(value).strip().casefold(), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:  # the validator's alias collision rule forbids it; never guess
            raise LookupError(f"{value!r} names several actors: {', '.join(sorted(found))}")
        raise UnknownNameError("actor", str(value), [*self.name, *(str(n) for n in self.name.values())])

    def below(self, actor_id: str) -> list[str]:
        """Every actor under ``actor_id`` in the affiliation tree (children, their children ...)."""
        out: list[str] = []
        todo, seen = [actor_id], {actor_id}
        while todo:
            for child in sorted(self.children.get(todo.pop(0), [])):
                if child not in seen:  # a cycle in hostile data must not loop
                    seen.add(child)
                    out.append(child)
                    todo.append(child)
        return out

    def ids(self, value: Names, include_affiliates: bool) -> set[str] | None:
        """The actor ids a filter names (None: no filter)."""
        names = listed(value)
        if not names:
            return None
        ids = {self.resolve(v) for v in names}
        if include_affiliates:
            ids |= {b for a in list(ids) for b in self.below(a)}
        return ids


def checked_codes(frame: pd.DataFrame, column: str, value: Names) -> list[str]:
    """The codes (or ids) a filter on ``column`` names, each checked against what the column can hold."""
    import pandas as pd

    wanted = listed(value)
    dtype = frame[column].dtype
    if isinstance(dtype, pd.CategoricalDtype):
        known = [str(c) for c in dtype.categories]
    else:
        known = sorted({str(v) for v in frame[column].dropna()})
    for w in wanted:
        if w not in known:
            raise UnknownNameError(
                f"{column} code" if isinstance(dtype, pd.CategoricalDtype) else column, w, known
            )
    return wanted

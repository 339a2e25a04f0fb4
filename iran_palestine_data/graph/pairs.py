"""What two rows are compared on, for the link search and the duplicate check (:mod:`.search`).

Each event, statement and funding claim becomes a :class:`Row`: its table, source, dates, our words
(title or summary) and quote, the content words of both
(:func:`~iran_palestine_data.kernels.similarity.words`), its *kind*, and the actors it *involves*,
each with a weight (:class:`Actors`):

* **named** (:data:`NAMED` = 1): the actors the row names — an event's actors (``event_actors``), a
  statement's speaker and recipient, a funding claim's donor, recipient and claimant;
* **affiliated** (:data:`AFFILIATED` = ½): every actor above a named one through ``affiliation_id``
  (:func:`~iran_palestine_data.kernels.forest.ancestry`): a member's organisation, an armed wing's
  movement, a body's state, a group's collective. A row naming Haniyeh involves Hamas at half weight;
* **umbrella** (:data:`UMBRELLA` = ¼): the umbrella actors of the country of an umbrella in a named
  actor's chain (below).

An **umbrella actor** is a collective that other actors belong to: its ``actor_type`` is one of
:data:`COLLECTIVE_TYPES` (kinds that name a group of actors rather than one organisation or person)
and at least one other actor names it as its ``affiliation_id``. In the data: palestinian-armed-groups
(Hamas, Palestinian Islamic Jihad, the PFLP belong to it), palestinian-people (the Palestinians in
Gaza), popular-mobilization-forces (Kataib Hezbollah). An umbrella matches its members through the
affiliation chain. Umbrellas of one country overlap — the Palestinian armed groups are among the
Palestinians — so wherever one is involved, the others of its country are involved too, at the
umbrella weight: a row about Hamas (→ palestinian-armed-groups) meets a row about "the Palestinians"
(palestinian-people), and "Iran supports the Palestinians" meets "Iran supports the armed groups".
A collective nobody names as affiliation (western-countries, palestinian-journalists) is an
ordinary actor: it matches only itself.

Two actors are **related** when one is involved by the other (the same, one's organisation or
collective, or an umbrella of one country).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..kernels.forest import ancestry
from ..kernels.similarity import words
from ..read.tables import load
from .claims import rows

NAMED, AFFILIATED, UMBRELLA = 1.0, 0.5, 0.25
COLLECTIVE_TYPES = frozenset({"population_group", "armed_group", "coalition", "other"})


def _str(value) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass
class Actors:
    """The actors table as the searches see it: each actor's affiliation and the umbrellas."""

    parent: dict[str, str | None]
    umbrellas: frozenset[str]
    by_country: dict[str, frozenset[str]]  # country -> its umbrella actors
    country: dict[str, str | None]
    _cache: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def read(cls, root) -> Actors:
        frame = load("actors", root=root)
        columns = ("actor_id", "actor_type", "country", "affiliation_id")
        return cls.build(zip(*(frame[c] for c in columns)))

    @classmethod
    def build(cls, actors) -> Actors:
        """From ``(actor_id, actor_type, country, affiliation_id)`` rows."""
        table = [(a, str(kind), _str(c), _str(p)) for a, kind, c, p in actors]
        parent = {a: p for a, _, _, p in table}
        country = {a: c for a, _, c, _ in table}
        named = {p for p in parent.values() if p}
        umbrellas = frozenset(a for a, kind, _, _ in table if kind in COLLECTIVE_TYPES and a in named)
        by_country: dict[str, set[str]] = {}
        for u in umbrellas:
            if (c := country[u]) is not None:
                by_country.setdefault(c, set()).add(u)
        return cls(parent, umbrellas, {c: frozenset(us) for c, us in by_country.items()}, country)

    def involved(self, actor: str) -> dict[str, float]:
        """``actor`` (named), its affiliation chain (affiliated), and the umbrellas beside those of its
        chain (umbrella), each with its weight."""
        if actor not in self._cache:
            chain = ancestry(self.parent, actor)[0]
            out = {a: (NAMED if k == 0 else AFFILIATED) for k, a in enumerate(chain)}
            for a in chain:
                if a in self.umbrellas and (c := self.country.get(a)):
                    for u in self.by_country.get(c, ()):
                        out.setdefault(u, UMBRELLA)
            self._cache[actor] = out
        return self._cache[actor]

    def related(self, a: str | None, b: str | None) -> bool:
        """One is involved by the other: the same actor, one's organisation or collective, or two
        umbrellas of one country."""
        if a is None or b is None:
            return False
        return a == b or b in self.involved(a) or a in self.involved(b)


@dataclass(frozen=True)
class Row:
    """One event, statement or funding claim, as the searches compare it."""

    id: str
    table: str
    source: str
    date: str | None  # the EDTF date, as written
    dated: bool
    start: Any  # the earliest day the date allows (a Timestamp), None if open or undated
    end: Any
    text: str
    quote: str
    kind: tuple  # ("event", type) | ("speaker", speaker) | ("support", donor, recipient)
    actors: Mapping[str, float]  # every actor the row involves -> its weight
    words: frozenset[str]
    status: str | None = None
    support: frozenset[str] = frozenset()
    amount: bool = False


def _named(root) -> tuple[dict[str, list[str]], dict[str, tuple], dict[str, dict]]:
    """Row id -> the actors it names; row id -> its kind; funding claim id -> status, support, amount."""
    import pandas as pd

    named: dict[str, list[str]] = {}
    kinds: dict[str, tuple] = {}
    extra: dict[str, dict] = {}
    for ev, actor in zip(*(load("event_actors", root=root)[c] for c in ("event_id", "actor_id"))):
        named.setdefault(ev, []).append(actor)
    for ev, kind in zip(*(load("events", root=root)[c] for c in ("event_id", "event_type"))):
        kinds[ev] = ("event", str(kind))
    st = load("statements", root=root)
    for sid, speaker, recipient in zip(st["statement_id"], st["speaker_id"], st["recipient_id"]):
        named[sid] = [a for a in (speaker, recipient) if _str(a)]
        kinds[sid] = ("speaker", _str(speaker))
    fc = load("funding_claims", root=root)
    columns = ("claim_id", "donor_id", "recipient_id", "claimant_id", "status", "support_types", "amount_low")
    for cid, donor, recipient, claimant, status, support, low in zip(*(fc[c] for c in columns)):
        named[cid] = [a for a in (donor, recipient, claimant) if _str(a)]
        kinds[cid] = ("support", _str(donor), _str(recipient))
        extra[cid] = {
            "status": None if pd.isna(status) else str(status),
            "support": frozenset(support) if isinstance(support, (list, tuple)) else frozenset(),
            "amount": not pd.isna(low),
        }
    return named, kinds, extra


def _day(value):
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def read_rows(root: str | Path | None = None) -> tuple[dict[str, Row], Actors]:
    """Every event, statement and funding claim as a :class:`Row` (in file order), and the actors."""
    import pandas as pd

    actors = Actors.read(root)
    named, kinds, extra = _named(root)
    out: dict[str, Row] = {}
    for r in rows(root=root).reset_index().itertuples(index=False):
        involved: dict[str, float] = {}
        for actor in named.get(r.id, []):
            for a, w in actors.involved(actor).items():
                involved[a] = max(involved.get(a, 0.0), w)
        text = "" if pd.isna(r.text) else str(r.text)
        quote = "" if pd.isna(r.quote) else str(r.quote)
        out[r.id] = Row(
            id=r.id,
            table=r.table,
            source=r.source_id,
            date=None if pd.isna(r.date) else str(r.date),
            dated=not pd.isna(r.date),
            start=_day(r.date_start),
            end=_day(r.date_end),
            text=text,
            quote=quote,
            kind=kinds.get(r.id, ()),
            actors=involved,
            words=words(f"{text} {quote}"),
            **extra.get(r.id, {}),
        )
    return out, actors


def dates_can_overlap(a: Row, b: Row) -> bool | None:
    """True/False for two dated rows (open ends reach as far as they may); None if either is undated."""
    if not (a.dated and b.dated):
        return None
    starts = [d for d in (a.start, b.start) if d is not None]
    ends = [d for d in (a.end, b.end) if d is not None]
    return not starts or not ends or max(starts) <= min(ends)


def same_kind(a: Row, b: Row, actors: Actors) -> bool:
    """Like is compared with like: the same event type; the same speaker, or speakers one of whom
    belongs to the other (Khamenei speaking, Iran speaking); the same donor, and recipients that are
    related (aid to the Qassam Brigades, to Hamas, to the Palestinian armed groups)."""
    if not a.kind or not b.kind or a.kind[0] != b.kind[0]:
        return False
    if a.kind[0] == "event":
        return a.kind == b.kind
    if a.kind[0] == "speaker":
        return actors.related(a.kind[1], b.kind[1])
    return a.kind[1] == b.kind[1] and actors.related(a.kind[2], b.kind[2])


def same_actors(a: Row, b: Row, actors: Actors) -> bool:
    """Each actor either row names is related to one the other names (Hamas and Iran; Hamas and the
    Palestinian armed groups)."""
    na = [x for x, w in a.actors.items() if w == NAMED]
    nb = [x for x, w in b.actors.items() if w == NAMED]
    return bool(na and nb) and (
        all(any(actors.related(x, y) for y in nb) for x in na)
        and all(any(actors.related(x, y) for x in na) for y in nb)
    )


def same_detail(a: Row, b: Row) -> bool:
    """Two funding claims with the same status and a kind of support in common."""
    return a.status is not None and a.status == b.status and bool(a.support & b.support)


def same_passage(a: Row, b: Row) -> bool:
    """The two rows quote one passage: their quotes are equal, or one holds the other."""
    return bool(a.quote and b.quote) and (a.quote in b.quote or b.quote in a.quote)

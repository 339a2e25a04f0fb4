"""``actor()``: one actor and everything the dataset says it did, as an :class:`ActorProfile`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..contract.published import version_root
from ..read.tables import load
from .naming import ActorIndex


@dataclass(frozen=True)
class ActorProfile:
    """One actor and everything the dataset says it did: see :func:`actor`."""

    actor_id: str
    name: str
    row: dict
    aliases: tuple[str, ...]
    affiliation: str | None  # the actor it belongs to (affiliation_id)
    affiliates: tuple[str, ...]  # every actor below it through affiliation_id
    roles: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # table -> role -> ids

    def ids(self, table: str) -> tuple[str, ...]:
        """The ids of the rows of ``table`` (events, statements, funding_claims) the actor is in, any role."""
        found = [i for ids in self.roles.get(table, {}).values() for i in ids]
        return tuple(sorted(set(found)))

    @property
    def events(self) -> tuple[str, ...]:
        return self.ids("events")

    @property
    def statements(self) -> tuple[str, ...]:
        return self.ids("statements")

    @property
    def funding_claims(self) -> tuple[str, ...]:
        return self.ids("funding_claims")

    @property
    def counts(self) -> dict[str, int]:
        """How many rows of each table the actor is in (any role)."""
        return {t: len(self.ids(t)) for t in ("events", "statements", "funding_claims")}

    def __str__(self) -> str:
        counts = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in self.counts.items())
        return f"{self.name} ({self.actor_id}): {counts}; {len(self.affiliates)} affiliate(s)"


def actor(name: str, *, version: str | None = None, root: str | Path | None = None) -> ActorProfile:
    """An actor, by id, name or alias: its row, aliases, affiliation and affiliates, and the ids of its
    events, statements and funding claims, by role (``profile.roles["statements"]["speaker"]``), with
    their counts (``profile.counts``).

    Examples
    --------
    >>> import iran_palestine_data as ipd
    >>> hamas = ipd.actor("Hamas")
    >>> hamas.actor_id, "qassam-brigades" in hamas.affiliates
    ('hamas', True)
    """
    root = version_root(version, root)
    index = ActorIndex(root)  # the actors table read once, to resolve the name and to build the profile
    return profiles(root=root, index=index)[index.resolve(name)]


def profiles(*, root: str | Path | None = None, index: ActorIndex | None = None) -> dict[str, ActorProfile]:
    """Every actor id -> its :class:`ActorProfile` (roles by table and role, each role's ids in the
    order of the table's rows), from one read of the tables: :func:`actor` for every actor
    (``index``: the actors already read, if the caller has them)."""
    actors = ActorIndex(root) if index is None else index
    roles: dict[str, dict[str, dict[str, list[str]]]] = {}

    def add(actor_id, table: str, role: str, row_id) -> None:
        if isinstance(actor_id, str) and isinstance(row_id, str):
            by_table = roles.setdefault(actor_id, {"events": {}, "statements": {}, "funding_claims": {}})
            by_table[table].setdefault(role, []).append(row_id)

    ea = load("event_actors", root=root, columns=["event_id", "actor_id", "role"])
    for event_id, actor_id, role in zip(ea["event_id"], ea["actor_id"], ea["role"].astype("object")):
        add(actor_id, "events", str(role), event_id)
    for table, key, columns in (
        ("statements", "statement_id", ("speaker_id", "recipient_id", "relayed_by_id")),
        ("funding_claims", "claim_id", ("donor_id", "recipient_id", "claimant_id", "relayed_by_id")),
    ):
        frame = load(table, root=root, columns=[key, *columns])
        for column in columns:
            for row_id, actor_id in zip(frame[key], frame[column]):
                add(actor_id, table, column.removesuffix("_id"), row_id)
    out = {}
    for record in actors.frame.to_dict("records"):
        actor_id = record["actor_id"]
        record = {k: (v if not _missing(v) else None) for k, v in record.items()}
        aliases = record.get("aliases")
        found = roles.get(actor_id, {"events": {}, "statements": {}, "funding_claims": {}})
        out[actor_id] = ActorProfile(
            actor_id=actor_id,
            name=str(record["name"]),
            row=record,
            aliases=tuple(aliases) if isinstance(aliases, list) else (),
            affiliation=actors.parent.get(actor_id),
            affiliates=tuple(actors.below(actor_id)),
            roles={t: {r: tuple(ids) for r, ids in by_role.items()} for t, by_role in found.items()},
        )
    return out


def _missing(value) -> bool:
    import pandas as pd

    return not isinstance(value, list) and bool(pd.isna(value))

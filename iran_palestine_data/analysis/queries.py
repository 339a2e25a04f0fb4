"""Answers in one call, around actors: ``events()``, ``statements()``, ``funding()`` and ``actor()``.

Each query function returns the table's rows as ``load()`` gives them (ids kept, the derived year
columns included), filtered, with the actors' names joined in beside their ids. An actor is named by
its ``actor_id``, its name or any alias (case does not matter: ``"hamas"``, ``"Hamas"``,
``"Islamic Resistance Movement"``); a misspelt one is refused with the closest. With
``include_affiliates=True`` an actor stands also for every actor below it in the ``affiliation_id``
tree (a movement with its wings and members, a state with its bodies): "Hamas or its wings".

``between=`` takes a period (``("2006", "2021")``, or one value such as ``"2014"`` for its whole span)
and ``how=`` says whether a row must surely fall inside it or only could: see
:func:`iran_palestine_data.analysis.periods.between`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from ..contract.published import version_root
from ..contract.schema import package
from ..read.tables import load
from .naming import ActorIndex, Names, UnknownNameError, checked_codes, listed
from .periods import mask

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _period(frame: pd.DataFrame, between, how: str) -> pd.Series:
    if between is None:
        import pandas as pd

        return pd.Series(True, index=frame.index)
    if isinstance(between, (tuple, list)):
        if len(between) != 2:
            raise ValueError("between= takes (start, end), or one value for its whole span, e.g. '2014'")
        start, end = between
    else:
        start = end = between
    return mask(frame, start, end, how)


def _filter(frame, *, between, how, source, **codes) -> pd.Series:
    keep = _period(frame, between, how)
    if source is not None:
        keep &= frame["source_id"].isin(checked_codes(frame, "source_id", source))
    for column, value in codes.items():
        if value is not None:
            keep &= frame[column].isin(checked_codes(frame, column, value))
    return keep


def _named(frame: pd.DataFrame, names: dict, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with a ``*_name`` column after each actor id column (``speaker_id`` → ``speaker_name``)."""

    frame = frame.copy()
    for col in columns:
        name = col.removesuffix("_id") + "_name"
        values = frame[col].astype("object").map(lambda a: names.get(a) if isinstance(a, str) else None)
        frame.insert(list(frame.columns).index(col) + 1, name, values.astype("string[pyarrow]"))
        frame.attrs["columns"] = {
            **frame.attrs.get("columns", {}),
            name: {
                "type": "string",
                "dtype": "string",
                "required": False,
                "derived": True,
                "description": f"Joined in: the name of the actor in {col}.",
                "vocabulary": None,
            },
        }
    docs = frame.attrs["columns"]
    frame.attrs["columns"] = {c: docs[c] for c in frame.columns if c in docs}  # in the frame's order
    return frame


def _by_role(
    frame: pd.DataFrame, actors: ActorIndex, roles: dict[str, Names], anyone: Names, include_affiliates: bool
) -> pd.Series:
    """Rows whose actor in each role column is one that role's filter names, and, when ``anyone`` is
    given, who has one of those actors in any of the role columns."""
    import pandas as pd

    keep = pd.Series(True, index=frame.index)
    for column, value in roles.items():
        wanted = actors.ids(value, include_affiliates)
        if wanted is not None:
            keep &= frame[column].isin(wanted)
    wanted = actors.ids(anyone, include_affiliates)
    if wanted is not None:
        keep &= frame[list(roles)].isin(wanted).any(axis=1)
    return keep


def events(
    actor: Names = None,
    *,
    include_affiliates: bool = False,
    between=None,
    how: str = "overlaps",
    type: Names = None,
    source: Names = None,
    version: str | None = None,
    root: str | Path | None = None,
) -> pd.DataFrame:
    """Events, with their actors joined in: ``actor_ids``, ``actor_names`` and ``actor_roles`` (lists,
    one item per actor and role, in the order of ``csv/event_actors.csv``).

    Parameters
    ----------
    actor : str or list of str, optional
        Only events in which this actor (any of these) takes part, in any role.
    include_affiliates : bool
        Count an actor's affiliates (everything below it through ``affiliation_id``) as the actor.
    between, how
        Only events in this period (see the module); ``how="within"`` for those surely inside it.
    type : str or list of str, optional
        Only these ``event_type`` codes.
    source : str or list of str, optional
        Only rows of these sources (``source_id``).

    Examples
    --------
    >>> import iran_palestine_data as ipd
    >>> hamas = ipd.events("hamas", include_affiliates=True, between=("2006", "2021"))
    >>> bool((hamas["actor_ids"].map(len) > 0).all())
    True
    """
    import pandas as pd
    import pyarrow as pa

    root = version_root(version, root)
    actors = ActorIndex(root)
    frame = load("events", root=root)
    ea = load("event_actors", root=root)
    keep = _filter(frame, between=between, how=how, source=source, event_type=type)
    wanted = actors.ids(actor, include_affiliates)
    if wanted is not None:
        keep &= frame["event_id"].isin(ea.loc[ea["actor_id"].isin(wanted), "event_id"])
    frame = frame[keep].copy()
    by_event = ea.groupby("event_id", sort=False, observed=True)
    ids_of = {e: [str(a) for a in g] for e, g in by_event["actor_id"]}
    roles_of = {e: [str(r) for r in g] for e, g in by_event["role"]}
    ids = [ids_of.get(e, []) for e in frame["event_id"]]
    roles = [roles_of.get(e, []) for e in frame["event_id"]]
    names = [[actors.name[a] for a in members] for members in ids]
    list_type = pd.ArrowDtype(pa.list_(pa.string()))
    for column, values, what in (
        ("actor_ids", ids, "the actor_id"),
        ("actor_names", names, "the name"),
        ("actor_roles", roles, "the role"),
    ):
        frame[column] = pd.Series(values, index=frame.index, dtype=list_type)
        frame.attrs["columns"] = {
            **frame.attrs.get("columns", {}),
            column: {
                "type": "list",
                "dtype": str(list_type),
                "required": False,
                "derived": True,
                "description": f"Joined in from event_actors: {what} of each actor of the event, in order.",
                "vocabulary": None,
            },
        }
    return frame


def statements(
    speaker: Names = None,
    *,
    recipient: Names = None,
    actor: Names = None,
    include_affiliates: bool = False,
    between=None,
    how: str = "overlaps",
    speech: Names = None,
    medium: Names = None,
    source: Names = None,
    version: str | None = None,
    root: str | Path | None = None,
) -> pd.DataFrame:
    """Statements, with ``speaker_name``, ``recipient_name`` and ``relayed_by_name`` joined in.

    ``speaker``, ``recipient``: only statements by / to this actor (any of these); ``actor``: by, to
    or relayed by it. ``speech`` (direct / indirect), ``medium`` and ``source`` filter on their codes;
    ``between``/``how`` and ``include_affiliates`` as for :func:`events`.
    """
    root = version_root(version, root)
    actors = ActorIndex(root)
    frame = load("statements", root=root)
    keep = _filter(frame, between=between, how=how, source=source, speech=speech, medium=medium)
    roles = {"speaker_id": speaker, "recipient_id": recipient, "relayed_by_id": None}
    keep &= _by_role(frame, actors, roles, actor, include_affiliates)
    return _named(frame[keep], actors.name, tuple(roles))


def funding(
    donor: Names = None,
    *,
    recipient: Names = None,
    claimant: Names = None,
    actor: Names = None,
    status: Names = None,
    support_type: Names = None,
    include_affiliates: bool = False,
    between=None,
    how: str = "overlaps",
    source: Names = None,
    version: str | None = None,
    root: str | Path | None = None,
) -> pd.DataFrame:
    """Funding claims, with ``donor_name``, ``recipient_name``, ``claimant_name`` and ``relayed_by_name``
    joined in.

    ``donor``, ``recipient``, ``claimant``: only claims of / to / by this actor (any of these); ``actor``:
    in any of those roles or as the relay. ``status`` (provided, pledged, suspended ...) filters on its
    codes, ``support_type`` on any item of ``support_types``; ``between``/``how`` (the period of the
    support, ``date``), ``include_affiliates`` and ``source`` as for :func:`events`.
    """
    root = version_root(version, root)
    actors = ActorIndex(root)
    frame = load("funding_claims", root=root)
    keep = _filter(frame, between=between, how=how, source=source, status=status)
    roles = {"donor_id": donor, "recipient_id": recipient, "claimant_id": claimant, "relayed_by_id": None}
    keep &= _by_role(frame, actors, roles, actor, include_affiliates)
    kinds = listed(support_type)
    if kinds:
        vocabulary = package(root).table("funding_claims").field("support_types").item_enum or ()
        for k in kinds:
            if k not in vocabulary:
                raise UnknownNameError("support_types code", k, vocabulary)
        keep &= frame["support_types"].map(lambda items: bool(set(items) & set(kinds))).astype(bool)
    return _named(frame[keep], actors.name, tuple(roles))

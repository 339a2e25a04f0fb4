"""Pydantic row models, one per table.

Written by hand so that a reader sees each table's contract in Python; ``tests/test_schema_parity.py``
holds every model to its Table Schema (names, order, types, required, enum values, patterns, minima)
and fails on any drift. Models are frozen and forbid extra fields. They validate in lax mode, so the
strings of a CSV row are accepted and converted; an empty cell becomes ``None`` and a ``;``-separated
list cell becomes a list.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .dates import parse as parse_edtf
from .iso_codes import ISO3166_ALPHA3, ISO4217


def _empty_to_none(value):
    return None if value == "" else value


def _split_list(value):
    if value == "" or value is None:
        return None
    return value.split(";") if isinstance(value, str) else value


def _check_edtf(value: str | None) -> str | None:
    if value is not None:
        parse_edtf(value)  # raises EDTFError, a ValueError, which pydantic reports
    return value


SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Opt = BeforeValidator(_empty_to_none)

Slug = Annotated[str, Field(pattern=SLUG)]
OptSlug = Annotated[Optional[Slug], Opt]
OptStr = Annotated[Optional[str], Opt]
OptDate = Annotated[Optional[dt.date], Opt]
OptNumber = Annotated[Optional[Annotated[float, Field(ge=0)]], Opt]
Edtf = Annotated[Optional[str], Opt, AfterValidator(_check_edtf)]
Quote = Annotated[str, Field(min_length=12)]
Occurrence = Annotated[int, Field(ge=1)]  # which occurrence of a quote found more than once
OptOccurrence = Annotated[Optional[Occurrence], Opt]
StrList = Annotated[Optional[list[str]], BeforeValidator(_split_list)]

Country = Annotated[Optional[Literal[ISO3166_ALPHA3]], Opt]  # type: ignore[valid-type]
Currency = Annotated[Optional[Literal[ISO4217]], Opt]  # type: ignore[valid-type]
Basis = Literal["stated", "inferred", "unknown"]
Precision = Literal["day", "month", "year", "decade", "century", "unknown"]

EventId = Annotated[str, Field(pattern=r"^EV-[0-9]{4,}$")]
OptEventId = Annotated[Optional[EventId], Opt]


class Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Row):
    source_id: Slug
    title: str
    publisher: OptStr = None
    author: OptStr = None
    source_type: Literal["encyclopedia", "news_report", "news_digest", "analysis", "opinion", "web_article"]
    published: Edtf = None
    published_basis: Basis
    published_note: OptStr = None
    url: OptStr = None
    url_basis: Literal["confirmed", "derived", "unknown"]
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    snapshot: Annotated[str, Field(pattern=r"^sources/[A-Za-z0-9_.-]+\.txt$")]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    archived: dt.date
    notes: OptStr = None


class Actor(Row):
    actor_id: Slug
    name: str
    aliases: StrList = None
    actor_type: Literal[
        "state",
        "government_body",
        "person",
        "political_party",
        "political_organization",
        "armed_movement",
        "armed_group",
        "coalition",
        "intergovernmental_organization",
        "media_outlet",
        "population_group",
        "other",
    ]
    country: Country = None
    affiliation_id: OptSlug = None
    description: str
    source_id: Slug
    quote: Quote
    quote_occurrence: OptOccurrence = None


class Event(Row):
    event_id: EventId
    date: Edtf = None
    date_start: OptDate = None
    date_end: OptDate = None
    date_precision: Precision
    date_basis: Basis
    date_note: OptStr = None
    event_type: Literal[
        "recognition",
        "diplomatic_action",
        "visit_or_meeting",
        "communication",
        "negotiation",
        "agreement",
        "election",
        "regime_change",
        "founding",
        "death",
        "policy_change",
        "relations_change",
        "alliance",
        "prisoner_release",
        "arms_interdiction",
        "weapons_development",
        "military_cooperation",
        "armed_conflict",
        "attack",
        "killing",
        "ceasefire",
        "movement_restriction",
        "humanitarian_situation",
        "commemoration",
        "protest",
        "aid_suspension",
        "designation",
        "withdrawal",
    ]
    title: str
    location: OptStr = None
    country: Country = None
    source_id: Slug
    quote: Quote
    quote_occurrence: OptOccurrence = None
    notes: OptStr = None


class EventActor(Row):
    event_id: EventId
    actor_id: Slug
    role: Literal["initiator", "recipient", "participant", "target"]


class Statement(Row):
    statement_id: Annotated[str, Field(pattern=r"^ST-[0-9]{4,}$")]
    speaker_id: Slug
    speaker_role: OptStr = None
    recipient_id: OptSlug = None
    relayed_by_id: OptSlug = None
    date: Edtf = None
    date_start: OptDate = None
    date_end: OptDate = None
    date_precision: Precision
    date_basis: Basis
    date_note: OptStr = None
    medium: Literal[
        "speech",
        "meeting",
        "letter",
        "message",
        "phone_call",
        "interview",
        "press_statement",
        "report",
        "unknown",
    ]
    speech: Literal["direct", "indirect"]
    event_id: OptEventId = None
    summary: str
    source_id: Slug
    quote: Quote
    quote_occurrence: OptOccurrence = None
    notes: OptStr = None


class FundingClaim(Row):
    claim_id: Annotated[str, Field(pattern=r"^FC-[0-9]{4,}$")]
    donor_id: Slug
    recipient_id: Slug
    claimant_id: OptSlug = None
    claimant_side: Literal["donor", "recipient", "third_party", "unattributed"]
    relayed_by_id: OptSlug = None
    support_types: Annotated[
        list[
            Literal[
                "financial",
                "weapons",
                "military_technology",
                "training",
                "reconstruction",
                "political",
                "unspecified",
            ]
        ],
        BeforeValidator(_split_list),
    ]
    status: Literal["provided", "pledged", "increased", "decreased", "ceased", "denied", "intercepted"]
    amount_low: OptNumber = None
    amount_high: OptNumber = None
    currency: Currency = None
    period: Literal["per_year", "one_time", "total", "unspecified"]
    date: Edtf = None
    date_start: OptDate = None
    date_end: OptDate = None
    date_precision: Precision
    date_basis: Basis
    date_note: OptStr = None
    claim_date: Edtf = None
    summary: str
    source_id: Slug
    quote: Quote
    quote_occurrence: OptOccurrence = None
    notes: OptStr = None


class Exclusion(Row):
    source_id: Slug
    quote: Annotated[str, Field(min_length=4)]
    quote_occurrence: Occurrence
    reason: Literal[
        "heading",
        "navigation",
        "boilerplate",
        "metadata",
        "duplicate",
        "unrelated",
        "actor_description",
        "commentary",
    ]
    note: OptStr = None


RowId = Annotated[str, Field(pattern=r"^(EV|ST|FC)-[0-9]{4,}$")]


class ClaimLink(Row):
    link_id: Annotated[str, Field(pattern=r"^LK-[0-9]{4,}$")]
    from_id: RowId
    to_id: RowId
    relation: Literal["same_as", "corroborates", "contradicts", "supersedes"]
    note: str
    confidence: Literal["high", "medium", "low"]


class LinkReview(Row):
    a_id: RowId
    b_id: RowId
    reason: str


class Retired(Row):
    id: str
    table: Literal["sources", "actors", "events", "statements", "funding_claims", "claim_links"]
    retired_in: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$")]
    reason: str
    replaced_by: OptStr = None


MODELS: dict[str, type[Row]] = {
    "sources": Source,
    "actors": Actor,
    "events": Event,
    "event_actors": EventActor,
    "statements": Statement,
    "funding_claims": FundingClaim,
    "exclusions": Exclusion,
    "claim_links": ClaimLink,
    "link_review": LinkReview,
    "retired": Retired,
}

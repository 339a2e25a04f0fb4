"""Generate a synthetic dataset shaped exactly like iran-palestine-data, at any size.

Every table of the real package, with the real schemas and descriptor; valid foreign keys; quotes
that really are substrings of generated snapshots; EDTF dates whose bounds, precision and basis
agree; claimant sides consistent with the actors' affiliations; amounts written in their quotes.
`iran-palestine-data validate DIR` passes on the result.

    python benchmarks/generate.py --rows 100000 --out /tmp/ipd-100k

``--rows`` is the number of rows of each main table (events, statements, funding_claims);
event_actors has twice as many; actors, sources, links, exclusions and reviews scale with it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from iran_palestine_data import data_path
from iran_palestine_data.contract.dates import parse
from iran_palestine_data.contract.schema import package
from iran_palestine_data.release.hashes import refresh

WORDS = (
    "officials delegation meeting talks support agreement statement visit ministry leaders "
    "government movement relations council report message letter envoy region border aid "
    "budget committee parliament spokesman minister assembly conference summit cooperation "
    "dialogue proposal response announcement interview envoys capital offices decision"
).split()
EVENT_TYPES = [
    "visit_or_meeting",
    "communication",
    "negotiation",
    "agreement",
    "relations_change",
    "policy_change",
    "armed_conflict",
    "attack",
    "commemoration",
    "protest",
    "aid_suspension",
    "designation",
    "recognition",
]
ACTOR_TYPES = [
    "state",
    "government_body",
    "person",
    "political_party",
    "armed_movement",
    "armed_group",
    "media_outlet",
]
COUNTRIES = ["IRN", "PSE", "ISR", "USA", "LBN", "SYR", "EGY", "QAT", "SAU", "GBR"]
MEDIA = ["speech", "meeting", "letter", "message", "phone_call", "interview", "press_statement", "unknown"]
SUPPORT = [
    "financial",
    "weapons",
    "military_technology",
    "training",
    "reconstruction",
    "political",
    "unspecified",
]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def edtf(rng: random.Random) -> tuple[str, str, str]:
    """A date, its basis and its note, in one of the forms the dataset uses."""
    day = date(1979, 1, 1) + timedelta(days=rng.randrange(0, 46 * 365))
    form = rng.random()
    if form < 0.35:
        return day.isoformat(), "stated", ""
    if form < 0.6:
        return f"{day.year}-{day.month:02d}", "stated", ""
    if form < 0.75:
        return str(day.year), "inferred", "A year later than the meeting before it."
    if form < 0.85:
        return (
            f"{day.year}/{day.year + rng.randint(1, 3)}",
            "inferred",
            "Between the two events the text names.",
        )
    if form < 0.92:
        return f"../{day.year}-{day.month:02d}", "inferred", "No later than the report."
    return "", "unknown", ""


def date_cells(text: str, basis: str, note: str) -> list[str]:
    if not text:
        return ["", "", "", "unknown", "unknown", ""]
    b = parse(text)
    return [
        text,
        b.start.isoformat() if b.start else "",
        b.end.isoformat() if b.end else "",
        b.precision,
        basis,
        note,
    ]


class Writer:
    def __init__(self, root: Path, table: str):
        self.fields = package().table(table).field_names
        self.fh = (root / package().table(table).path).open("w", encoding="utf-8", newline="")
        self.out = csv.writer(self.fh, lineterminator="\n")
        self.out.writerow(self.fields)

    def row(self, **cells):
        self.out.writerow([cells.get(f, "") for f in self.fields])

    def close(self):
        self.fh.close()


def generate(rows: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    src = data_path()
    out.mkdir(parents=True)
    for item in ("schemas", "datapackage.json", "CITATION.cff"):
        (shutil.copytree if (src / item).is_dir() else shutil.copy2)(src / item, out / item)
    for folder in ("csv", "curation", "sources"):
        (out / folder).mkdir()

    n_sources = max(5, rows // 1000)
    n_actors = max(40, rows // 100)
    per_source = 3 * rows // n_sources  # quotes drawn per source
    sentences_per_source = max(20, int(per_source / 1.5))

    # actors: a forest, so claimant sides follow the affiliation roots
    actor_ids = [f"actor-{k}" for k in range(n_actors)]
    parent = {
        a: (actor_ids[rng.randrange(0, k)] if k > 10 and rng.random() < 0.5 else "")
        for k, a in enumerate(actor_ids)
    }

    def root_of(a: str) -> str:
        while parent[a]:
            a = parent[a]
        return a

    source_ids = [f"synthetic-source-{s}" for s in range(n_sources)]
    sentences: dict[str, list[str]] = {}
    figure_sentences: dict[str, list[tuple[str, int]]] = {}
    for s, sid in enumerate(source_ids):
        body = [f"Sentence {s}-{i}: {words(rng, 22)}." for i in range(sentences_per_source)]
        body += [
            f"Report {s}-{i}: the {words(rng, 6)} said “{words(rng, 8)}” in the {words(rng, 4)}."
            for i in range(sentences_per_source // 5)
        ]
        figs = []
        for i in range(max(5, sentences_per_source // 10)):
            amount = rng.choice([5, 10, 50, 100, 250, 360])
            figs.append(
                (
                    f"Figure {s}-{i}: officials put the {words(rng, 4)} at ${amount} million a year.",
                    amount * 1_000_000,
                )
            )
        sentences[sid] = body
        figure_sentences[sid] = figs
    actor_source = {a: source_ids[k % n_sources] for k, a in enumerate(actor_ids)}
    names_by_source: dict[str, list[str]] = {sid: [] for sid in source_ids}
    for k, a in enumerate(actor_ids):
        names_by_source[actor_source[a]].append(f"Named {k} actor, Actor {k}, takes part.")

    snapshots = {}
    w = Writer(out, "sources")
    for s, sid in enumerate(source_ids):
        text = "\n".join(sentences[sid] + [t for t, _ in figure_sentences[sid]] + names_by_source[sid]) + "\n"
        rel = f"sources/{sid}.txt"
        (out / rel).write_text(text, encoding="utf-8")
        snapshots[sid] = text
        w.row(
            source_id=sid,
            title=f"Synthetic source {s}",
            publisher="Synthetic publisher",
            source_type="analysis",
            published="2021-12-25",
            published_basis="stated",
            url_basis="unknown",
            language="en",
            snapshot=rel,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            archived="2026-11-21",
            notes="Generated for benchmarks.",
        )
    w.close()

    w = Writer(out, "actors")
    for k, a in enumerate(actor_ids):
        w.row(
            actor_id=a,
            name=f"Actor {k}",
            aliases=f"Actor {k}",
            actor_type=rng.choice(ACTOR_TYPES),
            country=rng.choice(COUNTRIES),
            affiliation_id=parent[a],
            description=f"Synthetic actor {k} for benchmarks.",
            source_id=actor_source[a],
            quote=f"Named {k} actor, Actor {k}, takes part.",
        )
    w.close()

    def quote(rng, sid):
        return rng.choice(sentences[sid])

    events = []
    w = Writer(out, "events")
    ea = Writer(out, "event_actors")
    for i in range(rows):
        eid, sid = f"EV-{i + 1:07d}", rng.choice(source_ids)
        d = date_cells(*edtf(rng))
        w.row(
            event_id=eid,
            date=d[0],
            date_start=d[1],
            date_end=d[2],
            date_precision=d[3],
            date_basis=d[4],
            date_note=d[5],
            event_type=rng.choice(EVENT_TYPES),
            title=f"Synthetic event {i}: {words(rng, 6)}",
            location="Tehran",
            country=rng.choice(COUNTRIES),
            source_id=sid,
            quote=quote(rng, sid),
            notes=words(rng, 10),
        )
        for actor, role in zip(rng.sample(actor_ids, 2), ("initiator", "recipient")):
            ea.row(event_id=eid, actor_id=actor, role=role)
        events.append((eid, sid))
    w.close()
    ea.close()

    w = Writer(out, "statements")
    statements = []
    for i in range(rows):
        stid, sid = f"ST-{i + 1:07d}", rng.choice(source_ids)
        q = quote(rng, sid)
        speaker, recipient = rng.sample(actor_ids, 2)
        d = date_cells(*edtf(rng))
        w.row(
            statement_id=stid,
            speaker_id=speaker,
            speaker_role="a spokesman",
            recipient_id=recipient if rng.random() < 0.5 else "",
            date=d[0],
            date_start=d[1],
            date_end=d[2],
            date_precision=d[3],
            date_basis=d[4],
            date_note=d[5],
            medium=rng.choice(MEDIA),
            speech="direct" if "“" in q else "indirect",
            event_id=events[rng.randrange(rows)][0] if rng.random() < 0.3 else "",
            summary=f"The speaker says {words(rng, 12)}.",
            source_id=sid,
            quote=q,
            notes="",
        )
        statements.append((stid, sid))
    w.close()

    w = Writer(out, "funding_claims")
    claims = []
    for i in range(rows):
        fid, sid = f"FC-{i + 1:07d}", rng.choice(source_ids)
        donor, recipient = rng.sample(actor_ids, 2)
        claimant = rng.choice(actor_ids) if rng.random() < 0.7 else ""
        if not claimant:
            side = "unattributed"
        elif root_of(claimant) == root_of(donor):
            side = "donor"
        elif root_of(claimant) == root_of(recipient):
            side = "recipient"
        else:
            side = "third_party"
        d = date_cells(*edtf(rng))
        amount = ""
        if rng.random() < 0.3:
            q, value = rng.choice(figure_sentences[sid])
            amount = str(value)
        else:
            q = quote(rng, sid)
        w.row(
            claim_id=fid,
            donor_id=donor,
            recipient_id=recipient,
            claimant_id=claimant,
            claimant_side=side,
            support_types=";".join(rng.sample(SUPPORT, rng.randint(1, 2))),
            status=rng.choice(["provided", "pledged", "increased"]),
            amount_low=amount,
            amount_high=amount,
            currency="USD" if amount else "",
            period="per_year" if amount else "unspecified",
            date=d[0],
            date_start=d[1],
            date_end=d[2],
            date_precision=d[3],
            date_basis=d[4],
            date_note=d[5],
            # a claim in the source's own voice is made when the source is published (rule claim date)
            claim_date="2021-12-25" if side == "unattributed" else "",
            summary=f"The source says support was given: {words(rng, 8)}.",
            source_id=sid,
            quote=q,
            notes="",
        )
        claims.append((fid, sid))
    w.close()

    w = Writer(out, "claim_links")
    linked = set()
    rows_by_table = {"EV": events, "ST": statements, "FC": claims}
    for i in range(max(10, rows // 10)):
        kind = rng.choice(["EV", "ST", "FC"])
        (a, sa), (b, sb) = rng.sample(rows_by_table[kind], 2)
        if a in linked or b in linked:
            continue
        linked.update((a, b))
        relation = (
            "same_as"
            if sa != sb and rng.random() < 0.3
            else rng.choice(["corroborates", "contradicts", "supersedes"])
        )
        w.row(
            link_id=f"LK-{i + 1:07d}",
            from_id=a,
            to_id=b,
            relation=relation,
            note=f"Both rows say {words(rng, 6)}.",
            confidence=rng.choice(["high", "medium", "low"]),
        )
    w.close()

    w = Writer(out, "exclusions")
    for sid in source_ids:
        for text in sentences[sid][: max(1, len(sentences[sid]) // 10)]:
            # every generated sentence occurs once in its snapshot
            w.row(
                source_id=sid,
                quote=text,
                quote_occurrence=1,
                reason="commentary",
                note="Generated exclusion.",
            )
    w.close()

    w = Writer(out, "link_review")
    seen = set()
    for _ in range(max(10, rows // 10)):
        (a, _), (b, _) = rng.sample(events, 2)
        if (a, b) not in seen and (b, a) not in seen and a not in linked and b not in linked:
            seen.add((a, b))
            w.row(a_id=a, b_id=b, reason="Different meetings in different years.")
    w.close()

    w = Writer(out, "retired")
    w.row(
        id=f"EV-{rows + 1:07d}",
        table="events",
        retired_in="0.1.0",
        reason="A duplicate of another row.",
        replaced_by=events[0][0],
    )
    w.close()

    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = f"iran-palestine-data-synthetic-{rows}"
    (out / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    refresh(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows per main table")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(generate(args.rows, args.out, args.seed))


if __name__ == "__main__":
    main()

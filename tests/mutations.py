"""Kinds of corruption, applied one at a time to a copy of the real dataset.

Each mutation changes the copy and returns where the validator must point: the file, and the row
and column where that makes sense. After a change to a CSV the copy's ``hash``/``bytes`` are
refreshed, as a contributor would, so that the hash check cannot mask the rule under test; a stale
hash is its own kind. Used by ``test_mutations.py`` and by the fast-path parity test.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from iran_palestine_data.contract.schema import package
from iran_palestine_data.release.hashes import refresh

from helpers import edit_text, read_rows, set_cell, write_rows


@dataclass(frozen=True)
class Expect:
    file: str
    row: int | None = None
    column: str | None = None

    def matches(self, issue) -> bool:
        return (
            issue.file == self.file
            and (self.row is None or issue.row == self.row)
            and (self.column is None or issue.column == self.column)
        )


Mutation = Callable[[Path], Expect]
MUTATIONS: dict[str, Mutation] = {}


def mutation(name: str):
    def register(fn: Mutation) -> Mutation:
        MUTATIONS[name] = fn
        return fn

    return register


def _first_row_with(root: Path, rel: str, column: str) -> tuple[str, int]:
    header, rows = read_rows(root, rel)
    col = header.index(column)
    for n, row in enumerate(rows, start=2):
        if row[col]:
            return row[0], n
    raise LookupError(f"no row of {rel} has {column}")


def _cell(root: Path, rel: str, key: str, column: str) -> str:
    header, rows = read_rows(root, rel)
    return next(r[header.index(column)] for r in rows if r[0] == key)


def _set(root: Path, rel: str, key: str, column: str, value: str) -> Expect:
    return Expect(rel, set_cell(root, rel, key, column, value), column)


def _rewrite_bytes(root: Path, rel: str, fn) -> None:
    path = root / rel
    path.write_bytes(fn(path.read_bytes()))
    refresh(root)


# --- one mutation per foreign key, generated from the schemas ------------------------------------


def _dangling(table: str, column: str, pattern: str | None) -> Mutation:
    def apply(root: Path) -> Expect:
        rel = package(root).table(table).path
        key, _ = _first_row_with(root, rel, column)
        value = "EV-9999" if pattern and pattern.startswith("EV-") else "no-such-actor-or-source"
        if table == "event_actors":  # composite key: edit the first row by position
            header, rows = read_rows(root, rel)
            rows[0][header.index(column)] = value
            write_rows(root, rel, header, rows)
            refresh(root)
            return Expect(rel, 2, column)
        return _set(root, rel, key, column, value)

    return apply


for _tbl in package().tables.values():
    for _fk in _tbl.foreign_keys:
        for _col in _fk.fields:
            MUTATIONS[f"dangling foreign key {_tbl.name}.{_col}"] = _dangling(
                _tbl.name, _col, _tbl.field(_col).pattern
            )


# --- ids, cells, vocabularies --------------------------------------------------------------------


@mutation("duplicate id")
def _(root):
    return _set(root, "csv/events.csv", "EV-0016", "event_id", "EV-0015")


@mutation("id pattern broken")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0001", "statement_id", "ST-1")


@mutation("id reused across tables")
def _(root):
    return _set(root, "csv/actors.csv", "turkey", "actor_id", "wikipedia-iran-palestine-relations")


@mutation("required cell emptied")
def _(root):
    return _set(root, "csv/events.csv", "EV-0015", "title", "")


@mutation("enum value outside vocabulary")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0002", "medium", "telegram")


@mutation("list item outside vocabulary")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0005", "support_types", "weapons;money")


@mutation("formula-injection cell")
def _(root):
    return _set(root, "csv/actors.csv", "hamas", "description", '=HYPERLINK("http://x","click")')


@mutation("loaded term in our own words")
def _(root):
    return _set(root, "csv/events.csv", "EV-0023", "title", "Hamas-led massacre in Israel")


@mutation("id emptied")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0005", "claim_id", "")


@mutation("pattern broken outside an id")
def _(root):
    return _set(root, "csv/sources.csv", "mei-hamas-iran-ties-repaired", "language", "english")


@mutation("unique column repeated")
def _(root):
    header, rows = read_rows(root, "csv/sources.csv")
    return _set(root, "csv/sources.csv", rows[1][0], "snapshot", rows[0][header.index("snapshot")])


@mutation("composite primary key repeated")
def _(root):
    header, rows = read_rows(root, "csv/event_actors.csv")
    write_rows(root, "csv/event_actors.csv", header, rows[:3] + [rows[1]] + rows[3:])
    refresh(root)
    return Expect("csv/event_actors.csv", 5, ", ".join(package(root).table("event_actors").primary_key))


@mutation("url that is not a URI")
def _(root):
    return _set(root, "csv/sources.csv", "mei-hamas-iran-ties-repaired", "url", "www.mei.edu/publications")


@mutation("amount that is not a number")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0208", "amount_low", "50m")


@mutation("date that does not exist")
def _(root):
    return _set(root, "csv/events.csv", "EV-0015", "date_start", "2002-02-30")


@mutation("blank line in a CSV")
def _(root):
    header, rows = read_rows(root, "csv/statements.csv")
    _rewrite_bytes(root, "csv/statements.csv", lambda b: b.replace(b"\nST-0002,", b"\n\nST-0002,", 1))
    n = next(i for i, r in enumerate(rows, start=2) if r[0] == "ST-0002")
    return Expect("csv/statements.csv", n)


@mutation("row of empty cells")
def _(root):
    header, rows = read_rows(root, "csv/events.csv")
    write_rows(root, "csv/events.csv", header, rows[:4] + [[""] * len(header)] + rows[4:])
    refresh(root)
    return Expect("csv/events.csv", 6)


# --- quotes and snapshots ------------------------------------------------------------------------


@mutation("quote changed by one character")
def _(root):
    quote = _cell(root, "csv/funding_claims.csv", "FC-0005", "quote")
    return _set(root, "csv/funding_claims.csv", "FC-0005", "quote", quote.replace("Fajr-5", "Fajr-6"))


@mutation("quote moved to the wrong source")
def _(root):
    return Expect(
        "csv/events.csv",
        set_cell(root, "csv/events.csv", "EV-0016", "source_id", "iranwire-khamenei-hamas"),
        "quote",
    )


@mutation("quote too short")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0001", "quote", "Khamenei")


# the photo caption of EV-0415 is printed twice in its snapshot: the row must say which printing
@mutation("quote occurrence missing on an ambiguous quote")
def _(root):
    assert _cell(root, "csv/events.csv", "EV-0415", "quote_occurrence") == "1"
    return _set(root, "csv/events.csv", "EV-0415", "quote_occurrence", "")


@mutation("quote occurrence beyond the count")
def _(root):
    return _set(root, "csv/events.csv", "EV-0416", "quote_occurrence", "3")


@mutation("quote occurrence other than 1 on a quote found once")
def _(root):
    return _set(root, "csv/actors.csv", "hamas", "quote_occurrence", "2")


@mutation("exclusion occurrence beyond the count")
def _(root):
    header, rows = read_rows(root, "curation/exclusions.csv")
    quote, nth = header.index("quote"), header.index("quote_occurrence")
    n = next(n for n, r in enumerate(rows) if r[quote] == "Historical Roots of a Complex Alliance")
    rows[n][nth] = "3"  # the heading is in the table of contents and above its section: twice
    write_rows(root, "curation/exclusions.csv", header, rows)
    refresh(root)
    return Expect("curation/exclusions.csv", n + 2, "quote_occurrence")


@mutation("snapshot edited")
def _(root):
    edit_text(root / "sources/003_747e3517b6604247.txt", "excellent", "very good")
    _, n = next(
        (k, i)
        for i, k in enumerate((r[0] for r in read_rows(root, "csv/sources.csv")[1]), start=2)
        if k == "mei-hamas-iran-ties-repaired"
    )
    return Expect("csv/sources.csv", n, "sha256")


@mutation("sha256 wrong")
def _(root):
    return _set(root, "csv/sources.csv", "memo-palestinian-resistance-iran", "sha256", "0" * 64)


@mutation("url given with basis unknown")
def _(root):
    return _set(root, "csv/sources.csv", "memo-palestinian-resistance-iran", "url_basis", "unknown")


@mutation("url emptied, basis still confirmed")
def _(root):
    n = set_cell(root, "csv/sources.csv", "wikipedia-iran-palestine-relations", "url", "")
    return Expect("csv/sources.csv", n, "url_basis")


@mutation("alias not attested in any source")
def _(root):
    return _set(root, "csv/actors.csv", "ali-khamenei", "aliases", "Ali Khamenei;Ali Khamenie")


@mutation("direct speech without quotation marks")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0001", "speech", "direct")


@mutation("direct speech whose only marks are apostrophes")
def _(root):
    header, rows = read_rows(root, "csv/statements.csv")
    q, speech = header.index("quote"), header.index("speech")
    row = next(r for r in rows if r[speech] == "indirect" and "’" in r[q] and not set('"“”«»‘') & set(r[q]))
    return _set(root, "csv/statements.csv", row[0], "speech", "direct")


@mutation("indirect speech with the speaker's words in quotation marks")
def _(root):
    from iran_palestine_data.validation.rules.actors import SPEECH_WORDS, quoted_words

    header, rows = read_rows(root, "csv/statements.csv")
    q, speech = header.index("quote"), header.index("speech")
    row = next(
        r for r in rows if r[speech] == "direct" and max(quoted_words(r[q]), default=0) >= SPEECH_WORDS
    )
    return _set(root, "csv/statements.csv", row[0], "speech", "indirect")


@mutation("indirect speech with two of the speaker's words in quotation marks, unexplained")
def _(root):
    from iran_palestine_data.validation.rules.actors import SPEECH_WORDS, quoted_words

    header, rows = read_rows(root, "csv/statements.csv")
    q, speech = header.index("quote"), header.index("speech")
    notes = header.index("notes")
    row = next(
        r
        for r in rows
        if r[speech] == "direct"
        and 0 < max(quoted_words(r[q]), default=0) < SPEECH_WORDS
        and "quotation mark" not in r[notes].lower()  # nothing in the notes explains the marks
    )
    return _set(root, "csv/statements.csv", row[0], "speech", "indirect")


# --- dates -------------------------------------------------------------------------------------


@mutation("claim in the source's own voice without claim_date")
def _(root):
    header, sources = read_rows(root, "csv/sources.csv")
    stated = {r[0] for r in sources if r[header.index("published_basis")] == "stated"}
    header, rows = read_rows(root, "csv/funding_claims.csv")
    side, source = header.index("claimant_side"), header.index("source_id")
    row = next(r for r in rows if r[side] == "unattributed" and r[source] in stated)
    return _set(root, "csv/funding_claims.csv", row[0], "claim_date", "")


@mutation("EDTF unparsable")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0006", "date", "September 2010")


@mutation("date bounds disagreeing with the EDTF")
def _(root):
    return _set(root, "csv/events.csv", "EV-0015", "date_end", "2002-12-30")


@mutation("inferred date without a note")
def _(root):
    header, rows = read_rows(root, "csv/events.csv")
    key = next(r[0] for r in rows if r[header.index("date_basis")] == "inferred")
    return _set(root, "csv/events.csv", key, "date_note", "")


# --- amounts -------------------------------------------------------------------------------------


@mutation("amount_low greater than amount_high")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0213", "amount_low", "400000000")


@mutation("negative amount")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0208", "amount_low", "-50000000")


@mutation("amount without currency")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0208", "currency", "")


@mutation("unknown currency code")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0208", "currency", "XYZ")


@mutation("amount not in the quote")
def _(root):
    set_cell(root, "csv/funding_claims.csv", "FC-0212", "amount_low", "150000000", refresh_hashes=False)
    return _set(root, "csv/funding_claims.csv", "FC-0212", "amount_high", "150000000")


@mutation("claimant side contradicts the claimant")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0003", "claimant_side", "donor")


@mutation("event without actors")
def _(root):
    path = root / "csv/event_actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("EV-0016,")), encoding="utf-8")
    refresh(root)
    _, rows = read_rows(root, "csv/events.csv")
    return Expect(
        "csv/events.csv", next(n for n, r in enumerate(rows, start=2) if r[0] == "EV-0016"), "event_id"
    )


# --- bytes and structure -------------------------------------------------------------------------


@mutation("datapackage hash and bytes stale")
def _(root):
    edit_text(
        root / "csv/events.csv",
        "Iran recognises Palestine as a state",
        "Iran recognises Palestine as a State",
    )
    return Expect("csv/events.csv")


@mutation("CRLF line endings")
def _(root):
    _rewrite_bytes(root, "csv/events.csv", lambda b: b.replace(b"\n", b"\r\n"))
    return Expect("csv/events.csv", 1)


@mutation("byte order mark")
def _(root):
    _rewrite_bytes(root, "csv/actors.csv", lambda b: codecs.BOM_UTF8 + b)
    return Expect("csv/actors.csv", 1)


@mutation("Latin-1 bytes")
def _(root):
    _rewrite_bytes(
        root,
        "csv/statements.csv",
        lambda b: b.replace("Khamenei rejects".encode(), "Khamene\xef rejects".encode("latin-1"), 1),
    )
    return Expect("csv/statements.csv", 2)


@mutation("NUL byte")
def _(root):
    _rewrite_bytes(root, "csv/funding_claims.csv", lambda b: b.replace(b"FC-0002,", b"FC-0002\x00,", 1))
    return Expect("csv/funding_claims.csv", 3)


@mutation("extra column")
def _(root):
    header, rows = read_rows(root, "csv/events.csv")
    write_rows(root, "csv/events.csv", header + ["confidence"], [r + ["high"] for r in rows])
    refresh(root)
    return Expect("csv/events.csv", 1, "confidence")


@mutation("missing column")
def _(root):
    header, rows = read_rows(root, "csv/statements.csv")
    i = header.index("medium")
    write_rows(root, "csv/statements.csv", header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])
    refresh(root)
    return Expect("csv/statements.csv", 1, "medium")


@mutation("reordered columns")
def _(root):
    header, rows = read_rows(root, "csv/actors.csv")
    swap = lambda r: [r[1], r[0], *r[2:]]  # noqa: E731
    write_rows(root, "csv/actors.csv", swap(header), [swap(r) for r in rows])
    refresh(root)
    return Expect("csv/actors.csv", 1, "name")


@mutation("header typo")
def _(root):
    _rewrite_bytes(
        root, "csv/funding_claims.csv", lambda b: b.replace(b",recipient_id,", b",recipent_id,", 1)
    )
    return Expect("csv/funding_claims.csv", 1, "recipent_id")


@mutation("unbalanced quote in the CSV")
def _(root):
    _, rows = read_rows(root, "csv/events.csv")
    n = next(i for i, r in enumerate(rows, start=2) if r[0] == "EV-0009")
    _rewrite_bytes(root, "csv/events.csv", lambda b: b.replace(b"\nEV-0009,", b'\nEV-0009,"', 1))
    return Expect("csv/events.csv", n, "date")


@mutation("empty table")
def _(root):
    path = root / "csv/statements.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    refresh(root)
    return Expect("csv/statements.csv")


@mutation("truncated file")
def _(root):
    path = root / "csv/actors.csv"
    data = path.read_bytes()
    lines = data.count(b"\n")
    _rewrite_bytes(root, "csv/actors.csv", lambda b: b[: len(b) - 60])
    return Expect("csv/actors.csv", lines)


# --- the claims graph ----------------------------------------------------------------------------


def _link(root: Path, from_id: str, to_id: str, relation: str, first: bool = True) -> Expect:
    header, rows = read_rows(root, "csv/claim_links.csv")
    rows.append([f"LK-{9000 + len(rows)}", from_id, to_id, relation, "A link added by a mutation.", "medium"])
    write_rows(root, "csv/claim_links.csv", header, rows)
    refresh(root)
    return Expect("csv/claim_links.csv", len(rows) + 1, None)


@mutation("link to a row that does not exist")
def _(root):
    e = _link(root, "EV-0016", "EV-9999", "corroborates")
    return Expect(e.file, e.row, "to_id")


@mutation("link from a row to itself")
def _(root):
    e = _link(root, "EV-0016", "EV-0016", "corroborates")
    return Expect(e.file, e.row, "to_id")


@mutation("same_as between two tables")
def _(root):
    e = _link(root, "EV-0016", "ST-0002", "same_as")
    return Expect(e.file, e.row, "relation")


@mutation("mirrored duplicate link")
def _(root):
    header, rows = read_rows(root, "csv/claim_links.csv")
    first = next(r for r in rows if r[3] == "corroborates")
    e = _link(root, first[2], first[1], "corroborates")
    return Expect(e.file, e.row, "relation")


@mutation("same_as cluster with two rows of one source")
def _(root):
    header, rows = read_rows(root, "csv/claim_links.csv")
    a, b = next((r[1], r[2]) for r in rows if r[3] == "same_as")
    sources = {r[0]: r[11] for r in read_rows(root, "csv/events.csv")[1]}
    other = next(k for k, s in sources.items() if s == sources[b] and k != b)
    _link(root, a, other, "same_as")
    return Expect("csv/claim_links.csv", None, "relation")


# the kinds of the tamper-proof validation, one module per family; each registers into MUTATIONS
# --- our own words name sources by source_id ----------------------------------------------------


@mutation("link note names a source by its file number")
def _(root):
    link = read_rows(root, "csv/claim_links.csv")[1][0]
    note = _cell(root, "csv/claim_links.csv", link[0], "note")
    return _set(root, "csv/claim_links.csv", link[0], "note", note.rstrip(".") + " (see source 002).")


@mutation("actor description names a source by a bracketed file number")
def _(root):
    description = _cell(root, "csv/actors.csv", "hamas", "description")
    return _set(root, "csv/actors.csv", "hamas", "description", description.rstrip(".") + " (004).")


import mutations_hostile  # noqa: E402, F401
import mutations_money  # noqa: E402, F401
import mutations_text  # noqa: E402, F401

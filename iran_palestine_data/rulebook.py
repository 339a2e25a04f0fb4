"""Every rule the data is held to, registered once: its id, its family, and what it checks.

The id is the ``rule`` an :class:`~iran_palestine_data.errors.Issue` names (and the ``rule`` key of
``validate --json``), so it is part of the interface and never renamed. Code refers to a rule through
the constant defined here (``rulebook.FOREIGN_KEY``), never through a bare string; the README's list
of checks is generated from :data:`RULES` (``iran-palestine-data codebook`` rewrites it, and a test
fails when it is stale), as frictionless keeps its ``errors/``.

Ground floor: imports nothing of the package.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    checks: str  # what the rule holds the data to, in one line


RULES: dict[str, Rule] = {}

FAMILIES = {
    "contract": "The contract: the installed package's, not the folder's",
    "files": "Files, byte by byte",
    "descriptor": "The descriptor and the schemas",
    "structure": "CSV structure",
    "schema": "What the Table Schemas promise",
    "cells": "Cells and vocabularies",
    "provenance": "Provenance: quotes and snapshots",
    "dates": "Dates",
    "actors": "Actors and attribution",
    "ids": "Ids and history",
    "wording": "Wording",
    "amounts": "Amounts",
    "links": "Links between rows",
    "models": "Row models (`records()` only)",
}


def _rule(id: str, family: str, checks: str) -> str:
    assert family in FAMILIES and id not in RULES, id
    RULES[id] = Rule(id, family, checks)
    return id


# contract
CONTRACT = _rule(
    "contract",
    "contract",
    "the folder's descriptor and schemas are the contract's (the installed package's, or the one given with "
    "--contract): the same resources at the same paths, the same schemas, keys and rules",
)

# files
PATH = _rule(
    "path",
    "files",
    "every path the package names is relative, stays inside the folder (symlinks resolved) and names a regular "
    "file under the size cap",
)
FILE = _rule("file", "files", "every file the descriptor names exists")
EMPTY_FILE = _rule("empty file", "files", "no data file is empty (it has at least its header row)")
ENCODING = _rule("encoding", "files", "files are UTF-8")
BOM = _rule("bom", "files", "no byte order mark")
LINE_ENDINGS = _rule("line endings", "files", "LF line endings, never CR or CRLF")
NUL_BYTE = _rule("nul byte", "files", "no NUL byte")
BLANK_LINE = _rule("blank line", "files", "no empty line")
TRUNCATED = _rule("truncated", "files", "the file ends with a line break (it is not truncated)")
HASH = _rule("hash", "files", "the file's hash is the `hash` recorded in datapackage.json")
BYTES = _rule("bytes", "files", "the file's size is the `bytes` recorded in datapackage.json")

# descriptor
DESCRIPTOR = _rule(
    "descriptor",
    "descriptor",
    "datapackage.json and the schemas can be read; a semantic version; every resource declares utf-8, "
    "hash and bytes; every field has a description; nothing the fast engine cannot check",
)

# structure
HEADER = _rule("header", "structure", "the header row names the schema's columns, in schema order")
STRUCTURE = _rule("structure", "structure", "every row has as many cells as the header")
UNBALANCED_QUOTE = _rule("unbalanced quote", "structure", "every quoted cell is closed")
LINE_BREAK = _rule("line break", "structure", "no cell holds a line break")
EMPTY_TABLE = _rule("empty table", "structure", "a table has rows (unless its schema says `x-mayBeEmpty`)")
BLANK_ROW = _rule("blank row", "structure", "no row is completely blank")

# schema
TYPE = _rule(
    "type", "schema", "numbers, integers and dates in the strict form the loaders read; URIs with a scheme"
)
REQUIRED = _rule("required", "schema", "required cells are filled")
ENUM = _rule("enum", "schema", "a coded cell holds a code of its vocabulary")
PATTERN = _rule("pattern", "schema", "a cell matches its field's pattern")
ID_PATTERN = _rule("id pattern", "schema", "an id matches its table's id pattern (EV-0001, ST-0001, ...)")
MINIMUM = _rule("minimum", "schema", "a number is not below its field's minimum")
MAXIMUM = _rule("maximum", "schema", "a number is not above its field's maximum")
EXCLUSIVE_MINIMUM = _rule("exclusiveMinimum", "schema", "a number is above its field's exclusive minimum")
EXCLUSIVE_MAXIMUM = _rule("exclusiveMaximum", "schema", "a number is below its field's exclusive maximum")
MIN_LENGTH = _rule("minLength", "schema", "a text or list is not shorter than its field allows")
MAX_LENGTH = _rule("maxLength", "schema", "a text or list is not longer than its field allows")
UNIQUE = _rule("unique", "schema", "a unique column repeats no value")
PRIMARY_KEY = _rule("primary key", "schema", "a composite primary key is filled and unique")
FOREIGN_KEY = _rule("foreign key", "schema", "every reference names an existing row")

# cells
FORMULA_INJECTION = _rule(
    "formula injection",
    "cells",
    "no cell begins with `=`, `+`, `-`, `@`, a vertical bar, tab or CR, which a spreadsheet would run as a "
    "formula or a DDE command, nor with such a sign after spaces (any Unicode space) or invisible characters, "
    "nor with a look-alike sign (fullwidth `＝` `＋` `－` `＠` `｜`, small or superscript forms)",
)
LIST_FORMAT = _rule(
    "list format", "cells", "list items are separated by a bare delimiter, none empty or space-padded"
)
LIST_VOCABULARY = _rule("list vocabulary", "cells", "every item of a list cell is in its vocabulary")

CONTROL_CHARACTER = _rule(
    "control character",
    "cells",
    "our own words (`x-ourVoice`), ids and codes hold no control character (NEL included), line or paragraph "
    "separator, bidi control, zero-width or other invisible (format, default-ignorable) character",
)

# provenance
QUOTE_LENGTH = _rule("quote length", "provenance", "a quote has at least 12 characters")
QUOTE_VERBATIM = _rule(
    "quote verbatim", "provenance", "every quote is found, byte for byte, in the snapshot of its own source"
)
QUOTE_OCCURRENCE = _rule(
    "quote occurrence",
    "provenance",
    "a quote found more than once in its snapshot says which occurrence it means (`quote_occurrence`, "
    "1-based), and no row names an occurrence the snapshot does not have",
)
SNAPSHOT = _rule("snapshot", "provenance", "every snapshot a source names exists")
SNAPSHOT_SHA256 = _rule(
    "snapshot sha256", "provenance", "each snapshot has the SHA-256 recorded in csv/sources.csv"
)
URL_BASIS = _rule("url basis", "provenance", "`url_basis` is 'unknown' exactly when `url` is empty")

# dates
EDTF = _rule(
    "edtf",
    "dates",
    "a date is EDTF of the subset the dataset uses (2019, 2017-10, 2000?, 198X, ../2015-07 ...), written with "
    "ASCII digits 0-9 (not Arabic-Indic or fullwidth ones)",
)
DATE_BOUNDS = _rule(
    "date bounds",
    "dates",
    "`date_start` and `date_end` are the earliest and latest days the EDTF date allows",
)
DATE_PRECISION = _rule("date precision", "dates", "`date_precision` is the finest unit the EDTF date names")
DATE_BASIS = _rule("date basis", "dates", "`date_basis` is 'unknown' exactly when the date is empty")
DATE_NOTE = _rule("date note", "dates", "an inferred date has a note saying how it was worked out")
CLAIM_DATE = _rule(
    "claim date",
    "dates",
    "a claim the source asserts in its own voice (`claimant_side` 'unattributed') has a `claim_date` when the "
    "source states its publication date (`published_basis` 'stated')",
)

# actors and attribution
ALIAS_ATTESTED = _rule("alias attested", "actors", "every alias of an actor occurs in some snapshot")
ALIAS_COLLISION = _rule(
    "alias collision", "actors", "no spelling (name or alias, case-insensitive) names two actors"
)
CLAIMANT_SIDE = _rule(
    "claimant side",
    "actors",
    "`claimant_side` agrees with who the claimant belongs to (donor's side, recipient's, neither, or unattributed)",
)
DIRECT_SPEECH = _rule(
    "direct speech",
    "actors",
    'a statement coded as direct speech holds at least one word of its quote in quotation marks (“ ” " « » ‘ ’)',
)
INDIRECT_SPEECH = _rule(
    "indirect speech",
    "actors",
    "a statement coded as indirect speech holds no three or more words of its quote in quotation marks: those "
    "are the speaker's own words, and the statement is direct; one or two marked words may be a term, a title "
    "or a scare quote, and the notes then say why (naming the quotation marks)",
)
EVENT_ACTORS = _rule("event actors", "actors", "every event has at least one actor")

# ids and history
DUPLICATE_ID = _rule("duplicate id", "ids", "ids are unique within their table and across the whole dataset")
RETIRED_ID_REUSED = _rule("retired id reused", "ids", "an id withdrawn into csv/retired.csv never comes back")
PUBLISHED_ID_MISSING = _rule(
    "published id missing",
    "ids",
    "every id of a published release (releases/*.json) is still present, or listed in csv/retired.csv",
)
REPLACEMENT = _rule("replacement", "ids", "a retired id's replacement is the id of a current row")

# wording
NEUTRAL_WORDING = _rule(
    "neutral wording",
    "wording",
    "no loaded term in our own words, outside quotation marks and proper names, however it is written: "
    "compared after NFKC, without invisible characters, and with look-alike letters of other scripts "
    "(Cyrillic `а`, Greek `ο`) read as Latin ones",
)

SOURCE_BY_ID = _rule(
    "source by id",
    "wording",
    "our own words name a source by its `source_id`, never by the number of its snapshot file ('source 002', "
    "'snapshot 4', '(004)', '002_….txt')",
)

# amounts
AMOUNT_ORDER = _rule("amount order", "amounts", "`amount_low` does not exceed `amount_high`")
CURRENCY = _rule("currency", "amounts", "a currency is given if and only if an amount is")
AMOUNT_IN_QUOTE = _rule(
    "amount in quote",
    "amounts",
    "every amount is written in the quote as money, a figure tied to a currency ('$50 million' = 50000000, "
    "'5 million rials'); a year or a count ('in 2006', '50 tons') is no evidence",
)

# links
LINK_TARGET = _rule("link target", "links", "a link names an event, statement or funding claim that exists")
SELF_LINK = _rule("self link", "links", "no row is linked to itself")
DUPLICATE_LINK = _rule("duplicate link", "links", "no link is repeated or mirrored")
SAME_AS_TABLE = _rule("same_as table", "links", "same_as joins rows of one table")
SAME_AS_CLUSTER = _rule("same_as cluster", "links", "a same_as cluster never holds two rows of one source")

# row models
MODEL = _rule("model", "models", "a row fits its pydantic model")

# the constraint names of Table Schema whose rule id is the constraint's own name
CONSTRAINT_RULES = {
    name: name
    for name in (
        REQUIRED,
        ENUM,
        PATTERN,
        MINIMUM,
        MAXIMUM,
        EXCLUSIVE_MINIMUM,
        EXCLUSIVE_MAXIMUM,
        MIN_LENGTH,
        MAX_LENGTH,
    )
}
# file-level problems after which a table's rows can still be read and checked
READABLE_DESPITE = frozenset({BOM, LINE_ENDINGS, EMPTY_TABLE})
# problems that leave a file unreadable: its rows are not parsed at all
UNREADABLE = frozenset({FILE, ENCODING, EMPTY_FILE})


def markdown() -> str:
    """The README's list of checks: a table of every rule, by family, with what it checks."""
    lines = ["| family | rule | the data is held to |", "|---|---|---|"]
    for family, title in FAMILIES.items():
        for n, r in enumerate(r for r in RULES.values() if r.family == family):
            lines.append(f"| {title if n == 0 else ''} | `{r.id}` | {r.checks} |")
    return "\n".join(lines)

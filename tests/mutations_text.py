"""Mutation kinds of the tamper-proof validation: Text tricks: Unicode digits, control and invisible characters, confusable letters, formula prefixes.

Registered into ``mutations.MUTATIONS`` (this module is imported at the end of ``mutations.py``).
"""

from __future__ import annotations

from mutations import Expect, _cell, _set, mutation  # noqa: F401

# --- digits that are not ASCII ------------------------------------------------------------------

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@mutation("EDTF date in Arabic-Indic digits")
def _(root):
    date = _cell(root, "csv/events.csv", "EV-0015", "date")  # 2002
    return _set(root, "csv/events.csv", "EV-0015", "date", date.translate(ARABIC_INDIC))


@mutation("EDTF date in fullwidth digits")
def _(root):
    date = _cell(root, "csv/statements.csv", "ST-0006", "date")  # 2010-09
    return _set(root, "csv/statements.csv", "ST-0006", "date", date.translate(FULLWIDTH))


@mutation("EDTF claim date with one Arabic-Indic digit")
def _(root):
    return _set(root, "csv/funding_claims.csv", "FC-0005", "claim_date", "201٤")


# --- control, separator, bidi and invisible characters in our own words, ids and codes ----------


@mutation("line separator in an event title")
def _(root):
    return _set(root, "csv/events.csv", "EV-0017", "title", "Israel withdraws\u2028from Gaza")


@mutation("NEL in a statement summary")
def _(root):
    summary = _cell(root, "csv/statements.csv", "ST-0002", "summary")
    return _set(root, "csv/statements.csv", "ST-0002", "summary", summary.replace(" ", "\x85", 1))


@mutation("bidi override in a link note")
def _(root):
    note = _cell(root, "csv/claim_links.csv", "LK-0001", "note")
    return _set(root, "csv/claim_links.csv", "LK-0001", "note", "\u202e" + note + "\u202c")


@mutation("escape sequence in event notes")
def _(root):
    notes = _cell(root, "csv/events.csv", "EV-0015", "notes")
    return _set(root, "csv/events.csv", "EV-0015", "notes", "\x1b[8m" + notes)


@mutation("zero-width space in an event title")
def _(root):
    return _set(root, "csv/events.csv", "EV-0016", "title", "Yasser Ara\u200bfat dies")


@mutation("zero-width space in an actor id reference")
def _(root):
    return _set(root, "csv/statements.csv", "ST-0002", "speaker_id", "mahmoud-ahmadinejad\u200b")


@mutation("zero-width joiner in a coded cell")
def _(root):
    return _set(root, "csv/events.csv", "EV-0016", "event_type", "death\u200d")


@mutation("byte order mark inside a retired id")
def _(root):
    return _set(root, "csv/retired.csv", "ST-0108", "id", "ST-0108\ufeff")


# --- loaded terms in disguise ---------------------------------------------------------------------


@mutation("loaded term split by a zero-width space")
def _(root):
    return _set(root, "csv/events.csv", "EV-0023", "title", "Hamas-led mas\u200bsacre in Israel")


@mutation("loaded term with a Cyrillic homoglyph")
def _(root):
    return _set(root, "csv/events.csv", "EV-0023", "title", "Hamas-led m\u0430ssacre in Israel")


@mutation("loaded term in fullwidth letters")
def _(root):
    return _set(root, "csv/events.csv", "EV-0023", "title", "Hamas-led ｍａｓｓａｃｒｅ in Israel")


@mutation("loaded term in Greek capitals")
def _(root):
    return _set(
        root, "csv/events.csv", "EV-0017", "title", "Israel withdraws from the \u0397\u039fL\u03a5 Land"
    )


@mutation("loaded term with a Cyrillic capital I")
def _(root):
    summary = _cell(root, "csv/funding_claims.csv", "FC-0005", "summary")
    return _set(
        root, "csv/funding_claims.csv", "FC-0005", "summary", summary + " It calls them \u0406llegitimate."
    )


@mutation("loaded term with a no-break space between its words")
def _(root):
    summary = _cell(root, "csv/statements.csv", "ST-0006", "summary")
    return _set(
        root, "csv/statements.csv", "ST-0006", "summary", summary + " He praises freedom\xa0fighters."
    )


# --- formula prefixes ---------------------------------------------------------------------------


@mutation("title starting with a fullwidth equals sign")
def _(root):
    return _set(root, "csv/events.csv", "EV-0016", "title", '＝HYPERLINK("http://x","Yasser Arafat dies")')


@mutation("notes starting with a space and an equals sign")
def _(root):
    return _set(root, "csv/events.csv", "EV-0016", "notes", " =1+1")


@mutation("location starting with a pipe")
def _(root):
    return _set(root, "csv/events.csv", "EV-0017", "location", "|calc!A0")


@mutation("publisher starting with a no-break space and a minus sign")
def _(root):
    return _set(root, "csv/sources.csv", "enduring-link-palestine-iran", "publisher", "\xa0-2+3")

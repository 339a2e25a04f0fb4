"""Text hygiene: ASCII digits in dates, no control or invisible characters in our own words, ids and
codes, loaded terms found however they are written, formula prefixes after spaces or in wide forms.

The mutation suite (``mutations_text.py``) checks that each trick is caught at its cell; these tests
check what a mutation cannot: that honest text in other scripts is left alone, and that the fast
column-wise tests are supersets of what Python then decides.
"""

from __future__ import annotations

import re
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iran_palestine_data import rulebook as rule
from iran_palestine_data.contract import dates
from iran_palestine_data.contract.schema import package
from iran_palestine_data.read.strings import read_strings
from iran_palestine_data.validation.rules import RULES
from iran_palestine_data.validation.rules.cells import (
    FORMULA_LOOKALIKES,
    FORMULA_PREFIX,
    INVISIBLE,
    _plain_text,
    cells,
    control_characters,
    describe,
    is_invisible,
)
from iran_palestine_data.validation.rules.context import Context
from iran_palestine_data.validation.rules.wording import (
    _FOLDABLE,
    PLAIN,
    fold,
    fold_char,
    neutral_wording,
    prefilter,
    read_as,
    sources_by_id,
    term_pattern,
)

pytestmark = pytest.mark.unit

# honest text in our own words: accents, Arabic, Persian, Hebrew, Greek, Cyrillic, CJK, typography
HONEST = [
    "Qāsem Soleimānī meets Ismāʿīl Haniyeh in Tehrān",
    "Zoë, François, Müller, Łódź, Şahin and Ørsted attend",
    "Sayyid Ali Khamenei (سید علی خامنه‌ای) is quoted in Persian".replace("\u200c", ""),
    "Ismail Haniyeh (إسماعيل هنية) and Hamas (حماس) meet in Doha",
    "Sepah (سپاه پاسداران انقلاب اسلامی) is the IRGC",
    "The Hebrew name is given as חמאס; the Greek press writes Χαμάς",
    "Moscow (Москва) hosts a delegation; Beijing (北京) issues a statement",
    "The source’s “figures” — about €50 million – are disputed…",
    "Reported by Al-Manār (المنار) and by Yedioth Ahronoth (ידיעות אחרונות)",
]


def _run(check, table: str, column: str, values: list[str | None]) -> list:
    """Run one rule over the shipped table with the first cells of ``column`` replaced."""
    pkg = package()
    raw = {name: read_strings(pkg.table(name), root=pkg.root) for name in {table, "actors"}}
    t = raw[table]
    cells_ = t.column(column).to_pylist()
    cells_[: len(values)] = values
    raw[table] = t.set_column(t.schema.get_field_index(column), column, pa.array(cells_, pa.string()))
    return [i for i in check(Context(pkg, raw)) if i.file == pkg.table(table).path and i.column == column]


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["٢٠٠٢", "۲۰۰۲", "２００２", "२००२", "2017-1٠", "٢٠١٦/2019", "201X".replace("1", "١")],
)
def test_a_date_with_digits_other_than_ascii_is_refused(text):
    assert not dates.is_valid(text)
    with pytest.raises(dates.EDTFError, match="digits other than ASCII 0-9"):
        dates.parse(text)


@pytest.mark.parametrize(
    "text", ["2002", "2017-10", "2020-01-03", "198X", "2016/2019", "../2015-07", "2000?"]
)
def test_ascii_dates_still_parse(text):
    assert dates.is_valid(text)


# --- control, separator, bidi and invisible characters --------------------------------------------


def test_the_rule_is_registered_and_runs_after_cells():
    assert rule.RULES[rule.CONTROL_CHARACTER].family == "cells"
    assert RULES.index(control_characters) == RULES.index(cells) + 1


def test_re2_and_python_agree_on_what_is_invisible():
    chars = [chr(c) for c in (*range(0x0, 0xD800), *range(0xE000, 0x10000), *range(0xE0000, 0xE1000))]
    assigned = [c for c in chars if unicodedata.category(c) != "Cn"]  # RE2's tables may be newer
    re2 = pc.match_substring_regex(pa.array(assigned), INVISIBLE).to_pylist()
    differ = [f"U+{ord(c):04X}" for c, r in zip(assigned, re2) if r != is_invisible(c)]
    assert not differ


@pytest.mark.parametrize(
    "ch",
    [
        "\x00",
        "\t",
        "\x1b",
        "\x7f",
        "\x85",
        "\u2028",
        "\u2029",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
    ]
    + ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068"]
    + ["\u2069", "\u061c", "\u00ad", "\u034f", "\u3164", "\ufe0f", "\U000e0041"],
)
def test_each_invisible_character_is_flagged_and_named(ch):
    issues = _run(control_characters, "events", "title", [f"Iran recognises{ch} Palestine"])
    assert [(i.row, i.rule) for i in issues] == [(2, rule.CONTROL_CHARACTER)]
    assert issues[0].message.startswith(f"holds {describe(ch)};")
    assert f"U+{ord(ch):04X}" in issues[0].message


def test_control_characters_are_named_though_unicode_gives_them_no_name():
    assert describe("\x85") == "U+0085 NEXT LINE (NEL)"
    assert describe("\t") == "U+0009 CHARACTER TABULATION"
    assert describe("\x01") == "U+0001 <control>"
    assert describe("\u200b") == "U+200B ZERO WIDTH SPACE"


def test_each_offending_cell_is_reported_once_naming_every_character():
    issues = _run(control_characters, "events", "notes", ["a\u202eb\u202cc\u202ed\u200b"])
    assert len(issues) == 1
    assert "U+202E RIGHT-TO-LEFT OVERRIDE, U+202C POP DIRECTIONAL FORMATTING, U+200B" in issues[0].message


@pytest.mark.parametrize("text", HONEST)
def test_honest_text_in_other_scripts_is_not_flagged(text):
    assert not _run(control_characters, "events", "title", [text])
    assert not _run(neutral_wording, "events", "title", [text])
    assert not _run(cells, "events", "title", [text])


def test_which_columns_are_held_to_it():
    pkg = package()
    watched = {(t.name, f.name) for t in pkg.tables.values() for f in t.fields if _plain_text(t, f)}
    assert {
        ("events", "title"),
        ("events", "notes"),
        ("claim_links", "note"),
        ("statements", "summary"),
    } <= watched
    assert {("actors", "actor_id"), ("statements", "speaker_id"), ("events", "event_type")} <= watched
    assert {("retired", "id"), ("retired", "replaced_by"), ("funding_claims", "support_types")} <= watched
    quotes = {(t.name, f.name) for t in pkg.tables.values() for f in t.fields if f.ext("quote")}
    assert quotes and not quotes & watched  # a quote holds what its snapshot holds
    assert ("actors", "name") not in watched and ("sources", "title") not in watched


def test_quotes_are_left_to_the_verbatim_rule():
    assert not _run(control_characters, "events", "quote", ["The Islamic Republic\u200b of Iran"])


# --- loaded terms, however written ----------------------------------------------------------------


def _wording(text: str) -> list[str]:
    return [i.message for i in _run(neutral_wording, "events", "title", [text])]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("A terrorist attack", "terrorist"),
        ("A terr\u200borist attack", "terr\u200borist"),
        ("A terr\u00adorist attack", "terr\u00adorist"),
        ("A t\u0435rr\u043erist attack", "t\u0435rr\u043erist"),  # Cyrillic е and о
        ("A ｔｅｒｒｏｒｉｓｔ attack", "ｔｅｒｒｏｒｉｓｔ"),
        ("A \U0001d42d\U0001d41e\U0001d42b\U0001d42b\U0001d428\U0001d42b attack", None),  # mathematical bold
        ("An \u0406llegitimate act", "\u0406llegitimate"),  # Cyrillic capital І
        ("An i\u01c0\u01c0egitimate act", "i\u01c0\u01c0egitimate"),  # dental clicks for l
        ("An \u05d5llegitimate act", "\u05d5llegitimate"),  # a Hebrew vav for I
        ("Freedom\u00a0fighters", "Freedom\u00a0fighters"),
        ("Freedom  fighters", "Freedom  fighters"),
        ("the \u0397\u039fL\u03a5 sites", "\u0397\u039fL\u03a5"),
    ],
)
def test_a_loaded_term_is_found_and_quoted_as_written(text, written):
    messages = _wording(text)
    assert len(messages) == 1, messages
    if written is not None:
        assert messages[0].startswith(f"uses the loaded term {written!r}")


def test_the_wording_rules_share_one_pass_and_find_what_each_finds_alone():
    """neutral_wording and sources_by_id read the rows that one RE2 pass over each column picks for
    either of them: run side by side in threads on one Context, each finds exactly what it finds
    alone, and the pass runs once per column."""
    from concurrent.futures import ThreadPoolExecutor

    pkg = package()
    titles = [
        "A terrorist attack, says source 2",
        "A meeting",
        "Talks (see snapshot 3)",
        "The regime's envoy",
    ]
    raw = {name: read_strings(pkg.table(name), root=pkg.root) for name in ("events", "actors", "sources")}
    t = raw["events"]
    cells_ = t.column("title").to_pylist()
    cells_[: len(titles)] = titles
    raw["events"] = t.set_column(t.schema.get_field_index("title"), "title", pa.array(cells_, pa.string()))

    def found(issues) -> list[tuple]:
        return sorted((i.rule, i.row) for i in issues if i.column == "title" and i.row <= 5)

    alone = [found(check(Context(pkg, raw))) for check in (neutral_wording, sources_by_id)]
    assert alone == [
        [(rule.NEUTRAL_WORDING, 2), (rule.NEUTRAL_WORDING, 5)],
        [(rule.SOURCE_BY_ID, 2), (rule.SOURCE_BY_ID, 4)],
    ]
    ctx, passes = Context(pkg, raw), []
    shared = ctx.shared
    ctx.shared = lambda key, compute: shared(key, lambda: passes.append(key) or compute())  # type: ignore[method-assign]
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(lambda c=c: list(c(ctx))) for c in (neutral_wording, sources_by_id)]
        together = [found(job.result()) for job in jobs]
    assert together == alone
    assert ("our voice", "events", "title") in passes and len(passes) == len(set(passes))


def test_the_message_says_how_the_term_is_disguised():
    (message,) = _wording("A t\u0435rrorist attack")
    assert "(written with U+0435 CYRILLIC SMALL LETTER IE)" in message
    (plain,) = _wording("A terrorist attack")
    assert "written with" not in plain


@pytest.mark.parametrize(
    "text",
    [
        "The “t\u0435rrorist” label is the source's",  # quoted, in disguise
        "Officials of the Islamic Resistance Movement meet",  # a proper name (Hamas's alias)
        "Counter\u200bterrorism talks",  # the control rule's business; no word boundary here
        "ﬁnance ministers meet",  # a ligature: NFKC reads 'finance'
        "Ahmad Vahidi's 'Holiday' remarks",
    ],
)
def test_no_false_positive(text):
    assert not _wording(text)


def test_fold_keeps_the_origin_of_each_character():
    folded, origin = fold("a\u200bｂ\ufb01c")
    assert folded == "abfic" == read_as("a\u200bｂ\ufb01c")
    assert origin == [0, 2, 3, 3, 4]
    assert fold("plain ascii") == ("plain ascii", list(range(11)))


def test_look_alike_letters_are_read_as_their_latin_prototype():
    assert [fold_char(c) for c in "\u0430\u0435\u043e\u0440\u0441\u0445\u03bf\u03bd"] == list("aeopcxov")
    assert fold_char("\u0406") == fold_char("\u0399") == fold_char("\u0627") == "\u01c0"  # I or l
    assert [fold_char(c) for c in "\u00a0\u2003\u200b\u00ad\uff54\U0001d42d\ufb01"] == [
        " ",
        " ",
        "",
        "",
        "t",
        "t",
        "fi",
    ]
    assert [fold_char(c) for c in "éüß’“–"] == list("éüß’“–")


def test_the_search_ignores_the_case_quirks_of_either_engine():
    # Python's IGNORECASE would take the dotted İ for i; RE2's case folding the Kelvin sign for k:
    # the patterns spell both cases out instead, and NFKC reads the Kelvin sign as K
    pattern = term_pattern(package().loaded_terms)
    assert not pattern.search(read_as("An \u0130llegitimate act"))
    assert pattern.search(read_as("An ILLEGITIMATE act"))


def test_plain_characters_fold_to_themselves():
    for lo, hi in PLAIN:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            assert fold_char(ch) == ch, f"U+{cp:04X}"
            assert not ch.isspace() and not is_invisible(ch)
            assert re.fullmatch("[a-z]", ch, re.IGNORECASE) is None, f"U+{cp:04X}"  # İ ı ſ K are not plain


def test_the_foldable_class_is_everything_outside_ascii_and_plain():
    probe = ["abc", "é – “x”", "\u00a0", "\u0430", "\u200b", "ｔ", "ı", "\U0001d42d", "\u2212"]
    got = pc.match_substring_regex(pa.array(probe), _FOLDABLE).to_pylist()
    assert got == [False, False, True, True, True, True, True, True, True]


_ALPHABET = st.sampled_from(
    list('aeilmnorstuy -"') + ["\u0430", "\u0435", "\u043e", "\u0406", "\u200b", "\u00a0", "é", "’", "ｔ"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_ALPHABET, st.sampled_from(["terror", "holy", "illegitimate", "martyr"]))))
def test_the_column_prefilter_is_a_superset_of_the_python_search(parts):
    terms = package().loaded_terms
    text = "".join(parts)
    if term_pattern(terms).search(fold(text)[0]):
        as_written = pc.match_substring_regex(pa.array([text]), prefilter(terms))[0].as_py()
        foldable = pc.match_substring_regex(pa.array([text]), _FOLDABLE)[0].as_py()
        as_read = pc.match_substring_regex(pa.array([read_as(text)]), prefilter(terms))[0].as_py()
        assert as_written or (foldable and as_read)


# --- formula prefixes ------------------------------------------------------------------------------


def test_the_look_alike_signs_are_those_whose_nfkc_is_a_formula_sign():
    want = {
        chr(cp)
        for cp in range(0x80, 0x110000)
        if not 0xD800 <= cp < 0xE000 and unicodedata.normalize("NFKC", chr(cp)) in ("=", "+", "-", "@", "|")
    }
    assert set(FORMULA_LOOKALIKES) == want


@pytest.mark.parametrize(
    ("text", "prefix"),
    [
        (" =1+1", " ="),
        ("\t\t+cmd", "\t"),  # the first byte is enough
        ("\u00a0-2", "\u00a0-"),
        ("\u3000@SUM(A1)", "\u3000@"),
        ("\u200b=1", "\u200b="),
        ("＝HYPERLINK()", "＝"),
        ("＋1", "＋"),
        ("－1", "－"),
        ("＠x", "＠"),
        ("|calc", "|"),
        ("  |calc", "  |"),
    ],
)
def test_a_formula_after_spaces_or_in_wide_form_is_caught(text, prefix):
    issues = _run(cells, "events", "notes", [text])
    assert [i.rule for i in issues] == [rule.FORMULA_INJECTION]
    assert issues[0].message.startswith(f"begins with {prefix!r}")


@pytest.mark.parametrize(
    "text", ["– a dash", "“Quoted”", "(aside)", " a space first", "−5 (a minus sign)", "a=b"]
)
def test_text_that_only_looks_near_a_formula_is_not_caught(text):
    assert not _run(cells, "events", "notes", [text])


def test_the_formula_regex_is_anchored():
    got = pc.match_substring_regex(pa.array(["a =b", "x|y", " x=", "=x"]), FORMULA_PREFIX).to_pylist()
    assert got == [False, False, False, True]

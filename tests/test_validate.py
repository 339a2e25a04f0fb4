"""The validator: the shipped data passes; each rule fails on a fixture with the message users see."""

from __future__ import annotations

import codecs
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from iran_palestine_data import validate
from iran_palestine_data.release.hashes import refresh

from helpers import edit_text, messages, set_cell

EV, ST, FC, AC = "csv/events.csv", "csv/statements.csv", "csv/funding_claims.csv", "csv/actors.csv"


@pytest.mark.data
def test_shipped_dataset_is_valid(root):
    report = validate(root)
    assert report.valid, str(report)
    assert report.checked["events"] > 0


@pytest.mark.integration
def test_frictionless_cli_accepts_the_package(root):
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", "datapackage.json"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.unit
def test_report_has_json_form(dataset):
    set_cell(dataset, ST, "ST-0003", "speaker_id", "mahmoud-abas")
    data = json.loads(validate(dataset).to_json())
    assert data["valid"] is False
    assert data["issues"] == [
        {
            "file": ST,
            "rule": "foreign key",
            "message": "is not an actor_id in csv/actors.csv",
            "row": 4,
            "column": "speaker_id",
            "value": "mahmoud-abas",
        }
    ]


# --- descriptor and files ----------------------------------------------------------------------


@pytest.mark.unit
def test_unreadable_descriptor(dataset):
    (dataset / "datapackage.json").write_text("{not json", encoding="utf-8")
    [msg] = messages(dataset)
    assert msg.startswith(
        "datapackage.json: is not valid UTF-8 JSON: Expecting property name"
    ) and msg.endswith("(rule: descriptor)")


@pytest.mark.unit
def test_missing_hash(dataset):
    data = json.loads((dataset / "datapackage.json").read_text())
    del data["resources"][2]["hash"]
    (dataset / "datapackage.json").write_text(json.dumps(data))
    assert (
        "datapackage.json: resource events has no hash (run `iran-palestine-data release refresh`) (rule: descriptor)"
        in messages(dataset)
    )


@pytest.mark.unit
def test_missing_file(dataset):
    (dataset / EV).unlink()
    assert "csv/events.csv: is missing (rule: file)" in messages(dataset)


@pytest.mark.unit
def test_bom(dataset):
    path = dataset / EV
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    refresh(dataset)
    assert messages(dataset) == [
        "csv/events.csv row 1: begins with a byte order mark (BOM); save it as UTF-8 without BOM (rule: bom)"
    ]


@pytest.mark.unit
def test_crlf(dataset):
    path = dataset / EV
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    refresh(dataset)
    assert messages(dataset) == [
        "csv/events.csv row 1: has CR or CRLF line endings; use LF only (first at line 1) (rule: line endings)"
    ]


@pytest.mark.unit
def test_latin1(dataset):
    path = dataset / EV
    path.write_bytes(
        path.read_bytes().replace("Iran–Palestine".encode(), "Iran\xe9Palestine".encode("latin-1"), 1)
        + "é\n".encode("latin-1")
    )
    refresh(dataset)
    msgs = messages(dataset)
    assert any(
        m.startswith("csv/events.csv row ")
        and ": is not valid UTF-8: byte 0xe9 at line" in m
        and m.endswith("(rule: encoding)")
        for m in msgs
    ), msgs


@pytest.mark.unit
def test_nul_byte(dataset):
    edit_text(dataset / EV, "Iran recognises", "Iran\x00recognises")
    refresh(dataset)
    assert "csv/events.csv row 2: contains a NUL byte (first at line 2) (rule: nul byte)" in messages(dataset)


@pytest.mark.unit
def test_truncated_file(dataset):
    path = dataset / EV
    path.write_bytes(path.read_bytes()[:-40])
    refresh(dataset)
    msgs = messages(dataset)
    assert any(
        m.startswith("csv/events.csv row ")
        and "does not end with a line break; the file may be truncated" in m
        for m in msgs
    ), msgs


@pytest.mark.unit
def test_empty_table(dataset):
    path = dataset / EV
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    refresh(dataset)
    assert "csv/events.csv: has a header but no rows (rule: empty table)" in messages(dataset)


@pytest.mark.unit
def test_empty_file(dataset):
    (dataset / EV).write_bytes(b"")
    refresh(dataset)
    assert "csv/events.csv: is empty (not even a header row) (rule: empty file)" in messages(dataset)


@pytest.mark.unit
def test_header_reordered(dataset):
    edit_text(dataset / EV, "event_id,date,date_start", "date,event_id,date_start")
    refresh(dataset)
    assert messages(dataset) == [
        "csv/events.csv row 1, column date: value \"date\" is in position 1, where the schema has 'event_id' (columns must be in schema order) (rule: header)"
    ]


@pytest.mark.unit
def test_extra_cells(dataset):
    edit_text(dataset / EV, "EV-0001,,", "EV-0001,,,")
    refresh(dataset)
    msgs = messages(dataset)
    assert any("csv/events.csv" in m and "(rule: structure)" in m for m in msgs), msgs


@pytest.mark.unit
def test_hash_and_bytes_stale(dataset):
    edit_text(dataset / EV, "Iran recognises Palestine as a state", "Iran recognises Palestine as a State")
    msgs = messages(dataset)
    assert any(
        m.startswith("csv/events.csv: does not match the hash recorded in datapackage.json")
        and m.endswith("(rule: hash)")
        for m in msgs
    ), msgs
    edit_text(dataset / EV, "Iran recognises Palestine as a State", "Iran recognises Palestine as a state!")
    assert any(m.endswith("(rule: bytes)") for m in messages(dataset))


# --- frictionless: types, constraints, keys ------------------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    "rel, key, column, value, expected",
    [
        (EV, "EV-0015", "date_start", "2002-1-1", 'value "2002-1-1" is not a date (YYYY-MM-DD) (rule: type)'),
        (EV, "EV-0015", "title", "", "is empty, but the column is required (rule: required)"),
        (
            EV,
            "EV-0015",
            "event_type",
            "seizure",
            'value "seizure" is not in the event_type vocabulary (recognition, diplomatic_action,',
        ),
        (
            EV,
            "EV-0015",
            "event_id",
            "EV-15",
            'value "EV-15" does not match the pattern EV-[0-9]{4,} (rule: id pattern)',
        ),
        (
            EV,
            "EV-0015",
            "country",
            "XXX",
            'value "XXX" is not in the country vocabulary (one of the 249 codes listed in schemas/events.schema.json) (rule: enum)',
        ),
        (
            FC,
            "FC-0003",
            "currency",
            "DOL",
            'value "DOL" is not in the currency vocabulary (one of the 178 codes listed in',
        ),
        (
            ST,
            "ST-0003",
            "speaker_id",
            "mahmoud-abas",
            'value "mahmoud-abas" is not an actor_id in csv/actors.csv (rule: foreign key)',
        ),
        (
            ST,
            "ST-0006",
            "event_id",
            "EV-9999",
            'value "EV-9999" is not an event_id in csv/events.csv (rule: foreign key)',
        ),
        (
            EV,
            "EV-0015",
            "source_id",
            "wikipedia",
            'value "wikipedia" is not a source_id in csv/sources.csv (rule: foreign key)',
        ),
    ],
)
def test_cell_constraints(dataset, rel, key, column, value, expected):
    n = set_cell(dataset, rel, key, column, value)
    prefix = f"{rel} row {n}, column {column}: "
    msgs = messages(dataset)
    assert any(m.startswith(prefix + expected) for m in msgs), msgs


@pytest.mark.unit
def test_negative_amount(dataset):
    n = set_cell(dataset, FC, "FC-0003", "amount_low", "-5")
    msgs = messages(dataset)
    assert f'{FC} row {n}, column amount_low: value "-5" is below the minimum 0 (rule: minimum)' in msgs


@pytest.mark.unit
def test_self_foreign_key(dataset):
    n = set_cell(dataset, AC, "ali-khamenei", "affiliation_id", "irann")
    assert (
        f'{AC} row {n}, column affiliation_id: value "irann" is not an actor_id in csv/actors.csv (rule: foreign key)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_duplicate_id(dataset):
    n = set_cell(dataset, EV, "EV-0016", "event_id", "EV-0015")
    msgs = messages(dataset)
    assert (
        f'{EV} row {n}, column event_id: value "EV-0015" repeats the id of row 16 (rule: duplicate id)'
        in msgs
    )


@pytest.mark.unit
def test_duplicate_composite_key(dataset):
    path = dataset / "csv/event_actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3] + [lines[2]] + lines[3:]), encoding="utf-8")
    refresh(dataset)
    msgs = messages(dataset)
    assert any(
        m.startswith("csv/event_actors.csv row 4, column event_id, actor_id, role: value")
        and "(rule: primary key)" in m
        for m in msgs
    ), msgs


@pytest.mark.unit
def test_id_unique_across_tables(dataset):
    n = set_cell(dataset, AC, "turkey", "actor_id", "enduring-link-palestine-iran")
    msgs = messages(dataset)
    assert any(
        m.startswith(
            f'{AC} row {n}, column actor_id: value "enduring-link-palestine-iran" is also an id in csv/sources.csv (row 3)'
        )
        for m in msgs
    ), msgs


# --- rules frictionless cannot express ------------------------------------------------------------


@pytest.mark.unit
def test_formula_injection(dataset):
    n = set_cell(dataset, EV, "EV-0015", "title", '=HYPERLINK("x")')
    assert (
        f'{EV} row {n}, column title: value "=HYPERLINK("x")" begins with \'=\', which a spreadsheet would run as a formula (rule: formula injection)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_line_break_in_cell(dataset):
    n = set_cell(dataset, EV, "EV-0015", "notes", "two\nlines")
    assert (
        f'{EV} row {n}, column notes: value "two\\nlines" contains a line break; cells must fit on one line (an unbalanced quote also causes this) (rule: line break)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_quote_changed_by_one_character(dataset):
    n = set_cell(dataset, EV, "EV-0016", "quote", "Arafat’s death in 2005")
    assert messages(dataset) == [
        f'{EV} row {n}, column quote: value "Arafat’s death in 2005" is not found verbatim in sources/000_e3302a3580880a1e.txt '
        "(the snapshot of wikipedia-iran-palestine-relations); the first 21 characters match, then it differs at '5' (rule: quote verbatim)"
    ]


@pytest.mark.unit
def test_quote_in_wrong_source(dataset):
    n = set_cell(dataset, EV, "EV-0016", "source_id", "iranwire-khamenei-hamas")
    msgs = messages(dataset)
    assert (
        f'{EV} row {n}, column quote: value "Arafat’s death in 2004" is not in the snapshot of iranwire-khamenei-hamas but is in that of wikipedia-iran-palestine-relations (wrong source_id?) (rule: quote verbatim)'
        in msgs
    )


@pytest.mark.unit
def test_quote_too_short(dataset):
    n = set_cell(dataset, EV, "EV-0016", "quote", "Arafat")
    assert (
        f'{EV} row {n}, column quote: value "Arafat" is 6 characters long; a quote needs at least 12 (rule: quote length)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_snapshot_edited(dataset):
    snap = dataset / "sources/003_747e3517b6604247.txt"
    snap.write_text(snap.read_text(encoding="utf-8").replace("excellent", "very good"), encoding="utf-8")
    msgs = messages(dataset)
    assert any(
        m.startswith('csv/sources.csv row 5, column sha256: value "0cdf35fa')
        and "(was the snapshot edited?) (rule: snapshot sha256)" in m
        for m in msgs
    ), msgs


@pytest.mark.unit
def test_snapshot_sha_wrong(dataset):
    n = set_cell(dataset, "csv/sources.csv", "wikipedia-iran-palestine-relations", "sha256", "0" * 64)
    assert any(
        m.startswith(
            f'csv/sources.csv row {n}, column sha256: value "{"0" * 64}" does not match sources/000_e3302a3580880a1e.txt'
        )
        for m in messages(dataset)
    )


@pytest.mark.unit
def test_snapshot_missing(dataset):
    (dataset / "sources/003_747e3517b6604247.txt").unlink()
    assert (
        'csv/sources.csv row 5, column snapshot: value "sources/003_747e3517b6604247.txt" names a snapshot file that does not exist (rule: snapshot)'
        in messages(dataset)
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    "column, value, expected",
    [
        (
            "date",
            "2002-02-30",
            'value "2002-02-30" is not a real day (February 2002 has 28 days) (rule: edtf)',
        ),
        (
            "date",
            "spring 2002",
            'value "spring 2002" is not an EDTF date (examples: 2019, 2017-10, 2020-01-03, 2000?, 198X, 2016/2019) (rule: edtf)',
        ),
        (
            "date_end",
            "2002-12-30",
            "value \"2002-12-30\" should be 2002-12-31, the latest day '2002' allows (rule: date bounds)",
        ),
        ("date_start", "", "should be 2002-01-01, the earliest day '2002' allows (rule: date bounds)"),
        ("date_precision", "month", "value \"month\" should be 'year' for '2002' (rule: date precision)"),
        (
            "date_basis",
            "unknown",
            "value \"unknown\" cannot be 'unknown' when a date is given (stated or inferred?) (rule: date basis)",
        ),
        (
            "date_basis",
            "inferred",
            "is empty, but an inferred date must say how it was inferred (rule: date note)",
        ),
    ],
)
def test_date_rules(dataset, column, value, expected):
    n = set_cell(dataset, EV, "EV-0015", column, value)
    msgs = messages(dataset)
    assert any(m.startswith(f"{EV} row {n}, column ") and m.endswith(expected) for m in msgs), msgs


@pytest.mark.unit
def test_undated_row_must_have_empty_bounds(dataset):
    n = set_cell(dataset, EV, "EV-0001", "date_start", "2000-01-01")
    assert (
        f'{EV} row {n}, column date_start: value "2000-01-01" should be empty because the date is empty (rule: date bounds)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_list_vocabulary(dataset):
    n = set_cell(dataset, FC, "FC-0005", "support_types", "weapons;missiles")
    assert any(
        m.startswith(
            f"{FC} row {n}, column support_types: value \"weapons;missiles\" has the item 'missiles', which is not in the support_types vocabulary"
        )
        for m in messages(dataset)
    )


@pytest.mark.unit
def test_list_format(dataset):
    n = set_cell(dataset, FC, "FC-0005", "support_types", "weapons; training")
    assert (
        f"{FC} row {n}, column support_types: value \"weapons; training\" has an empty or space-padded item; separate items with a bare ';' (rule: list format)"
        in messages(dataset)
    )


@pytest.mark.unit
def test_alias_not_attested(dataset):
    n = set_cell(dataset, AC, "ali-khamenei", "aliases", "Ali Khamenei;Khamenie")
    assert (
        f"{AC} row {n}, column aliases: value \"Ali Khamenei;Khamenie\" has the alias 'Khamenie', which occurs in no source snapshot (rule: alias attested)"
        in messages(dataset)
    )


@pytest.mark.unit
def test_alias_collision(dataset):
    n = set_cell(dataset, AC, "yasser-arafat", "aliases", "Yasser Arafat;Arafat;PLO")
    msgs = messages(dataset)
    assert any(
        m.startswith(
            f"{AC} row {n}, column aliases: value \"Yasser Arafat;Arafat;PLO\" shares the spelling 'plo' with row"
        )
        and m.endswith("one actor, one row (rule: alias collision)")
        for m in msgs
    ), msgs


@pytest.mark.unit
def test_amount_rules(dataset):
    n = set_cell(dataset, FC, "FC-0003", "amount_low", "200", refresh_hashes=False)
    set_cell(dataset, FC, "FC-0003", "amount_high", "100")
    msgs = messages(dataset)
    assert (
        f'{FC} row {n}, column amount_low: value "200" is greater than amount_high (100) (rule: amount order)'
        in msgs
    )
    assert (
        f"{FC} row {n}, column currency: is empty, but an amount is given in amount_low or amount_high (rule: currency)"
        in msgs
    )
    assert (
        f'{FC} row {n}, column amount_low: value "200" matches no money figure in the quote (only a figure tied '
        "to a currency counts, as in '$5 million', 'USD 5m', '5 million rials'; money figures found: none) "
        "(rule: amount in quote)" in msgs
    )


@pytest.mark.unit
def test_currency_without_amount(dataset):
    n = set_cell(dataset, FC, "FC-0003", "currency", "USD")
    assert (
        f'{FC} row {n}, column currency: value "USD" is given, but amount_low and amount_high are empty (rule: currency)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_an_amount_must_be_money_in_the_quote(dataset):
    # FC-0002's quote says "50 tons": a figure, but not money, so it is no evidence for an amount of 50
    n = set_cell(dataset, FC, "FC-0002", "amount_low", "50", refresh_hashes=False)
    set_cell(dataset, FC, "FC-0002", "amount_high", "50", refresh_hashes=False)
    set_cell(dataset, FC, "FC-0002", "currency", "USD")
    assert (
        f"{FC} row {n}, column amount_low: value \"50\" matches no money figure in the quote: it writes '50', "
        "but not as money (only a figure tied to a currency counts, as in '$5 million', 'USD 5m', "
        "'5 million rials'; money figures found: none) (rule: amount in quote)" in messages(dataset)
    )


@pytest.mark.unit
def test_neutral_wording(dataset):
    n = set_cell(dataset, EV, "EV-0023", "title", "Hamas-led massacre in Israel")
    assert (
        f"{EV} row {n}, column title: value \"Hamas-led massacre in Israel\" uses the loaded term 'massacre' in our own words; put it inside quotation marks as the source's word, or rephrase (rule: neutral wording)"
        in messages(dataset)
    )


@pytest.mark.unit
def test_loaded_words_inside_quotation_marks_or_names_are_fine(dataset):
    set_cell(
        dataset,
        EV,
        "EV-0023",
        "title",
        'Attack that Khamenei calls "a huge blow"; the "Zionist regime"',
        refresh_hashes=False,
    )
    set_cell(
        dataset,
        EV,
        "EV-0015",
        "title",
        "Capture of a ship; the Palestine Liberation Organization is not involved",
    )
    assert not any("neutral wording" in m for m in messages(dataset))


@pytest.mark.unit
def test_event_without_actors(dataset):
    path = dataset / "csv/event_actors.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("EV-0016,")), encoding="utf-8")
    refresh(dataset)
    assert (
        f'{EV} row 17, column event_id: value "EV-0016" has no rows in csv/event_actors.csv (rule: event actors)'
        in messages(dataset)
    )


@pytest.mark.unit
def test_direct_speech_needs_quotation_marks(dataset):
    n = set_cell(dataset, ST, "ST-0001", "speech", "direct")
    assert (
        f'{ST} row {n}, column speech: value "direct" says direct, but the quote holds no quotation marks (rule: direct speech)'
        in messages(dataset)
    )


@pytest.mark.unit
@pytest.mark.parametrize(
    "text, spans",
    [
        ("He pledged “all-out support” to them", ["all-out support"]),
        ("Iran’s ties are “excellent”", ["excellent"]),  # ’ before a letter is an apostrophe
        ("the group’s leadership council", []),
        ('said: "Hamas is funded by Iran. It claims', ["Hamas is funded by Iran. It claims"]),  # cut
        ('never mean an endorsement" of it', ["never mean an endorsement"]),  # cut at the start
        ("the martyr of Jerusalem.” he said", ["the martyr of Jerusalem."]),
        ("«un deux trois» et ‘quatre cinq’", ["un deux trois", "quatre cinq"]),
        ("in the ‘90s, ‘good times’", ["good times"]),  # ‘ before a digit is an elision
    ],
)
def test_quoted_spans(text, spans):
    from iran_palestine_data.validation.rules.actors import quoted_spans

    assert quoted_spans(text) == spans


def _statement_with_quoted_words(root, speech: str, at_least: int) -> tuple[str, str]:
    from iran_palestine_data.validation.rules.actors import quoted_spans, quoted_words

    from helpers import read_rows

    header, rows = read_rows(root, ST)
    q, sp = header.index("quote"), header.index("speech")
    for r in rows:
        counts = quoted_words(r[q])
        if r[sp] == speech and max(counts, default=0) >= at_least:
            return r[0], next(s for s, k in zip(quoted_spans(r[q]), counts) if k >= at_least)
    raise LookupError(speech)


@pytest.mark.unit
def test_indirect_speech_may_not_hold_the_speakers_words_in_quotation_marks(dataset):
    sid, span = _statement_with_quoted_words(dataset, "direct", 3)
    n = set_cell(dataset, ST, sid, "speech", "indirect")
    found = [m for m in messages(dataset) if "(rule: indirect speech)" in m]
    assert len(found) == 1 and found[0].startswith(
        f'{ST} row {n}, column speech: value "indirect" says indirect, but the quote holds the '
        f"speaker's words in quotation marks ("
    ), found
    assert span.strip()[:20] in found[0]


@pytest.mark.unit
@pytest.mark.parametrize(
    "quote",
    [
        'PA officials responded to these Iranian statements with "unprecedented ferocity".',  # a scare quote
        "condemned the position of Great Britain in designating Hamas as a “terrorist group,”",  # a term
        "the group’s leadership council presented a report",  # apostrophes only
    ],
)
def test_one_or_two_words_in_quotation_marks_may_be_indirect(quote):
    from iran_palestine_data.validation.rules.actors import SPEECH_WORDS, quoted_words

    assert max(quoted_words(quote), default=0) < SPEECH_WORDS


@pytest.mark.unit
def test_a_claim_in_the_sources_own_voice_is_dated_when_the_source_states_its_date(dataset):
    from helpers import read_rows

    header, rows = read_rows(dataset, FC)
    side, source = header.index("claimant_side"), header.index("source_id")
    cid = next(
        r[0] for r in rows if r[side] == "unattributed" and r[source] == "memo-palestinian-resistance-iran"
    )
    n = set_cell(dataset, FC, cid, "claim_date", "")
    assert (
        f"{FC} row {n}, column claim_date: is empty, but memo-palestinian-resistance-iran asserts this claim in "
        "its own voice (claimant_side 'unattributed') and states when it was published (2021-12-25): the claim "
        "was made then (rule: claim date)"
    ) in messages(dataset)


@pytest.mark.unit
def test_a_claim_date_is_not_asked_for_when_the_publication_date_is_inferred(dataset):
    from helpers import read_rows

    header, rows = read_rows(dataset, FC)
    side, source = header.index("claimant_side"), header.index("source_id")
    cid = next(
        r[0] for r in rows if r[side] == "unattributed" and r[source] == "wikipedia-iran-palestine-relations"
    )
    set_cell(dataset, FC, cid, "claim_date", "")
    assert not any("(rule: claim date)" in m for m in messages(dataset))


@pytest.mark.unit
@pytest.mark.parametrize(
    "phrase, found, source",
    [
        ("as source 002 says", "source 002", "iranwire-khamenei-hamas"),
        ("as Source 4 says", "Source 4", "memo-palestinian-resistance-iran"),
        ("as sources 000 and 001 say", "sources 000", "wikipedia-iran-palestine-relations"),
        ("in snapshot 001", "snapshot 001", "enduring-link-palestine-iran"),
        ("'Popular Front' (004)", "(004)", "memo-palestinian-resistance-iran"),
        ("see 003_747e3517b6604247.txt", "003_747e3517b6604247.txt", "mei-hamas-iran-ties-repaired"),
    ],
)
def test_our_words_name_a_source_by_its_source_id(dataset, phrase, found, source):
    n = set_cell(dataset, "csv/claim_links.csv", "LK-0001", "note", f"Both report one event, {phrase}.")
    assert (
        f'csv/claim_links.csv row {n}, column note: value "Both report one event, {phrase}." names a source by '
        f"the number of its snapshot file ({found!r}); name it by its source_id ({source!r}) (rule: source by id)"
    ) in messages(dataset)


@pytest.mark.unit
@pytest.mark.parametrize(
    "phrase",
    [
        "its first 2,000 characters",
        "a meeting (2019)",
        "FC-0002 and EV-0004",
        "the source's 3 figures",
        "sourced 2 ways",
    ],
)
def test_numbers_that_are_not_file_numbers_pass(dataset, phrase):
    set_cell(dataset, "csv/claim_links.csv", "LK-0001", "note", f"Both report one event: {phrase}.")
    assert not any("(rule: source by id)" in m for m in messages(dataset))


@pytest.mark.unit
@pytest.mark.parametrize(
    "side, expected",
    [
        (
            "donor",
            "does not fit claimant 'mahmoud-abbas', who is on the third party side through actors.affiliation_id",
        ),
        ("unattributed", "is 'unattributed' but a claimant_id is given"),
    ],
)
def test_claimant_side(dataset, side, expected):
    n = set_cell(dataset, FC, "FC-0003", "claimant_side", side)
    assert f'{FC} row {n}, column claimant_side: value "{side}" {expected} (rule: claimant side)' in messages(
        dataset
    )


@pytest.mark.unit
def test_claimant_needed_unless_unattributed(dataset):
    n = set_cell(dataset, FC, "FC-0003", "claimant_id", "")
    assert (
        f"{FC} row {n}, column claimant_side: value \"third_party\" needs a claimant_id (or 'unattributed' if the source asserts the claim itself) (rule: claimant side)"
        in messages(dataset)
    )


@pytest.mark.unit
def test_every_issue_names_file_and_rule(dataset):
    """Several corruptions at once: every issue is one line with a file and a rule, no traceback."""
    set_cell(dataset, EV, "EV-0015", "date", "sometime", refresh_hashes=False)
    set_cell(dataset, ST, "ST-0003", "speaker_id", "nobody", refresh_hashes=False)
    (dataset / "csv/funding_claims.csv").write_bytes(b"\xff\xfe garbage")
    shutil.rmtree(dataset / "curation")
    report = validate(dataset)
    assert not report.valid
    for issue in report.issues:
        assert issue.file and issue.rule and "\n" not in str(issue)

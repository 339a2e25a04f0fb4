"""Completeness is auditable: no sentence of any source is neither coded nor deliberately excluded."""

from __future__ import annotations

import pytest

from iran_palestine_data.publish.coverage import COVERED, EXCLUDED, NEITHER, classify, coverage, sentences

from helpers import set_cell


@pytest.mark.data
def test_no_sentence_is_neither_covered_nor_excluded(root):
    missing = [
        f"{r.snapshot}:{s.line} ({s.coded:.0%} coded) {s.sentence.text[:120]}"
        for r in coverage(root=root)
        for s in r.sentences
        if s.status == NEITHER
    ]
    assert not missing, "sentences neither coded nor excluded:\n" + "\n".join(missing)


@pytest.mark.data
def test_every_source_has_coded_rows(root):
    for r in coverage(root=root):
        assert r.count(COVERED) > 0, r.source_id


@pytest.mark.unit
def test_sentence_splitting():
    text = "= Title =\n- Item one\nFirst sentence. Second one? “Third,” he said.Glued Heading\n**Bold claim.** Plain.\n\n"
    assert [s.text for s in sentences(text)] == [
        "Title",
        "Item one",
        "First sentence.",
        "Second one?",
        "“Third,” he said.",
        "Glued Heading",
        "**Bold claim.**",
        "Plain.",
    ]
    for s in sentences(text):
        assert text[s.start : s.end] == s.text


@pytest.mark.unit
@pytest.mark.parametrize(
    "coded, excluded, union, status",
    [
        (0.5, 0, 0.5, COVERED),
        (0.2, 0.75, 0.95, COVERED),
        (0, 0.95, 0.95, EXCLUDED),
        (0.3, 0, 0.3, NEITHER),
        (0, 0.5, 0.5, NEITHER),
    ],
)
def test_classification_thresholds(coded, excluded, union, status):
    assert classify(coded, excluded, union) == status


@pytest.mark.unit
def test_removing_a_row_leaves_a_sentence_uncovered(dataset):
    # EV-0001 is the only row quoting this sentence; point its quote elsewhere
    sentence = "The Islamic Republic of Iran officially recognises Palestine as a state."
    [before] = coverage(root=dataset, source_id="wikipedia-iran-palestine-relations")
    assert next(s.status for s in before.sentences if s.sentence.text == sentence) == COVERED
    set_cell(dataset, "csv/events.csv", "EV-0001", "quote", "Arafat released imprisoned Hamas")
    [after] = coverage(root=dataset, source_id="wikipedia-iran-palestine-relations")
    assert [s.sentence.text for s in after.sentences if s.status == NEITHER] == [sentence]


@pytest.mark.unit
def test_actor_descriptions_do_not_count_as_coverage(dataset):
    # an actor quote alone must not cover a sentence (it says what an actor is, not what happened)
    set_cell(dataset, "csv/events.csv", "EV-0001", "quote", "Arafat released imprisoned Hamas")
    set_cell(
        dataset,
        "csv/actors.csv",
        "iran",
        "quote",
        "The Islamic Republic of Iran officially recognises Palestine as a state.",
    )
    [after] = coverage(root=dataset, source_id="wikipedia-iran-palestine-relations")
    assert any(
        s.status == NEITHER and s.sentence.text.startswith("The Islamic Republic of Iran officially")
        for s in after.sentences
    )


@pytest.mark.unit
def test_cli_exit_codes(root, dataset):
    import subprocess
    import sys
    from pathlib import Path

    cli = str(Path(sys.executable).with_name("iran-palestine-data"))
    ok = subprocess.run([cli, "coverage"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    assert "Coverage of the snapshots" in ok.stdout
    # drop every exclusion: headings become uncovered and the command fails
    path = dataset / "curation/exclusions.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    bad = subprocess.run(
        [cli, "coverage", str(dataset), "--source", "wikipedia-iran-palestine-relations"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1 and "[neither, coded 0%, excluded 0%] See also" in bad.stdout

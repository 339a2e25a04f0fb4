"""The README's Quick start is the interface to a fresh machine; CI must run the same test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    install_and_show, install_and_test = commands
    assert install_and_show.startswith("pip install ") and "iran-palestine-data" in install_and_show
    assert install_and_test.startswith("pip install ") and "pytest" in install_and_test


def test_ci_runs_the_quick_start_test_command_in_a_fresh_venv():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 -m venv" in ci
    assert quick_start_commands()[1] in ci.splitlines()


def test_codebook_is_current():
    from iran_palestine_data.publish.codebook import render

    committed = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == render(), "docs/codebook.md is stale: run `iran-palestine-data codebook`"


def test_codebook_lists_every_field_and_code():
    from iran_palestine_data.contract.schema import package

    text = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    pkg = package()
    for tbl in pkg.tables.values():
        for f in tbl.fields:
            assert f"`{f.name}`" in text
            for code in (f.vocabulary or ()) if len(f.vocabulary or ()) <= 60 else ():
                assert f"| `{code}` |" in text, (tbl.name, f.name, code)
    for term in pkg.loaded_terms:
        assert f"`{term}`" in text


def test_readme_python_tour_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.+?)\n```", readme, re.S)
    tour = next(b for b in blocks if "cite" in b)
    assert len(tour.strip().splitlines()) <= 10
    namespace: dict = {}
    exec(compile(tour, "README tour", "exec"), namespace)  # noqa: S102 - the README's own example
    assert len(namespace["meetings"]) > 0 and len(namespace["figures"]) > 0
    # the tour answers its questions with the helpers, not with hand-made joins and date logic
    assert all(f"ipd.{name}(" in tour for name in ("events", "between", "actor", "funding", "describe"))
    assert 0 < len(namespace["sure"]) < len(namespace["hamas"])


def test_datasheet_composition_is_current():
    from iran_palestine_data.publish.datasheet import render_datasheet

    text = (REPO / "docs" / "datasheet.md").read_text(encoding="utf-8")
    assert text == render_datasheet(text), "docs/datasheet.md is stale: run `iran-palestine-data codebook`"
    for heading in (
        "Motivation",
        "Composition",
        "Collection process",
        "Source selection and its biases",
        "Uses",
        "Distribution and licence",
        "Maintenance",
        "How to cite",
    ):
        assert f"## {heading}" in text

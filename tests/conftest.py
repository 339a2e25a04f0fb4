"""Shared fixtures (the shipped dataset, and throw-away copies of it to corrupt) and the test-kind check.

Every test is exactly one of three kinds, chosen with ``pytest -m unit``, ``-m data`` or
``-m integration`` (the markers are registered in pyproject.toml). Plain helpers live in ``helpers.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iran_palestine_data import data_path

from helpers import copy_dataset

KINDS = ("unit", "data", "integration")


@pytest.fixture(scope="session")
def root() -> Path:
    return data_path()


@pytest.fixture
def dataset(tmp_path) -> Path:
    """A private copy of the dataset that a test may change."""
    return copy_dataset(tmp_path / "dataset")


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects anything: every collected test is checked
def pytest_collection_modifyitems(config, items):
    """Refuse to run if a test carries none, or more than one, of the kinds ``unit``, ``data``, ``integration``."""
    wrong = []
    for item in items:
        kinds = sorted({mark.name for mark in item.iter_markers() if mark.name in KINDS})
        if len(kinds) != 1:
            wrong.append(f"{item.nodeid} has {', '.join(kinds) if kinds else 'no kind'}")
    if wrong:
        raise pytest.UsageError(
            f"every test must carry exactly one of the markers {', '.join(KINDS)} "
            "(a module-level `pytestmark = pytest.mark.<kind>`, or a mark on the test):\n  "
            + "\n  ".join(wrong)
        )

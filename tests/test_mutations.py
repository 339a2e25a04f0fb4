"""Attack the data: every kind of corruption must be caught, naming the right file, row and column."""

from __future__ import annotations

import pytest

from iran_palestine_data import validate

from helpers import copy_dataset
from mutations import MUTATIONS

pytestmark = pytest.mark.integration


def caught(tmp_path, name):
    root = copy_dataset(tmp_path / name.replace(" ", "_").replace(".", "_"))
    expect = MUTATIONS[name](root)
    report = validate(root)
    return expect, report, any(expect.matches(i) for i in report.issues)


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_mutation_is_caught_where_it_was_made(tmp_path, name):
    expect, report, ok = caught(tmp_path, name)
    assert not report.valid, f"{name}: the validator accepted the corrupted data"
    assert ok, f"{name}: expected an issue at {expect}, got:\n" + "\n".join(map(str, report.issues[:10]))


def test_catch_rate_is_total(tmp_path_factory, request):
    assert len(MUTATIONS) >= 30
    missed = []
    for name in MUTATIONS:
        _, _, ok = caught(tmp_path_factory.mktemp("m"), name)
        if not ok:
            missed.append(name)
    rate = (len(MUTATIONS) - len(missed)) / len(MUTATIONS)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    line = f"mutation catch rate: {len(MUTATIONS) - len(missed)}/{len(MUTATIONS)} = {rate:.0%}"
    if reporter:
        reporter.write_line(f"\n{line}" + (f" (missed: {', '.join(missed)})" if missed else ""))
    assert not missed, line

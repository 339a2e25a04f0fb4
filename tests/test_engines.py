"""The fast engine and the reference engine (frictionless) agree on every corruption.

Each kind of the mutation suite is applied to a fresh copy of the dataset; both engines must report
exactly the same issues: same file, row, column, value, rule and message.
"""

from __future__ import annotations

import pytest

from iran_palestine_data import validate
from iran_palestine_data.contract.schema import package
from iran_palestine_data.validation.schema_checks import SUPPORTED, unsupported

from helpers import copy_dataset
from mutations import MUTATIONS


def _issues(report) -> list[tuple]:
    return [(i.file, i.row, i.column, i.value, i.rule, i.message) for i in report.issues]


@pytest.mark.integration
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_both_engines_give_the_same_issues(tmp_path, name):
    root = copy_dataset(tmp_path / "d")
    MUTATIONS[name](root)
    fast, reference = validate(root, engine="fast"), validate(root, engine="reference")
    assert not fast.valid
    only_fast = sorted(set(_issues(fast)) - set(_issues(reference)), key=str)
    only_reference = sorted(set(_issues(reference)) - set(_issues(fast)), key=str)
    assert not only_fast and not only_reference, (
        f"{name}:\nonly fast: "
        + "\n".join(map(str, only_fast))
        + "\nonly reference: "
        + "\n".join(map(str, only_reference))
    )
    assert _issues(fast) == _issues(reference)  # and in the same order


@pytest.mark.integration
def test_engines_agree_on_the_shipped_dataset():
    assert validate(engine="fast").valid and validate(engine="reference").valid


@pytest.mark.unit
def test_every_schema_feature_is_checked_by_the_fast_engine():
    pkg = package()
    assert not list(unsupported(pkg))
    used = {(f.type, c) for t in pkg.tables.values() for f in t.fields for c in f.constraints}
    assert all(c in SUPPORTED[t] for t, c in used)


@pytest.mark.unit
def test_an_unsupported_constraint_is_reported_not_skipped(dataset):
    import json

    path = dataset / "schemas/events.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][1].setdefault("constraints", {})["jsonSchema"] = {"type": "string"}
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    # held to its own new contract, the folder's schema is checked: the constraint is reported
    issues = [i for i in validate(dataset, contract=dataset).issues if i.rule == "descriptor"]
    assert any("jsonSchema" in i.message and "engine='reference'" in i.message for i in issues)
    # held to the installed contract, the edited schema is itself the problem, named by field
    changed = [i for i in validate(dataset).issues if i.rule == "contract"]
    assert any(i.file == "schemas/events.schema.json" and "constraints" in i.message for i in changed), (
        changed
    )


@pytest.mark.unit
def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        validate(engine="turbo")

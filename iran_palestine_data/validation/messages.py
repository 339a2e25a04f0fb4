"""How a broken Table Schema promise is told: one builder per kind of problem, shared by both
engines (the fast one calls them directly, the reference one translates frictionless's errors
through them), so that both word every problem alike (``tests/test_engines.py``).
"""

from __future__ import annotations

from .. import rulebook as rule
from ..contract.schema import Package, Table
from ..errors import Issue
from ..paths import DESCRIPTOR

# the words for each bound constraint (the fast engine pairs each with its pyarrow comparison)
BOUND_WORDS = {
    rule.MINIMUM: "below the minimum",
    rule.MAXIMUM: "above the maximum",
    rule.EXCLUSIVE_MINIMUM: "not above the exclusive minimum",
    rule.EXCLUSIVE_MAXIMUM: "not below the exclusive maximum",
}


def constraint_issue(tbl: Table, row: int | None, column: str, value: str | None, name: str) -> Issue:
    """A cell that breaks the named constraint of its field."""
    rel, field = tbl.path, tbl.field(column) if column in tbl.field_names else None
    limit = field.constraints.get(name) if field is not None else None
    if name == rule.REQUIRED:
        return Issue(rel, rule.REQUIRED, "is empty, but the column is required", row=row, column=column)
    if name == rule.ENUM and field is not None:
        allowed = [str(v) for v in field.enum or ()]
        shown = (
            ", ".join(allowed)
            if len(allowed) <= 30
            else f"one of the {len(allowed)} codes listed in {tbl.schema_path}"
        )
        return Issue(
            rel,
            rule.ENUM,
            f"is not in the {column} vocabulary ({shown})",
            row=row,
            column=column,
            value=value,
        )
    if name == rule.PATTERN and field is not None:
        rule_id = rule.ID_PATTERN if tbl.id_field == column else rule.PATTERN
        return Issue(rel, rule_id, f"does not match the pattern {limit}", row=row, column=column, value=value)
    if name in BOUND_WORDS:
        return Issue(rel, name, f"is {BOUND_WORDS[name]} {limit}", row=row, column=column, value=value)
    if name in (rule.MIN_LENGTH, rule.MAX_LENGTH):
        unit = "items" if field is not None and field.type == "list" else "characters"
        return Issue(
            rel,
            name,
            f"is {'shorter' if name == rule.MIN_LENGTH else 'longer'} than {limit} {unit}",
            row=row,
            column=column,
            value=value,
        )
    return Issue(rel, name, f"breaks the constraint {name} = {limit!r}", row=row, column=column, value=value)


def duplicate_issue(
    tbl: Table, row: int | None, column: str | None, value: str | None, earlier: int | None
) -> Issue:
    """A value repeated in a unique column (for the id column: a duplicate id)."""
    first = f" of row {earlier}" if earlier else ""
    if column == tbl.id_field:
        return Issue(
            tbl.path, rule.DUPLICATE_ID, f"repeats the id{first}", row=row, column=column, value=value
        )
    return Issue(
        tbl.path,
        rule.UNIQUE,
        f"repeats the value{first}; the column must be unique",
        row=row,
        column=column,
        value=value,
    )


def primary_key_issue(tbl: Table, row: int | None, values: list[str], earlier: int | None) -> Issue:
    """A row that repeats the primary key of an earlier row, or leaves it empty."""
    if len(tbl.primary_key) == 1:
        if not any(values):
            return constraint_issue(tbl, row, tbl.primary_key[0], None, rule.REQUIRED)
        return duplicate_issue(tbl, row, tbl.primary_key[0], values[0], earlier)
    columns = ", ".join(tbl.primary_key)
    if not any(values):
        return Issue(
            tbl.path,
            rule.PRIMARY_KEY,
            f"leaves every column of the primary key ({columns}) empty",
            row=row,
            column=columns,
        )
    first = f" of row {earlier}" if earlier else ""
    return Issue(
        tbl.path,
        rule.PRIMARY_KEY,
        f"repeats the primary key ({columns}){first}",
        row=row,
        column=columns,
        value=",".join(values),
    )


def foreign_key_issue(
    pkg: Package, tbl: Table, row: int | None, fields, values: list, target: str, ref_fields
) -> Issue:
    """A value (or tuple of values) not found among the referenced rows."""
    other = pkg.tables.get(target) if target else tbl
    target_path = other.path if other else target
    ref = ", ".join(ref_fields)
    article = "an" if ref[0] in "aeiou" else "a"
    return Issue(
        tbl.path,
        rule.FOREIGN_KEY,
        f"is not {article} {ref} in {target_path}",
        row=row,
        column=", ".join(fields),
        value=", ".join(str(v) for v in values),
    )


def blank_row_issue(tbl: Table, row: int | None) -> Issue:
    return Issue(tbl.path, rule.BLANK_ROW, "is completely blank; delete it or fill it in", row=row)


def count_issue(tbl: Table, what: str, expected, actual) -> Issue:
    """The file's hash or size differs from the descriptor's record."""
    return Issue(
        tbl.path,
        what,
        f'does not match the {what} recorded in {DESCRIPTOR}: expected is "{expected}" and actual is "{actual}" '
        "(after a deliberate change run `iran-palestine-data release refresh`)",
    )

"""``validate``: every rule the data promises, one line per problem, or a JSON report."""

from __future__ import annotations

import typer

from .common import PathArg, err, out


def validate(
    path: PathArg = None,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    engine: str = typer.Option(
        "fast", "--engine", help="fast (vectorised) or reference (frictionless); same verdicts."
    ),
) -> None:
    """Check the dataset against every rule it promises. Exit code 1 if anything fails."""
    from ..validation.validator import ENGINES
    from ..validation.validator import validate as run

    if engine not in ENGINES:
        err.print(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", markup=False)
        raise typer.Exit(2)
    report = run(path, engine=engine)
    if as_json:
        print(report.to_json())
    else:
        for issue in report.issues:
            out.print(str(issue), markup=False)
        rows = sum(report.checked.values())
        if report.valid:
            out.print(f"[green]valid[/green]: {len(report.checked)} tables, {rows} rows, every rule passed")
        else:
            out.print(
                f"[red]invalid[/red]: {len(report.issues)} problem(s) in {len(report.checked)} tables, {rows} rows"
            )
    raise typer.Exit(0 if report.valid else 1)

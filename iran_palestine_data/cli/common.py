"""What every command shares: the two consoles, the dataset options, and how a command fails.

Everything printed from the data goes through ``markup=False`` or a Rich ``Text``, never as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

PathArg = Annotated[
    Optional[Path],
    typer.Argument(help="Dataset directory (or its datapackage.json); default: the installed data."),
]
PathOption = Annotated[
    Optional[Path], typer.Option("--path", help="Dataset directory; default: the installed data.")
]


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` as an error and end the command with exit ``code``."""
    err.print("[red]error:[/red] ", end="")
    err.print(message, markup=False)
    raise typer.Exit(code)

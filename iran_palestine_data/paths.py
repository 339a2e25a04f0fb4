"""Where the data lives: inside an installed wheel, or at the root of a checkout.

Ground floor: imports nothing of the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DESCRIPTOR = "datapackage.json"


def data_path() -> Path:
    """Return the directory that holds ``datapackage.json``, ``csv/``, ``schemas/`` and ``sources/``.

    A wheel carries the data inside the package (``iran_palestine_data/data``); an editable
    install or a plain checkout keeps it at the repository root, one level above the package.

    Examples
    --------
    >>> from iran_palestine_data import data_path
    >>> (data_path() / "datapackage.json").is_file()
    True
    """
    package_dir = Path(str(files("iran_palestine_data")))
    for candidate in (package_dir / "data", package_dir.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise FileNotFoundError(
        f"no {DESCRIPTOR} found in {package_dir / 'data'} (installed wheel) "
        f"or {package_dir.parent} (checkout); is the package installed correctly?"
    )


def resolve_root(root: str | Path | None) -> Path:
    """The dataset directory to use: ``root`` if given (a directory or its datapackage.json), else the shipped data."""
    if root is None:
        return data_path()
    path = Path(root)
    return path.parent if path.name == DESCRIPTOR else path

"""Where the data lives (inside an installed wheel, or at the root of a checkout), and the one way
to open a file that a dataset folder names.

The folder under test may be hostile: a path it names is opened only if it is relative, stays inside
the folder once symbolic links are resolved, and names a regular file no larger than the size cap
(``IRAN_PALESTINE_DATA_MAX_FILE_BYTES``, default 4 GiB). A FIFO, a device, a folder, a link out of the
folder, an absolute, ``../`` or remote path (``https://...``) is refused with an issue of the rule
``path`` before anything reads it, so nothing hangs, reads outside the folder or touches the network.

Imports only the ground floor (``errors``, ``rulebook``).
"""

from __future__ import annotations

import os
import re
import stat
from functools import lru_cache
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from . import rulebook as rule
from .errors import DataError, Issue

DESCRIPTOR = "datapackage.json"
MAX_BYTES_VARIABLE = "IRAN_PALESTINE_DATA_MAX_FILE_BYTES"
DEFAULT_MAX_BYTES = 4 << 30
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:", re.ASCII)  # https:, file:, s3:, C: ...


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


def max_file_bytes() -> int:
    """The size cap of a file the package reads: ``IRAN_PALESTINE_DATA_MAX_FILE_BYTES`` if set to a
    positive integer, else 4 GiB."""
    value = os.environ.get(MAX_BYTES_VARIABLE, "")
    return (
        int(value) if re.fullmatch(r"[0-9]{1,18}", value, re.ASCII) and int(value) > 0 else DEFAULT_MAX_BYTES
    )


def path_problem(rel: object) -> str | None:
    """Why ``rel`` cannot name a file of a dataset folder (None if its form is fine): it must be a
    relative POSIX path without ``..``, a scheme or a drive."""
    if not isinstance(rel, str) or not rel.strip():
        return "is not a path (a non-empty text is needed)"
    if "\x00" in rel or "\\" in rel:
        return "holds a NUL or a backslash; paths are relative POSIX paths such as csv/events.csv"
    if _SCHEME.match(rel):
        return "is a URL or a drive path; only files inside the dataset folder are read, never the network"
    pure = PurePosixPath(rel)
    if pure.is_absolute():
        return "is an absolute path; paths are relative to the dataset folder"
    if ".." in pure.parts:
        return "goes up out of the dataset folder (..)"
    return None


def _refuse(rel: object, message: str) -> DataError:
    return DataError([Issue(str(rel), rule.PATH, message)])


@lru_cache(maxsize=64)
def _real_folder(root: str) -> str:
    return os.path.realpath(root)


def _opened_path(fd: int, fallback: str) -> str:
    """Where the open file ``fd`` really is: the kernel's own answer where it gives one (Linux), so
    that what is checked is what was opened; else the path resolved."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return os.path.realpath(fallback)


def open_inside(root: str | Path, rel: str) -> BinaryIO:
    """Open the file ``rel`` of the dataset folder ``root`` for reading, after the checks above.

    Raises :class:`DataError` (rule ``path``; rule ``file`` when it is missing). The file is opened
    without blocking (a FIFO is found out at once instead of waiting for a writer), then checked:
    where it really is, what kind of file it is and how big.
    """
    problem = path_problem(rel)
    if problem:
        raise _refuse(rel, problem)
    folder = _real_folder(str(Path(root).absolute()))
    full = os.path.join(folder, rel)
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise DataError([Issue(rel, rule.FILE, "is missing")]) from None
    except OSError as exc:  # a loop of symbolic links, a path through a file, no permission ...
        raise _refuse(rel, f"cannot be opened ({exc.strerror or exc.__class__.__name__})") from None
    try:
        where = _opened_path(fd, full)
        if os.path.commonpath([where, folder]) != folder:
            raise _refuse(rel, "leads outside the dataset folder (through a symbolic link?)")
        info = os.fstat(fd)
        cap = max_file_bytes()
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(rel, "is not a regular file (a FIFO, a device or a folder)")
        if info.st_size > cap:
            raise _refuse(
                rel, f"is {info.st_size} bytes, over the cap of {cap} (set {MAX_BYTES_VARIABLE} to change it)"
            )
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_inside(root: str | Path, rel: str) -> bytes:
    """The bytes of the file ``rel`` of the dataset folder ``root`` (see :func:`open_inside`). A file
    that changes size while it is read is refused too."""
    with open_inside(root, rel) as fh:
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(size + 1)
    if len(data) != size:
        raise _refuse(rel, f"changed while it was read ({size} bytes, then {len(data)})")
    return data

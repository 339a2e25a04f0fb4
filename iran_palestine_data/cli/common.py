"""What every command shares: the two consoles, the dataset options, how a command fails, and how
anything from the data is printed safely.

The data is contributed by people who may be hostile, and a terminal obeys what it is sent: an escape
sequence can recolour, retitle or clear the screen or hide a hyperlink, a carriage return or a bidi
override can make a line say something it does not. So every value from the data, and every message
built from one, goes to the terminal through :func:`escape` (a ``str``), :func:`safe` (a Rich ``Text``:
never parsed as markup, also in table cells), :func:`write_lines` (the fast path for many lines) or
:func:`write_json` (JSON text); never as Rich markup, and never raw.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from pathlib import Path
from typing import Annotated, Iterable, NoReturn, Optional, TextIO

import typer
from rich.console import Console
from rich.text import Text

# emoji=False: a value such as ":thumbs_up:" is printed as it is written, not as an emoji
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

PathArg = Annotated[
    Optional[Path],
    typer.Argument(help="Dataset directory (or its datapackage.json); default: the installed data."),
]
PathOption = Annotated[
    Optional[Path], typer.Option("--path", help="Dataset directory; default: the installed data.")
]
VersionOption = Annotated[
    Optional[str],
    typer.Option(
        "--version",
        help="A released version of the dataset (see `iran-palestine-data versions`), rebuilt from the "
        "release store inside the package; default: the installed data.",
    ),
]


def at_version(version: str | None, path: Path | None) -> Path | None:
    """The folder that holds ``version`` of the data at ``path`` (``path`` itself without a version);
    an unknown version ends the command with exit 2 and the versions there are."""
    if version is None:
        return path
    from ..contract.published import version_root

    try:
        found = version_root(version, path)
    except KeyError as exc:
        fail(str(exc.args[0]), 2)
    return None if found is None else Path(found)


# The characters that never reach a terminal raw: the C0 and C1 controls and DEL (Cc: escape
# sequences, BEL, backspace, CR ...), the format characters (Cf: bidi overrides and isolates, marks,
# zero-width spaces, tags), lone surrogates (Cs) and the line and paragraph separators (Zl, Zp).
# Kept: the zero-width non-joiner and joiner, which Persian words and emoji sequences need, and every
# letter, mark, symbol and space (a no-break space prints as itself).
_JOINERS = "\u200c\u200d"
_FIXED = "\x7f-\x9f\u2028\u2029\ud800-\udfff"


@functools.lru_cache(maxsize=None)
def _format_characters() -> str:
    """The format characters (Cf) as a regex class body, read from this Python's Unicode database.

    They all lie in planes 0, 1 and 14; built once, and only when non-ASCII text needs a look.
    """
    codes = [
        c
        for block in (range(0x20000), range(0xE0000, 0xE1000))
        for c in block
        if unicodedata.category(chr(c)) == "Cf" and chr(c) not in _JOINERS
    ]
    spans: list[list[int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in spans)


@functools.lru_cache(maxsize=None)
def _unsafe(keep: str = "", *, ascii: bool = False) -> re.Pattern[str]:
    """The characters :func:`escape` shows as escapes, but those in ``keep``; ``ascii``: for text known
    to be ASCII (no need to read the Unicode database)."""
    body = "\x00-\x1f" + ("\x7f" if ascii else _FIXED + _format_characters())
    pattern = f"[{body}]"
    if keep:
        pattern = f"(?![{re.escape(keep)}]){pattern}"
    return re.compile(pattern)


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def escape(value: object, *, keep: str = "") -> str:
    """``str(value)`` with every character that could drive a terminal shown as a visible escape.

    ESC becomes ``\\x1b``, a bidi override ``\\u202e``, a carriage return ``\\r``, as in
    :func:`iran_palestine_data.errors.show_value`; letters of every script print as themselves.
    Backslashes are left alone, so a line that was escaped once (an issue's value) is not escaped
    again and reads exactly as ``str(issue)`` does. ``keep`` names characters to pass through (``"\\n"``
    for text of several lines). Rich markup is not touched here: print the result with ``markup=False``,
    or use :func:`safe`.
    """
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the common case, at C speed
        return text
    return _unsafe(keep, ascii=text.isascii()).sub(_escaped, text)


def safe(value: object, style: str = "") -> Text:
    """A data value as a Rich ``Text``: escaped, never read as markup (also as a table cell); None is empty."""
    return Text("" if value is None else escape(value), style=style)


def write_lines(lines: Iterable[str], file: TextIO | None = None, chunk: int = 20_000) -> int:
    """Write one escaped line per item, many at a time: the fast path for millions of lines.

    Returns the number of lines written.
    """
    stream = sys.stdout if file is None else file
    count = 0
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= chunk:
            count += _write_batch(batch, stream)
            batch = []
    if batch:
        count += _write_batch(batch, stream)
    stream.flush()
    return count


def _write_batch(batch: list[str], stream: TextIO) -> int:
    text = "\n".join(batch)
    if text.count("\n") != len(batch) - 1 or not _clean(text):  # a line to escape (or a no-break space)
        text = "\n".join(escape(line) for line in batch)
    stream.write(text)
    stream.write("\n")
    return len(batch)


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"


def _clean(text: str) -> bool:
    """Whether ``text`` holds nothing to escape but line breaks (a no-break space counts as something):
    a fast look for the megabytes of many lines."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.replace("\n", "").isprintable()


def _json_escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a UTF-16 surrogate pair, as JSON writes characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(text: str) -> str:
    """JSON text with the characters that could drive a terminal written as ``\\uXXXX`` escapes.

    ``json.dumps`` escapes the C0 controls but writes DEL, the C1 controls (U+009B is a CSI), bidi
    overrides and lone surrogates raw when ``ensure_ascii=False``. Outside its strings, the JSON text of
    this package holds only printable ASCII and line breaks, so escaping them anywhere leaves the same
    document: it parses to the same values.
    """
    if _clean(text):  # the common case, at C speed
        return text
    return _unsafe("\n", ascii=text.isascii()).sub(_json_escaped, text)


def write_json(text: str, file: TextIO | None = None) -> None:
    """Print a JSON document (see :func:`json_text`) and a newline, as ``print`` would."""
    stream = sys.stdout if file is None else file
    stream.write(json_text(text))
    stream.write("\n")
    stream.flush()


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` (escaped: it may quote the data) as an error and end the command with exit ``code``."""
    err.print("[red]error:[/red] ", end="")
    err.print(safe(message))
    raise typer.Exit(code)

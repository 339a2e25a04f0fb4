"""The Jinja2 environment (autoescape on, undefined names an error) and the writer of the site's pages.

Every page is rendered from a template in ``templates/`` with ``base`` (the way up to the site's root:
``""`` or ``"../"``), so that every link is relative and the site works from ``file://``. Values are
escaped by Jinja2; the only markup that reaches a template ready-made is what :mod:`.highlight` builds
by escaping each piece, and JSON made by :func:`.safety.script_json`.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"

NAV = (
    ("Home", "index.html"),
    ("Timeline", "timeline.html"),
    ("Events", "tables/events.html"),
    ("Statements", "tables/statements.html"),
    ("Funding claims", "tables/funding_claims.html"),
    ("Actors", "tables/actors.html"),
    ("Sources", "index.html#sources"),
    ("Conflicts", "conflicts.html"),
)


def plain(value: Any) -> str:
    """A cell as words: a date as ``YYYY-MM-DD``, a list joined by ``; ``, a whole number without
    ``.0`` (with thousands separators), a flag as yes/no, nothing as ``""``."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date().isoformat()
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,}"
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return "; ".join(plain(v) for v in value)
    return str(value)


def words(code: Any) -> str:
    """A code or column name as words: ``visit_or_meeting`` → ``visit or meeting``."""
    return plain(code).replace("_", " ")


def edtf_words(edtf: Any) -> str:
    """An EDTF date with an open end or a range in words: ``2024-06-03/..`` → "2024-06-03 or later",
    ``../2015-07`` → "2015-07 or earlier", ``2016/2019`` → "between 2016 and 2019"; others as written,
    nothing as "undated"."""
    text = plain(edtf)
    first, slash, last = text.partition("/")
    if not text:
        return "undated"
    if not slash:
        return text
    if first in ("", "..") and last not in ("", ".."):
        return f"{last} or earlier"
    if last in ("", "..") and first not in ("", ".."):
        return f"{first} or later"
    return f"between {first} and {last}"


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: the site is all HTML and SVG
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plain"] = plain
    env.filters["words"] = words
    env.filters["edtf"] = edtf_words
    env.globals["nav"] = NAV
    return env


class Writer:
    """Renders pages into the site folder being built and keeps count of them."""

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = version
        self.pages: dict[str, int] = {}  # relative path -> bytes

    def page(self, rel: str, template: str, title: str, **context: Any) -> None:
        """Render ``template`` into ``rel`` (a path inside the site such as ``rows/EV-0015.html``)."""
        depth = rel.count("/")
        html = (
            environment()
            .get_template(template)
            .render(base="../" * depth, here=rel, title=title, version=self.version, **context)
        )
        data = html.encode("utf-8")
        path = self.folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.pages[rel] = len(data)

    def assets(self) -> None:
        """Copy the stylesheet and the script into ``assets/``."""
        (self.folder / "assets").mkdir(parents=True, exist_ok=True)
        for name in ("site.css", "site.js"):
            (self.folder / "assets" / name).write_bytes((ASSETS / name).read_bytes())

"""What the site lets through from data that may be hostile: ids that may name a file, URLs that may
become links, and JSON that may stand inside a ``<script>`` element.

Every other value reaches a page through Jinja2's autoescape; nothing from the data is marked safe.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

ROW_ID = re.compile(r"[A-Z]{2}-[0-9]{4}", re.ASCII)  # EV-0015, ST-0201, FC-0213
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*", re.ASCII)  # actor and source ids

_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def row_id_ok(value: object) -> bool:
    """Whether ``value`` may name a row page (``rows/<id>.html``)."""
    return isinstance(value, str) and ROW_ID.fullmatch(value) is not None


def slug_ok(value: object) -> bool:
    """Whether ``value`` may name an actor's or a source's page."""
    return isinstance(value, str) and len(value) <= 100 and SLUG.fullmatch(value) is not None


def web_url(value: object) -> str | None:
    """``value`` if it is an http or https URL with a host (a link may be made of it), else None."""
    if not isinstance(value, str) or not value or not value.isprintable() or " " in value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme in ("http", "https") and parts.netloc else None


def script_json(data: object) -> str:
    """JSON text that can stand inside ``<script>``: ``<``, ``>``, ``&`` and the line separators written
    as ``\\uXXXX`` escapes, so no value can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_UNSAFE[m.group()], text)

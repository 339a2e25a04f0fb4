"""The one writer of the repository's JSON files (datapackage.json, release manifests): 2-space
indent, UTF-8, lists of scalars on one line, written atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..atomic import write_text

_SCALAR_LIST = re.compile(
    r'\[\s*(?:"(?:[^"\\\n]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?)(?:,\s*(?:"(?:[^"\\\n]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?))*\s*\]'
)


def dump_json(obj) -> str:
    """JSON as the repository stores it: 2-space indent, UTF-8, lists of scalars on one line."""
    text = json.dumps(obj, indent=2, ensure_ascii=False)
    return _SCALAR_LIST.sub(lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=False), text) + "\n"


def write_json(path: Path, obj) -> Path:
    """Write ``obj`` to ``path`` as :func:`dump_json` formats it, atomically."""
    return write_text(path, dump_json(obj))

"""The quotes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/), in JSON-LD.

Every row of every table whose schema declares an ``x-quote`` column (actors, events, statements,
funding claims, exclusions) is one ``Annotation``:

* ``id`` — ``urn:uuid:`` with a name-based (version 5) UUID of the dataset version, the table and
  the row id: the same row of the same version always gets the same IRI, and no domain is needed to
  mint it (the dataset has no web address of its own).
* ``motivation`` and ``body`` — our reading of the passage, in our words: a ``TextualBody`` with the
  row's title, summary or description, its id (``dcterms:identifier``) and the table and dataset
  version it belongs to (``dcterms:isPartOf``). Events, statements and funding claims are
  ``describing``; actors ``identifying`` (the passage names the actor); exclusions ``classifying``
  (the passage is classed as a heading, navigation, ...).
* ``target`` — a ``SpecificResource`` whose ``source`` is the snapshot, named by its SHA-256 as an
  RFC 6920 ``ni:///sha-256;...`` URI (a registered URI scheme for naming content by its hash; the
  hex digest is the one in ``csv/sources.csv``), with the source's web address, when one is recorded,
  as the ``scope`` the text was taken from; and two ``selector`` alternatives for the same passage:
  a ``TextQuoteSelector`` (``exact``, and a ``prefix``/``suffix`` of ``CONTEXT`` code points, longer
  where needed for prefix + exact + suffix to occur once in the snapshot) and a
  ``TextPositionSelector`` (``start``, ``end``).

Offsets count Unicode code points of the snapshot decoded from UTF-8 (Python ``str`` indices: not
bytes, not UTF-16 units), from 0, ``end`` exclusive, so ``text[start:end]`` is the quote. A quote that
occurs more than once points at the occurrence its ``quote_occurrence`` names (the schema's
``x-quote`` says which column), as the validator requires.

Exclusions have no id column; their id is ``exclusion:<source_id>:<occurrence>:<12 hex digits of the
quote's SHA-256>`` (their primary key, made short).

The module is not called ``annotations`` so that importing it cannot overwrite the public function
of that name. The export (``export("annotations", DIR)``) is one JSON-LD document, ``annotations.jsonld``: an
``AnnotationCollection`` whose embedded first ``AnnotationPage`` holds every annotation — the W3C
model's own form for a set of annotations.
"""

# no ``from __future__ import annotations`` here: it would bind the name of the public function
# ``annotations`` below (every annotation in this module is valid at run time on Python 3.10)
import base64
import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from .. import rulebook as rule
from ..atomic import write_text
from ..contract.published import short_hash, version_root
from ..contract.schema import Package, Table, package
from ..errors import DataError, Issue, file_row
from ..kernels.substrings import occurrences
from ..paths import read_inside
from ..read.lookup import UnknownIdError, suggest
from ..read.strings import read_strings

CONTEXT_URL = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
FILE_NAME = "annotations.jsonld"
CONTEXT = 32  # code points of prefix and suffix, at least (where the snapshot has them)
EXCLUSIONS = "exclusions"
# the name space of the annotation ids: a version 5 UUID of the package's PyPI address
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://pypi.org/project/iran-palestine-data/")
_MOTIVATION = {"actors": "identifying", EXCLUSIONS: "classifying"}  # every other table: describing
_RETIRED = "retired"


@dataclass(frozen=True)
class _Row:
    id: str
    table: Table
    index: int  # 0-based record
    cells: dict


def exclusion_id(source_id: str, occurrence: int | str, quote: str) -> str:
    """The id an exclusion (which has no id column) is annotated under.

    >>> exclusion_id("enduring-link-palestine-iran", 2, "Historical Roots of a Complex Alliance")
    'exclusion:enduring-link-palestine-iran:2:c1f03a30a6ef'
    """
    return f"exclusion:{source_id}:{occurrence}:{short_hash(quote, 12)}"


def ni_uri(sha256_hex: str) -> str:
    """RFC 6920 name of content by its SHA-256: ``ni:///sha-256;`` and the digest in base64url.

    >>> ni_uri(hashlib.sha256(b"Hello World!").hexdigest())
    'ni:///sha-256;f4OxZX_x_FO5LcGBSKHWXfwtSx-j1ncoSt3SABJtkGk'
    """
    digest = bytes.fromhex(sha256_hex)
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, '/'.join(parts))}"


def _quoted(pkg: Package) -> list[tuple[Table, str, str, str | None]]:
    """Every table with a quote: (table, quote column, source column, occurrence column or None)."""
    out = []
    for tbl in pkg.tables.values():
        for f in tbl.fields:
            spec = f.ext("quote")
            if spec:
                out.append((tbl, f.name, spec["source"], spec.get("occurrence")))
    return out


def _rows(pkg: Package) -> dict[str, _Row]:
    """Every row with a quote, by the id it is annotated under."""
    rows: dict[str, _Row] = {}
    for tbl, quote, source, nth in _quoted(pkg):
        for i, cells in enumerate(read_strings(tbl, root=pkg.root).to_pylist()):
            if tbl.id_field:
                key = cells[tbl.id_field]
            else:
                pin = cells.get(nth or "") or "1"
                key = exclusion_id(
                    cells[source] or "", int(pin) if pin.isdecimal() else pin, cells[quote] or ""
                )
            rows.setdefault(key, _Row(key, tbl, i, cells))
    return rows


class _Snapshots:
    """The sources, and each snapshot's text read once and checked against its recorded SHA-256."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.sources = {s["source_id"]: s for s in read_strings("sources", root=pkg.root).to_pylist()}
        self._texts: dict[str, str] = {}

    def text(self, source_id: str) -> str:
        if source_id not in self._texts:
            src = self.sources[source_id]
            data = read_inside(self.pkg.root, src["snapshot"])
            actual = hashlib.sha256(data).hexdigest()
            if actual != src["sha256"]:
                raise DataError(
                    [
                        Issue(
                            src["snapshot"],
                            rule.SNAPSHOT_SHA256,
                            f"has the SHA-256 {actual}, not the {src['sha256']} recorded for {source_id} "
                            "in csv/sources.csv: an annotation would name a text it does not describe",
                        )
                    ]
                )
            try:
                self._texts[source_id] = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(
                    [Issue(src["snapshot"], rule.ENCODING, f"is not UTF-8 (byte {exc.start})")]
                ) from None
        return self._texts[source_id]


def _problem(row: _Row, column: str, value, rule_id: str, message: str) -> DataError:
    return DataError(
        [Issue(row.table.path, rule_id, message, row=file_row(row.index), column=column, value=value)]
    )


def _span(row: _Row, text: str, quote: str, nth_column: str | None, snapshot: str) -> tuple[int, int]:
    """(start, end) of the occurrence of the quote the row means, in code points."""
    found = occurrences(text, quote)
    if not found:
        raise _problem(row, "quote", quote, rule.QUOTE_VERBATIM, f"is not found verbatim in {snapshot}")
    cell = row.cells.get(nth_column) if nth_column else None
    if not cell:
        # a contract without an occurrence column (releases before 0.5.0) meant the first one
        if len(found) > 1 and nth_column:
            raise _problem(
                row,
                nth_column or "quote",
                None,
                rule.QUOTE_OCCURRENCE,
                f"does not say which of the {len(found)} occurrences of the quote in {snapshot} the row means",
            )
        return found[0], found[0] + len(quote)
    nth = int(cell)
    if not 1 <= nth <= len(found):
        raise _problem(
            row,
            nth_column or "quote",
            cell,
            rule.QUOTE_OCCURRENCE,
            f"names occurrence {nth}, but the quote occurs {len(found)} time(s) in {snapshot}",
        )
    return found[nth - 1], found[nth - 1] + len(quote)


def selectors(text: str, start: int, end: int, context: int = CONTEXT) -> list[dict]:
    """The W3C ``TextQuoteSelector`` and ``TextPositionSelector`` of ``text[start:end]``.

    Prefix and suffix have ``context`` code points (fewer at the ends of the text), doubled until
    prefix + exact + suffix occurs only once in the text, so that the quote selector alone finds the
    passage again.

    >>> quote, position = selectors("a cat, a cat.", 7, 12, context=2)
    >>> quote
    {'type': 'TextQuoteSelector', 'exact': 'a cat', 'prefix': ', ', 'suffix': '.'}
    >>> position
    {'type': 'TextPositionSelector', 'start': 7, 'end': 12}
    """
    width = context
    while True:
        prefix, suffix = text[max(0, start - width) : start], text[end : end + width]
        if len(occurrences(text, prefix + text[start:end] + suffix)) == 1 or (
            len(prefix) == start and len(suffix) == len(text) - end
        ):
            break
        width *= 2
    return [
        {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _words(row: _Row) -> str:
    """What the row says about the passage, in our words."""
    c = row.cells
    if row.table.name == EXCLUSIONS:
        reason = c.get("reason") or ""
        meaning = (row.table.field("reason").ext("enumDescriptions") or {}).get(reason, "")
        text = f"Left uncoded as {reason}" + (f" ({meaning.rstrip('.')})" if meaning else "") + "."
        return text + (f" {c['note']}" if c.get("note") else "")
    if row.table.name == "actors":
        return f"{c.get('name')}: {c.get('description') or ''}".strip()
    return next((c[k] for k in ("title", "summary", "description", "note") if c.get(k)), row.id)


def _annotation(row: _Row, pkg: Package, snapshots: _Snapshots, spec: tuple) -> dict:
    tbl, quote_column, source_column, nth_column = spec
    version, name = pkg.version, pkg.descriptor.get("name", "")
    source_id, quote = row.cells[source_column], row.cells[quote_column]
    src = snapshots.sources.get(source_id)
    if src is None:
        raise _problem(row, source_column, source_id, rule.FOREIGN_KEY, "names no source of csv/sources.csv")
    text = snapshots.text(source_id)
    start, end = _span(row, text, quote, nth_column, src["snapshot"])
    motivation = _MOTIVATION.get(tbl.name, "describing")
    source = {
        "id": ni_uri(src["sha256"]),
        "type": "Text",
        "format": "text/plain",
        "language": src.get("language") or "und",
        "dcterms:identifier": source_id,
        "dcterms:title": src.get("title") or source_id,
    }
    target: dict = {"type": "SpecificResource", "source": source}
    if src.get("url"):
        target["scope"] = src["url"]
    target["selector"] = selectors(text, start, end)
    licences = pkg.descriptor.get("licenses") or [{}]
    out = {
        "@context": CONTEXT_URL,
        "id": _urn(version, tbl.name, row.id),
        "type": "Annotation",
        "motivation": motivation,
        "body": {
            "type": "TextualBody",
            "purpose": motivation,
            "value": _words(row),
            "format": "text/plain",
            "language": "en",
            "dcterms:identifier": row.id,
            "dcterms:isPartOf": {
                "type": "Dataset",
                "dcterms:title": f"{name} {version}, table {tbl.name}",
                "schema:version": version,
            },
        },
        "target": target,
    }
    if licences[0].get("path"):
        out["rights"] = licences[0]["path"]
    return out


def _specs(pkg: Package) -> dict[str, tuple]:
    return {spec[0].name: spec for spec in _quoted(pkg)}


def annotation(id: str, *, version: str | None = None, root: str | Path | None = None) -> dict:
    """The W3C Web Annotation (a JSON-LD dict) of the row ``id`` and its quote.

    ``id`` is a row id (``EV-0415``, ``ST-0001``, an actor's slug) or an exclusion's id (see
    :func:`exclusion_id`). An id that names no row with a quote raises
    :class:`~iran_palestine_data.read.lookup.UnknownIdError`, with the closest ids. ``version``: a
    released version (see ``versions()``), rebuilt from the release store; default the installed data.

    Examples
    --------
    >>> import iran_palestine_data as ipd
    >>> a = ipd.annotation("EV-0415")
    >>> a["type"], a["target"]["selector"][1]["type"]
    ('Annotation', 'TextPositionSelector')
    """
    pkg = package(version_root(version, root))
    rows = _rows(pkg)
    row = rows.get(id)
    if row is None:
        raise _unknown(id, rows, pkg)
    return _annotation(row, pkg, _Snapshots(pkg), _specs(pkg)[row.table.name])


def _unknown(id: str, rows: dict[str, _Row], pkg: Package) -> UnknownIdError:
    if _RETIRED in pkg.tables:
        for r in read_strings(_RETIRED, root=pkg.root).to_pylist():
            if r.get("id") == id:
                reason = f"the id {id!r} was retired in {r.get('retired_in') or 'an earlier release'}"
                return UnknownIdError(
                    id, [r["replaced_by"]] if r.get("replaced_by") else [], reason, "annotation"
                )
    quoted = _specs(pkg)
    for tbl in pkg.tables.values():
        if tbl.id_field and tbl.name != _RETIRED and tbl.name not in quoted:
            if id in read_strings(tbl, root=pkg.root).column(tbl.id_field).to_pylist():
                reason = f"the row {id!r} of {tbl.name} quotes no source, so it has no annotation"
                return UnknownIdError(id, [], reason, "annotation")
    return UnknownIdError(id, suggest(id, list(rows)), "", "annotation")


def annotations(*, version: str | None = None, root: str | Path | None = None) -> list[dict]:
    """The annotation of every row with a quote, table by table in descriptor order, rows in file
    order (each with its own ``@context``); of a released ``version`` if one is given."""
    pkg = package(version_root(version, root))
    snapshots, specs = _Snapshots(pkg), _specs(pkg)
    return [_annotation(row, pkg, snapshots, specs[row.table.name]) for row in _rows(pkg).values()]


def collection(*, root: str | Path | None = None) -> dict:
    """Every annotation as one W3C ``AnnotationCollection``, its first (and only) ``AnnotationPage``
    embedded; the ``@context`` is given once, at the top."""
    pkg = package(root)
    items = []
    for a in annotations(root=pkg.root):
        a.pop("@context")
        items.append(a)
    version = pkg.version
    return {
        "@context": CONTEXT_URL,
        "id": _urn(version, "annotations"),
        "type": "AnnotationCollection",
        "label": f"{pkg.descriptor.get('title', pkg.descriptor.get('name'))}, version {version}: "
        "every quote, where it is in its snapshot",
        "total": len(items),
        "first": {
            "id": _urn(version, "annotations", "page", "1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def write(out: Path, pkg: Package) -> list[Path]:
    """Write ``annotations.jsonld`` (the collection) into the folder ``out``, atomically."""
    path = out / FILE_NAME
    write_text(path, json.dumps(collection(root=pkg.root), ensure_ascii=False, indent=1) + "\n")
    return [path]

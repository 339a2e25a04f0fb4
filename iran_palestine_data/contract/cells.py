"""What a cell of each Table Schema type must look like, and how messages name it.

The lexical forms are strict (frictionless is laxer): the loaders read exactly these, and the
validator's ``type`` rule holds every cell to them. ``[0-9]``, not ``\\d``: Arabic-Indic or fullwidth
digits are not digits here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from .schema import Field

LEXICAL = {
    "number": (r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$", "a number"),
    "integer": (r"^[+-]?[0-9]+$", "an integer"),
    "date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "a date (YYYY-MM-DD)"),
}
FORMAT_WORDS = {"uri": "a URI with a scheme (such as https://…)"}


def type_words(field: Field) -> str:
    """How a message names what a cell of this field must be: 'a number', 'a URI with a scheme …'."""
    fmt = field.descriptor.get("format")
    if fmt in FORMAT_WORDS:
        return FORMAT_WORDS[fmt]
    return (
        LEXICAL[field.type][1]
        if field.type in LEXICAL
        else {"list": "a list", "string": "text"}.get(field.type, field.type)
    )


def is_uri(text: str | None) -> bool:
    """True for an RFC 3986 URI with a scheme: frictionless's test for ``"format": "uri"``."""
    import rfc3986
    from rfc3986.exceptions import ValidationError

    if text is None:
        return False
    try:
        rfc3986.validators.Validator().require_presence_of("scheme").validate(rfc3986.uri_reference(text))
    except ValidationError:
        return False
    return True


def uri_flags(col: pa.Array | pa.ChunkedArray) -> pa.Array:
    """For each cell, whether it is a URI (:func:`is_uri`); null where the cell is empty. Each
    distinct value is tested once."""
    import pyarrow as pa

    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    encoded = col.dictionary_encode()
    good = pa.array([is_uri(v) for v in encoded.dictionary.to_pylist()], pa.bool_())
    return good.take(encoded.indices)

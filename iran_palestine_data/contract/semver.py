"""Dataset versions: semantic versions (``MAJOR.MINOR.PATCH``, an optional ``-pre-release``), one
pattern for the validator and for ``release bump``, and their order."""

from __future__ import annotations

import re

SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?$", re.ASCII)


def is_version(text: object) -> bool:
    return isinstance(text, str) and SEMVER.match(text) is not None


def version_key(text: str) -> tuple:
    """Sort key of a version: numbers numerically, and a pre-release before its release."""
    m = SEMVER.match(text)
    if m is None:
        raise ValueError(f"{text!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    major, minor, patch, pre = m.groups()
    return int(major), int(minor), int(patch), pre is None, pre or ""

"""Cut a release: set the version in every place that declares it, refresh hash and bytes, and
add the release to the release store.

A release (see README, "Releasing"): write the CHANGELOG entry from ``iran-palestine-data diff
<last version> .``, then ``iran-palestine-data release bump X.Y.Z --date YYYY-MM-DD``, which sets the
version in pyproject.toml, datapackage.json and CITATION.cff, refreshes hash/bytes and adds the
release to the store (:mod:`.store`): its manifest ``releases/X.Y.Z.json``, its CHANGELOG entry, and
the rows and files the store did not hold yet.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import rulebook as rule
from ..atomic import write_text
from ..contract.published import released_versions
from ..contract.schema import read_json
from ..contract.semver import is_version
from ..errors import DataError
from ..paths import DESCRIPTOR, read_inside, resolve_root
from .hashes import refresh
from .jsonfile import write_json
from .store import add_release, changelog_entry


class ReleaseError(RuntimeError):
    """A release step that cannot proceed; the message says what to do."""


def versions(root: str | Path | None = None) -> dict[str, str | None]:
    """The version each place declares: pyproject.toml, datapackage.json, CITATION.cff, CHANGELOG.md."""
    base = resolve_root(root)

    def find(rel: str, pattern: str) -> str | None:
        text = _text(base, rel)
        m = re.search(pattern, text, re.M) if text is not None else None
        return m.group(1) if m else None

    return {
        "pyproject.toml": find("pyproject.toml", r'^version = "([^"]+)"'),
        "datapackage.json": read_json(base, DESCRIPTOR).get("version"),
        "CITATION.cff": find("CITATION.cff", r"^version: ['\"]?([^'\"\s]+)"),
        "CHANGELOG.md": find("CHANGELOG.md", r"^## ([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)"),
    }


def _text(base: Path, rel: str) -> str | None:
    """A text file of the folder, read safely (:func:`~iran_palestine_data.paths.read_inside`), or
    None if there is none."""
    try:
        return read_inside(base, rel).decode("utf-8")
    except DataError as exc:
        if all(i.rule == rule.FILE for i in exc.issues):
            return None
        raise


_CITE_EXAMPLE = re.compile(r"(iran-palestine-data v)[0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?\b", re.ASCII)


def _cite_example(text: str, version: str) -> str:
    """The text with every example citation ("iran-palestine-data v1.2.3, EV-0012") naming ``version``."""
    return _CITE_EXAMPLE.sub(lambda m: m.group(1) + version, text)


def bump(version: str, *, date: str, root: str | Path | None = None) -> list[str]:
    """Set ``version`` everywhere at once, refresh hash/bytes, and add the release to the store.

    The CHANGELOG's top entry must already be ``## <version> — <date>`` (write it first, from
    ``iran-palestine-data diff``): a release without its entry is refused.
    """
    if not is_version(version):
        raise ReleaseError(f"{version!r} is not MAJOR.MINOR.PATCH")
    base = resolve_root(root)
    top = versions(base)["CHANGELOG.md"]
    if version in released_versions(base):
        raise ReleaseError(
            f"version {version} is already released; a published version never changes, so bump to a new one"
        )
    if top != version:
        raise ReleaseError(
            f"CHANGELOG.md's top entry is {top!r}; add '## {version} — {date}' with the release notes first"
        )
    pyproject = _text(base, "pyproject.toml")
    if pyproject is not None:
        text = re.sub(r'^version = "[^"]+"', f'version = "{version}"', pyproject, count=1, flags=re.M)
        write_text(base / "pyproject.toml", text)
    text = read_inside(base, "CITATION.cff").decode("utf-8")
    cff = base / "CITATION.cff"
    text = re.sub(r"^version: .*$", f"version: {version}", text, count=1, flags=re.M)
    text = re.sub(r"^date-released: .*$", f'date-released: "{date}"', text, count=1, flags=re.M)
    write_text(cff, _cite_example(text, version))
    datasheet = _text(base, "docs/datasheet.md")
    if datasheet is not None:
        write_text(base / "docs" / "datasheet.md", _cite_example(datasheet, version))
    descriptor = read_json(base, DESCRIPTOR)
    descriptor["version"] = version
    write_json(base / DESCRIPTOR, descriptor)
    refresh(base)
    changelog = _text(base, "CHANGELOG.md") or ""
    add_release(version, date, base, notes=changelog_entry(changelog, version))
    return [k for k, v in versions(base).items() if v == version]

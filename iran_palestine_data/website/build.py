"""``site()``: build the static site into a folder, and the report of what was built.

The site is built whole into a temporary folder beside the target, then swapped in for it with renames,
so that a reader never sees half a site and a failed build leaves the old one whole. A folder that is
neither empty nor a site built here before (it has no ``SITE_MARK`` file) is never replaced.

Size budget, measured on version 0.5.0 (344 pages: 6.7 MB of pages, the largest the timeline at 112 KB,
a row page 15–37 KB; 1.2 MB of downloads, 0.86 MB of it the SQLite database). Every row page carries
the full text of its source (3–18 KB, some 2.4 MB over the 251 row pages) and every column's
description (some 5 KB a page), so the pages cannot hold to 3 MB in all: they are held to
``PAGES_BUDGET`` together and ``PAGE_BUDGET`` each, the downloads to ``DOWNLOADS_BUDGET``, each with
about a tenth to spare. A budget that no longer holds is raised on purpose, with the reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..contract.published import version_root
from . import detail_pages, pages
from .collect import collect
from .downloads import build as build_downloads
from .render import Writer

PAGE_BUDGET = 300_000  # bytes, any one page
PAGES_BUDGET = 7_500_000  # bytes, every page together (HTML, CSS and JS)
DOWNLOADS_BUDGET = 1_400_000  # bytes, the downloads together
SITE_MARK = ".iran-palestine-data-site"  # a folder holding it was built by site(): it may be replaced


@dataclass
class SiteReport:
    """What :func:`site` built: where, how many pages and files, their bytes, the largest page, and
    what was left out (an id that cannot name a file, a file that cannot be read)."""

    out: Path
    pages: int
    files: int
    bytes: int  # every file
    page_bytes: int  # the HTML pages, the stylesheet and the script
    download_bytes: int
    largest_page: tuple[str, int]
    skipped: list[str] = field(default_factory=list)

    @property
    def within_budget(self) -> bool:
        return (
            self.largest_page[1] <= PAGE_BUDGET
            and self.page_bytes <= PAGES_BUDGET
            and self.download_bytes <= DOWNLOADS_BUDGET
        )

    def lines(self) -> list[str]:
        name, size = self.largest_page
        out = [
            f"site written to {self.out}",
            f"{self.pages} pages, {self.files} files, {self.bytes:,} bytes",
            f"pages {self.page_bytes:,} bytes (budget {PAGES_BUDGET:,}), downloads {self.download_bytes:,} bytes "
            f"(budget {DOWNLOADS_BUDGET:,})",
            f"largest page {name}: {size:,} bytes (budget {PAGE_BUDGET:,})",
        ]
        out += [f"skipped {line}" for line in self.skipped]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _swap(built: Path, target: Path) -> None:
    """Put the folder ``built`` in the place of ``target`` (renamed away first, then removed)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
        os.replace(target, old / "site")
    try:
        os.replace(built, target)
    except BaseException:
        if old is not None:
            os.replace(old / "site", target)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is not a folder; name a folder for the site")
    if target.is_dir() and any(target.iterdir()) and not (target / SITE_MARK).is_file():
        raise FileExistsError(
            f"{target} holds files that are not a site built by iran-palestine-data; "
            "name an empty or new folder (a site built here before is replaced)"
        )


def _write(
    folder: Path, root: Path | None, history_root: Path | None
) -> tuple[Writer, list[dict], list[str]]:
    data = collect(root, history_root=history_root)
    downloads = build_downloads(folder / "downloads", data.pkg, data.skipped)
    w = Writer(folder, data.version)
    w.assets()
    pages.home(w, data, downloads)
    pages.timeline(w, data)
    pages.tables(w, data)
    pages.conflicts(w, data)
    for row in data.rows.values():
        detail_pages.row_page(w, data, row)
    for source_id in data.sources:
        detail_pages.source_page(w, data, source_id)
    for actor_id in data.actors:
        detail_pages.actor_page(w, data, actor_id)
    (folder / SITE_MARK).write_text(f"iran-palestine-data site, version {data.version}\n", encoding="utf-8")
    return w, downloads, data.skipped


def site(out: str | Path, *, root: str | Path | None = None, version: str | None = None) -> SiteReport:
    """Build the static site of the dataset into the folder ``out``: plain HTML, CSS and JS that work
    from ``file://`` and any static host, with no request to another host.

    ``root``: a dataset folder (default: the installed data); ``version``: a released version, rebuilt
    from the release store (``KeyError`` for one there is not). ``out`` is created, or replaced if it
    holds a site built before; a folder holding anything else is refused (``FileExistsError``).

    Examples
    --------
    >>> import iran_palestine_data as ipd
    >>> print(ipd.site("build/site"))  # doctest: +SKIP
    """
    target = Path(out).absolute()
    _check_target(target)
    data_root = version_root(version, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-"))
    try:
        folder.chmod(0o755)
        history_root = None if root is None else Path(root)
        w, downloads, skipped = _write(folder, None if data_root is None else Path(data_root), history_root)
        _swap(folder, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    files = [p for p in target.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    download_bytes = sum(d["bytes"] for d in downloads)
    largest = max(w.pages.items(), key=lambda kv: kv[1])
    assets = sum((target / "assets" / n).stat().st_size for n in ("site.css", "site.js"))
    return SiteReport(
        out=target,
        pages=len(w.pages),
        files=len(files),
        bytes=total,
        page_bytes=sum(w.pages.values()) + assets,
        download_bytes=download_bytes,
        largest_page=largest,
        skipped=list(skipped),
    )

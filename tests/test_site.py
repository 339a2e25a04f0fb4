"""The static site (``iran-palestine-data site``, ``ipd.site``): built once per module from the shipped
data through the command line, then crawled: the pages there should be, every link and ``src``
resolving inside the site (fragments included), no request to another host, each row's quote marked
in its source's text, escaping of hostile values, the size budget, and a released version.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

import iran_palestine_data as ipd
from iran_palestine_data.cli.app import app
from iran_palestine_data.website.build import DOWNLOADS_BUDGET, PAGE_BUDGET, PAGES_BUDGET, SITE_MARK

from helpers import copy_dataset, set_cell

pytestmark = pytest.mark.integration

ROW_TABLES = {"events": "event_id", "statements": "statement_id", "funding_claims": "claim_id"}


def csv_rows(root: Path, table: str) -> list[dict]:
    folder = "curation" if table == "exclusions" else "csv"
    with (root / folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Page(HTMLParser):
    """What the tests read of a page: its links and sources, its ids, its text by element, its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()
        self.tags: list[str] = []
        self.h1 = 0
        self.lang = ""
        self.scripts: list[tuple[dict, str]] = []
        self.mark: list[str] | None = None  # the text inside <mark id="quote">, while and after reading it
        self._depth = 0  # open elements inside the mark
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for name in ("href", "src"):
            if a.get(name) is not None:
                self.refs.append((tag, name, a[name]))
        if a.get("id"):
            self.ids.add(a["id"])
        self.h1 += tag == "h1"
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        if tag == "mark" and a.get("id") == "quote":
            self.mark, self._depth = [], 1
        elif self._depth:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._depth and self.mark is not None:
            self.mark.append(data)
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site of the shipped data, built through the command line: (folder, its output)."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(app, ["site", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def pages(built) -> dict[str, Page]:
    out, _ = built
    return {p.relative_to(out).as_posix(): parse(p) for p in sorted(out.rglob("*.html"))}


def test_the_command_builds_the_site_and_prints_the_report(built):
    out, output = built
    assert f"site written to {out}" in output
    assert re.search(r"^\d+ pages, \d+ files, [\d,]+ bytes$", output, re.M)
    assert "largest page " in output and "skipped" not in output
    assert (out / "index.html").is_file() and (out / SITE_MARK).is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".site.")]  # no temporary folder left


def test_one_page_per_row_source_and_actor(root, pages):
    rows = [r[key] for table, key in ROW_TABLES.items() for r in csv_rows(root, table)]
    sources = [r["source_id"] for r in csv_rows(root, "sources")]
    actors = [r["actor_id"] for r in csv_rows(root, "actors")]
    assert len(pages) == 1 + 1 + 4 + len(rows) + len(sources) + len(actors) + 1
    assert {f"rows/{i}.html" for i in rows} | {f"sources/{s}.html" for s in sources} <= set(pages)
    assert {f"actors/{a}.html" for a in actors} | {"index.html", "timeline.html", "conflicts.html"} <= set(
        pages
    )
    assert {f"tables/{t}.html" for t in ("events", "statements", "funding_claims", "actors")} <= set(pages)


def test_every_link_and_src_resolves_inside_the_site(built, pages):
    out, _ = built
    broken = []
    for name, page in pages.items():
        for tag, attribute, value in page.refs:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue  # another host: see the next test
            target = (out / name).parent / unquote(parts.path) if parts.path else out / name
            target = target.resolve()
            if out.resolve() not in target.parents or not target.is_file():
                broken.append(f"{name}: <{tag} {attribute}={value!r}> names no file of the site")
            elif parts.fragment and target.suffix == ".html":
                if parts.fragment not in pages[target.relative_to(out.resolve()).as_posix()].ids:
                    broken.append(f"{name}: <{tag} {attribute}={value!r}> names no id of its page")
    assert not broken, "\n".join(broken[:20])


def test_nothing_is_fetched_from_another_host(root, built, pages):
    out, _ = built
    allowed = {r["url"] for r in csv_rows(root, "sources") if r["url"].startswith(("http://", "https://"))}
    allowed |= {lic["path"] for lic in json.loads((root / "datapackage.json").read_text())["licenses"]}
    outside: dict[tuple[str, str], set[str]] = {}
    for page in pages.values():
        for tag, attribute, value in page.refs:
            if urlsplit(value).scheme or urlsplit(value).netloc:
                outside.setdefault((tag, attribute), set()).add(value)
    assert set(outside) <= {("a", "href")}, outside  # no src, no stylesheet, no script from elsewhere
    assert outside[("a", "href")] == allowed
    for asset in (out / "assets").iterdir():
        assert not re.search(r"https?:|//[a-z]|@import", asset.read_text(encoding="utf-8")), asset


def test_each_row_page_marks_its_quote_in_the_source_text(root, pages):
    for table, key in ROW_TABLES.items():
        for row in csv_rows(root, table):
            page = pages[f"rows/{row[key]}.html"]
            assert page.mark is not None, row[key]
            assert "".join(page.mark) == row["quote"], row[key]


def test_pages_are_landmarked_and_scripts_hold_only_json(pages):
    for name, page in pages.items():
        assert page.lang == "en" and page.h1 == 1, name
        assert {"header", "nav", "main"} <= set(page.tags), name
        for attrs, text in page.scripts:
            if "src" in attrs:
                continue
            assert attrs.get("type") == "application/ld+json", name
            assert "<" not in text and json.loads(text)["@type"] == "Dataset"


def test_the_timeline_has_one_mark_per_dated_row(root, pages):
    page = pages["timeline.html"]
    linked = [
        v.removeprefix("rows/").removesuffix(".html#quote") for t, a, v in page.refs if v.startswith("rows/")
    ]
    html_ids = set(linked)
    assert len(linked) == len(html_ids)
    expected = {
        r[key]
        for table, key in (("events", "event_id"), ("statements", "statement_id"))
        for r in csv_rows(root, table)
    }
    assert html_ids == expected  # dated on the axis, undated in the list below it


def test_the_site_keeps_its_budget(built):
    out, _ = built
    pages = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".css", ".js")]
    downloads = [p for p in (out / "downloads").iterdir()]
    assert max(p.stat().st_size for p in pages if p.suffix == ".html") <= PAGE_BUDGET
    assert sum(p.stat().st_size for p in pages) <= PAGES_BUDGET
    assert sum(p.stat().st_size for p in downloads) <= DOWNLOADS_BUDGET


def test_hostile_values_are_escaped_and_bad_ids_left_out(tmp_path):
    root = copy_dataset(tmp_path / "data")
    set_cell(root, "csv/events.csv", "EV-0015", "title", "<script>alert(1)</script>", refresh_hashes=False)
    set_cell(root, "csv/actors.csv", "hamas", "name", '"><img src=x onerror=alert(1)>', refresh_hashes=False)
    set_cell(
        root,
        "csv/sources.csv",
        "mei-hamas-iran-ties-repaired",
        "url",
        "javascript:alert(1)",
        refresh_hashes=False,
    )
    set_cell(root, "csv/statements.csv", "ST-0001", "statement_id", "../../evil")
    report = ipd.site(tmp_path / "site", root=root)
    html = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html")}
    assert not [p for p, text in html.items() if "<script>alert" in text or "<img src=x" in text]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html[tmp_path / "site/rows/EV-0015.html"]
    assert not [p for p, text in html.items() if 'href="javascript:' in text]
    assert not (tmp_path / "evil.html").exists() and not (tmp_path / "site/evil.html").exists()
    assert any("'../../evil'" in line for line in report.skipped)
    assert report.pages == len(html)


def test_a_released_version_is_built_from_the_release_store(tmp_path):
    from iran_palestine_data.contract.published import version_root

    out = tmp_path / "site-0.4.0"
    result = CliRunner().invoke(app, ["site", "--out", str(out), "--version", "0.4.0"])
    assert result.exit_code == 0, result.output
    old = Path(version_root("0.4.0"))
    rows = {r[key] for table, key in ROW_TABLES.items() for r in csv_rows(old, table)}
    assert {p.stem for p in (out / "rows").iterdir()} == rows
    assert "version 0.4.0" in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "downloads" / "iran-palestine-data-0.4.0-csv.zip").is_file()
    bad = CliRunner().invoke(app, ["site", "--out", str(tmp_path / "x"), "--version", "9.9.9"])
    assert bad.exit_code == 2 and "no version '9.9.9'" in bad.output


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        ipd.site(tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_row_and_actor_pages_link_what_related_and_actor_give(pages):
    # the pages are built from graph.related_all() and analysis.profiles(), which related() and
    # actor() themselves use: each page must link every row they name, by hand on a sample
    for row_id in ("EV-0227", "EV-0105", "FC-0213", "FC-0008", "ST-0201"):
        linked = {
            v.split("/")[-1].split(".html")[0] for t, a, v in pages[f"rows/{row_id}.html"].refs if a == "href"
        }
        related = set(ipd.related(row_id)["id"])
        assert related <= linked, (row_id, related - linked)
        assert bool(related) == (row_id != "ST-0201"), row_id  # ST-0201 has no link
    for actor_id in ("hamas", "iran", "ali-khamenei"):
        linked = {
            v.split("/")[-1].split(".html")[0]
            for t, a, v in pages[f"actors/{actor_id}.html"].refs
            if a == "href"
        }
        profile = ipd.actor(actor_id)
        mine = {*profile.events, *profile.statements, *profile.funding_claims, *profile.affiliates}
        assert mine <= linked, (actor_id, mine - linked)


class Balance(HTMLParser):
    """Whether every element is closed in the order it was opened (``void`` elements aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_overlapping_spans_are_split_and_every_piece_escaped():
    from iran_palestine_data.website.highlight import Span, coded_text, quote_in_text

    text = "One <two> **three four** five & six."
    spans = [
        Span(0, 20, "row", "EV-0001", "a <title>", "../rows/EV-0001.html#quote"),
        Span(4, 30, "row", "ST-0001", "", "../rows/ST-0001.html#quote"),
        Span(25, 36, "excluded", "duplicate", '"quoted"'),
        Span(29, 36, "neither", ""),
    ]
    html = str(coded_text(text, spans))
    parsed = Balance()
    parsed.feed(html)
    assert parsed.ok and not parsed.stack, html
    assert "<two>" not in html and "&lt;two&gt;" in html and "&amp; six" in html
    assert "".join(parsed.text) == "EV-0001One ST-0001<two> three four excluded: duplicatefive & six."
    assert html.count('<mark class="coded many">') >= 2  # the shared stretch, cut at the bold text
    quoted = str(quote_in_text("a **b c** d <e>", 4, 10))  # the quote "b c** d <e" straddles the bold
    parsed = Balance()
    parsed.feed(quoted)
    assert parsed.ok and quoted.startswith('a <mark id="quote" dir="auto"><strong>b c</strong>**')
    assert re.sub("</?strong>", "", quoted.split('<mark id="quote" dir="auto">')[1].split("</mark>")[0]) == (
        "b c** d &lt;e"
    )

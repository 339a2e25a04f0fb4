"""The static site (``ipd.site``) in a real browser: headless Chromium driven by Selenium, pages opened as file://.

The site is built once per session into a temporary folder and one browser serves every test. Checked:
no console errors; the timeline draws one mark per dated event and statement and lists the undated
ones; search and filters show exactly the rows they should (expected ids computed from the CSVs); each
row page highlights its quote and scrolls it into view; every internal link and fragment resolves; no
request leaves the site folder; axe-core finds no serious or critical violation; the keyboard reaches
the skip link and the navigation with a visible focus outline; nothing scrolls sideways at 375 px; and
screenshots of the main pages are saved (``IPD_SCREENSHOTS``, default ``build/screenshots/``) for a
person to look at. Without Chromium and chromedriver the tests skip, or fail when ``IPD_REQUIRE_BROWSER``
is set (as ``.ci/run`` sets it).
"""

from __future__ import annotations

import csv
import os
import re
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import iran_palestine_data as ipd
from iran_palestine_data import data_path

import browser

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
KEYS = {
    "events": "event_id",
    "statements": "statement_id",
    "funding_claims": "claim_id",
    "actors": "actor_id",
}
ON_TIMELINE = ("events", "statements")
MAIN = (
    "index.html",
    "timeline.html",
    "tables/events.html",
    "tables/statements.html",
    "tables/funding_claims.html",
    "tables/actors.html",
    "conflicts.html",
)


def read(table: str) -> list[dict[str, str]]:
    with (data_path() / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def rid(table: str, row: dict[str, str]) -> str:
    return row[KEYS[table]]


def sample_rows(n: int = 12) -> list[tuple[str, str]]:
    """``n`` rows across the three tables and every source: first the rows that name a ``quote_occurrence``
    (one per table) and one whose quote carries ``**`` bold markers, then one row per (table, source) pair."""
    tables = ("events", "statements", "funding_claims")
    rows = {t: sorted(read(t), key=lambda r, t=t: rid(t, r)) for t in tables}
    sources = sorted({r["source_id"] for t in tables for r in rows[t]})
    picked: list[tuple[str, str]] = []
    for t in tables:
        picked += [(t, rid(t, r)) for r in rows[t] if r["quote_occurrence"]][:1]
    picked += [(t, rid(t, r)) for t in tables for r in rows[t] if "**" in r["quote"]][:1]
    i = 0
    while len(picked) < n and i < 15 * n:
        t, s = tables[i % 3], sources[i % len(sources)]
        i += 1
        ids = [rid(t, r) for r in rows[t] if r["source_id"] == s and (t, rid(t, r)) not in picked]
        if ids:
            picked.append((t, ids[len(ids) // 2]))
    return picked


ROWS = sample_rows()
SOURCES = sorted({r["source_id"] for t in ("events", "statements", "funding_claims") for r in read(t)})
ACTORS = ("iran", "hamas")
# the main pages, and a sample of row (one per table), source and actor pages
PAGES = (
    *MAIN,
    *(
        f"rows/{next(i for t, i in ROWS if t == table)}.html"
        for table in ("events", "statements", "funding_claims")
    ),
    f"sources/{SOURCES[0]}.html",
    f"sources/{SOURCES[-1]}.html",
    *(f"actors/{a}.html" for a in ACTORS),
)


# ---- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def driver():
    reason = browser.missing()
    if reason:
        if os.environ.get("IPD_REQUIRE_BROWSER"):
            pytest.fail(f"a browser is required here (IPD_REQUIRE_BROWSER is set) but {reason}")
        pytest.skip(f"{reason}; .ci/run installs chromium and chromium-driver and requires them")
    d = browser.start()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    print(ipd.site(out))
    return out.resolve()


@pytest.fixture(scope="session")
def axe_js() -> str:
    return browser.axe_source()


@pytest.fixture(scope="session")
def visits(driver, site, axe_js):
    """Open each page of ``PAGES`` once: its console messages, its requests and axe's violations."""
    cache: dict[str, tuple[browser.Load, list[dict]]] = {}

    def visit(rel: str) -> tuple[browser.Load, list[dict]]:
        if rel not in cache:
            load = browser.load(driver, browser.url(site, rel))
            cache[rel] = (load, browser.axe(driver, axe_js))
        return cache[rel]

    return visit


@pytest.fixture
def window(driver):
    """The driver, with the viewport put back to the window's size after the test."""
    yield driver
    browser.set_viewport(driver, None)


@pytest.fixture(scope="session")
def shots() -> Path:
    folder = Path(os.environ.get("IPD_SCREENSHOTS") or REPO / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---- 1. console, 6. requests, 7. axe-core -----------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors(visits, page):
    load, _ = visits(page)
    assert not load.severe(), f"{page}: the browser logged errors:\n  " + "\n  ".join(load.severe())


@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_the_site(visits, site, page):
    load, _ = visits(page)
    print(f"{page}: {len(load.requests)} requests")
    assert load.requests, f"{page}: no request logged (is the performance log on?)"
    away = browser.outside(site, load.requests)
    assert not away, f"{page}: requests outside {site}:\n  " + "\n  ".join(away)


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_violation(visits, page):
    _, violations = visits(page)
    print(
        f"{page}: axe violations: " + (", ".join(f"{v['id']} ({v['impact']})" for v in violations) or "none")
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page}: axe-core found {len(bad)} serious or critical violations:\n" + browser.describe(
        bad
    )


# ---- 2. the timeline --------------------------------------------------------------------------------------


def dated() -> dict[str, dict[str, str]]:
    return {rid(t, r): r for t in ON_TIMELINE for r in read(t) if r["date"]}


def undated() -> list[str]:
    return [rid(t, r) for t in ON_TIMELINE for r in read(t) if not r["date"]]


MARKS = "svg a[data-id]"


def test_timeline_draws_one_mark_per_dated_row(driver, site):
    browser.load(driver, browser.url(site, "timeline.html"))
    marks = driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(a => a.getAttribute('data-id'))",
        MARKS,
    )
    expected = dated()
    print(f"timeline: {len(marks)} marks, {len(expected)} dated events and statements")
    twice = sorted(i for i, n in Counter(marks).items() if n > 1)
    assert not twice, f"more than one mark for {twice}"
    assert len(marks) == len(expected), (
        f"{len(marks)} marks for {len(expected)} dated rows; missing {sorted(set(expected) - set(marks))[:20]}, "
        f"not dated {sorted(set(marks) - set(expected))[:20]}"
    )
    assert set(marks) == set(expected)
    # each mark carries its row's table and source, and links to the row's page
    attrs = driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(a => [a.getAttribute('data-id'),"
        " a.getAttribute('data-table'), a.getAttribute('data-source'), a.getAttribute('href') || a.getAttribute('xlink:href')])",
        MARKS,
    )
    tables = {rid(t, r): t for t in ON_TIMELINE for r in read(t)}
    wrong = [
        a
        for a in attrs
        if a[1] != tables[a[0]]
        or a[2] != expected[a[0]]["source_id"]
        or f"rows/{a[0]}.html" not in (a[3] or "")
    ]
    assert not wrong, f"marks whose data-table, data-source or href is wrong: {wrong[:10]}"


def test_timeline_lists_the_undated_rows(driver, site):
    browser.load(driver, browser.url(site, "timeline.html"))
    listed = driver.execute_script(
        """const ids = new Set();
        for (const a of document.querySelectorAll('a[href]')) {
          if (a.closest('svg')) continue;
          const m = a.getAttribute('href').match(/rows\\/([^/#?]+)\\.html/); if (m) ids.add(m[1]);
        }
        for (const el of document.querySelectorAll('[data-id]')) if (!el.closest('svg')) ids.add(el.getAttribute('data-id'));
        return Array.from(ids);"""
    )
    expected = undated()
    print(f"timeline: {len(expected)} undated rows")
    assert expected and not set(expected) - set(listed), (
        f"undated rows not listed on the timeline: {sorted(set(expected) - set(listed))}"
    )


# ---- 3. filters, search and the same_as merge ---------------------------------------------------------------

_CONTROL = """
const want = arguments[0];
for (const l of document.querySelectorAll('label')) {
  if (want.test(l.textContent.trim()) && l.control) return l.control;
}
for (const el of document.querySelectorAll('select, input, button')) {
  if (want.test(el.getAttribute('aria-label') || '') || (el.tagName === 'BUTTON' && want.test(el.textContent.trim()))) return el;
}
return null;
"""


def control(driver, pattern: str):
    return driver.execute_script(_CONTROL.replace("arguments[0]", f"/{pattern}/i"))


def visible_marks(driver) -> list[str]:
    return browser.visible(driver, MARKS)


def choose(driver, name: str, value: str) -> None:
    """Select ``value`` in the timeline's filter labelled ``name``."""
    from selenium.webdriver.support.ui import Select

    element = control(driver, "^(type|kind)" if name == "type" else f"^{name}")
    assert element is not None, f"timeline.html: no control labelled {name!r}"
    assert element.tag_name == "select", (
        f"timeline.html: the {name} filter is a <{element.tag_name}>, not a <select>"
    )
    values = [o.get_attribute("value") for o in Select(element).options]
    assert value in values, f"timeline.html: {value!r} is not among the {name} filter's options {values}"
    Select(element).select_by_value(value)


@pytest.mark.parametrize("name", ["source", "type", "actor"])
def test_timeline_filter_hides_the_other_marks(driver, site, name):
    browser.load(driver, browser.url(site, "timeline.html"))
    data = driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(a => [a.getAttribute('data-id'),"
        " a.getAttribute('data-' + arguments[1]) || ''])",
        MARKS,
        "actors" if name == "actor" else name,
    )
    values = {i: (set(re.split(r"[\s,;|]+", v.strip())) - {""}) for i, v in data}
    counts = Counter(v for vs in values.values() for v in vs)
    assert counts, f"timeline.html: no mark has a data-{name} value"
    if name == "source":  # expected from the CSVs
        value = min(SOURCES)
        expected = {i for i, r in dated().items() if r["source_id"] == value}
    elif name == "type":  # the commonest event type among dated events
        kinds = Counter(r["event_type"] for r in dated().values() if r.get("event_type"))
        value = max(kinds, key=lambda k: (kinds[k], k))
        expected = {i for i, r in dated().items() if r.get("event_type") == value}
    else:  # the value that marks share most, but not all of them
        value = max((v for v in counts if counts[v] < len(data)), key=lambda v: (counts[v], v))
        expected = {i for i, vs in values.items() if value in vs}
    assert 0 < len(expected) < len(data)
    choose(driver, name, value)
    shown = browser.wait_for(driver, visible_marks, lambda s: set(s) == expected)
    print(f"timeline: {name} = {value}: {len(shown)} of {len(data)} marks shown")
    assert set(shown) == expected, (
        f"timeline.html, {name} filter set to {value!r}: {len(shown)} marks shown, {len(expected)} expected; "
        f"shown but not {value}: {sorted(set(shown) - expected)[:10]}, hidden: {sorted(expected - set(shown))[:10]}"
    )


def same_as_clusters() -> dict[str, set[str]]:
    """The same_as clusters of csv/claim_links.csv (links are transitive): each member id -> its cluster."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in read("claim_links"):
        if link["relation"] == "same_as":
            parent[find(link["from_id"])] = find(link["to_id"])
    clusters: dict[str, set[str]] = defaultdict(set)
    for i in list(parent):
        clusters[find(i)].add(i)
    return {i: members for members in clusters.values() for i in members}


def folded(ids: set[str]) -> int:
    """How many of ``ids`` the same_as clusters fold away: a cluster with k of them keeps one."""
    clusters = same_as_clusters()
    return sum(k - 1 for k in Counter(min(clusters[i]) for i in ids if i in clusters).values())


def test_same_as_toggle_merges_marks(driver, site):
    """Merged, a cluster of reports of one real-world event shows once: as a mark when one of its rows is
    dated (the marks drop by the dated rows that clusters fold away), else in the undated list (the rows
    shown, marks and undated entries, drop by every row that clusters fold away)."""
    browser.load(driver, browser.url(site, "timeline.html"))
    marks, rows = visible_marks(driver), browser.visible(driver, "[data-id]")
    fold_marks, fold_rows = folded(set(marks)), folded(set(rows))
    assert fold_marks > 0, "the shipped data should have same_as clusters of dated rows"
    toggle = control(driver, "same.?as|merge")
    assert toggle is not None, "timeline.html: no control labelled 'same as' or 'merge'"
    toggle.click()
    after = browser.wait_for(driver, visible_marks, lambda s: len(s) != len(marks))
    rows_after = browser.visible(driver, "[data-id]")
    print(
        f"timeline: merge same_as: {len(marks)} -> {len(after)} marks ({fold_marks} folded away expected), "
        f"{len(rows)} -> {len(rows_after)} rows shown ({fold_rows} expected)"
    )
    clusters = same_as_clusters()
    lost = sorted(
        f"{i} (cluster {sorted(clusters[i])}, shown instead: {sorted(clusters[i] & set(rows_after))})"
        for i in marks
        if i in clusters and not clusters[i] & set(after)
    )
    assert not lost, f"timeline.html, merged: dated clusters left without a mark: {lost}"
    assert len(after) == len(marks) - fold_marks, (
        f"timeline.html: merging same_as rows shows {len(after)} marks of {len(marks)}; "
        f"{len(marks) - fold_marks} expected ({fold_marks} dated rows fold into their clusters)"
    )
    assert len(rows_after) == len(rows) - fold_rows, (
        f"timeline.html: merging same_as rows shows {len(rows_after)} rows of {len(rows)}; "
        f"{len(rows) - fold_rows} expected ({fold_rows} rows fold into their clusters)"
    )
    toggle.click()
    again = browser.wait_for(driver, visible_marks, lambda s: len(s) == len(marks))
    assert len(again) == len(marks), "timeline.html: unmerging does not bring the marks back"


def haystacks(table: str) -> dict[str, str]:
    """Everything a table page could show of each row, lower-cased: its cells, its source's title and
    publisher, and the names of the actors it involves."""
    actors = {a["actor_id"]: a for a in read("actors")}
    sources = {s["source_id"]: s for s in read("sources")}
    involved: dict[str, list[str]] = defaultdict(list)
    for ea in read("event_actors"):
        involved[ea["event_id"]] += [ea["actor_id"], ea["role"]]
    out = {}
    for row in read(table):
        parts = list(row.values()) + involved.get(rid(table, row), [])
        parts += [actors[v]["name"] for v in list(parts) if v in actors]
        if row.get("source_id") in sources:
            s = sources[row["source_id"]]
            parts += [s["title"], s["publisher"]]
        out[rid(table, row)] = " ".join(parts).lower()
    return out


def search_word(table: str, column: str) -> tuple[str, set[str]]:
    """A word found, in any of the row's text, in exactly the 2 to 5 rows whose ``column`` holds it."""
    rows = read(table)
    hay = haystacks(table)
    words = sorted({w.lower() for r in rows for w in re.findall(r"[A-Za-z]{6,}", r[column])})
    for size in (3, 2, 4, 5):
        for w in words:
            in_column = {rid(table, r) for r in rows if w in r[column].lower()}
            if len(in_column) == size and in_column == {i for i, h in hay.items() if w in h}:
                return w, in_column
    raise AssertionError(f"no word of {table}.{column} is found in only 2 to 5 rows")


_ROW_IDS = """
return Array.from(document.querySelectorAll('tbody tr')).filter(
  tr => tr.checkVisibility({visibilityProperty: true})
).map(tr => {
  if (tr.dataset.id) return tr.dataset.id;
  for (const a of tr.querySelectorAll('a[href]')) {
    const m = a.getAttribute('href').match(/(?:rows|actors)\\/([^/#?]+)\\.html/); if (m) return m[1];
  }
  return tr.textContent.trim().slice(0, 40);
});
"""


@pytest.mark.parametrize(
    ("table", "column"),
    [("events", "title"), ("statements", "summary"), ("funding_claims", "summary"), ("actors", "name")],
)
def test_table_search_shows_exactly_the_matching_rows(driver, site, table, column):
    from selenium.webdriver.common.by import By

    page = f"tables/{table}.html"
    browser.load(driver, browser.url(site, page))
    everything = driver.execute_script(_ROW_IDS)
    assert sorted(everything) == sorted(rid(table, r) for r in read(table)), (
        f"{page}: the table's rows are not the CSV's ({len(everything)} rows)"
    )
    word, expected = search_word(table, column)
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[type=search]")
    assert boxes, f"{page}: no search input"
    boxes[0].send_keys(word)
    shown = browser.wait_for(driver, lambda d: d.execute_script(_ROW_IDS), lambda s: set(s) == expected)
    print(f"{page}: search {word!r}: {len(shown)} of {len(everything)} rows shown")
    assert set(shown) == expected, (
        f"{page}: searching {word!r} shows {sorted(shown)[:20]} ({len(shown)} rows); expected {sorted(expected)}"
    )


# ---- 4. the quote on each row page --------------------------------------------------------------------------

_MARK = """
const m = document.getElementById('quote');
if (!m) return null;
const r = m.getBoundingClientRect();
// the innermost ancestor holding the whole source text: the first with as many occurrences of the quote
// as the snapshot has (the page may show the quote again above the text)
const text = m.textContent, want = arguments[0];
let before = null, total = 0;
for (let el = m.parentElement; el; el = el.parentElement) {
  total = el.textContent.split(text).length - 1;
  if (total >= want) {
    const range = document.createRange(); range.setStart(el, 0); range.setEndBefore(m);
    before = range.toString().split(text).length - 1;
    break;
  }
}
// a box that scrolls on its own (the source text may) must show the mark too
let clip = null;
for (let el = m.parentElement; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
  const s = getComputedStyle(el);
  if (!/(auto|scroll|hidden)/.test(s.overflowY)) continue;
  const c = el.getBoundingClientRect();
  const fits = r.height <= c.height ? r.top >= c.top - 1 && r.bottom <= c.bottom + 1 : r.top >= c.top - 1 && r.top < c.bottom;
  if (!fits) clip = {box: el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''), top: c.top, bottom: c.bottom};
}
return {tag: m.tagName.toLowerCase(), text: text, top: r.top, bottom: r.bottom, height: r.height,
        inner: window.innerHeight, before: before, total: total, clip: clip};
"""


def snapshot_counts(quote: str, source_id: str) -> int:
    [source] = [s for s in read("sources") if s["source_id"] == source_id]
    return (data_path() / source["snapshot"]).read_text(encoding="utf-8").count(quote)


@pytest.mark.parametrize(("table", "row_id"), ROWS, ids=[i for _, i in ROWS])
def test_row_page_highlights_the_quote_in_view(driver, site, table, row_id):
    row = next(r for r in read(table) if rid(table, r) == row_id)
    load = browser.load(driver, browser.url(site, f"rows/{row_id}.html", "quote"))
    count = snapshot_counts(row["quote"], row["source_id"])
    m = browser.wait_for(
        driver,
        lambda d: d.execute_script(_MARK, count),
        lambda x: x is not None and -1 <= x["top"] < x["inner"] and not x["clip"],
        timeout=2,
    )
    page = f"rows/{row_id}.html#quote"
    assert m is not None, f"{page}: no element with id 'quote'"
    assert m["tag"] == "mark", f"{page}: #quote is a <{m['tag']}>, not a <mark>"
    quote = row["quote"]
    assert m["text"] in (quote.replace("**", ""), quote), (
        f"{page}: the highlighted text is not the row's quote:\n  page: {m['text']!r}\n  csv:  {quote!r}"
    )
    fits = m["bottom"] <= m["inner"] if m["height"] <= m["inner"] else m["top"] < m["inner"]
    assert m["top"] >= -1 and fits, (
        f"{page}: the quote is not in view after load: top {m['top']:.0f}, bottom {m['bottom']:.0f}, "
        f"window height {m['inner']}"
    )
    assert not m["clip"], (
        f"{page}: the quote is scrolled out of its box {m['clip']['box']} (box from y={m['clip']['top']:.0f} to "
        f"{m['clip']['bottom']:.0f}, quote from {m['top']:.0f} to {m['bottom']:.0f})"
    )
    occurrence = int(row["quote_occurrence"] or 1)
    if count > 1:  # the right one of the quote's occurrences
        assert m["before"] == occurrence - 1, (
            f"{page}: the highlighted quote is occurrence {m['before'] + 1} of {m['total']} in the text; "
            f"quote_occurrence is {occurrence}"
        )
    assert not load.severe(), f"{page}: the browser logged errors:\n  " + "\n  ".join(load.severe())


# ---- 5. every internal link -----------------------------------------------------------------------------------


def test_every_internal_link_resolves(site):
    result = browser.crawl(site)
    on_disk = {p.resolve() for p in site.rglob("*.html")}
    unreached = sorted(p.relative_to(site).as_posix() for p in on_disk - result.seen)
    print(
        f"crawl: {result.pages} pages, {result.links} internal links checked, {result.external} external links, "
        f"{len(unreached)} HTML files not linked from index.html: {unreached[:10]}"
    )
    assert result.pages > len(MAIN) + len(read("events"))
    assert not result.problems, f"{len(result.problems)} broken links:\n  " + "\n  ".join(
        result.problems[:50]
    )


@pytest.mark.parametrize("page", ["index.html", "timeline.html", "tables/events.html"])
def test_links_made_by_scripts_resolve(driver, site, page):
    """The links in the live DOM, after the page's scripts have run (the crawl above reads the HTML files)."""
    browser.load(driver, browser.url(site, page))
    hrefs = driver.execute_script(
        "return Array.from(document.querySelectorAll('a[href], link[href], script[src], img[src]')).map(e =>"
        " new URL(e.getAttribute('href') || e.getAttribute('src'), document.baseURI).href)"  # SVG <a> too
    )
    print(f"{page}: {len(hrefs)} links in the DOM")

    bad = []
    for h in hrefs:
        parts = urlsplit(h)
        if parts.scheme == "file" and not Path(unquote(parts.path)).is_file():
            bad.append(h)
    assert not bad, f"{page}: links to missing files in the DOM:\n  " + "\n  ".join(bad[:20])


# ---- 8. keyboard and a narrow screen --------------------------------------------------------------------------

_FOCUS = """
const el = document.activeElement;
if (!el || el === document.body) return null;
const s = getComputedStyle(el), r = el.getBoundingClientRect();
return {tag: el.tagName.toLowerCase(), href: el.getAttribute('href'), text: el.textContent.trim().slice(0, 60),
        outline: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, shadow: s.boxShadow,
        left: r.left, top: r.top, w: r.width, h: r.height, vw: window.innerWidth, vh: window.innerHeight};
"""


@pytest.mark.parametrize(
    "page", ["index.html", "timeline.html", f"rows/{ROWS[0][1]}.html", f"rows/{ROWS[0][1]}.html#quote"]
)
def test_tab_reaches_skip_link_and_navigation_with_visible_focus(driver, site, page):
    """A row's page opens scrolled to its quote (with or without #quote); the first Tab still goes to the
    skip link."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    rel, _, fragment = page.partition("#")
    browser.load(driver, browser.url(site, rel, fragment))
    nav = driver.execute_script(
        "const n = document.querySelector('header nav') || document.querySelector('nav');"
        "return n ? Array.from(n.querySelectorAll('a[href]')).map(a => a.getAttribute('href')) : []"
    )
    assert nav, f"{page}: no <nav> with links"
    top = driver.execute_script("return window.scrollY")
    focused = []
    for _ in range(len(nav) + 6):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused.append(driver.execute_script(_FOCUS) or {"tag": "body", "href": None, "text": ""})
        if not set(nav) - {x["href"] for x in focused}:
            break
    order = [f"{x['tag']} {x['href'] or x['text'][:20]!r}" for x in focused]
    first = focused[0]
    assert (
        first["tag"] == "a" and (first["href"] or "").startswith("#") and "skip" in first["text"].lower()
    ), (
        f"{page} (opened scrolled to y={top}): the first Tab focuses {first['tag']} {first['href']!r} {first['text']!r}, not a skip link; Tab goes to {order}"
    )
    assert (
        first["w"] > 1
        and first["h"] > 1
        and 0 <= first["left"] < first["vw"]
        and 0 <= first["top"] < first["vh"]
    ), f"{page}: the focused skip link is not shown in the viewport: {first}"
    missed = [h for h in nav if h not in {x["href"] for x in focused}]
    assert not missed, f"{page}: Tab does not reach the nav links {missed}; it goes to {order}"
    invisible = [
        x
        for x in focused
        if x["tag"] != "body"
        and x["outline"] in ("none", "hidden")
        or x["width"] < 1
        or x["color"] in ("transparent", "rgba(0, 0, 0, 0)")
    ]
    assert not invisible, f"{page}: focused elements without a visible outline: {invisible}"


@pytest.mark.parametrize("page", ["index.html", f"rows/{ROWS[0][1]}.html#quote"])
def test_no_sideways_scroll_at_375_px(window, site, shots, page):
    rel, _, fragment = page.partition("#")
    browser.set_viewport(window, 375)
    browser.load(window, browser.url(site, rel, fragment))
    inner, scroll = window.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    if rel.startswith("rows/"):
        print(browser.screenshot(window, shots / "row-375px.png", full=False))
    assert inner == 375
    assert scroll <= inner + 1, f"{page} at 375 px: the page is {scroll} px wide and scrolls sideways"


# ---- 9. screenshots -------------------------------------------------------------------------------------------


def test_screenshots(window, site, shots):
    row = ROWS[0][1]
    pages = [
        ("home", "index.html", "", True),
        ("timeline", "timeline.html", "", True),
        ("events-table", "tables/events.html", "", True),
        ("row", f"rows/{row}.html", "quote", False),  # as loaded: scrolled to the quote
        ("source", f"sources/{SOURCES[0]}.html", "", True),
        ("actor", f"actors/{ACTORS[0]}.html", "", True),
        ("conflicts", "conflicts.html", "", True),
    ]
    saved = []
    for name, rel, fragment, full in pages:
        browser.load(window, browser.url(site, rel, fragment))
        saved.append(browser.screenshot(window, shots / f"{name}.png", full=full))
    print("screenshots:\n  " + "\n  ".join(str(p) for p in saved))
    assert all(p.stat().st_size > 1000 for p in saved)

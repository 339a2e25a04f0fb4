"""Plain helpers for the tests of the static site in a real browser (headless Chromium driven by Selenium).

``missing`` says why no browser can be started here (or None), ``start`` starts one (Debian's
``chromium`` and ``chromedriver``, named explicitly so that Selenium Manager never downloads anything),
``load`` opens a page and returns what the browser logged while loading it (console messages and every
request), ``visible`` lists the elements a selector matches that are shown, ``axe`` runs axe-core on the
page, ``crawl`` follows every internal link of the site with an HTML parser, and ``screenshot`` saves a
PNG. The fixtures that use them live in ``test_site_browser.py``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH, HEIGHT = 1280, 900
PAGE_TIMEOUT = 30  # seconds, for a page load and for an asynchronous script (axe)


def missing() -> str | None:
    """Why no browser can be driven here, or None when Chromium, its driver and Selenium are all present."""
    lacking = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if lacking:
        return f"{' and '.join(lacking)} not found (Debian packages chromium and chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the Python package selenium is not installed (pip install -e '.[test]')"
    return None


def start(width: int = WIDTH, height: int = HEIGHT) -> Any:
    """A headless Chromium that logs the console and the network (DevTools performance log)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run its sandbox as root
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(PAGE_TIMEOUT)
    driver.set_script_timeout(PAGE_TIMEOUT)
    return driver


def url(site: Path, rel: str, fragment: str = "") -> str:
    return (site / rel).resolve().as_uri() + (f"#{fragment}" if fragment else "")


@dataclass
class Load:
    """What the browser logged while opening one page."""

    url: str
    console: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def severe(self) -> list[str]:
        return [e["message"] for e in self.console if e.get("level") == "SEVERE"]


def _requests(entries: list[dict]) -> list[str]:
    out = []
    for entry in entries:
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            out.append(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            out.append(message["params"]["url"])
    return out


def settle(driver: Any) -> None:
    """Wait for the load event, then two animation frames and a tick, so that scripts run on load have run."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, PAGE_TIMEOUT).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));"
    )


def load(driver: Any, address: str) -> Load:
    """Open ``address`` afresh (through about:blank, so that a new fragment reloads) and log what it did."""
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(address)
    settle(driver)
    return Load(address, driver.get_log("browser"), _requests(driver.get_log("performance")))


def outside(site: Path, requests: list[str]) -> list[str]:
    """The requests that leave the site: anything but a file:// under the site folder, data: and about:."""
    base = unquote(site.resolve().as_uri()).rstrip("/") + "/"
    return [
        u
        for u in requests
        if not (u.startswith(("data:", "about:")) or unquote(urldefrag(u)[0]).startswith(base))
    ]


# the elements the browser shows: not display:none (themselves or an ancestor), hidden or visibility:hidden
_VISIBLE = """
return Array.from(document.querySelectorAll(arguments[0])).filter(
  el => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
).map(el => el.getAttribute(arguments[1]));
"""


def visible(driver: Any, selector: str, attribute: str = "data-id") -> list[str]:
    """The ``attribute`` of every element matching ``selector`` that is shown."""
    return driver.execute_script(_VISIBLE, selector, attribute)


def wait_for(driver: Any, get, ok, timeout: float = 5) -> Any:
    """Poll ``get(driver)`` until ``ok`` holds of its value (for filters that wait before applying); return
    its last value, whether or not ``ok`` came to hold."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    last: list[Any] = [None]

    def check(d):
        last[0] = get(d)
        return ok(last[0])

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(check)
    except TimeoutException:
        pass
    return last[0]


_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
  target: v.nodes.length ? String(v.nodes[0].target) : '',
  html: v.nodes.length ? v.nodes[0].html.slice(0, 200) : '',
  summary: v.nodes.length ? (v.nodes[0].failureSummary || '').slice(0, 300) : ''
})))).catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), count: 0, target: '', html: '', summary: ''}]));
"""


def axe_source() -> str:
    import axe_core_python

    return Path(axe_core_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")


def axe(driver: Any, source: str) -> list[dict]:
    """axe-core's violations on the page open in ``driver`` (each: id, impact, help, count, first node)."""
    driver.execute_script(source)
    return driver.execute_async_script(_AXE)


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  {v['id']} ({v['impact']}, {v['count']} nodes): {v['help']}\n    first: {v['target']} {v['html']}"
        f"\n    {v['summary']}".rstrip()
        for v in violations
    )


def set_viewport(driver: Any, width: int | None, height: int = 812) -> None:
    """Lay the page out ``width`` CSS pixels wide (None: back to the window's size)."""
    if width is None:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    else:
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )


def screenshot(driver: Any, path: Path, *, full: bool = True, max_height: int = 6000) -> Path:
    """Save a PNG of the page: the whole page (up to ``max_height`` CSS pixels) or just the viewport."""
    import base64

    path.parent.mkdir(parents=True, exist_ok=True)
    if not full:
        driver.save_screenshot(str(path))
        return path
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    width = driver.execute_script("return window.innerWidth")
    clip = {"x": 0, "y": 0, "width": width, "height": min(size["height"], max_height), "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


# ---- the crawl: every internal link of the site, read from the HTML (and the CSS) -------------------------

_LINKS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "use": "href",
}
_RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, bool]] = []  # (tag, value, a resource the page loads)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v for k, v in attrs if v is not None}
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        name = _LINKS.get(tag)
        value = a.get(name) if name else None
        if value is None and tag == "use":
            value = a.get("xlink:href")
        if value is not None:
            rels = set(a.get("rel", "").lower().split())
            resource = tag in ("script", "img", "source", "use") or (
                tag == "link" and bool(rels & _RESOURCE_RELS)
            )
            self.links.append((tag, value, resource))

    handle_startendtag = handle_starttag


@dataclass
class Crawl:
    pages: int = 0  # HTML pages read
    links: int = 0  # internal links checked
    external: int = 0  # links to other hosts, not followed
    problems: list[str] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)


def crawl(site: Path, start: str = "index.html") -> Crawl:
    """Follow every internal link from ``start``: each target file must exist inside the site, and each
    ``#fragment`` must be an id (or an ``a name``) of its target page."""
    site = site.resolve()
    result = Crawl()
    parsed: dict[Path, _Page] = {}

    def parse(path: Path) -> _Page:
        if path not in parsed:
            parser = _Page()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            parsed[path] = parser
        return parsed[path]

    queue = [site / start]
    result.seen.add(site / start)
    css_done: set[Path] = set()
    while queue:
        page = queue.pop()
        result.pages += 1
        here = page.relative_to(site).as_posix()
        links = [(tag, value, res) for tag, value, res in parse(page).links]
        for tag, value, resource in links:
            target = _check(site, page, here, tag, value, resource, result)
            if target is None:
                continue
            path, fragment = target
            if path.suffix == ".html":
                if fragment and fragment not in parse(path).ids:
                    result.problems.append(
                        f"{here}: <{tag}> {value!r}: no element with id {fragment!r} in the target"
                    )
                if path not in result.seen:
                    result.seen.add(path)
                    queue.append(path)
            elif path.suffix == ".css" and path not in css_done:
                css_done.add(path)
                rel = path.relative_to(site).as_posix()
                for ref in re.findall(
                    r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", path.read_text(encoding="utf-8")
                ):
                    _check(site, path, rel, "css url()", ref, True, result)
    return result


def _check(
    site: Path, page: Path, here: str, tag: str, value: str, resource: bool, result: Crawl
) -> tuple[Path, str] | None:
    """Check one link; return its target file and fragment when it is internal and resolves."""
    value = value.strip()
    if not value or value.startswith(("data:", "mailto:", "tel:")):
        return None
    if value.lower().startswith("javascript:"):
        result.problems.append(f"{here}: <{tag}> {value!r}: a javascript: link")
        return None
    absolute = urljoin(page.as_uri(), value)
    parts = urlsplit(absolute)
    if parts.scheme in ("http", "https"):
        result.external += 1
        if resource:
            result.problems.append(f"{here}: <{tag}> {value!r}: a resource loaded from another host")
        return None
    if parts.scheme != "file":
        result.problems.append(f"{here}: <{tag}> {value!r}: unexpected scheme {parts.scheme!r}")
        return None
    result.links += 1
    path = Path(unquote(parts.path))
    if site not in path.parents and path != site:
        result.problems.append(f"{here}: <{tag}> {value!r}: points outside the site, to {path}")
        return None
    if not path.is_file():
        what = "a folder (file:// shows no index.html)" if path.is_dir() else "no such file"
        result.problems.append(f"{here}: <{tag}> {value!r}: {what}: {path.relative_to(site)}")
        return None
    return path, unquote(parts.fragment)

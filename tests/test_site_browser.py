"""The site in a real browser: headless Chromium driven over the DevTools protocol (CDP) on a pipe.

Pages load without console errors (from file:// and over ``kdgraph serve``), the browser's own link
resolution finds every internal link of every page on a file, the JSON-LD the browser sees equals the
resource's triples, and screenshots of the home page and a paper page are saved under
``test-output/site/`` (git-ignored; ``KDGRAPH_TEST_OUTPUT`` moves it).

Chromium is found as ``chromium`` (Debian), ``chromium-browser`` or ``google-chrome``, or at
``$KDGRAPH_CHROMIUM``; without one these tests are skipped, saying so. CDP runs over
``--remote-debugging-pipe`` (file descriptors 3 and 4, NUL-separated JSON), so no websocket library and
no network port are needed.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kdgraph.build import BuildResult
from kdgraph.site.serve import make_server
from test_site import FITNETS, B, site_of

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(os.environ.get("KDGRAPH_TEST_OUTPUT", ROOT / "test-output")) / "site"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-dev-shm-usage", "--no-default-browser-check", "--mute-audio",
         "--hide-scrollbars", "--window-size=1280,900", "--remote-debugging-pipe"]


def find_chromium() -> str | None:
    candidates = [os.environ.get("KDGRAPH_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome",
                  "google-chrome-stable"]
    for name in candidates:
        if name and (found := shutil.which(name)):
            return found
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium found (install Debian's `chromium`, as .ci/run does, or set "
                             "KDGRAPH_CHROMIUM to a Chrome/Chromium binary)")


class CDPError(RuntimeError):
    pass


class Browser:
    """Headless Chromium with one page, driven synchronously over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # keep the child's ends away from 3 and 4, which a small launcher then points at them
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 (open while the browser runs; closed in close())
        launcher = ("import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); os.dup2(r, 3); "
                    "os.dup2(w, 4); os.close(r); os.close(w); os.execv(sys.argv[3], sys.argv[3:])")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", launcher, str(child_in), str(child_out), binary, *FLAGS,
             f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(child_in, child_out), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=self.stderr)
        os.close(child_in)
        os.close(child_out)
        self.write_fd = to_child_w
        self.read_fd = from_child_r
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session = self._attach()

    # --- protocol

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise CDPError(f"Chromium exited: {self.log()[-2000:]}")
                self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True,
             timeout: float | None = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session and getattr(self, "session", None):
            message["sessionId"] = self.session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self.write_fd, data):]
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, timeout: float | None = None) -> dict[str, Any]:
        deadline = time.monotonic() + (timeout or self.timeout)
        seen = len(self.events)
        while True:
            for event in self.events[seen:]:
                if event["method"] == method:
                    return event
            seen = len(self.events)
            message = self._read_message(deadline)
            if "method" in message:
                self.events.append(message)

    def _attach(self) -> str:
        self.session = ""
        targets = self.send("Target.getTargets", session=False)["targetInfos"]
        pages = [t for t in targets if t["type"] == "page"]
        target = pages[0]["targetId"] if pages else self.send(
            "Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        session: str = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.session = session
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        return session

    # --- page

    def goto(self, url: str) -> None:
        """Load ``url`` and wait for its load event; events of earlier pages are forgotten."""
        self.events.clear()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise CDPError(f"{url}: {result['errorText']}")
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")
        self.send("Runtime.evaluate", {"expression": "1"})  # drain events queued before this point

    def evaluate(self, expression: str, timeout: float | None = None) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, timeout=timeout)
        if "exceptionDetails" in result:
            raise CDPError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (failed loads) of the page."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console: " + " ".join(str(a.get("value", a.get("description")))
                                                     for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                found.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        return found

    def screenshot(self, path: Path) -> bytes:
        """The whole page as PNG, saved to ``path``."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(int(size["height"]) + 1, 16000), "scale": 1}
        data = base64.b64decode(self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": clip})["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close", session=False, timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self.write_fd, self.read_fd):
            os.close(fd)
        self.stderr.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    chrome = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.close()


@pytest.fixture(scope="module")
def site(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = site_of(built, tmp_path_factory)
    return out / "site"


@pytest.fixture(scope="module")
def http_root(site: Path) -> Iterator[str]:
    httpd = make_server(site, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host!s}:{port}/"
    httpd.shutdown()
    httpd.server_close()


def test_the_harness_sees_console_errors_and_failed_loads(browser: Browser, tmp_path: Path) -> None:
    """Without this, "no console errors" below could pass because nothing was listened to."""
    page = tmp_path / "broken.html"
    page.write_text('<!doctype html><html lang="en"><title>x</title><img src="missing.png" alt="x">'
                    '<script>console.error("deliberate")</script></html>', encoding="utf-8")
    browser.goto(page.as_uri())
    errors = browser.errors()
    assert any("deliberate" in e for e in errors), errors
    assert any("missing.png" in e or "ERR_FILE_NOT_FOUND" in e for e in errors), errors


@pytest.mark.parametrize("where", ["file", "http"])
@pytest.mark.parametrize("path", ["", FITNETS + "/"], ids=["home", "paper"])
def test_pages_load_without_console_errors(browser: Browser, site: Path, http_root: str, where: str,
                                           path: str) -> None:
    url = (site / path / "index.html").as_uri() if where == "file" else http_root + path
    browser.goto(url)
    assert browser.errors() == []
    state = browser.evaluate("""({
        ready: document.readyState,
        h1: document.querySelector('h1').textContent,
        css: getComputedStyle(document.querySelector('.masthead')).backgroundColor,
        images: Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0]),
        lang: document.documentElement.lang })""")
    assert state["ready"] == "complete" and state["lang"] == "en"
    assert state["css"] == "rgb(44, 95, 138)"  # the stylesheet was found and applied
    assert all(ok for _, ok in state["images"]), state["images"]  # the SVG charts render
    if not path:
        assert len(state["images"]) == 2
    else:
        assert state["h1"] == "FitNets: Hints for Thin Deep Nets"


def test_the_jsonld_the_browser_sees_equals_the_resources_triples(browser: Browser, site: Path,
                                                                   http_root: str) -> None:
    graph = Graph().parse(site.parent / "kdgraph.ttl", format="turtle")
    for path in (FITNETS, "person/adriana-romero", "topic/online", "venue/cvpr/2020",
                 "code/github.com/adri-romsor/fitnets", "list/zju-kd-papers"):
        browser.goto(http_root + path + "/")
        text = browser.evaluate("document.querySelector('script[type=\"application/ld+json\"]').textContent")
        embedded = Graph().parse(data=text, format="json-ld")
        expected = Graph()
        for triple in graph.triples((URIRef(B + path), None, None)):
            expected.add(triple)
        assert len(expected) > 1
        assert isomorphic(embedded, expected), path


LINKS_JS = """
(async (pages) => {
  const parser = new DOMParser();
  const out = {};
  await Promise.all(pages.map(async (url) => {
    const response = await fetch(url);
    const doc = parser.parseFromString(await response.text(), 'text/html');
    const links = [];
    for (const el of doc.querySelectorAll('a[href], link[href], img[src], script[src]')) {
      links.push(new URL(el.getAttribute('href') ?? el.getAttribute('src'), url).href);
    }
    out[url] = {status: response.status, links,
                ids: Array.from(doc.querySelectorAll('[id]')).map(e => e.id)};
  }));
  return out;
})(PAGES)
"""


def test_every_internal_link_resolves_as_the_browser_reads_it(browser: Browser, site: Path,
                                                              http_root: str) -> None:
    """Chromium fetches every page of the site, parses it and resolves each link; each internal link
    must name a file of the site (and an #id on it)."""
    pages = sorted(http_root + p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    browser.goto(http_root)
    found: dict[str, Any] = {}
    for start in range(0, len(pages), 200):
        chunk = pages[start:start + 200]
        found.update(browser.evaluate(LINKS_JS.replace("PAGES", json.dumps(chunk)), timeout=120))
    assert sorted(found) == pages
    checked = 0
    for page, info in found.items():
        assert info["status"] == 200, page
        for link in info["links"]:
            if not link.startswith(http_root):
                assert urlsplit(link).scheme in ("http", "https", "mailto"), f"{page}: {link}"
                continue
            parts = urlsplit(link)
            target = site / unquote(parts.path).lstrip("/")
            assert target.is_file(), f"{page}: broken link {link}"
            if parts.fragment and target.suffix == ".html":
                ids = found[http_root + target.relative_to(site).as_posix()]["ids"]
                assert unquote(parts.fragment) in ids, f"{page}: no #{parts.fragment} in {target}"
            checked += 1
    assert checked > 30_000


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("paper", FITNETS + "/")])
def test_screenshots(browser: Browser, http_root: str, name: str, path: str) -> None:
    browser.goto(http_root + path)
    data = browser.screenshot(OUTPUT / f"{name}.png")
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000
    assert browser.errors() == []

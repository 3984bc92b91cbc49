"""``kdgraph serve``: the site on 127.0.0.1 with content negotiation (kdgraph.site.serve, cli_site.serve).

A real server on a free port answers real HTTP requests; once, the command itself runs in a subprocess.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kdgraph.build import BuildResult
from kdgraph.site.serve import make_server, negotiate, parse_accept, url_of
from test_site import FITNETS, B, site_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def site(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out, _ = site_of(built, tmp_path_factory)
    return out / "site"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[tuple[str, int]]:
    httpd = make_server(site, 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    assert host == "127.0.0.1"
    yield str(host), int(port)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def fitnets(site: Path) -> Graph:
    """The triples of the FitNets paper, from the dump."""
    graph = Graph().parse(site.parent / "kdgraph.ttl", format="turtle")
    paper = URIRef(B + FITNETS)
    out = Graph()
    for triple in graph.triples((paper, None, None)):
        out.add(triple)
    return out


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def type(self) -> str:
        return self.headers.get("content-type", "")


def get(server: tuple[str, int], path: str, accept: str | None = None, method: str = "GET") -> Response:
    """One request, redirects not followed, the path sent exactly as given."""
    conn = http.client.HTTPConnection(*server, timeout=10)
    try:
        headers = {"Accept": accept} if accept is not None else {}
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
    finally:
        conn.close()


def test_turtle_for_a_paper_uri(server: tuple[str, int], fitnets: Graph) -> None:
    resp = get(server, f"/{FITNETS}", "text/turtle")
    assert resp.status == 200
    assert resp.type == "text/turtle; charset=utf-8"
    assert resp.headers["vary"] == "Accept"
    assert resp.headers["content-location"] == f"/{FITNETS}/index.ttl"
    assert isomorphic(Graph().parse(data=resp.body.decode("utf-8"), format="turtle"), fitnets)
    assert '</paper/fitnets-hints-for-thin-deep-nets/index.jsonld>; rel="alternate"' in resp.headers["link"]


def test_jsonld_for_a_paper_uri(server: tuple[str, int], fitnets: Graph) -> None:
    resp = get(server, f"/{FITNETS}", "application/ld+json")
    assert resp.status == 200
    assert resp.type == "application/ld+json"
    assert resp.headers["vary"] == "Accept"
    assert json.loads(resp.body)["@id"] == "paper:fitnets-hints-for-thin-deep-nets"
    assert isomorphic(Graph().parse(data=resp.body.decode("utf-8"), format="json-ld"), fitnets)


def test_html_for_a_browser(server: tuple[str, int]) -> None:
    resp = get(server, f"/{FITNETS}", BROWSER)
    assert resp.status == 301  # to the folder, where the page's relative links resolve
    assert resp.headers["location"] == f"/{FITNETS}/"
    resp = get(server, f"/{FITNETS}/", BROWSER)
    assert resp.status == 200
    assert resp.type == "text/html; charset=utf-8"
    assert resp.headers["vary"] == "Accept"
    assert b"<h1>FitNets: Hints for Thin Deep Nets</h1>" in resp.body
    assert get(server, f"/{FITNETS}/").type == "text/html; charset=utf-8"  # no Accept: HTML
    assert get(server, f"/{FITNETS}/", "*/*").type == "text/html; charset=utf-8"


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/ld+json;q=0.2, text/turtle;q=0.9, text/html;q=0.1", "text/turtle; charset=utf-8"),
    ("text/html;q=0, */*", "text/turtle; charset=utf-8"),
    ("application/json", "application/ld+json"),
    ("text/*", "text/html; charset=utf-8"),
    ("TEXT/TURTLE", "text/turtle; charset=utf-8"),
])
def test_q_values_are_weighed(server: tuple[str, int], accept: str, media: str) -> None:
    assert get(server, f"/{FITNETS}/", accept).type == media


def test_the_format_parameter_overrides_accept(server: tuple[str, int]) -> None:
    assert get(server, f"/{FITNETS}?format=ttl", BROWSER).type == "text/turtle; charset=utf-8"
    assert get(server, f"/{FITNETS}/?format=jsonld", "text/turtle").type == "application/ld+json"
    redirect = get(server, f"/{FITNETS}?format=html", "text/turtle")
    assert redirect.status == 301 and redirect.headers["location"] == f"/{FITNETS}/?format=html"
    bad = get(server, f"/{FITNETS}/?format=rdfxml")
    assert bad.status == 400 and b"unknown format" in bad.body


def test_nothing_acceptable_is_406(server: tuple[str, int]) -> None:
    resp = get(server, f"/{FITNETS}/", "image/png")
    assert resp.status == 406
    assert b"text/html, text/turtle, application/ld+json" in resp.body
    assert get(server, "/", "text/turtle").status == 406  # the home page is HTML only


def test_not_found(server: tuple[str, int]) -> None:
    page = get(server, "/paper/no-such-paper", BROWSER)
    assert page.status == 404 and page.type == "text/html; charset=utf-8" and b"Not found" in page.body
    plain = get(server, "/paper/no-such-paper", "text/turtle")
    assert plain.status == 404 and plain.type.startswith("text/plain")
    for sneaky in ("/../../../etc/passwd", "/static/../../kdgraph.ttl", "/%2e%2e/kdgraph.ttl"):
        assert get(server, sneaky).status == 404, sneaky


def test_files_are_served_with_their_media_types(server: tuple[str, int], site: Path) -> None:
    expected = {"/static/style.css": "text/css; charset=utf-8", "/sitemap.xml": "application/xml",
                "/charts/code-by-framework.svg": "image/svg+xml", "/dumps/kdgraph.nq": "application/n-quads",
                f"/{FITNETS}/index.ttl": "text/turtle; charset=utf-8",
                "/nginx.conf": "text/plain; charset=utf-8",
                "/queries/online-kd-pytorch/online-kd-pytorch.rq": "application/sparql-query"}
    for path, media in expected.items():
        resp = get(server, path)
        assert (resp.status, resp.type) == (200, media), path
        assert resp.body == (site / path.lstrip("/")).read_bytes()


def test_head_sends_no_body(server: tuple[str, int]) -> None:
    resp = get(server, f"/{FITNETS}/", "text/turtle", method="HEAD")
    assert resp.status == 200 and resp.body == b""
    assert int(resp.headers["content-length"]) > 100


def test_percent_encoded_paths(server: tuple[str, int]) -> None:
    resp = get(server, "/id/doi/10.1007%2Fs41666-020-00082-4", "text/turtle")
    assert resp.status == 200
    assert b"10.1007/s41666-020-00082-4" in resp.body


def test_negotiate() -> None:
    everything = ["index.html", "index.ttl", "index.jsonld"]
    assert negotiate(None, everything) == "index.html"
    assert negotiate("", everything) == "index.html"
    assert negotiate("text/turtle", everything) == "index.ttl"
    assert negotiate("text/turtle", ["index.html"]) is None
    assert negotiate("application/*;q=0.5, text/html;q=0.4", everything) == "index.jsonld"
    assert negotiate("text/html;q=bad, text/turtle;q=0.1", everything) == "index.ttl"
    assert parse_accept("text/html; level=1; q=0.7, nonsense, */*;q=2") == [("text/html", 0.7), ("*/*", 1.0)]


def test_the_serve_command(site: Path) -> None:
    """``kdgraph serve --port 0`` in a subprocess: it says where it listens, and negotiates."""
    code = "from kdgraph.cli_site import serve; serve(prog_name='kdgraph serve')"
    proc = subprocess.Popen([sys.executable, "-c", code, "--out", str(site.parent), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.fullmatch(r"serving .+/site/ at http://127\.0\.0\.1:(\d+)/ \(Ctrl-C stops\)\n", line)
        assert m, line
        port = int(m.group(1))
        resp = get(("127.0.0.1", port), f"/{FITNETS}", "text/turtle")
        assert resp.status == 200 and resp.type == "text/turtle; charset=utf-8"
        time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.stderr is not None
    log = proc.stderr.read()
    assert f'"GET /{FITNETS} HTTP/1.1" 200' in log


def test_serve_without_a_site(tmp_path: Path) -> None:
    code = "from kdgraph.cli_site import serve; serve(prog_name='kdgraph serve')"
    proc = subprocess.run([sys.executable, "-c", code, "--out", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "no site — write it with `kdgraph site --out" in proc.stderr


def test_url_of(site: Path) -> None:
    httpd = make_server(site, 0)
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url_of(httpd))
    finally:
        httpd.server_close()

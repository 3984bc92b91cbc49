"""``kdgraph serve``: the site of a build on 127.0.0.1, with the content negotiation of a linked-data host.

A resource's folder holds ``index.html``, ``index.ttl`` and ``index.jsonld``. A request for the folder
(``/paper/x`` or ``/paper/x/``) gets the representation its ``Accept`` header prefers (q-values weighed;
ties go to HTML), or the one ``?format=html|ttl|jsonld`` names, with ``Vary: Accept`` and a
``Content-Location``. HTML asked for without the trailing slash is redirected to the folder, so the page's
relative links resolve. Other files are served as they are; anything else is a 404 with the site's page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

HOST = "127.0.0.1"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".nq": "application/n-quads",
    ".rq": "application/sparql-query",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8",
    ".png": "image/png",
}

# the representations of a resource, in the server's order of preference
REPRESENTATIONS = (("text/html", "index.html"), ("text/turtle", "index.ttl"),
                   ("application/ld+json", "index.jsonld"))
ALIASES = {"application/xhtml+xml": "text/html", "application/json": "application/ld+json"}
FORMATS = {"html": "index.html", "ttl": "index.ttl", "turtle": "index.ttl", "jsonld": "index.jsonld",
           "json-ld": "index.jsonld"}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; malformed parts are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of ``media`` under ``ranges``: the most specific matching range decides."""
    kind = media.split("/", 1)[0]
    best = (-1, 0.0)
    for rng, q in ranges:
        rng = ALIASES.get(rng, rng)
        if rng == media:
            specificity = 2
        elif rng == f"{kind}/*":
            specificity = 1
        elif rng == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0] or (specificity == best[0] and q > best[1]):
            best = (specificity, q)
    return best[1]


def negotiate(accept: str | None, available: list[str]) -> str | None:
    """The file (``index.html``, ``index.ttl`` or ``index.jsonld``) to send; None if none is acceptable."""
    choices = [(media, name) for media, name in REPRESENTATIONS if name in available]
    if not choices:
        return None
    if not accept or not accept.strip():
        return choices[0][1]
    ranges = parse_accept(accept)
    scored = [(quality(media, ranges), -i, name) for i, (media, name) in enumerate(choices)]
    q, _, name = max(scored)
    return name if q > 0 else None


class SiteHandler(BaseHTTPRequestHandler):
    """Serves one site folder (set on a subclass by :func:`make_server`)."""

    site: Path = Path("site")
    log: Callable[[str], None] | None = None
    server_version = "kdgraph"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def log_message(self, format: str, *args: object) -> None:
        if self.log is not None:
            self.log(f"{self.address_string()} {format % args}")

    def _serve(self, body: bool) -> None:
        split = urlsplit(self.path)
        path = unquote(split.path)
        parts = [p for p in path.split("/") if p]
        if not path.startswith("/") or any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
            self._not_found(body)
            return
        target = self.site.joinpath(*parts)
        if not target.resolve().is_relative_to(self.site):
            self._not_found(body)
        elif target.is_dir():
            self._resource(target, path, split.query, body)
        elif target.is_file():
            self._send(HTTPStatus.OK, target.read_bytes(), self._media(target), body)
        else:
            self._not_found(body)

    def _resource(self, folder: Path, path: str, query: str, body: bool) -> None:
        available = [name for _, name in REPRESENTATIONS if (folder / name).is_file()]
        if not available:
            self._not_found(body)
            return
        fmt = parse_qs(query).get("format", [None])[0]
        if fmt is not None:
            name: str | None = FORMATS.get(fmt.lower())
            if name is None:
                self._send(HTTPStatus.BAD_REQUEST, (f"unknown format {fmt!r}: use one of "
                                                    f"{', '.join(sorted(FORMATS))}\n").encode(),
                           MEDIA_TYPES[".txt"], body)
                return
            if name not in available:
                self._not_found(body)
                return
        else:
            name = negotiate(self.headers.get("Accept"), available)
        vary = {"Vary": "Accept"}
        if name is None:
            offered = ", ".join(media for media, n in REPRESENTATIONS if n in available)
            self._send(HTTPStatus.NOT_ACCEPTABLE, f"available: {offered}\n".encode(), MEDIA_TYPES[".txt"],
                       body, vary)
            return
        folder_url = quote(path if path.endswith("/") else path + "/")
        if name == "index.html" and not path.endswith("/"):
            location = folder_url + (f"?{query}" if query else "")
            self._send(HTTPStatus.MOVED_PERMANENTLY, b"", MEDIA_TYPES[".txt"], body,
                       {**vary, "Location": location})
            return
        links = ", ".join(f'<{folder_url}{n}>; rel="alternate"; type="{media}"'
                          for media, n in REPRESENTATIONS if n in available and n != name)
        headers = {**vary, "Content-Location": folder_url + name}
        if links:
            headers["Link"] = links
        self._send(HTTPStatus.OK, (folder / name).read_bytes(), self._media(folder / name), body, headers)

    def _not_found(self, body: bool) -> None:
        page = self.site / "404.html"
        wants_html = negotiate(self.headers.get("Accept"), ["index.html", "index.ttl"]) == "index.html"
        if page.is_file() and wants_html:
            self._send(HTTPStatus.NOT_FOUND, page.read_bytes(), MEDIA_TYPES[".html"], body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", MEDIA_TYPES[".txt"], body)

    @staticmethod
    def _media(path: Path) -> str:
        return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")

    def _send(self, status: HTTPStatus, data: bytes, media: str, body: bool,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body:
            self.wfile.write(data)


def make_server(site: Path, port: int = 8000,
                log: Callable[[str], None] | None = None) -> ThreadingHTTPServer:
    """An HTTP server for ``site`` on 127.0.0.1:``port`` (0: any free port), not yet serving."""
    handler = type("BoundSiteHandler", (SiteHandler,), {"site": site.resolve(), "log": staticmethod(log)
                                                         if log else None})
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def url_of(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve(site: Path, port: int = 8000, log: Callable[[str], None] | None = _stderr) -> None:
    """Serve ``site`` until interrupted."""
    server = make_server(site, port, log)
    try:
        server.serve_forever()
    finally:
        server.server_close()

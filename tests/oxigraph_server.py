"""Real servers for the store tests: an Oxigraph server process, and a recording proxy in front of it.

Imported by test modules::

    from oxigraph_server import oxigraph_server  # noqa: F401  (fixture)

(or ``import oxigraph_server as server_fixture``-style aliases: the fixture declares its name, so a test's
``oxigraph_server`` parameter then shadows no import and ruff's F811 stays quiet).

The ``oxigraph`` command comes from the ``oxigraph`` package on PyPI (the test extra) and is looked up next
to the running Python; the tests that need it are skipped, with the reason, when it is missing. Nothing
listens beyond 127.0.0.1.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

START_TIMEOUT = 20.0
REPO = Path(__file__).resolve().parents[1]
_BUILDS: dict[Path, Path] = {}


def oxigraph_binary() -> Path | None:
    """The ``oxigraph`` CLI of this environment (beside ``sys.executable``), else one on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def require_oxigraph() -> Path:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip(f"no `oxigraph` command beside {sys.executable} — install the test extra: "
                    "pip install -e '.[test]'")
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OxigraphServer:
    """One ``oxigraph serve`` process on 127.0.0.1; ``stop()`` ends it (also safe to call twice)."""

    def __init__(self, location: Path, port: int, *, union_default_graph: bool = False) -> None:
        self.location = location
        self.port = port
        self.union_default_graph = union_default_graph
        self.base_url = f"http://127.0.0.1:{port}"
        self.query_url = f"{self.base_url}/query"
        self.update_url = f"{self.base_url}/update"
        self.store_url = f"{self.base_url}/store"
        self.log = location.parent / f"{location.name}-oxigraph-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, binary: Path, timeout: float = START_TIMEOUT) -> None:
        command = [str(binary), "serve", "--location", str(self.location),
                   "--bind", f"127.0.0.1:{self.port}"]
        if self.union_default_graph:
            command.append("--union-default-graph")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        probe = f"{self.query_url}?query={urllib.parse.quote('ASK {}')}"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with code {self.process.returncode}: "
                                   f"{self.log_tail()}")
            try:
                with urllib.request.urlopen(probe, timeout=1.0) as response:
                    response.read()
                    return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"oxigraph serve did not answer on {self.base_url} within "
                                   f"{timeout:g} s: {self.log_tail()}")
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Terminate the process and wait for it; kill it if it does not stop within 10 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_tail(self) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-5:]) or "(empty log)"

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(location: Path, *, union_default_graph: bool = False) -> OxigraphServer:
    """Start ``oxigraph serve`` on ``location`` (created if missing) and a free port; wait until it answers.

    Also the way to start a second server on the store folder of a stopped one (RocksDB allows one process
    per folder, so stop the first one before). Retries a few times if the chosen port was taken meanwhile.
    """
    binary = require_oxigraph()
    location.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        server = OxigraphServer(location, free_port(), union_default_graph=union_default_graph)
        try:
            server.start(binary)
            return server
        except RuntimeError:
            server.stop()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="module", name="oxigraph_server")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server with an empty on-disk store, shared by the tests of one module."""
    server = start_server(tmp_path_factory.mktemp("oxigraph") / "store")
    try:
        yield server
    finally:
        server.stop()


def built_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build of the bundled lists, made once per test session and shared by the store test modules;
    tests must not change it (copy it first)."""
    from kdgraph.build import build
    from kdgraph.sources import load_registry

    base = tmp_path_factory.getbasetemp()
    if base not in _BUILDS:
        out = tmp_path_factory.mktemp("kdbuild") / "out"
        build(load_registry(REPO / "data" / "sources.toml"), out)
        _BUILDS[base] = out
    return _BUILDS[base]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class RecordingProxy:
    """A real HTTP server on 127.0.0.1 that records every request, answers the next ones from ``canned``
    (status, content type, body) while any are left, and forwards the rest to ``upstream``."""

    upstream: str | None = None
    canned: list[tuple[int, str, bytes]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None
    base_url: str = ""

    def start(self) -> RecordingProxy:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.requests.append(Recorded(self.command, self.path, dict(self.headers.items())))
                if proxy.canned:
                    status, media, payload = proxy.canned.pop(0)
                elif proxy.upstream is None:
                    status, media, payload = 404, "text/plain", b"no upstream"
                else:
                    status, media, payload = self._forward(body)
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _forward(self, body: bytes) -> tuple[int, str, bytes]:
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() in ("content-type", "accept")}
                request = urllib.request.Request(f"{proxy.upstream}{self.path}", data=body or None,
                                                 method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        return (response.status, response.headers.get("Content-Type", ""),
                                response.read())
                except urllib.error.HTTPError as exc:
                    return exc.code, exc.headers.get("Content-Type", "text/plain"), exc.read()

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self) -> RecordingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

"""Loading the built graph into a SPARQL server: one HTTP PUT per named graph, then a count check.

Each named graph of ``OUT/kdgraph.nq`` is sent as N-Triples with an HTTP PUT of the SPARQL 1.1 Graph Store
HTTP Protocol (``GRAPH_STORE?graph=IRI``). A PUT replaces the whole graph in one request, so loading twice
leaves the same store, a graph that shrank loses its stale triples, and graphs the dump does not name are
left alone. After the PUTs, a ``COUNT`` query per graph on the query endpoint checks that the server holds
exactly the dump's triples.

Transient failures (connection refused or lost, timeouts, HTTP 429/502/503/504) are retried with
exponential backoff (0.5 s, 1 s, 2 s, … at most 8 s a wait); other HTTP errors are not. A PUT is idempotent,
so repeating one whose answer was lost is safe. If the load stops half-way, the graphs before the failure
are new and the others as they were; running the load again finishes it.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

from .endpoint import EndpointError, auth_headers, check_url, failure, run_remote
from .errors import KdgraphError
from .results import plain

Progress = Callable[[str], None]
T = TypeVar("T")

DUMP = "kdgraph.nq"
FIRST_WAIT = 0.5
MAX_WAIT = 8.0


def _quiet(_: str) -> None:
    pass


@dataclass(slots=True)
class LoadReport:
    """What was loaded: triples per graph IRI (sorted by IRI), where, and how long it took."""

    endpoint: str
    graph_store: str
    counts: dict[str, int] = field(default_factory=dict)
    put_seconds: float = 0.0
    check_seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL of a server from its query URL: a trailing ``/query`` or ``/sparql``
    becomes ``/store`` (Oxigraph's layout)."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for suffix in ("/query", "/sparql"):
        if path.endswith(suffix):
            return urlunsplit(parts._replace(path=path[: -len(suffix)] + "/store"))
    raise KdgraphError(f"--endpoint {endpoint}: cannot guess the graph store URL (the path does not end in "
                       "/query or /sparql) — pass --graph-store URL")


def split_graphs(dump: Path) -> dict[str, bytes]:
    """The named graphs of an N-Quads file, each as a sorted, duplicate-free N-Triples document."""
    import pyoxigraph as ox

    graphs: dict[str, set[str]] = {}
    try:
        for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
            if isinstance(quad.graph_name, ox.DefaultGraph):
                raise KdgraphError(f"{dump}: a triple in the default graph ({quad.subject} "
                                   f"{quad.predicate} …) — kdgraph dumps hold named graphs only; rebuild "
                                   "with `kdgraph build`")
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise KdgraphError(f"{dump}: a graph named by a blank node ({quad.graph_name}) — rebuild "
                                   "with `kdgraph build`")
            graphs.setdefault(quad.graph_name.value, set()).add(
                f"{quad.subject} {quad.predicate} {quad.object} .\n")
    except SyntaxError as exc:
        raise KdgraphError(f"{dump}: not valid N-Quads ({' '.join(str(exc).split())}) — rebuild with "
                           "`kdgraph build`") from exc
    return {g: "".join(sorted(lines)).encode("utf-8") for g, lines in sorted(graphs.items())}


def with_retries(action: Callable[[], T], *, retries: int, progress: Progress = _quiet) -> T:
    """Run ``action``; while it fails with a transient :class:`EndpointError`, wait (0.5 s, 1 s, 2 s, …,
    at most 8 s, or the server's Retry-After if longer) and try again, ``retries`` times at most."""
    attempt = 0
    while True:
        try:
            return action()
        except EndpointError as exc:
            if not exc.transient or attempt >= retries:
                if attempt:
                    raise EndpointError(f"{exc} (gave up after {attempt + 1} attempts)", url=exc.url,
                                        status=exc.status) from exc
                raise
            wait = min(max(FIRST_WAIT * 2 ** attempt, exc.retry_after or 0.0), MAX_WAIT)
            attempt += 1
            progress(f"{exc}" if attempt == 1 else "still failing")
            progress(f"trying again in {wait:g} s ({attempt} of {retries} retries)…")
            time.sleep(wait)


def put_graph(store: str, graph: str, body: bytes, *, timeout: float, headers: dict[str, str],
              what: str) -> None:
    """Replace ``graph`` on the graph store with the N-Triples ``body`` (one HTTP PUT)."""
    url = f"{store}{'&' if '?' in store else '?'}graph={quote(graph, safe='')}"
    request = urllib.request.Request(url, data=body, method="PUT", headers={
        "Content-Type": "application/n-triples", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise failure(exc, store, what, timeout) from exc


def count_graph(endpoint: str, graph: str, *, timeout: float) -> int:
    """The number of triples in ``graph`` on the server, by SPARQL query."""
    result = run_remote(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", endpoint,
                        timeout=timeout)
    value = plain(result.rows[0][0]) if result.rows and result.rows[0] else ""
    if not value.isdigit():
        raise KdgraphError(f"SPARQL query: {endpoint} answered the count of <{graph}> with {value!r}, not a "
                           "number — is this a SPARQL 1.1 endpoint?")
    return int(value)


def load(out: Path, endpoint: str, graph_store: str | None = None, *, timeout: float = 60.0,
         retries: int = 3, progress: Progress = _quiet) -> LoadReport:
    """Load ``out/kdgraph.nq`` into the server whose query URL is ``endpoint``, one graph at a time.

    ``graph_store`` is the Graph Store Protocol URL (default: from ``endpoint``, see
    :func:`graph_store_url`). ``timeout`` applies to each request. Raises :class:`KdgraphError` with one
    line when the dump is missing, the server fails, or a count on the server differs from the dump's.
    """
    dump = out / DUMP
    if not dump.is_file():
        raise KdgraphError(f"{dump}: no N-Quads dump to load — run `kdgraph build --out {out}` first")
    check_url(endpoint)
    store = graph_store or graph_store_url(endpoint)
    check_url(store, "--graph-store")
    headers = auth_headers()
    graphs = split_graphs(dump)
    expected = {g: body.count(b"\n") for g, body in graphs.items()}
    report = LoadReport(endpoint=endpoint, graph_store=store)

    started = time.perf_counter()
    for n, (graph, body) in enumerate(graphs.items(), 1):
        progress(f"loading graph {n}/{len(graphs)} <{graph}> ({expected[graph]} triples)…")
        what = f"loading <{graph}> (graph {n} of {len(graphs)})"
        with_retries(partial(put_graph, store, graph, body, timeout=timeout, headers=headers, what=what),
                     retries=retries, progress=progress)
    report.put_seconds = time.perf_counter() - started

    started = time.perf_counter()
    progress(f"checking the triple counts at {endpoint}…")
    for graph in graphs:
        found = with_retries(partial(count_graph, endpoint, graph, timeout=timeout), retries=retries,
                             progress=progress)
        if found != expected[graph]:
            raise KdgraphError(f"{endpoint}: graph <{graph}> holds {found} triples after loading, the dump "
                               f"{dump} has {expected[graph]} — does --endpoint query the same server as "
                               f"--graph-store {store}? run the load again, then see the server's log")
        report.counts[graph] = found
    report.check_seconds = time.perf_counter() - started
    return report

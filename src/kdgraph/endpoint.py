"""Remote SPARQL endpoints: run a query over HTTP and get the same :class:`QueryResult` the embedded store
gives, pre-bind variables the way the embedded store's ``substitutions`` do, and explain HTTP failures in
one line.

Terms come back in N-Triples syntax exactly as pyoxigraph prints them (the results are parsed by pyoxigraph
itself), so a remote answer and an embedded one compare row for row. Credentials come from the environment
only — ``KDGRAPH_ENDPOINT_USER`` + ``KDGRAPH_ENDPOINT_PASSWORD`` (HTTP basic) or ``KDGRAPH_ENDPOINT_TOKEN``
(bearer) — never from arguments, so they stay out of shell history and process lists.
"""

from __future__ import annotations

import ast
import base64
import http.client
import os
import re
import socket
import ssl
import urllib.error
import warnings
from urllib.parse import urlsplit

from .errors import KdgraphError
from .results import QueryResult
from .sparql_text import query_form

ENV_USER = "KDGRAPH_ENDPOINT_USER"
ENV_PASSWORD = "KDGRAPH_ENDPOINT_PASSWORD"
ENV_TOKEN = "KDGRAPH_ENDPOINT_TOKEN"
START_HINT = ("is the server running? start one with "
              "`oxigraph serve --location store --bind 127.0.0.1:7878`")
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
ACCEPT = {
    "select": "application/sparql-results+json",
    "ask": "application/sparql-results+json",
    "construct": "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5",
    "describe": "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5",
}


class EndpointError(KdgraphError):
    """A failed HTTP exchange with a SPARQL server. ``transient`` failures (connection refused or lost,
    timeouts, HTTP 429/502/503/504) may succeed when tried again."""

    def __init__(self, message: str, *, url: str, status: int | None = None, transient: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.transient = transient
        self.retry_after = retry_after


# --- credentials ---------------------------------------------------------------------------------------

def auth_headers() -> dict[str, str]:
    """The ``Authorization`` header from the environment, or no header."""
    user = os.environ.get(ENV_USER, "")
    password = os.environ.get(ENV_PASSWORD, "")
    token = os.environ.get(ENV_TOKEN, "")
    if token and (user or password):
        raise KdgraphError(f"both {ENV_TOKEN} and {ENV_USER}/{ENV_PASSWORD} are set — keep one way "
                           "of signing in and unset the other")
    if token:
        return {"Authorization": f"Bearer {token}"}
    if user or password:
        if not (user and password):
            missing = ENV_PASSWORD if user else ENV_USER
            raise KdgraphError(f"{missing} is not set — HTTP basic auth needs both {ENV_USER} and "
                               f"{ENV_PASSWORD}")
        credentials = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return {"Authorization": f"Basic {credentials}"}
    return {}


# --- failures ------------------------------------------------------------------------------------------

def check_url(url: str, option: str = "--endpoint") -> None:
    """Refuse anything but an absolute http(s) URL, before any request is made."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KdgraphError(f"{option} {url!r}: not an http(s) URL — give one such as "
                           "http://127.0.0.1:7878/query")


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body_text(exc: BaseException) -> str:
    """The server's error message: an HTTPError's body, or the response SPARQLWrapper put in its message."""
    if isinstance(exc, urllib.error.HTTPError):
        try:
            return exc.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            return exc.reason if isinstance(exc.reason, str) else ""
    message = str(exc)
    if "Response:\n" in message:
        raw = message.split("Response:\n", 1)[1]
        try:
            value = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return raw
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return ""


_MARKUP = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.DOTALL | re.IGNORECASE)
_SPARQLWRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
                         "URITooLong": 414, "EndPointInternalError": 500}


def _status_advice(status: int, location: str | None) -> str:
    if 300 <= status < 400:
        return f"the server redirects{f' to {location}' if location else ''}; use that URL"
    if status in (401, 403):
        return (f"check the credentials in {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}")
    if status in (404, 405):
        return ("check the URL (Oxigraph serves queries at /query, updates at /update and the graph "
                "store at /store)")
    if status == 400:
        return "the server rejected the request; fix it as the message says"
    if status == 413:
        return "the request is too large for the server; raise its upload limit"
    if status in TRANSIENT_STATUS:
        return "the server is busy or restarting; try again later"
    if status >= 500:
        return "the server failed; see its log"
    return "see the server's message and its documentation"


def failure(exc: BaseException, url: str, what: str, timeout: float | None = None) -> EndpointError:
    """Turn an exception raised while talking to ``url`` into a one-line :class:`EndpointError`:
    what failed, where, and what to do."""
    context = exc.__context__
    status: int | None = None
    retry_after: float | None = None
    location: str | None = None
    if isinstance(exc, urllib.error.HTTPError):
        status = exc.code
        retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
        location = exc.headers.get("Location") if exc.headers else None
    elif type(exc).__name__ in _SPARQLWRAPPER_STATUS:
        status = (context.code if isinstance(context, urllib.error.HTTPError)
                  else _SPARQLWRAPPER_STATUS[type(exc).__name__])
    if status is not None:
        detail = _body_text(exc)
        if "<html" in detail[:500].lower():  # an error page: its text, not its markup
            detail = _MARKUP.sub(" ", detail)
        detail = _one_line(detail)
        return EndpointError(
            f"{what}: {url} answered HTTP {status}{f' ({detail})' if detail else ''} — "
            f"{_status_advice(status, location)}",
            url=url, status=status, transient=status in TRANSIENT_STATUS, retry_after=retry_after)
    reason: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return EndpointError(f"{what}: cannot reach {url} (connection refused) — {START_HINT}",
                             url=url, transient=True)
    if isinstance(reason, socket.gaierror):
        host = urlsplit(url).hostname or url
        return EndpointError(f"{what}: unknown host {host!r} in {url} — check the URL", url=url)
    if isinstance(reason, TimeoutError | socket.timeout):
        within = f" within {timeout:g} s" if timeout else ""
        return EndpointError(f"{what}: no answer from {url}{within} — the server may be overloaded; "
                             "try again or raise --timeout", url=url, transient=True)
    if isinstance(reason, ssl.SSLError):
        return EndpointError(f"{what}: TLS error with {url} ({_one_line(str(reason))}) — check the "
                             "URL's scheme and the server's certificate", url=url)
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return EndpointError(f"{what}: the connection to {url} was lost ({type(reason).__name__}) — "
                             f"{START_HINT}", url=url, transient=True)
    if isinstance(exc, ValueError):
        return EndpointError(f"{what}: {url!r} is not a usable URL ({_one_line(str(exc))}) — give an "
                             "http(s) URL such as http://127.0.0.1:7878/query", url=url)
    return EndpointError(f"{what}: {url} failed ({_one_line(str(reason)) or type(reason).__name__}) — "
                         f"{START_HINT}", url=url, transient=isinstance(reason, OSError))


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


# --- running a query -----------------------------------------------------------------------------------

def run_remote(query: str, endpoint: str, *, timeout: float = 30.0) -> QueryResult:
    """Run ``query`` on the SPARQL endpoint ``endpoint`` (HTTP POST) and return its results with every term
    in N-Triples syntax, as the embedded store gives them. Raises :class:`EndpointError` (a
    :class:`KdgraphError`) with one line for a server that is down, slow, refuses, or answers nonsense."""
    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    check_url(endpoint)
    form = query_form(query)
    if form is None:
        raise KdgraphError("not a SPARQL query — it must be a SELECT, ASK, CONSTRUCT or DESCRIBE (updates "
                           "are not run)")
    headers = auth_headers()
    sparql = SPARQLWrapper(endpoint)
    sparql.setMethod(POST)
    sparql.setOnlyConneg(True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SPARQLWrapper's own guess of the form
        sparql.setQuery(query)
    sparql.queryType = form.upper()  # our scan decides, not SPARQLWrapper's regular expression
    sparql.setReturnFormat(JSON if form in ("select", "ask") else N3)
    sparql.addCustomHttpHeader("Accept", ACCEPT[form])
    for name, value in headers.items():
        sparql.addCustomHttpHeader(name, value)
    sparql.timeout = timeout  # type: ignore[assignment]  # setTimeout() would truncate to whole seconds
    try:
        response = sparql.query().response
        body = response.read()
        media = response.headers.get("Content-Type", "")
    except (SPARQLWrapperException, OSError, http.client.HTTPException, ValueError) as exc:
        raise failure(exc, endpoint, "SPARQL query", timeout) from exc
    return _parse(body, media, form, endpoint)


def _parse(body: bytes, media: str, form: str, endpoint: str) -> QueryResult:
    import pyoxigraph as ox

    essence = media.split(";", 1)[0].strip().lower()
    shown = essence or "no content type"

    def nonsense(detail: str) -> EndpointError:
        return EndpointError(
            f"SPARQL query: {endpoint} did not answer with SPARQL results ({shown}: {_one_line(detail)}) — "
            "is this the query URL of a SPARQL endpoint? (Oxigraph's is http://HOST:PORT/query)",
            url=endpoint)

    try:
        if form in ("select", "ask"):
            results_format = ox.QueryResultsFormat.from_media_type(essence) if essence else None
            if results_format is None:
                raise nonsense(body[:80].decode("utf-8", "replace"))
            answer = ox.parse_query_results(body, format=results_format)
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult(kind="ask", boolean=bool(answer))
            variables = [v.value for v in answer.variables]
            rows = [[None if s[v] is None else str(s[v]) for v in variables] for s in answer]
            return QueryResult(kind="select", variables=variables, rows=rows)
        rdf_format = ox.RdfFormat.from_media_type(essence) if essence else None
        if rdf_format is None or rdf_format.supports_datasets:
            raise nonsense(body[:80].decode("utf-8", "replace"))
        lines = sorted({f"{q.subject} {q.predicate} {q.object} ."
                        for q in ox.parse(body, format=rdf_format, base_iri=endpoint)})
        return QueryResult(kind="graph", ntriples=lines)
    except SyntaxError as exc:
        raise nonsense(str(exc)) from exc

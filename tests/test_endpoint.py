"""Remote SPARQL endpoints: results equal to the embedded store's, pre-binding with VALUES, one-line errors,
and credentials from the environment — against a real Oxigraph server and real local HTTP servers."""

from __future__ import annotations

import base64
import socket
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kdgraph.endpoint import (
    START_HINT,
    EndpointError,
    auth_headers,
    failure,
    run_remote,
)
from kdgraph.errors import KdgraphError
from kdgraph.load import load, put_graph
from kdgraph.results import QueryResult
from kdgraph.sparql_text import bind_values, query_form
from oxigraph_server import OxigraphServer, RecordingProxy, built_out, start_server

XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS_GRAPH = "urn:kdgraph:test:terms"
P = ox.NamedNode("urn:kdgraph:test:p")
INJECTION = 'x" } ; DROP ALL ; #'
TRICKY = [
    ox.Literal(INJECTION),
    ox.Literal("x"),
    ox.Literal(""),
    ox.Literal('quote " backslash \\ newline \n tab \t return \r'),
    ox.Literal("\u0001 control, \u007f delete"),
    ox.Literal("é ü 漢字 🎉"),
    ox.Literal("colour", language="en-GB"),
    ox.Literal("2020", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("3.14", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("x", datatype=ox.NamedNode(XSD + "string")),
    ox.Literal("v", datatype=ox.NamedNode("urn:kdgraph:test:datatype")),
    ox.NamedNode("https://example.org/a#b?c=d&e=%7Bf%7D"),
]
ASK_TRUE = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')


def tricky_triples() -> list[ox.Triple]:
    return [ox.Triple(ox.NamedNode(f"urn:kdgraph:test:s{i}"), P, o) for i, o in enumerate(TRICKY)]


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """A server whose default graph is the union of the named graphs, as the embedded store's, holding the
    build's dump plus a graph of tricky terms."""
    out = built_out(tmp_path_factory)
    server = start_server(tmp_path_factory.mktemp("endpoint") / "store", union_default_graph=True)
    try:
        load(out, server.query_url)
        body = ox.serialize(tricky_triples(), format=ox.RdfFormat.N_TRIPLES)
        put_graph(server.store_url, TERMS_GRAPH, body, timeout=10, headers={}, what="test")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The same quads in an in-memory pyoxigraph store."""
    store = ox.Store()
    store.load(path=str(built_out(tmp_path_factory) / "kdgraph.nq"), format=ox.RdfFormat.N_QUADS)
    graph = ox.NamedNode(TERMS_GRAPH)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in tricky_triples())
    return store


def embedded(store: ox.Store, query: str, substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
             ) -> QueryResult:
    answer = store.query(query, use_default_graph_as_union=True,
                         substitutions={ox.Variable(k): v for k, v in (substitutions or {}).items()})
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        return QueryResult(kind="select", variables=variables,
                           rows=[[None if s[v] is None else str(s[v]) for v in variables] for s in answer])
    return QueryResult(kind="graph", ntriples=sorted({f"{t.subject} {t.predicate} {t.object} ."
                                                      for t in answer}))


def same(a: QueryResult, b: QueryResult) -> None:
    assert (a.kind, a.variables, a.boolean, a.ntriples) == (b.kind, b.variables, b.boolean, b.ntriples)
    assert sorted(a.rows, key=repr) == sorted(b.rows, key=repr)


SKOS = "http://www.w3.org/2004/02/skos/core#"
QUERIES = {
    "every quad": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "union default graph": "SELECT * WHERE { ?s ?p ?o }",
    "unbound values": f"SELECT ?s ?label WHERE {{ ?s a ?type OPTIONAL {{ ?s <{SKOS}prefLabel> ?label }} }}",
    "aggregates": "SELECT ?g (COUNT(*) AS ?n) (MAX(STR(?o)) AS ?last) WHERE { GRAPH ?g { ?s ?p ?o } } "
                  "GROUP BY ?g",
    "term functions": f"SELECT ?o (LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) (STRLEN(STR(?o)) AS ?len) "
                      f"WHERE {{ GRAPH <{TERMS_GRAPH}> {{ ?s ?p ?o }} }}",
    "computed literals": "SELECT (1 + 1 AS ?two) (1.5 * 2 AS ?three) (\"a\"@en AS ?lang) "
                         "(xsd:date(\"2020-01-02\") AS ?date) WHERE {}",
    "ask true": f"ASK {{ ?s <{SKOS}prefLabel> \"PyTorch\"@en }}",
    "ask false": "ASK { ?s ?p \"no such literal anywhere\" }",
    "construct": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "construct tricky": f"CONSTRUCT {{ ?o ?p ?s }} WHERE {{ GRAPH <{TERMS_GRAPH}> {{ ?s ?p ?o }} "
                        "FILTER(isIRI(?o)) }",
    "describe": "DESCRIBE <https://w3id.org/kdgraph/framework/pytorch>",
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_remote_results_equal_the_embedded_stores(name: str, remote: OxigraphServer, local: ox.Store) -> None:
    query = QUERIES[name]
    if "xsd:" in query:
        query = f"PREFIX xsd: <{XSD}>\n{query}"
    result = run_remote(query, remote.query_url)
    same(result, embedded(local, query))
    assert result.rows or result.ntriples or result.kind == "ask"


def test_terms_are_printed_as_pyoxigraph_prints_them(remote: OxigraphServer) -> None:
    result = run_remote(f"SELECT ?o WHERE {{ GRAPH <{TERMS_GRAPH}> {{ ?s ?p ?o }} }}", remote.query_url)
    terms = {row[0] for row in result.rows}
    assert terms == {str(t) for t in TRICKY}
    assert '"x"' in terms and f'"x"^^<{XSD}string>' not in terms  # plain strings carry no datatype
    assert '"colour"@en-gb' in terms and f'"2020"^^<{XSD}gYear>' in terms


def test_bound_variables_give_the_embedded_stores_answer(remote: OxigraphServer, local: ox.Store) -> None:
    query = f"SELECT ?s ?label WHERE {{ ?s <{SKOS}prefLabel> ?label }}"
    label = ox.Literal("PyTorch", language="en")
    result = run_remote(bind_values(query, {"label": str(label)}), remote.query_url)
    same(result, embedded(local, query, {"label": label}))
    assert len(result.rows) == 1


def test_the_injection_string_is_matched_only_as_a_string(remote: OxigraphServer, local: ox.Store) -> None:
    query = "SELECT ?s ?v WHERE { ?s <urn:kdgraph:test:p> ?v }"
    bound = bind_values(query, {"v": str(ox.Literal(INJECTION))})
    result = run_remote(bound, remote.query_url)
    assert result.rows == [["<urn:kdgraph:test:s0>", str(ox.Literal(INJECTION))]]
    same(result, embedded(local, query, {"v": ox.Literal(INJECTION)}))
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    same(run_remote(count, remote.query_url), embedded(local, count))  # nothing was dropped


# --- bind_values --------------------------------------------------------------------------------------

EX = "PREFIX ex: <http://example.org/ns#>\n"
BIND_CASES = {
    "plain": "SELECT ?s ?v WHERE { ?s ex:p ?v }",
    "lower-case where, $var": "select $s $v where { $s ex:p $v }",
    "no WHERE keyword": "SELECT ?s ?v { ?s ex:p ?v }",
    "brace in a comment": "# a { comment } with SELECT * WHERE {\nSELECT ?s ?v WHERE { # {\n ?s ex:p ?v }",
    "WHERE, then a comment with a brace": "SELECT ?s ?v WHERE # { not this one\n{ ?s ex:p ?v }",
    "braces in strings": "SELECT ?s ?v WHERE { ?s ex:p ?v "
                         "FILTER(?v != \"}{\" && ?v != '{' && ?v != \"\\\"{\") }",
    "braces in long strings": "SELECT ?s ?v WHERE { ?s ex:p ?v "
                              "FILTER(?v NOT IN ('''{\n'}''', \"\"\"}\"{\"\"\")) }",
    "'#' inside IRIs on one line": "SELECT ?s ?v FROM <http://example.org/g#x> "
                                   "WHERE { ?s <http://example.org/ns#p> ?v }",
    "variables named where": "SELECT ?where ?v WHERE { ?where ex:p ?v . ?where ex:where ?wherever }",
    "sub-query in a group": "SELECT ?s ?v WHERE { { SELECT ?s ?v WHERE { ?s ex:p ?v } } }",
    "sub-query alone": "SELECT * WHERE { SELECT ?s ?v WHERE { ?s ex:p ?v } ORDER BY ?s }",
    "optional and filter": "SELECT ?s ?o ?v WHERE { ?s ex:p ?v OPTIONAL { ?s ex:q ?o FILTER(?o != ?v) } }",
    "values clause after": "SELECT ?s ?v WHERE { ?s ex:p ?v } VALUES ?s { ex:a ex:b }",
    "ask": "ASK WHERE { ?s ex:p ?v }",
    "construct": "CONSTRUCT { ?s ex:copy ?v } WHERE { ?s ex:p ?v }",
    "construct where": "CONSTRUCT WHERE { ?s ex:p ?v }",
    "describe": "DESCRIBE ?s ?v WHERE { ?s ex:p ?v }",
}
BIND_VALUES = [ox.Literal("x"), ox.Literal(INJECTION), ox.Literal("{"), ox.Literal("x", language="en"),
               ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")), ox.NamedNode("http://example.org/o")]


@pytest.fixture(scope="module")
def small() -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/ns#"
    for i, value in enumerate(BIND_VALUES):
        subject = ox.NamedNode(f"http://example.org/{chr(97 + i)}")
        store.add(ox.Quad(subject, ox.NamedNode(ex + "p"), value))
        store.add(ox.Quad(subject, ox.NamedNode(ex + "q"), ox.Literal(str(i))))
        store.add(ox.Quad(subject, ox.NamedNode(ex + "where"), ox.Literal("w")))
    return store


def test_bind_values_cases_are_all_collected() -> None:
    assert len(BIND_CASES) == 17


@pytest.mark.parametrize("name", list(BIND_CASES))
@pytest.mark.parametrize("value", BIND_VALUES, ids=str)
def test_bind_values_gives_what_substitutions_give(name: str, value: ox.NamedNode | ox.Literal,
                                                    small: ox.Store) -> None:
    query = EX + BIND_CASES[name]
    bound = bind_values(query, {"v": str(value)})
    assert bound != query
    same(embedded(small, bound), embedded(small, query, {"v": value}))  # parses, and the same answer


def test_bind_values_puts_values_first_in_the_outermost_group() -> None:
    query = "SELECT ?s WHERE { ?s <urn:p> ?v { SELECT ?v WHERE { ?v ?p ?o } } }"
    assert bind_values(query, {"?v": '"a"', "w": "<urn:w>"}) == (
        'SELECT ?s WHERE { VALUES (?v ?w) { ("a" <urn:w>) } ?s <urn:p> ?v { SELECT ?v WHERE { ?v ?p ?o } } }')


def test_the_injection_string_stays_one_literal() -> None:
    term = str(ox.Literal(INJECTION))
    bound = bind_values("SELECT ?s WHERE { ?s ?p ?v }", {"v": term})
    assert bound == f"SELECT ?s WHERE {{ VALUES (?v) {{ ({term}) }} ?s ?p ?v }}"
    ox.Store().query(bound)  # no SyntaxError


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_is_matched_only_as_itself(text: str) -> None:
    store = ox.Store()
    p = ox.NamedNode("urn:p")
    store.add(ox.Quad(ox.NamedNode("urn:same"), p, ox.Literal(text)))
    store.add(ox.Quad(ox.NamedNode("urn:other"), p, ox.Literal(text + "}")))
    bound = bind_values("SELECT ?s WHERE { ?s <urn:p> ?v } # end", {"v": str(ox.Literal(text))})
    assert [str(s["s"]) for s in store.query(bound)] == ["<urn:same>"]


@pytest.mark.parametrize(("bindings", "message"), [
    ({"v": INJECTION}, "not one IRI or literal"),
    ({"v": '"a" "b"'}, "not one IRI or literal"),
    ({"v": '"a" . <urn:s> <urn:p> "b"'}, "not one IRI or literal"),
    ({"v": '"a" # comment'}, "not one IRI or literal"),
    ({"v": "plain text"}, "not one IRI or literal"),
    ({"v": "_:b0"}, "blank node"),
    ({"a b": '"x"'}, "not a SPARQL variable name"),
    ({"v}": '"x"'}, "not a SPARQL variable name"),
])
def test_bind_values_refuses_what_is_not_one_term(bindings: dict[str, str], message: str) -> None:
    with pytest.raises(KdgraphError, match=message):
        bind_values("SELECT * WHERE { ?s ?p ?v }", bindings)


@pytest.mark.parametrize(("query", "message"), [
    ("DESCRIBE <urn:x>", "no WHERE group"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "no WHERE group"),
    ("SELECT * WHERE { ?s ?p ?v", "never closed"),
    ("SELECT * WHERE { ?s ?p 'unterminated }", "unterminated string"),
])
def test_bind_values_refuses_queries_without_a_group(query: str, message: str) -> None:
    with pytest.raises(KdgraphError, match=message):
        bind_values(query, {"v": '"x"'})


def test_no_bindings_leave_the_query_alone() -> None:
    assert bind_values("SELECT * WHERE { ?s ?p ?o }", {}) == "SELECT * WHERE { ?s ?p ?o }"


@pytest.mark.parametrize(("query", "form"), [
    ("PREFIX select: <urn:x#> # ASK\nSELECT * WHERE { ?s ?p ?o }", "select"),
    ("BASE <urn:x> construct { ?s ?p ?o } WHERE { ?s ?p ?o }", "construct"),
    ("# DELETE everything\nASK {}", "ask"),
    ("describe <urn:x>", "describe"),
    ("DELETE WHERE { ?s ?p ?o }", None),
    ("PREFIX ex: <urn:x#> INSERT DATA { ex:a ex:b ex:c }", None),
    ("", None),
])
def test_query_form(query: str, form: str | None) -> None:
    assert query_form(query) == form


# --- errors -------------------------------------------------------------------------------------------

def one_line(error: pytest.ExceptionInfo[KdgraphError]) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_server_that_is_down(tmp_path: Path) -> None:
    with start_server(tmp_path / "store") as server:
        pass
    with pytest.raises(EndpointError) as error:
        run_remote("ASK {}", server.query_url)
    message = one_line(error)
    assert server.query_url in message and "connection refused" in message and START_HINT in message
    assert error.value.transient


def test_a_query_the_server_rejects(remote: OxigraphServer) -> None:
    with pytest.raises(EndpointError) as error:
        run_remote("SELECT * WHERE { ?s ?p }", remote.query_url)
    message = one_line(error)
    assert f"{remote.query_url} answered HTTP 400 (" in message and "fix it" in message
    assert not error.value.transient


def test_a_wrong_path_on_the_server(remote: OxigraphServer) -> None:
    with pytest.raises(EndpointError, match=r"answered HTTP 404 .* check the URL"):
        run_remote("ASK {}", f"{remote.base_url}/nope")


@pytest.mark.parametrize(("answer", "message", "transient"), [
    ((200, "text/html", b"<html><body>Welcome</body></html>"), "did not answer with SPARQL results", False),
    ((200, "application/sparql-results+json", b"<html></html>"), "did not answer with SPARQL results",
     False),
    ((200, "application/sparql-results+json", b'{"results": 1}'), "did not answer with SPARQL results",
     False),
    ((500, "text/plain", b"boom\nat line 2"), r"answered HTTP 500 \(boom at line 2\) — the server failed",
     False),
    ((503, "text/plain", b"down for maintenance"), "answered HTTP 503", True),
    ((401, "text/plain", b"who are you?"), "check the credentials in KDGRAPH_ENDPOINT_USER", False),
    ((502, "text/html", b"<html><head><style>p {}</style></head><body><h1>Bad Gateway</h1></body></html>"),
     r"answered HTTP 502 \(Bad Gateway\) — the server is busy", True),
])
def test_answers_that_are_not_results(answer: tuple[int, str, bytes], message: str, transient: bool) -> None:
    with RecordingProxy(canned=[answer]) as proxy:
        url = f"{proxy.base_url}/query"
        with pytest.raises(EndpointError, match=message) as error:
            run_remote("SELECT * WHERE { ?s ?p ?o }", url)
    assert url in one_line(error)
    assert error.value.transient is transient


def test_a_server_that_never_answers_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts connections (the kernel does), never answers
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(EndpointError, match=r"no answer from .* within 0.5 s") as error:
            run_remote("ASK {}", url, timeout=0.5)
    assert time.monotonic() - started < 3
    assert url in one_line(error) and error.value.transient


def test_an_unknown_host_is_explained() -> None:
    exc = urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))
    error = failure(exc, "http://sparql.invalid/query", "SPARQL query")
    assert str(error) == ("SPARQL query: unknown host 'sparql.invalid' in http://sparql.invalid/query — "
                          "check the URL")
    assert not error.transient


@pytest.mark.parametrize(("query", "url", "message"), [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "http://127.0.0.1:7878/query", "not a SPARQL query"),
    ("ASK {}", "ftp://127.0.0.1/query", "not an http"),
    ("ASK {}", "127.0.0.1:7878/query", "not an http"),
])
def test_what_is_refused_before_any_request(query: str, url: str, message: str) -> None:
    with pytest.raises(KdgraphError, match=message):
        run_remote(query, url)


# --- credentials --------------------------------------------------------------------------------------

@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("KDGRAPH_ENDPOINT_USER", "KDGRAPH_ENDPOINT_PASSWORD", "KDGRAPH_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("env", "header"), [
    ({}, None),
    ({"KDGRAPH_ENDPOINT_USER": "ada", "KDGRAPH_ENDPOINT_PASSWORD": "pä:ss"},
     "Basic " + base64.b64encode("ada:pä:ss".encode()).decode()),
    ({"KDGRAPH_ENDPOINT_TOKEN": "t0ken"}, "Bearer t0ken"),
])
def test_credentials_are_sent_from_the_environment(env: dict[str, str], header: str | None,
                                                   no_credentials: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        no_credentials.setenv(name, value)
    with RecordingProxy(canned=[ASK_TRUE]) as proxy:
        assert run_remote("ASK {}", f"{proxy.base_url}/query").boolean is True
    (request,) = proxy.requests
    assert request.method == "POST"
    assert request.headers.get("Authorization") == header
    assert request.headers.get("Accept") == "application/sparql-results+json"


@pytest.mark.parametrize(("env", "message"), [
    ({"KDGRAPH_ENDPOINT_USER": "ada"}, "KDGRAPH_ENDPOINT_PASSWORD is not set"),
    ({"KDGRAPH_ENDPOINT_PASSWORD": "x"}, "KDGRAPH_ENDPOINT_USER is not set"),
    ({"KDGRAPH_ENDPOINT_TOKEN": "t", "KDGRAPH_ENDPOINT_USER": "ada"}, "keep one way"),
])
def test_incomplete_credentials_are_an_error(env: dict[str, str], message: str,
                                             no_credentials: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        no_credentials.setenv(name, value)
    with pytest.raises(KdgraphError, match=message):
        auth_headers()

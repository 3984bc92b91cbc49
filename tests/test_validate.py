"""`kdgraph validate` and the build's validation gate, on the real graph of the bundled lists."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SDO, XSD

import kdgraph.build as build_module
from graph_fixtures import REGISTRY, iri
from kdgraph import mapping
from kdgraph import ntriples as nt
from kdgraph.build import BuildResult, build
from kdgraph.cli import main
from kdgraph.errors import KdgraphError
from kdgraph.mapping import Mapped
from kdgraph.sources import load_registry
from kdgraph.validate import Report, Validation, validate_graph


def validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", *args])
    return result.exit_code, result.output


def test_the_built_graph_conforms(built: BuildResult) -> None:
    assert built.report.conforms
    code, out = validate(str(built.out / "kdgraph.ttl"))
    assert code == 0
    assert out.startswith("conforms: 0 violations, ")


def test_doubts_are_warnings_with_file_and_line(built: BuildResult) -> None:
    no_author = [f for f in built.report.warnings
                 if f.focus == str(iri("paper/generalization-bounds-via-distillation"))
                 and f.path == "schema:author"]
    assert no_author and no_author[0].where[0].endswith("data/mwan0027-readinglist.md:65")


def test_a_broken_graph_fails_with_a_readable_report(built: BuildResult, tmp_path: Path) -> None:
    g = Graph().parse(built.out / "kdgraph.ttl")
    paper = iri("paper/deep-mutual-learning")
    g.remove((paper, SDO.name, None))
    g.add((paper, SDO.url, Literal("https://arxiv.org/abs/1804.03235")))  # a string, not an IRI
    broken = tmp_path / "broken.ttl"
    g.serialize(broken, format="turtle")
    code, out = validate(str(broken))
    assert code == 1
    assert out.startswith("does not conform: ")
    lines = [line for line in out.splitlines() if f"<{paper}>" in line and "Violation" in line]
    assert any("schema:name" in line for line in lines), out
    assert any("schema:url" in line for line in lines), out
    code, js = validate(str(broken), "--format", "json")
    data = json.loads(js)
    assert code == 1 and data["conforms"] is False and data["violations"] >= 2
    code, ttl = validate(str(broken), "--format", "turtle")
    assert code == 1 and "sh:ValidationReport" in ttl


def test_validate_reads_nquads_and_jsonld(built: BuildResult) -> None:
    assert validate(str(built.out / "kdgraph.nq"))[0] == 0
    assert validate(str(built.out / "kdgraph.jsonld"))[0] == 0


@pytest.mark.parametrize(("content", "suffix", "message"), [
    (None, ".ttl", "no such file"),
    ("this is not turtle {", ".ttl", "cannot be read as turtle"),
    ("x", ".docx", "unknown RDF format"),
])
def test_validate_unreadable_input_exits_2(tmp_path: Path, content: str | None, suffix: str,
                                           message: str) -> None:
    path = tmp_path / f"dump{suffix}"
    if content is not None:
        path.write_text(content)
    code, out = validate(str(path))
    assert code == 2
    assert message in out and "Traceback" not in out


def test_a_violation_stops_the_build_and_keeps_the_old_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(load_registry(REGISTRY), out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    real = mapping.map_graph

    def broken_mapping(*args, **kwargs) -> Mapped:  # type: ignore[no-untyped-def]
        mapped = real(*args, **kwargs)
        paper, name = nt.iri(iri("paper/deep-mutual-learning")), nt.iri(str(SDO.name))
        mapped.quads = [q for q in mapped.quads if not (q[0] == paper and q[1] == name)]
        return mapped

    monkeypatch.setattr(build_module, "map_graph", broken_mapping)
    with pytest.raises(KdgraphError) as info:
        build(load_registry(REGISTRY), out)
    message = str(info.value)
    assert "data/knowledge-distillation-paper.md:24: the graph violates the SHACL" in message
    assert "deep-mutual-learning" in message and "nothing was written" in message
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


SHAPE_CASES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))
ONTOLOGY_GRAPHS = {"<https://w3id.org/kdgraph/ontology>", "<https://w3id.org/kdgraph/graph/ontology>"}


def test_shape_cases_are_collected() -> None:
    assert len(SHAPE_CASES) >= 16


def ox_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A pyoxigraph term in kdgraph's N-Triples text (pyoxigraph writes ``xsd:string`` literals plain
    and escapes more characters)."""
    if isinstance(term, ox.NamedNode):
        return nt.iri(str(term.value))
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.Literal)
    if term.language:
        return nt.literal(str(term.value), lang=str(term.language))
    datatype = str(term.datatype.value)
    return nt.literal(str(term.value), None if datatype == str(XSD.string) else datatype)


def ox_triples(path: Path, fmt: ox.RdfFormat = ox.RdfFormat.TURTLE) -> list[tuple[str, str, str]]:
    """The triples of an RDF file (the union of its graphs but the ontology's) as term strings, read by
    pyoxigraph: an input made without rdflib."""
    found = set()
    for q in ox.parse(path=str(path), format=fmt):
        if isinstance(q, ox.Quad) and str(q.graph_name) in ONTOLOGY_GRAPHS:
            continue
        found.add((ox_term(q.subject), ox_term(q.predicate), ox_term(q.object)))
    return sorted(found)


def _key(report: Report) -> list[tuple[str, str, str, str, str, tuple[str, ...]]]:
    return sorted((f.severity, f.focus, f.path or "", f.message, f.value or "", f.where)
                  for f in report.findings)


@pytest.mark.parametrize("case", SHAPE_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in SHAPE_CASES])
def test_fast_engine_reports_what_pyshacl_reports(case: Path) -> None:
    """On every shape case, given as an rdflib graph and as term strings: the same findings as pySHACL,
    and the same report (text, JSON and report graph) from both inputs."""
    data = Graph().parse(case, format="turtle")
    triples = ox_triples(case)
    fast = validate_graph(data, engine="fast")
    from_strings = validate_graph(triples, engine="fast")
    reference = validate_graph(data, engine="pyshacl")
    assert _key(fast) == _key(reference)
    assert _key(from_strings) == _key(reference)
    assert from_strings.json() == fast.json() and from_strings.text() == fast.text()
    assert from_strings.graph is not None and fast.graph is not None
    assert isomorphic(from_strings.graph, fast.graph)
    assert fast.conforms == (case.parent.name == "valid") or case.parent.name == "invalid"


def test_fast_engine_reports_what_pyshacl_reports_on_the_bundled_build(
        built: BuildResult, graph: Graph) -> None:
    fast = validate_graph(graph, built.mapped.origins, engine="fast")
    reference = validate_graph(graph, built.mapped.origins, engine="pyshacl")
    assert fast.warnings, "the bundled lists have doubts the shapes report"
    assert _key(fast) == _key(reference)


def test_strings_and_graph_give_the_same_report_on_the_bundled_build(
        built: BuildResult, graph: Graph) -> None:
    """The build's term strings (the N-Quads dump read by pyoxigraph) and the rdflib graph of the Turtle
    dump give the same report, to the byte, and the same report graph."""
    triples = ox_triples(built.out / "kdgraph.nq", ox.RdfFormat.N_QUADS)
    assert len(triples) == len(graph)
    from_graph = validate_graph(graph, built.mapped.origins)
    from_strings = validate_graph(triples, built.mapped.origins)
    assert from_strings.findings and from_strings.findings == from_graph.findings
    assert from_strings.json() == from_graph.json() and from_strings.text() == from_graph.text()
    assert from_strings.graph is not None and from_graph.graph is not None
    assert isomorphic(from_strings.graph, from_graph.graph)


def _cases_store() -> tuple[list[nt.Triple], ox.Store]:
    """Every invalid shape case as term strings, and a store holding them in one named graph and, in
    another, a second paper with the identifier of one of them (which the SPARQL constraints would
    report as a conflict)."""
    triples = sorted({t for case in SHAPE_CASES if case.parent.name == "invalid" for t in ox_triples(case)})
    article = nt.iri(str(SDO.ScholarlyArticle))
    papers = {s for s, p, o in triples if p == nt.iri(str(RDF.type)) and o == article}
    ids = Counter(o for s, p, o in triples if s in papers and p == nt.iri(str(SDO.identifier)))
    identifier = min(o for o, n in ids.items() if n == 1 and o[0] == "<")  # of one paper only
    extra = ("<https://w3id.org/kdgraph/paper/another>", nt.iri(str(SDO.identifier)), identifier)
    store = ox.Store()
    text = "".join(f"{s} {p} {o} <https://example.org/graph/data> .\n" for s, p, o in triples)
    text += "{} {} {} <https://example.org/graph/extra> .\n".format(*extra)
    store.load(text.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return triples, store


def test_a_given_store_answers_the_sparql_constraints() -> None:
    triples, store = _cases_store()
    own = validate_graph(triples)
    calls: list[int] = []

    def opened() -> ox.Store:
        calls.append(1)
        return store

    data_only = validate_graph(triples, store=opened, store_graphs=["https://example.org/graph/data"])
    assert calls == [1]
    assert data_only.json() == own.json()
    union = validate_graph(triples, store=store)  # the extra graph's paper is seen too
    assert union.json() != own.json()
    assert any("another paper has the same identifier" in f.message for f in union.findings)


def test_the_store_function_is_called_and_queried_beside_shacl_core() -> None:
    triples, store = _cases_store()
    threads: list[str] = []

    def opened() -> ox.Store:
        threads.append(threading.current_thread().name)
        return store

    report = validate_graph(triples, store=opened, store_graphs=["https://example.org/graph/data"])
    assert threads == ["kdgraph-validate-sparql"]  # not the caller's thread, which runs SHACL Core
    assert report.json() == validate_graph(triples).json()


def test_an_error_giving_the_store_is_raised_by_the_validation() -> None:
    triples, _ = _cases_store()

    def failing() -> ox.Store:
        raise MemoryError("no room for the store")

    with pytest.raises(MemoryError, match="no room for the store"):
        validate_graph(triples, store=failing)


def test_a_failure_in_shacl_core_does_not_wait_for_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    import kdgraph.shacl_core as shacl_core

    triples, store = _cases_store()
    release = threading.Event()
    timer = threading.Timer(20, release.set)  # only so that a regression fails instead of hanging
    timer.start()

    asked = threading.Event()

    def loading() -> ox.Store:  # a store still loading elsewhere
        asked.set()
        release.wait()
        return store

    def failing(*args: object) -> None:
        assert asked.wait(20)  # the constraints' thread waits for the store
        raise RuntimeError("SHACL Core failed")

    monkeypatch.setattr(shacl_core, "core_findings", failing)
    validation = Validation(triples, store=loading)
    with pytest.raises(RuntimeError, match="SHACL Core failed"):
        validation.finish()
    assert not release.is_set()  # raised while the store was still loading
    release.set()
    timer.cancel()
    validation.cancel()
    assert validation.runner is not None and not validation.runner._thread.is_alive()


def test_a_given_store_is_not_used_where_literals_are_normalized() -> None:
    triples, store = _cases_store()
    position = next(t for t in triples if t[1] == nt.iri(str(SDO.position)))
    lexical, datatype, _ = nt.literal_parts(position[2])
    assert datatype is not None
    changed = sorted([t for t in triples if t != position]
                     + [(position[0], position[1], nt.literal("+" + lexical, datatype))])
    report = validate_graph(changed, store=store)  # the store's extra paper would add a result
    assert report.json() == validate_graph(changed).json() == validate_graph(triples).json()
    calls: list[int] = []
    validate_graph(changed, store=lambda: calls.append(1) or store)  # type: ignore[func-returns-value]
    assert calls == []  # a store still loading elsewhere is not waited for


def test_fast_engine_hands_unknown_constraints_to_pyshacl() -> None:
    from kdgraph.shacl_core import core_findings
    from kdgraph.validate import load_shapes

    shapes = load_shapes()
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
        <urn:x:Shape> a sh:NodeShape ; sh:targetClass schema:Person ;
            sh:property [ sh:path schema:name ; sh:maxExclusive 3 ; sh:message "m" ] .""",
                 format="turtle")
    data = Graph().parse(data="""@prefix schema: <https://schema.org/> .
        <https://w3id.org/kdgraph/person/a> a schema:Person ; schema:name "A" .""", format="turtle")
    triples = [(nt.from_rdflib(s), nt.from_rdflib(p), nt.from_rdflib(o)) for s, p, o in data]
    assert core_findings(triples, shapes, data.namespace_manager) is None
    reference = validate_graph(data, shapes=shapes, engine="pyshacl")
    assert _key(validate_graph(data, shapes=shapes, engine="fast")) == _key(reference)
    assert _key(validate_graph(triples, shapes=shapes, engine="fast")) == _key(reference)
    assert _key(validate_graph(triples, shapes=shapes, engine="pyshacl")) == _key(reference)

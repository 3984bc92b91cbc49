"""The SHACL shapes of ``shapes/`` against small Turtle cases, parametrized by glob.

``tests/shapes/valid/*.ttl`` must produce no result at all. Each ``tests/shapes/invalid/*.ttl`` file
starts with a comment header that states what the shapes must report::

    # expect: Violation schema:name        (severity and sh:resultPath)
    # expect: Warning ^schema:identifier   (^ for an inverse path)
    # expect: Violation (node)             (a result on the focus node itself, without a path)
    # message: exactly one title           (a substring of some result's sh:resultMessage)

The (severity, path) pairs reported must be exactly the expected ones, so a case cannot pass by
tripping an unrelated shape. pySHACL says ``conforms=False`` for warnings too, so results are counted
by their sh:resultSeverity.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY_DIR = ROOT / "ontology"
CASES = Path(__file__).resolve().parent / "shapes"
VALID = sorted((CASES / "valid").glob("*.ttl"))
INVALID = sorted((CASES / "invalid").glob("*.ttl"))

# Update these when adding a case: a lost or renamed file must fail the suite, not shrink it.
EXPECTED_VALID = 8
EXPECTED_INVALID = 33

PREFIXES = {
    "schema": "https://schema.org/",
    "bibo": "http://purl.org/ontology/bibo/",
    "codemeta": "https://codemeta.github.io/terms/",
    "kd": "https://w3id.org/kdgraph/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


@dataclass(frozen=True)
class Result:
    severity: str  # "Violation", "Warning" or "Info"
    path: str  # "schema:name", "^schema:identifier" or "(node)"
    focus: str
    messages: tuple[str, ...]


def curie(iri: URIRef) -> str:
    for prefix, ns in PREFIXES.items():
        if str(iri).startswith(ns):
            return f"{prefix}:{str(iri)[len(ns):]}"
    return f"<{iri}>"


def load_shapes() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def run(data: Graph, shapes: Graph) -> tuple[bool, list[Result]]:
    conforms, report, _ = validate(data, shacl_graph=shapes, ont_graph=None, inference="none",
                                   advanced=True)
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(node, SH.resultSeverity)
        path = report.value(node, SH.resultPath)
        if path is None:
            shown = "(node)"
        elif isinstance(path, URIRef):
            shown = curie(path)
        else:
            inverse = report.value(path, SH.inversePath)
            shown = f"^{curie(inverse)}" if isinstance(inverse, URIRef) else "(complex path)"
        results.append(Result(
            severity=str(severity).rsplit("#", 1)[-1],
            path=shown,
            focus=str(report.value(node, SH.focusNode)),
            messages=tuple(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
        ))
    return bool(conforms), results


def violations(results: list[Result]) -> list[Result]:
    """Only the results that make the graph wrong (pySHACL's ``conforms`` counts warnings too)."""
    return [r for r in results if r.severity == "Violation"]


def header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}:"
    return [line[len(prefix):].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(prefix)]


def show(results: list[Result]) -> str:
    return "\n".join(f"  {r.severity} {r.path} <{r.focus}>: {' | '.join(r.messages)}"
                     for r in results)


# --------------------------------------------------------------------------------------- cases


def test_case_counts() -> None:
    assert len(VALID) == EXPECTED_VALID, [p.name for p in VALID]
    assert len(INVALID) == EXPECTED_INVALID, [p.name for p in INVALID]


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid(case: Path, shapes: Graph) -> None:
    conforms, results = run(Graph().parse(case, format="turtle"), shapes)
    assert results == [], f"{case.name} should produce no result:\n{show(results)}"
    assert conforms


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid(case: Path, shapes: Graph) -> None:
    expected = header(case, "expect")
    assert expected, f"{case.name} has no '# expect:' line"
    conforms, results = run(Graph().parse(case, format="turtle"), shapes)
    assert not conforms
    got = {f"{r.severity} {r.path}" for r in results}
    assert got == set(expected), f"{case.name}: expected {sorted(expected)}, got:\n{show(results)}"
    messages = " ".join(m for r in results for m in r.messages)
    for wanted in header(case, "message"):
        assert wanted in messages, f"{case.name}: no message contains {wanted!r}:\n{show(results)}"
    for result in results:
        assert result.messages, f"{case.name}: a result without sh:resultMessage:\n{show(results)}"


def test_warnings_alone_do_not_make_violations(shapes: Graph) -> None:
    data = Graph().parse(CASES / "invalid" / "paper-no-author-no-year.ttl", format="turtle")
    conforms, results = run(data, shapes)
    assert not conforms  # pySHACL reports warnings as non-conformance
    assert violations(results) == []
    warned = {(r.path, r.severity) for r in results}
    assert warned == {("schema:author", "Warning"), ("schema:datePublished", "Warning")}


@pytest.mark.parametrize("name", ["topics.ttl", "frameworks.ttl"])
def test_concept_schemes_conform(name: str, shapes: Graph) -> None:
    conforms, results = run(Graph().parse(ONTOLOGY_DIR / name, format="turtle"), shapes)
    assert results == [], show(results)
    assert conforms


# ------------------------------------------------------------------------------ shape hygiene

_NOT_CONSTRAINTS = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf,
    SH.property, SH.path, SH.severity, SH.message, SH.sparql, SH.name, SH.description,
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
}


def named_shapes(graph: Graph) -> list[URIRef]:
    found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type,
                                                                              SH.PropertyShape))
    return sorted(s for s in found if isinstance(s, URIRef))


def test_every_shape_has_severity_and_message(shapes: Graph) -> None:
    checked = 0
    for shape in named_shapes(shapes):
        has_constraints = any(p not in _NOT_CONSTRAINTS for p in shapes.predicates(shape, None))
        has_sparql = shapes.value(shape, SH.sparql) is not None
        if has_constraints or has_sparql:
            assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape
            checked += 1
        if has_constraints:
            message = shapes.value(shape, SH.message)
            assert isinstance(message, Literal) and len(str(message)) > 20, (
                f"{shape} needs a sh:message a curator can read")
        if has_sparql:
            # pySHACL adds the shape's own message to every SPARQL result: keep them apart.
            assert shapes.value(shape, SH.message) is None, (
                f"{shape}: put SPARQL constraints in a shape without its own sh:message")
            for constraint in shapes.objects(shape, SH.sparql):
                assert shapes.value(constraint, SH.message) is not None, (shape, constraint)
    assert checked > 30


def test_shapes_are_base_independent() -> None:
    """Shapes name no minted IRI: they match minted nodes by the path after the base only."""
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        for node in Graph().parse(path, format="turtle").all_nodes():
            text = str(node)
            for segment in ("/paper/", "/person/", "/venue/", "/code/", "/id/", "/list/", "/topic/",
                            "/framework/"):
                assert not (isinstance(node, URIRef) and segment in text), (path.name, text)


def test_shape_files_exist() -> None:
    names = {p.name for p in SHAPES_DIR.glob("*.ttl")}
    assert {"paper.ttl", "person.ttl", "venue.ttl", "code.ttl", "identifier.ttl", "list.ttl",
            "topic.ttl", "links.ttl"} <= names

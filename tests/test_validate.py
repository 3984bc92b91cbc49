"""`kdgraph validate` and the build's validation gate, on the real graph of the bundled lists."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SDO

import kdgraph.build as build_module
from graph_fixtures import REGISTRY, iri
from kdgraph.build import BuildResult, build
from kdgraph.cli import main
from kdgraph.errors import KdgraphError
from kdgraph.mapping import Mapped
from kdgraph.sources import load_registry


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
    real = build_module.map_graph

    def broken_mapping(*args, **kwargs) -> Mapped:  # type: ignore[no-untyped-def]
        mapped = real(*args, **kwargs)
        paper = URIRef(iri("paper/deep-mutual-learning"))
        mapped.quads = [q for q in mapped.quads if not (q[0] == paper and q[1] == SDO.name)]
        return mapped

    monkeypatch.setattr(build_module, "map_graph", broken_mapping)
    with pytest.raises(KdgraphError) as info:
        build(load_registry(REGISTRY), out)
    message = str(info.value)
    assert "data/knowledge-distillation-paper.md:24: the graph violates the SHACL" in message
    assert "deep-mutual-learning" in message and "nothing was written" in message
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


SHAPE_CASES = sorted((Path(__file__).parent / "shapes").glob("*/*.ttl"))


def test_shape_cases_are_collected() -> None:
    assert len(SHAPE_CASES) >= 16


@pytest.mark.parametrize("case", SHAPE_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in SHAPE_CASES])
def test_fast_engine_reports_what_pyshacl_reports(case: Path) -> None:
    from kdgraph.validate import validate_graph

    data = Graph().parse(case, format="turtle")
    fast = validate_graph(data, engine="fast")
    reference = validate_graph(data, engine="pyshacl")

    def key(report):  # type: ignore[no-untyped-def]
        return sorted((f.severity, f.focus, f.path or "", f.message, f.value or "")
                      for f in report.findings)

    assert key(fast) == key(reference)
    assert fast.conforms == (case.parent.name == "valid") or case.parent.name == "invalid"


def _key(report):  # type: ignore[no-untyped-def]
    return sorted((f.severity, f.focus, f.path or "", f.message, f.value or "", f.where)
                  for f in report.findings)


def test_fast_engine_reports_what_pyshacl_reports_on_the_bundled_build(
        built: BuildResult, graph: Graph) -> None:
    from kdgraph.validate import validate_graph

    fast = validate_graph(graph, built.mapped.origins, engine="fast")
    reference = validate_graph(graph, built.mapped.origins, engine="pyshacl")
    assert fast.warnings, "the bundled lists have doubts the shapes report"
    assert _key(fast) == _key(reference)


def test_fast_engine_hands_unknown_constraints_to_pyshacl() -> None:
    from kdgraph.shacl_core import core_findings
    from kdgraph.validate import load_shapes, validate_graph

    shapes = load_shapes()
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
        <urn:x:Shape> a sh:NodeShape ; sh:targetClass schema:Person ;
            sh:property [ sh:path schema:name ; sh:maxExclusive 3 ; sh:message "m" ] .""",
                 format="turtle")
    data = Graph().parse(data="""@prefix schema: <https://schema.org/> .
        <https://w3id.org/kdgraph/person/a> a schema:Person ; schema:name "A" .""", format="turtle")
    assert core_findings(data, shapes, data.namespace_manager) is None
    fast = validate_graph(data, shapes=shapes, engine="fast")
    reference = validate_graph(data, shapes=shapes, engine="pyshacl")
    assert _key(fast) == _key(reference)

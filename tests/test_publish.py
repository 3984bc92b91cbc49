"""The published files: every dump carries the same graph, readable by an independent parser."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, OWL, RDF, SDO, VOID

from graph_fixtures import B, iri
from kdgraph.build import BuildResult
from kdgraph.publish import census, context


def test_jsonld_expands_to_exactly_the_turtle(built: BuildResult, graph: Graph) -> None:
    from_jsonld = Graph().parse(built.out / "kdgraph.jsonld", format="json-ld")
    assert len(from_jsonld) == len(graph) > 5000
    assert isomorphic(from_jsonld, graph)


def test_jsonld_is_compacted_with_the_published_context(built: BuildResult) -> None:
    doc = json.loads((built.out / "kdgraph.jsonld").read_text(encoding="utf-8"))
    published = json.loads((built.out / "context.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == published["@context"] == context()["@context"]
    assert published["@context"]["@vocab"] == "https://schema.org/"
    nodes = {n["@id"]: n for n in doc["@graph"]}
    fitnets = nodes["paper:fitnets-hints-for-thin-deep-nets"]
    assert fitnets["name"] == "FitNets: Hints for Thin Deep Nets"
    assert fitnets["datePublished"] == "2015"
    assert fitnets["sameAs"] == "https://arxiv.org/abs/1412.6550"


def test_turtle_parses_in_an_independent_parser(built: BuildResult, graph: Graph) -> None:
    store = ox.Store()
    store.load(path=str(built.out / "kdgraph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(graph)
    query = ("PREFIX schema: <https://schema.org/> SELECT (COUNT(DISTINCT ?p) AS ?n) "
             "WHERE { ?p a schema:ScholarlyArticle }")
    (row,) = list(store.query(query))
    assert int(row["n"].value) == len(built.reconciled.papers)


def test_no_blank_nodes_and_one_schema_namespace(built: BuildResult, graph: Graph) -> None:
    nq = (built.out / "kdgraph.nq").read_text(encoding="utf-8")
    assert "_:" not in nq
    assert "http://schema.org/" not in nq
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_nquads_keep_each_list_in_its_own_graph(built: BuildResult, graph: Graph) -> None:
    ds = Dataset()
    ds.parse(built.out / "kdgraph.nq", format="nquads")
    per_graph = Counter(str(c) for _, _, _, c in ds.quads())
    assert set(per_graph) >= {f"{B}graph/zju-kd-papers", f"{B}graph/mwan-reading-list",
                              f"{B}graph/vocabulary", f"{B}ontology"}
    zju = ds.graph(URIRef(f"{B}graph/zju-kd-papers"))
    mwan = ds.graph(URIRef(f"{B}graph/mwan-reading-list"))
    fitnets = iri("paper/fitnets-hints-for-thin-deep-nets")
    assert (fitnets, SDO.name, None) in zju and (fitnets, SDO.name, None) not in mwan
    both = iri("paper/online-knowledge-distillation-with-diverse-peers")
    assert (both, SDO.name, None) in zju and (both, SDO.name, None) in mwan
    # the union of the list graphs and the vocabulary is the Turtle dump
    union = Graph()
    for s, p, o, c in ds.quads():
        if str(c) != f"{B}ontology":
            union.add((s, p, o))
    assert isomorphic(union, graph)


def test_dataset_description(built: BuildResult, graph: Graph) -> None:
    void = Graph().parse(built.out / "void.ttl", format="turtle")
    ds = URIRef(f"{B}dataset")
    assert (ds, RDF.type, VOID.Dataset) in void and (ds, RDF.type, DCAT.Dataset) in void
    assert void.value(ds, VOID.triples) == Literal(len(graph))
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(ds, VOID.classPartition)}
    assert partitions[SDO.ScholarlyArticle] == len(built.reconciled.papers)
    subsets = set(void.objects(ds, VOID.subset))
    assert len(subsets) == 2
    dumps = {str(void.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]: int(void.value(d, DCAT.byteSize))
             for d in void.objects(ds, DCAT.distribution)}
    assert dumps == {name: (built.out / name).stat().st_size
                     for name in ("kdgraph.ttl", "kdgraph.jsonld", "kdgraph.nq")}


def test_census_counts_what_the_dataset_description_reports(built: BuildResult, graph: Graph) -> None:
    counted = census(built.mapped.triples())
    assert counted.triples == len(graph)
    assert counted.entities == len({s for s in graph.subjects() if isinstance(s, URIRef)})
    assert counted.classes[f"<{SDO.ScholarlyArticle}>"] == len(built.reconciled.papers)
    assert counted.series == built.counts["venue series"] > 0


def test_census_counts_a_node_of_two_series_classes_once() -> None:
    a, series, journal = f"<{RDF.type}>", f"<{SDO.EventSeries}>", f"<{SDO.Periodical}>"
    subject = "<http://purl.org/dc/terms/subject>"
    triples = sorted([("<urn:x:s>", a, series), ("<urn:x:s>", a, journal), ("<urn:x:j>", a, journal),
                      ("_:b", a, series), ("<urn:x:p>", subject, "<urn:x:t1>"),
                      ("<urn:x:q>", subject, "<urn:x:t1>"), ("<urn:x:q>", subject, "<urn:x:t2>")])
    counted = census(triples)
    assert (counted.triples, counted.entities, counted.series, counted.topics) == (7, 4, 3, 2)
    assert counted.classes == {series: 2, journal: 2}


def test_ontology_version_is_stamped_by_the_build(built: BuildResult) -> None:
    from kdgraph import __version__

    onto = Graph().parse(built.out / "ontology.ttl", format="turtle")
    (ontology,) = set(onto.subjects(RDF.type, OWL.Ontology))
    assert list(onto.objects(ontology, OWL.versionInfo)) == [Literal(__version__)]
    assert list(onto.objects(ontology, OWL.versionIRI)) == [URIRef(f"{ontology}/{__version__}")]


def test_quality_report_lists_every_doubt_with_file_and_line(built: BuildResult) -> None:
    text = (built.out / "quality-report.txt").read_text(encoding="utf-8")
    assert "data/mwan0027-readinglist.md:193: warning: scheme 'hhttps' corrected" in text
    assert "data/mwan0027-readinglist.md:454: error: entry has an empty title" in text
    assert "data/knowledge-distillation-paper.md:27: warning: arXiv 1804.03235" in text
    data = json.loads((built.out / "quality-report.json").read_text(encoding="utf-8"))
    assert len(data["diagnostics"]) == len(built.diagnostics)

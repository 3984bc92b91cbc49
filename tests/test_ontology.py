"""``ontology/``: the kd: ontology and the topic and framework concept schemes are well formed."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SDO, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
FILES = ["kdgraph.ttl", "topics.ttl", "frameworks.ttl"]
KD = "https://w3id.org/kdgraph/ontology#"
ONTOLOGY = URIRef("https://w3id.org/kdgraph/ontology")
TOPIC_SCHEME = URIRef("https://w3id.org/kdgraph/topic")
FRAMEWORK_SCHEME = URIRef("https://w3id.org/kdgraph/framework")
CODEMETA_REFERENCE_PUBLICATION = URIRef("https://codemeta.github.io/terms/referencePublication")
BIBO = "http://purl.org/ontology/bibo/"


def load(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def kd(term: str) -> URIRef:
    return URIRef(KD + term)


def fold(label: str) -> str:
    """A label as the classifier compares it: ASCII, lower-case, punctuation-free, one-spaced."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text.casefold()))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load("kdgraph.ttl")


@pytest.mark.parametrize("name", FILES)
def test_parses_without_blank_nodes(name: str) -> None:
    graph = load(name)
    assert len(graph) > 50
    blanks = [n for n in graph.all_nodes() if isinstance(n, BNode)]
    assert blanks == [], f"{name} has blank nodes"


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, DCTERMS.title) is not None
    assert ontology.value(ONTOLOGY, OWL.versionInfo) is not None
    assert ontology.value(ONTOLOGY, OWL.versionIRI) is not None
    assert "stamped by the" in (ONTOLOGY_DIR / "kdgraph.ttl").read_text(encoding="utf-8")


PROPERTIES = ["code", "supplement", "poster", "slides", "projectPage", "inferredSubject", "section",
              "sourceLine", "priority", "read", "contentHash"]


def test_declares_the_model_terms(ontology: Graph) -> None:
    for term in PROPERTIES:
        types = set(ontology.objects(kd(term), RDF.type))
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, term
    assert (kd("Priority"), RDF.type, OWL.Class) in ontology
    for individual in ("TopPriority", "SecondPriority"):
        assert (kd(individual), RDF.type, kd("Priority")) in ontology


def test_every_kd_term_is_documented(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(KD)}
    assert len(terms) >= 14
    for term in terms:
        assert isinstance(ontology.value(term, RDFS.label), Literal), term
        assert isinstance(ontology.value(term, RDFS.comment), Literal), term
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY, term
    properties = [s for s in terms if set(ontology.objects(s, RDF.type)) & {
        OWL.ObjectProperty, OWL.DatatypeProperty}]
    assert len(properties) == len(PROPERTIES)
    for prop in properties:
        assert (ontology.value(prop, RDFS.domain) is not None
                or ontology.value(prop, RDFS.range) is not None), prop


def test_alignment(ontology: Graph) -> None:
    assert (kd("code"), OWL.inverseOf, CODEMETA_REFERENCE_PUBLICATION) in ontology
    assert (kd("code"), RDFS.range, SDO.SoftwareSourceCode) in ontology
    assert (kd("inferredSubject"), RDFS.subPropertyOf, DCTERMS.subject) in ontology
    assert (kd("supplement"), RDFS.subPropertyOf, SDO.associatedMedia) in ontology
    for term in ("poster", "slides", "projectPage"):
        assert (kd(term), RDFS.subPropertyOf, SDO.subjectOf) in ontology
    ranges = {"supplement": SDO.MediaObject, "poster": SDO.Poster,
              "slides": SDO.PresentationDigitalDocument, "projectPage": SDO.WebPage}
    for term, cls in ranges.items():
        assert (kd(term), RDFS.range, cls) in ontology
    for term in ("section", "sourceLine", "priority", "read"):
        assert (kd(term), RDFS.domain, SDO.ListItem) in ontology


# ------------------------------------------------------------------------------ concept schemes

SCHEMES = [("topics.ttl", TOPIC_SCHEME), ("frameworks.ttl", FRAMEWORK_SCHEME)]


def concepts(graph: Graph) -> list[URIRef]:
    return sorted(c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef))


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_concepts_in_scheme(name: str, scheme: URIRef) -> None:
    graph = load(name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    found = concepts(graph)
    assert len(found) >= 11
    for concept in found:
        assert str(concept).startswith(f"{scheme}/"), concept
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(concept)[len(str(scheme)) + 1:])
        assert (concept, SKOS.inScheme, scheme) in graph, concept
        labels = list(graph.objects(concept, SKOS.prefLabel))
        assert len(labels) == 1 and labels[0].language == "en", concept
        assert isinstance(graph.value(concept, SKOS.definition), Literal), concept
        top = (concept, SKOS.topConceptOf, scheme) in graph
        assert top == ((scheme, SKOS.hasTopConcept, concept) in graph), concept
        broader = list(graph.objects(concept, SKOS.broader))
        assert top or broader, f"{concept} is neither a top concept nor narrower than one"
        for parent in broader:
            assert (parent, SKOS.narrower, concept) in graph, (concept, parent)


@pytest.mark.parametrize(("name", "scheme"), SCHEMES)
def test_labels_are_distinct_and_hidden_labels_lower_case(name: str, scheme: URIRef) -> None:
    graph = load(name)
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for concept in concepts(graph):
        alt = set(graph.objects(concept, SKOS.altLabel))
        hidden = set(graph.objects(concept, SKOS.hiddenLabel))
        pref = set(graph.objects(concept, SKOS.prefLabel))
        assert not (alt & hidden) and not (pref & (alt | hidden)), concept  # SKOS S13, S14
        for label in hidden:
            assert str(label) == str(label).lower(), (concept, label)
        for label in pref | alt | hidden:
            assert isinstance(label, Literal) and label.language == "en", (concept, label)
            owners[fold(label)].add(concept)
    shared = {label: sorted(c) for label, c in owners.items() if len(c) > 1}
    assert not shared, f"labels that match more than one concept: {shared}"


TOPICS = ["response-based", "feature-map", "relation-based", "online", "self-distillation",
          "data-free", "adversarial", "federated", "federated-distillation", "multi-teacher",
          "cross-modal", "nlp", "object-detection", "model-compression", "quantization", "pruning",
          "topic-models"]
FRAMEWORKS = ["pytorch", "tensorflow", "theano", "caffe", "caffe2", "torchnet", "torch7", "keras",
              "jax", "mxnet", "paddlepaddle", "chainer", "mindspore", "matlab"]


def test_topic_slugs() -> None:
    assert [str(c).rsplit("/", 1)[-1] for c in concepts(load("topics.ttl"))] == sorted(TOPICS)


def test_framework_slugs_and_labels() -> None:
    graph = load("frameworks.ttl")
    assert [str(c).rsplit("/", 1)[-1] for c in concepts(graph)] == sorted(FRAMEWORKS)
    assert str(graph.value(URIRef(f"{FRAMEWORK_SCHEME}/pytorch"), SKOS.prefLabel)) == "PyTorch"
    spellings = {fold(label) for label in graph.objects(URIRef(f"{FRAMEWORK_SCHEME}/tensorflow"),
                                                         None) if isinstance(label, Literal)}
    assert {"tensorflow", "tf"} <= spellings


@pytest.mark.parametrize(("heading", "slug"), [
    ("Feature Maps Distillation", "feature-map"),
    ("Online Knowledge Distillation", "online"),
    ("Data-Free Knowledge Distillation", "data-free"),
    ("Adversarial \\& Robust Distillation", "adversarial"),
    ("Federated Learning", "federated"),
    ("Topic Models", "topic-models"),
    ("Response-Based Knowledge", "response-based"),
    ("Feature-Based Knowledge", "feature-map"),
    ("Relation-Based Knowledge", "relation-based"),
    ("Deep Mutual Learning", "online"),
    ("Peer Collaborative Learning for Online Knowledge Distillation", "online"),
    ("Data-free Parameter Pruning for Deep Neural Networks", "pruning"),
])
def test_headings_and_titles_match_their_topic(heading: str, slug: str) -> None:
    """The labels name the source lists' section headings (and typical titles) as whole words."""
    graph = load("topics.ttl")
    text = f" {fold(heading)} "
    matched = {str(c).rsplit("/", 1)[-1] for c in concepts(graph)
               if any(f" {fold(label)} " in text
                      for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                      for label in graph.objects(c, p))}
    assert slug in matched, (heading, matched)


def test_generic_heading_matches_no_topic() -> None:
    """ "Knowledge Distillation" alone names no family, so titles decide the topics under it."""
    graph = load("topics.ttl")
    labels = {fold(label) for c in concepts(graph)
              for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
              for label in graph.objects(c, p)}
    for phrase in ("knowledge distillation", "distillation", "knowledge", "kd"):
        assert phrase not in labels


def test_no_bibo_or_schema_terms_invented(ontology: Graph) -> None:
    """The ontology declares kd: terms only; it does not redefine schema.org or BIBO terms."""
    for subject in ontology.subjects(RDF.type, None):
        assert not str(subject).startswith((str(SDO), BIBO)), subject

"""Namespaces and vocabulary terms used by kdgraph, in one place.

Standard vocabularies come from :mod:`rdflib.namespace` and are re-exported here, so that every
module imports its namespaces from ``kdgraph.vocab``. BIBO, codemeta and kdgraph's own ``kd:`` terms
are :class:`~rdflib.namespace.DefinedNamespace` classes with ``_fail = True``: using a term that is
not listed raises :class:`AttributeError` instead of silently minting a wrong IRI.

``KD`` lists exactly the terms declared in ``ontology/kdgraph.ttl``; ``tests/test_vocab.py`` checks
that the two agree, that every BIBO term exists in BIBO and every schema.org term in schema.org.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
    Namespace,
)

from .namespaces import DEFAULT_BASE, KD_NAMESPACE, PREFIXES

__all__ = [
    "BIBO",
    "CODEMETA",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FRAMEWORK_SCHEME",
    "KD",
    "KD_NAMESPACE",
    "ONTOLOGY_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SHAPES_NAMESPACE",
    "SKOS",
    "TOPIC_SCHEME",
    "VOID",
    "XSD",
]


ONTOLOGY_IRI = URIRef("https://w3id.org/kdgraph/ontology")
TOPIC_SCHEME = URIRef(DEFAULT_BASE + "topic")
"""The SKOS concept scheme of KD families, under the default base."""
FRAMEWORK_SCHEME = URIRef(DEFAULT_BASE + "framework")
"""The SKOS concept scheme of deep-learning frameworks, under the default base."""

SHAPES_NAMESPACE = Namespace("https://w3id.org/kdgraph/shapes#")
"""Namespace of the SHACL shapes in ``shapes/``."""


class BIBO(DefinedNamespace):
    """The Bibliographic Ontology terms kdgraph uses (http://purl.org/ontology/bibo/)."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    AcademicArticle: URIRef  # a scholarly academic article, typically published in a journal
    Conference: URIRef  # a meeting for consultation or discussion
    Workshop: URIRef  # a seminar, discussion group, or the like
    Journal: URIRef  # a periodical of scholarly journal articles
    authorList: URIRef  # an ordered list of authors (an rdf:Seq or rdf:List)
    presentedAt: URIRef  # relates a document to an event, e.g. a paper to a conference
    doi: URIRef  # the Digital Object Identifier of a document


class CODEMETA(DefinedNamespace):
    """The codemeta terms kdgraph uses (https://codemeta.github.io/terms/)."""

    _fail = True
    _NS = Namespace("https://codemeta.github.io/terms/")

    referencePublication: URIRef  # an academic publication related to the software


class KD(DefinedNamespace):
    """kdgraph's own terms, declared in ``ontology/kdgraph.ttl``."""

    _fail = True
    _NS = Namespace(KD_NAMESPACE)

    # paper -> related resources
    code: URIRef  # a code repository implementing the paper
    supplement: URIRef  # supplementary material (schema:MediaObject)
    poster: URIRef  # the paper's poster (schema:Poster)
    slides: URIRef  # the paper's slides (schema:PresentationDigitalDocument)
    projectPage: URIRef  # the paper's project page (schema:WebPage)
    inferredSubject: URIRef  # a topic guessed from the title (sub-property of dcterms:subject)
    # list item
    section: URIRef  # the section path of a list item, as text
    sourceLine: URIRef  # the 1-based line of the item in its source file
    priority: URIRef  # the reading priority mark of a list item
    read: URIRef  # whether the list marks the item as read
    # source list
    contentHash: URIRef  # "sha256:<hex>" of the source list's text
    # reading priority
    Priority: URIRef  # class of reading priorities
    TopPriority: URIRef  # first reading priority (:star2:)
    SecondPriority: URIRef  # second reading priority (:star:)

for _prefix, _ns in (("schema", SDO), ("bibo", BIBO), ("codemeta", CODEMETA), ("kd", KD),
                     ("dcterms", DCTERMS), ("skos", SKOS), ("prov", PROV), ("void", VOID),
                     ("dcat", DCAT), ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("xsd", XSD)):
    assert PREFIXES[_prefix] == str(_ns), _prefix  # namespaces.py must agree with rdflib's

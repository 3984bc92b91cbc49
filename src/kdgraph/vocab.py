"""Namespaces and vocabulary terms used by kdgraph, in one place.

Standard vocabularies come from :mod:`rdflib.namespace` and are re-exported here, so that every
module imports its namespaces from ``kdgraph.vocab``. BIBO, codemeta and kdgraph's own ``kd:`` terms
are :class:`~rdflib.namespace.DefinedNamespace` classes with ``_fail = True``: using a term that is
not listed raises :class:`AttributeError` instead of silently minting a wrong IRI.

``KD`` lists exactly the terms declared in ``ontology/kdgraph.ttl``; ``tests/test_vocab.py`` checks
that the two agree, that every BIBO term exists in BIBO and every schema.org term in schema.org.
"""

from __future__ import annotations

from pathlib import Path

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

__all__ = [
    "BIBO",
    "CODEMETA",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FRAMEWORK_SCHEME",
    "KD",
    "KD_NAMESPACE",
    "ONTOLOGY_DIR",
    "ONTOLOGY_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SH",
    "SHAPES_DIR",
    "SHAPES_NAMESPACE",
    "SKOS",
    "TOPIC_SCHEME",
    "VOID",
    "XSD",
    "ontology_path",
    "shapes_path",
]

DEFAULT_BASE = "https://w3id.org/kdgraph/"
"""The default base ``B`` of every minted IRI (see docs/model.md); ``--base`` overrides it."""

KD_NAMESPACE = "https://w3id.org/kdgraph/ontology#"
"""Namespace of the ``kd:`` terms. Fixed: it does not follow ``--base``."""

ONTOLOGY_IRI = URIRef("https://w3id.org/kdgraph/ontology")
TOPIC_SCHEME = URIRef(DEFAULT_BASE + "topic")
"""The SKOS concept scheme of KD families, under the default base."""
FRAMEWORK_SCHEME = URIRef(DEFAULT_BASE + "framework")
"""The SKOS concept scheme of deep-learning frameworks, under the default base."""

SHAPES_NAMESPACE = Namespace("https://w3id.org/kdgraph/shapes#")
"""Namespace of the SHACL shapes in ``shapes/``."""

_REPO_ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = _REPO_ROOT / "ontology"
SHAPES_DIR = _REPO_ROOT / "shapes"


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


PREFIXES: dict[str, str] = {
    "schema": str(SDO),
    "bibo": str(BIBO),
    "codemeta": str(CODEMETA),
    "kd": KD_NAMESPACE,
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "void": str(VOID),
    "dcat": str(DCAT),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}
"""Preferred prefix for each namespace, for binding graphs and writing SPARQL prologues."""


def _data_path(folder: Path, name: str) -> Path:
    if Path(name).name != name:
        raise ValueError(f"{name!r} is not a plain file name; give a name such as 'topics.ttl'")
    path = folder / name
    if not path.is_file():
        known = ", ".join(sorted(p.name for p in folder.glob("*.ttl"))) or "none"
        raise FileNotFoundError(f"{path} does not exist; files in {folder}: {known}")
    return path


def ontology_path(name: str) -> Path:
    """Return the path of ``name`` in the repository's ``ontology/`` folder.

    >>> ontology_path("topics.ttl").name
    'topics.ttl'

    Raises :class:`FileNotFoundError` (naming the files that exist) when there is no such file.
    """
    return _data_path(ONTOLOGY_DIR, name)


def shapes_path(name: str) -> Path:
    """Return the path of ``name`` in the repository's ``shapes/`` folder (see :func:`ontology_path`)."""
    return _data_path(SHAPES_DIR, name)

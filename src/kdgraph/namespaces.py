"""Namespace IRIs as plain strings, for code that must start fast without importing rdflib.

:mod:`kdgraph.vocab` builds rdflib namespaces from these; ``kdgraph query`` uses them directly.
"""

from __future__ import annotations

DEFAULT_BASE = "https://w3id.org/kdgraph/"
"""The default base ``B`` of every minted IRI (see docs/model.md); ``--base`` overrides it."""

KD_NAMESPACE = "https://w3id.org/kdgraph/ontology#"
"""Namespace of the ``kd:`` terms. Fixed: it does not follow ``--base``."""

PREFIXES: dict[str, str] = {
    "schema": "https://schema.org/",
    "bibo": "http://purl.org/ontology/bibo/",
    "codemeta": "https://codemeta.github.io/terms/",
    "kd": KD_NAMESPACE,
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Preferred prefix for each namespace, for binding graphs and writing SPARQL prologues."""

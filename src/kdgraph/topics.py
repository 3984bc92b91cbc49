"""Topics: the KD-family concept scheme (``ontology/topics.ttl``) and matching text against it.

A concept matches a text when one of its labels (preferred, alternative or hidden) occurs in the text as
whole words, compared in :func:`~kdgraph.normalize.title_key` form. Section headings give *asserted*
topics; titles give *inferred* ones, used only where a list's sections say nothing about the topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .normalize import title_key
from .paths import project_file


@dataclass(frozen=True, slots=True)
class Concept:
    iri: str
    label: str
    phrases: tuple[str, ...]


def ontology_file(name: str) -> Path:
    """A file of the ontology folder."""
    return project_file("ontology", name)


@cache
def concepts(name: str = "topics.ttl") -> tuple[Concept, ...]:
    """The concepts of a SKOS scheme file with the phrases that name them."""
    from rdflib import Graph
    from rdflib.namespace import RDF, SKOS

    graph = Graph().parse(ontology_file(name), format="turtle")
    found: list[Concept] = []
    for concept in sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str):
        labels = [str(o) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
                  for o in graph.objects(concept, p)]
        pref = next((str(o) for o in graph.objects(concept, SKOS.prefLabel)), str(concept))
        phrases = tuple(sorted({title_key(label) for label in labels if title_key(label)}))
        found.append(Concept(iri=str(concept), label=pref, phrases=phrases))
    return tuple(found)


@cache
def _padded(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each concept's IRI and its phrases between spaces, as :func:`match` looks for them."""
    return tuple((c.iri, tuple(f" {p} " for p in c.phrases)) for c in concepts(name))


def match(text: str, name: str = "topics.ttl") -> list[str]:
    """IRIs of the concepts whose phrases occur in ``text`` as whole words, sorted."""
    padded = f" {title_key(text)} "
    found = padded.__contains__
    return sorted(iri for iri, phrases in _padded(name) if any(map(found, phrases)))

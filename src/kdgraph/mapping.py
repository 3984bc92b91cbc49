"""Mapping: reconciled records to schema.org + BIBO quads, one named graph per source list.

What a list says goes into its own graph ``B/graph/{source id}``: its ``schema:ItemList`` and items with
the list's marks and source lines, and the description of every paper it lists (the reconciled title,
year, venue, authors, identifiers and topics, so graphs agree where they overlap) plus the links that
list gives. The topic and framework schemes go into ``B/graph/vocabulary``. No blank nodes: every node
has an IRI minted by :mod:`kdgraph.uris` or is a web resource's own URL.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, SKOS, XSD
from rdflib.term import Node

from . import topics
from .extract import Extraction
from .normalize import title_key
from .reconcile import ItemNode, PaperNode, Reconciled, repo_key
from .records import Record, Venue
from .uris import Minter, slug
from .vocab import BIBO, CODEMETA, FRAMEWORK_SCHEME, KD

Quad = tuple[URIRef, URIRef, Node, URIRef]

CANONICAL_URL = {
    "arXiv": "https://arxiv.org/abs/{}",
    "DOI": "https://doi.org/{}",
    "OpenReview": "https://openreview.net/forum?id={}",
}
PROPERTY_ID = {"NeurIPS": "NeurIPS Proceedings"}  # the propertyID spelling of a record's scheme
MEDIA = {
    "supplement": (KD.supplement, SDO.MediaObject),
    "video": (SDO.video, SDO.VideoObject),
    "poster": (KD.poster, SDO.Poster),
    "slides": (KD.slides, SDO.PresentationDigitalDocument),
    "project": (KD.projectPage, SDO.WebPage),
}


def iri(url: str) -> URIRef:
    """A URL as an IRI, with the characters IRIs forbid percent-encoded."""
    return URIRef(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))


@dataclass(slots=True)
class Mapped:
    """The quads of the graph, and where each node came from (``file:line`` list) for reports."""

    quads: list[Quad]
    origins: dict[str, list[str]] = field(default_factory=dict)


class _Builder:
    def __init__(self, minter: Minter, reconciled: Reconciled) -> None:
        self.m = minter
        self.r = reconciled
        self.quads: set[Quad] = set()
        self.origins: dict[str, set[str]] = defaultdict(set)
        self.graph = URIRef(minter.graph("vocabulary"))

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.quads.add((s, p, o, self.graph))

    def origin(self, node: URIRef, record: Record | ItemNode) -> None:
        file = record.file if isinstance(record, Record) else (
            record.record.file if record.record else "")
        if file:
            self.origins[str(node)].add(f"{file}:{record.line}")

    # --------------------------------------------------------------------------------- entities

    def paper(self, paper: PaperNode, source: str) -> URIRef:
        p = URIRef(self.m.paper(paper.key))
        add = self.add
        add(p, RDF.type, SDO.ScholarlyArticle)
        add(p, RDF.type, BIBO.AcademicArticle)
        add(p, SDO.name, Literal(paper.title))
        if paper.year is not None:
            add(p, SDO.datePublished, Literal(str(paper.year), datatype=XSD.gYear))
        if paper.authors:
            seq = URIRef(self.m.authors(str(p)))
            add(p, BIBO.authorList, seq)
            add(seq, RDF.type, RDF.Seq)
            for n, pkey in enumerate(paper.authors, 1):
                person = self.person(pkey)
                add(p, SDO.author, person)
                add(seq, URIRef(f"{RDF}_{n}"), person)
        for ident in paper.identifiers:
            scheme = PROPERTY_ID.get(ident.scheme, ident.scheme)
            node = URIRef(self.m.identifier(scheme, ident.value))
            add(p, SDO.identifier, node)
            add(node, RDF.type, SDO.PropertyValue)
            add(node, SDO.propertyID, Literal(scheme))
            add(node, SDO.value, Literal(ident.value))
            if ident.scheme == "DOI":
                add(p, BIBO.doi, Literal(ident.value))
            if ident.scheme in CANONICAL_URL:
                add(p, SDO.sameAs, iri(CANONICAL_URL[ident.scheme].format(ident.value)))
        if paper.venue is not None:
            self.venue(p, paper.venue, paper.year)
        asserted, inferred = self.topics(paper)
        for concept in asserted | inferred:
            add(p, DCTERMS.subject, URIRef(concept))
        for concept in inferred - asserted:
            add(p, KD.inferredSubject, URIRef(concept))
        for record in paper.records:
            if record.source == source:
                self.origin(p, record)
                self.links(p, record)
        return p

    def person(self, key: str) -> URIRef:
        node = self.r.persons[key]
        person = URIRef(self.m.person(node.name))
        self.add(person, RDF.type, SDO.Person)
        self.add(person, SDO.name, Literal(node.name))
        for name in sorted(node.alternate):
            self.add(person, SDO.alternateName, Literal(name))
        return person

    def venue(self, paper: URIRef, venue: Venue, year: int | None) -> None:
        add = self.add
        assert venue.series is not None
        series = URIRef(self.m.series(venue.series))
        add(series, SDO.name, Literal(venue.series))
        if venue.kind in ("journal", "preprint"):
            add(series, RDF.type, SDO.Periodical)
            add(series, RDF.type, BIBO.Journal)
            add(paper, SDO.isPartOf, series)
            return
        add(series, RDF.type, SDO.EventSeries)
        if year is None:
            return
        event = URIRef(self.m.event(venue.series, year))
        add(event, RDF.type, SDO.Event)
        add(event, RDF.type, BIBO.Conference)
        add(event, SDO.name, Literal(f"{venue.series} {year}"))
        add(event, SDO.superEvent, series)
        add(event, SDO.startDate, Literal(str(year), datatype=XSD.gYear))
        if venue.workshop:
            workshop = URIRef(self.m.event(venue.series, year, workshop=True))
            add(workshop, RDF.type, SDO.Event)
            add(workshop, RDF.type, BIBO.Workshop)
            add(workshop, SDO.name, Literal(f"{venue.series} {year} Workshop"))
            add(workshop, SDO.superEvent, event)
            add(workshop, SDO.startDate, Literal(str(year), datatype=XSD.gYear))
            event = workshop
        add(paper, BIBO.presentedAt, event)

    def topics(self, paper: PaperNode) -> tuple[set[str], set[str]]:
        asserted: set[str] = set()
        for record in paper.records:
            for heading in record.section:
                asserted.update(topics.match(heading))
        inferred = set() if asserted else set(topics.match(paper.title))
        return asserted, inferred

    def framework(self, name: str) -> URIRef:
        """The framework concept of the scheme; a framework the scheme lacks gets a concept here."""
        key = title_key(name)
        for concept in topics.concepts("frameworks.ttl"):
            if key in concept.phrases:
                return URIRef(concept.iri)
        node = URIRef(f"{FRAMEWORK_SCHEME}/{slug(name)}")
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.prefLabel, Literal(name, lang="en"))
        self.add(node, SKOS.inScheme, FRAMEWORK_SCHEME)
        self.add(node, SKOS.topConceptOf, FRAMEWORK_SCHEME)
        return node

    def links(self, paper: URIRef, record: Record) -> None:
        add = self.add
        for link in record.links:
            target = iri(link.url)
            if link.kind == "paper":
                add(paper, SDO.url, target)
            elif link.kind == "code":
                repo = self.r.repos[repo_key(link)]
                code = URIRef(self.m.code(repo.key))
                add(paper, KD.code, code)
                add(code, RDF.type, SDO.SoftwareSourceCode)
                add(code, SDO.codeRepository, iri(repo.url))
                add(code, CODEMETA.referencePublication, paper)
                for framework in sorted(repo.frameworks):
                    add(code, SDO.softwareRequirements, self.framework(framework))
                self.origin(code, record)
            elif link.kind in MEDIA:
                prop, cls = MEDIA[link.kind]
                add(paper, prop, target)
                add(target, RDF.type, cls)
            else:
                add(paper, RDFS.seeAlso, target)

    def resource(self, record: Record) -> URIRef:
        node = URIRef(self.m.resource(record.title_key))
        self.add(node, RDF.type, SDO.CreativeWork)
        self.add(node, SDO.name, Literal(record.title))
        for link in record.links:
            self.add(node, SDO.url, iri(link.url))
        self.origin(node, record)
        return node

    # ------------------------------------------------------------------------------------- lists

    def source_list(self, extraction: Extraction) -> None:
        source = extraction.source
        self.graph = URIRef(self.m.graph(source.id))
        add = self.add
        lst = URIRef(self.m.source_list(source.id))
        items = self.r.items[source.id]
        add(lst, RDF.type, SDO.ItemList)
        add(lst, SDO.name, Literal(source.title))
        add(lst, SDO.url, iri(source.origin))
        add(lst, SDO.numberOfItems, Literal(len(items)))
        add(lst, KD.contentHash, Literal(f"sha256:{extraction.sha256}"))
        described: dict[str, URIRef] = {}
        for item in items:
            if item.paper is not None:
                if item.paper not in described:
                    described[item.paper] = self.paper(self.r.papers[item.paper], source.id)
                target = described[item.paper]
                key = slug(item.paper)
            else:
                assert item.resource is not None
                target = self.resource(item.resource)
                key = slug(item.resource.title_key)
            node = URIRef(self.m.list_item(source.id, key, item.occurrence))
            add(lst, SDO.itemListElement, node)
            add(node, RDF.type, SDO.ListItem)
            add(node, SDO.position, Literal(item.position))
            add(node, SDO.item, target)
            add(node, KD.sourceLine, Literal(item.line, datatype=XSD.positiveInteger))
            if item.section:
                add(node, KD.section, Literal(" / ".join(item.section)))
            if item.marks.priority == "top":
                add(node, KD.priority, KD.TopPriority)
            elif item.marks.priority == "second":
                add(node, KD.priority, KD.SecondPriority)
            if item.marks.read:
                add(node, KD.read, Literal(True))
            if item.record is not None:
                self.origin(node, item.record)
            else:
                self.origins[str(node)].add(f"{extraction.source.path}:{item.line}")

    def vocabulary(self) -> None:
        from rdflib import Graph

        self.graph = URIRef(self.m.graph("vocabulary"))
        for name in ("topics.ttl", "frameworks.ttl"):
            g = Graph().parse(topics.ontology_file(name), format="turtle")
            for s, p, o in g:
                if isinstance(s, URIRef) and isinstance(p, URIRef):
                    self.add(s, p, o)


def map_graph(extractions: list[Extraction], reconciled: Reconciled,
              minter: Minter | None = None) -> Mapped:
    """All quads of the graph, sorted (so every serialization of them is deterministic)."""
    builder = _Builder(minter or Minter(), reconciled)
    builder.vocabulary()
    for extraction in extractions:
        builder.source_list(extraction)
    # graph, subject and predicate are IRIs, whose rdflib order is their string order: sorting on
    # plain strings gives the same order without rdflib's term comparisons
    quads = sorted(builder.quads, key=lambda q: (str(q[3]), str(q[0]), str(q[1]), q[2].n3()))
    origins = {k: sorted(v) for k, v in sorted(builder.origins.items())}
    return Mapped(quads=quads, origins=origins)

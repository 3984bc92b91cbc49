"""Mapping: reconciled records to schema.org + BIBO quads, one named graph per source list.

What a list says goes into its own graph ``B/graph/{source id}``: its ``schema:ItemList`` and items with
the list's marks and source lines, and the description of every paper it lists (the reconciled title,
year, venue, authors, identifiers and topics, so graphs agree where they overlap) plus the links that
list gives. The topic and framework schemes go into ``B/graph/vocabulary``. No blank nodes: every node
has an IRI minted by :mod:`kdgraph.uris` or is a web resource's own URL.

Terms are written as N-Triples text (:mod:`kdgraph.ntriples`), never as rdflib terms: at 100,000 entries
the graph has about three million triples, and strings hash, compare and sort at C speed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from urllib.parse import quote

from rdflib.namespace import DCTERMS, RDF, RDFS, SDO, SKOS, XSD

from . import ntriples as nt
from . import topics
from .extract import Extraction
from .normalize import title_key
from .ntriples import Quad
from .reconcile import ItemNode, PaperNode, Reconciled, repo_key
from .records import Record, Venue
from .store import Batch
from .uris import Minter, slug
from .vocab import BIBO, CODEMETA, FRAMEWORK_SCHEME, KD

__all__ = ["Mapped", "Quad", "iri", "map_graph"]

CANONICAL_URL = {
    "arXiv": "https://arxiv.org/abs/{}",
    "DOI": "https://doi.org/{}",
    "OpenReview": "https://openreview.net/forum?id={}",
}
PROPERTY_ID = {"NeurIPS": "NeurIPS Proceedings"}  # the propertyID spelling of a record's scheme
BATCH_QUADS = 1 << 18
"""Statements per batch given to :func:`map_graph`'s ``batches`` (about 60 MB of N-Quads text)."""


def _t(term: str) -> str:
    return f"<{term}>"


# the terms the mapping writes, as N-Triples text
A = _t(RDF.type)
SEQ, SEQ_N = _t(RDF.Seq), str(RDF)
NAME, ALTERNATE, URL, SAME_AS = _t(SDO.name), _t(SDO.alternateName), _t(SDO.url), _t(SDO.sameAs)
ARTICLE, ACADEMIC = _t(SDO.ScholarlyArticle), _t(BIBO.AcademicArticle)
PUBLISHED, AUTHOR, AUTHOR_LIST = _t(SDO.datePublished), _t(SDO.author), _t(BIBO.authorList)
PERSON = _t(SDO.Person)
IDENTIFIER, PROPERTY_VALUE = _t(SDO.identifier), _t(SDO.PropertyValue)
PROPERTY_ID_P, VALUE, DOI = _t(SDO.propertyID), _t(SDO.value), _t(BIBO.doi)
PERIODICAL, JOURNAL, PART_OF = _t(SDO.Periodical), _t(BIBO.Journal), _t(SDO.isPartOf)
SERIES, EVENT, CONFERENCE, WORKSHOP = (_t(SDO.EventSeries), _t(SDO.Event), _t(BIBO.Conference),
                                       _t(BIBO.Workshop))
SUPER_EVENT, START, PRESENTED_AT = _t(SDO.superEvent), _t(SDO.startDate), _t(BIBO.presentedAt)
SUBJECT, INFERRED = _t(DCTERMS.subject), _t(KD.inferredSubject)
CONCEPT, PREF_LABEL, IN_SCHEME, TOP_CONCEPT_OF = (_t(SKOS.Concept), _t(SKOS.prefLabel),
                                                  _t(SKOS.inScheme), _t(SKOS.topConceptOf))
FRAMEWORKS = _t(FRAMEWORK_SCHEME)
CODE, SOURCE_CODE, CODE_REPOSITORY = _t(KD.code), _t(SDO.SoftwareSourceCode), _t(SDO.codeRepository)
REFERENCE_PUBLICATION, REQUIREMENTS = _t(CODEMETA.referencePublication), _t(SDO.softwareRequirements)
SEE_ALSO, CREATIVE_WORK = _t(RDFS.seeAlso), _t(SDO.CreativeWork)
ITEM_LIST, ITEM_LIST_ELEMENT, NUMBER_OF_ITEMS = (_t(SDO.ItemList), _t(SDO.itemListElement),
                                                 _t(SDO.numberOfItems))
CONTENT_HASH, LIST_ITEM, POSITION, ITEM = (_t(KD.contentHash), _t(SDO.ListItem), _t(SDO.position),
                                           _t(SDO.item))
SOURCE_LINE, SECTION, PRIORITY, READ = _t(KD.sourceLine), _t(KD.section), _t(KD.priority), _t(KD.read)
PRIORITIES = {"top": _t(KD.TopPriority), "second": _t(KD.SecondPriority)}
TRUE = nt.boolean(True)
G_YEAR, POSITIVE_INTEGER = str(XSD.gYear), str(XSD.positiveInteger)
MEDIA = {
    "supplement": (_t(KD.supplement), _t(SDO.MediaObject)),
    "video": (_t(SDO.video), _t(SDO.VideoObject)),
    "poster": (_t(KD.poster), _t(SDO.Poster)),
    "slides": (_t(KD.slides), _t(SDO.PresentationDigitalDocument)),
    "project": (_t(KD.projectPage), _t(SDO.WebPage)),
}


_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


@lru_cache(maxsize=65536)
def iri(url: str) -> str:
    """A URL as an IRI term (N-Triples text), with the characters IRIs forbid percent-encoded."""
    return f"<{quote(url, safe=_IRI_SAFE)}>"


def _year(year: int) -> str:
    return nt.literal(str(year), G_YEAR)


@lru_cache(maxsize=4096)
def _match_topics(text: str) -> tuple[str, ...]:
    return tuple(topics.match(text))


@dataclass(slots=True)
class Mapped:
    """The quads of the graph as N-Triples text (sorted, unique), and where each node came from
    (``file:line`` list) for reports."""

    quads: list[Quad]
    origins: dict[str, list[str]] = field(default_factory=dict)

    def triples(self) -> list[nt.Triple]:
        """The union of the graphs: each triple once, sorted (the quads are sorted by subject,
        predicate, object and graph, so a triple's quads are consecutive)."""
        out: list[nt.Triple] = []
        last: nt.Triple | None = None
        for s, p, o, _ in self.quads:
            if last is None or last[0] != s or last[1] != p or last[2] != o:
                last = (s, p, o)
                out.append(last)
        return out


class _Builder:
    def __init__(self, minter: Minter, reconciled: Reconciled,
                 batches: Callable[[Batch], None] | None = None) -> None:
        self.m = minter
        self.r = reconciled
        self.statements: dict[str, set[tuple[str, str, str]]] = defaultdict(set)  # s → (p, o, g)
        self.origins: dict[str, set[str]] = defaultdict(set)
        self.graph = nt.iri(minter.graph("vocabulary"))
        self._persons: dict[str, str] = {}
        self._described: set[tuple[str, str]] = set()  # (graph, node) already described in full
        self._frameworks: dict[str, tuple[str, bool]] = {}  # node, minted here
        self._batches = batches
        self._pending: tuple[list[str], list[tuple[str, str, str]]] = ([], [])  # not yet in a batch
        if batches is not None:
            self.add = self._add_and_pass  # type: ignore[method-assign]

    def add(self, s: str, p: str, o: str) -> None:
        self.statements[s].add((p, o, self.graph))

    def _add_and_pass(self, s: str, p: str, o: str) -> None:
        statement = (p, o, self.graph)
        self.statements[s].add(statement)
        subjects, statements = self._pending
        subjects.append(s)
        statements.append(statement)
        if len(subjects) >= BATCH_QUADS:
            self.pass_on()

    def pass_on(self) -> None:
        """Give the statements added since the last batch to ``batches``, as a batch."""
        if self._pending[0] and self._batches is not None:
            self._batches(partial(_nquads_text, *self._pending))
            self._pending = ([], [])

    def sorted_quads(self) -> list[Quad]:
        """The quads sorted by subject, predicate, object and graph — sorting the subjects, then each
        subject's few statements, is several times faster than sorting millions of 4-tuples."""
        statements = self.statements
        return [(s, p, o, g) for s in sorted(statements)
                for p, o, g in (statements[s] if len(statements[s]) == 1 else sorted(statements[s]))]

    def first_time(self, node: str) -> bool:
        """Whether ``node`` is described in the current graph for the first time."""
        key = (self.graph, node)
        if key in self._described:
            return False
        self._described.add(key)
        return True

    def origin(self, node: str, record: Record | ItemNode) -> None:
        file = record.file if isinstance(record, Record) else (
            record.record.file if record.record else "")
        if file:
            self.origins[node[1:-1]].add(f"{file}:{record.line}")

    # --------------------------------------------------------------------------------- entities

    def paper(self, paper: PaperNode, source: str) -> str:
        p = nt.iri(self.m.paper(paper.key))
        add = self.add
        add(p, A, ARTICLE)
        add(p, A, ACADEMIC)
        add(p, NAME, nt.literal(paper.title))
        if paper.year is not None:
            add(p, PUBLISHED, _year(paper.year))
        if paper.authors:
            seq = nt.iri(self.m.authors(p[1:-1]))
            add(p, AUTHOR_LIST, seq)
            add(seq, A, SEQ)
            for n, pkey in enumerate(paper.authors, 1):
                person = self.person(pkey)
                add(p, AUTHOR, person)
                add(seq, f"<{SEQ_N}_{n}>", person)
        for ident in paper.identifiers:
            scheme = PROPERTY_ID.get(ident.scheme, ident.scheme)
            node = nt.iri(self.m.identifier(scheme, ident.value))
            add(p, IDENTIFIER, node)
            add(node, A, PROPERTY_VALUE)
            add(node, PROPERTY_ID_P, nt.literal(scheme))
            add(node, VALUE, nt.literal(ident.value))
            if ident.scheme == "DOI":
                add(p, DOI, nt.literal(ident.value))
            if ident.scheme in CANONICAL_URL:
                add(p, SAME_AS, iri(CANONICAL_URL[ident.scheme].format(ident.value)))
        if paper.venue is not None:
            self.venue(p, paper.venue, paper.year)
        asserted, inferred = self.topics(paper)
        for concept in asserted | inferred:
            add(p, SUBJECT, nt.iri(concept))
        for concept in inferred - asserted:
            add(p, INFERRED, nt.iri(concept))
        for record in paper.records:
            if record.source == source:
                self.origin(p, record)
                self.links(p, record)
        return p

    def person(self, key: str) -> str:
        person = self._persons.get(key)
        if person is None:
            person = self._persons[key] = nt.iri(self.m.person(self.r.persons[key].name))
        if self.first_time(person):
            node = self.r.persons[key]
            self.add(person, A, PERSON)
            self.add(person, NAME, nt.literal(node.name))
            for name in sorted(node.alternate):
                self.add(person, ALTERNATE, nt.literal(name))
        return person

    def venue(self, paper: str, venue: Venue, year: int | None) -> None:
        add = self.add
        assert venue.series is not None
        series = nt.iri(self.m.series(venue.series))
        add(series, NAME, nt.literal(venue.series))
        if venue.kind in ("journal", "preprint"):
            add(series, A, PERIODICAL)
            add(series, A, JOURNAL)
            add(paper, PART_OF, series)
            return
        add(series, A, SERIES)
        if year is None:
            return
        event = self.event(nt.iri(self.m.event(venue.series, year)), CONFERENCE,
                           f"{venue.series} {year}", series, year)
        if venue.workshop:
            event = self.event(nt.iri(self.m.event(venue.series, year, workshop=True)), WORKSHOP,
                               f"{venue.series} {year} Workshop", event, year)
        add(paper, PRESENTED_AT, event)

    def event(self, node: str, kind: str, name: str, parent: str, year: int) -> str:
        """A conference or workshop event, described once per graph."""
        if self.first_time(node):
            self.add(node, A, EVENT)
            self.add(node, A, kind)
            self.add(node, NAME, nt.literal(name))
            self.add(node, SUPER_EVENT, parent)
            self.add(node, START, _year(year))
        return node

    def topics(self, paper: PaperNode) -> tuple[set[str], set[str]]:
        asserted: set[str] = set()
        for record in paper.records:
            for heading in record.section:
                asserted.update(_match_topics(heading))
        inferred = set() if asserted else set(_match_topics(paper.title))
        return asserted, inferred

    def framework(self, name: str) -> str:
        """The framework concept of the scheme; a framework the scheme lacks gets a concept here."""
        found = self._frameworks.get(name)
        if found is None:
            key = title_key(name)
            concept = next((c for c in topics.concepts("frameworks.ttl") if key in c.phrases), None)
            found = self._frameworks[name] = (
                nt.iri(concept.iri if concept else f"{FRAMEWORK_SCHEME}/{slug(name)}"), concept is None)
        node, minted = found
        if minted and self.first_time(node):
            self.add(node, A, CONCEPT)
            self.add(node, PREF_LABEL, nt.literal(name, lang="en"))
            self.add(node, IN_SCHEME, FRAMEWORKS)
            self.add(node, TOP_CONCEPT_OF, FRAMEWORKS)
        return node

    def links(self, paper: str, record: Record) -> None:
        add = self.add
        for link in record.links:
            if link.kind == "paper":
                add(paper, URL, iri(link.url))
            elif link.kind == "code":
                repo = self.r.repos[repo_key(link)]
                code = nt.iri(self.m.code(repo.key))
                add(paper, CODE, code)
                add(code, REFERENCE_PUBLICATION, paper)
                if self.first_time(code):
                    add(code, A, SOURCE_CODE)
                    add(code, CODE_REPOSITORY, iri(repo.url))
                    for framework in sorted(repo.frameworks):
                        add(code, REQUIREMENTS, self.framework(framework))
                self.origin(code, record)
            elif link.kind in MEDIA:
                prop, cls = MEDIA[link.kind]
                target = iri(link.url)
                add(paper, prop, target)
                add(target, A, cls)
            else:
                add(paper, SEE_ALSO, iri(link.url))

    def resource(self, record: Record) -> str:
        node = nt.iri(self.m.resource(record.title_key))
        self.add(node, A, CREATIVE_WORK)
        self.add(node, NAME, nt.literal(record.title))
        for link in record.links:
            self.add(node, URL, iri(link.url))
        self.origin(node, record)
        return node

    # ------------------------------------------------------------------------------------- lists

    def source_list(self, extraction: Extraction) -> None:
        source = extraction.source
        self.graph = nt.iri(self.m.graph(source.id))
        add = self.add
        lst = nt.iri(self.m.source_list(source.id))
        items = self.r.items[source.id]
        add(lst, A, ITEM_LIST)
        add(lst, NAME, nt.literal(source.title))
        add(lst, URL, iri(source.origin))
        add(lst, NUMBER_OF_ITEMS, nt.integer(len(items)))
        add(lst, CONTENT_HASH, nt.literal(f"sha256:{extraction.sha256}"))
        described: dict[str, str] = {}
        list_item = self.m.list_item
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
            node = nt.iri(list_item(source.id, key, item.occurrence))
            add(lst, ITEM_LIST_ELEMENT, node)
            add(node, A, LIST_ITEM)
            add(node, POSITION, nt.integer(item.position))
            add(node, ITEM, target)
            add(node, SOURCE_LINE, nt.integer(item.line, POSITIVE_INTEGER))
            if item.section:
                add(node, SECTION, nt.literal(" / ".join(item.section)))
            priority = PRIORITIES.get(item.marks.priority or "")
            if priority is not None:
                add(node, PRIORITY, priority)
            if item.marks.read:
                add(node, READ, TRUE)
            if item.record is not None:
                self.origin(node, item.record)
            else:
                self.origins[node[1:-1]].add(f"{extraction.source.path}:{item.line}")

    def vocabulary(self) -> None:
        import pyoxigraph as ox

        self.graph = nt.iri(self.m.graph("vocabulary"))
        for name in ("topics.ttl", "frameworks.ttl"):
            for t in ox.parse(path=str(topics.ontology_file(name)), format=ox.RdfFormat.TURTLE):
                if isinstance(t.subject, ox.NamedNode):
                    self.add(str(t.subject), str(t.predicate), nt.from_oxigraph(t.object))


def map_graph(extractions: list[Extraction], reconciled: Reconciled,
              minter: Minter | None = None,
              batches: Callable[[Batch], None] | None = None) -> Mapped:
    """All quads of the graph as N-Triples text, sorted (so every serialization of them is
    deterministic).

    ``batches``, if given, is called while mapping goes on with each batch of statements made so far, as
    a function that gives their N-Quads text (a :data:`kdgraph.store.Batch`): the build's stores load
    them meanwhile. A statement made twice may come in two batches."""
    builder = _Builder(minter or Minter(), reconciled, batches)
    builder.vocabulary()
    for extraction in extractions:
        builder.source_list(extraction)
    builder.pass_on()
    quads = builder.sorted_quads()  # subject, predicate, object, graph: the N-Quads lines' order
    origins = {k: sorted(v) for k, v in sorted(builder.origins.items())}
    return Mapped(quads=quads, origins=origins)


def _nquads_text(subjects: list[str], statements: list[tuple[str, str, str]]) -> bytes:
    """N-Quads text of the statements (predicate, object, graph) of the subjects."""
    return "".join([f"{s} {p} {o} {g} .\n" for s, (p, o, g) in zip(subjects, statements, strict=True)]
                   ).encode("utf-8")

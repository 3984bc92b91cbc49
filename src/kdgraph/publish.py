"""Publishing: the dumps (Turtle, JSON-LD, N-Quads), the JSON-LD context, the dataset description
(VoID + DCAT), the stamped ontology and the quality report — written atomically and byte-stable.

The dumps are written from the build's quads as N-Triples text (:mod:`kdgraph.ntriples`), sorted once:
N-Quads is their lines, Turtle and JSON-LD are the streaming writers of :mod:`kdgraph.turtle` and
:mod:`kdgraph.jsonld`. Determinism: the quads are sorted before they reach a
writer, and JSON-LD nodes and values are sorted, so the same inputs give byte-identical files whatever
the hash seed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, SDO, VOID, XSD

from . import __version__
from .ntriples import Quad, Triple
from .paths import project_file
from .uris import Minter
from .vocab import BIBO, KD, PREFIXES

DUMPS = {
    "kdgraph.ttl": "text/turtle",
    "kdgraph.jsonld": "application/ld+json",
    "kdgraph.nq": "application/n-quads",
}


DATA_PREFIXES = ("paper", "person", "venue", "code", "list", "id", "resource")


def context(minter: Minter | None = None) -> dict[str, Any]:
    """The JSON-LD context of the dumps: schema.org as the vocabulary, IRIs typed as such, and
    prefixes for kdgraph's own IRIs."""
    base = (minter or Minter()).base
    ctx: dict[str, Any] = {"@vocab": str(SDO)}
    ctx.update({k: v for k, v in PREFIXES.items() if k != "schema"})
    ctx["schema"] = str(SDO)
    ctx.update({name: f"{base}{name}/" for name in DATA_PREFIXES})
    ctx["topic"] = "https://w3id.org/kdgraph/topic/"
    ctx["framework"] = "https://w3id.org/kdgraph/framework/"
    for term in ("url", "sameAs", "codeRepository", "item", "itemListElement", "author",
                 "identifier", "superEvent", "isPartOf", "video", "softwareRequirements"):
        ctx[term] = {"@id": f"schema:{term}", "@type": "@id"}
    ctx["datePublished"] = {"@id": "schema:datePublished", "@type": "xsd:gYear"}
    ctx["startDate"] = {"@id": "schema:startDate", "@type": "xsd:gYear"}
    return {"@context": ctx}


def bind(graph: Graph, minter: Minter) -> None:
    for prefix, ns in prefixes(minter).items():
        graph.bind(prefix, URIRef(ns), override=True, replace=True)


def prefixes(minter: Minter) -> dict[str, str]:
    """The prefixes of the Turtle dumps."""
    out = dict(PREFIXES)
    out.update({name: f"{minter.base}{name}/" for name in DATA_PREFIXES})
    out["topic"] = "https://w3id.org/kdgraph/topic/"
    out["framework"] = "https://w3id.org/kdgraph/framework/"
    return out


def ntriples(triples: Iterable[Triple]) -> bytes:
    """N-Triples, a line per triple, in the order given."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples]).encode("utf-8")


def turtle(triples: Iterable[Triple], minter: Minter, out: BinaryIO | None = None) -> bytes | int:
    """``triples`` (sorted, unique) as Turtle with the dumps' prefixes, by :mod:`kdgraph.turtle`'s
    writer: the bytes, or the number of bytes written to ``out``.

    Sorted triples put each subject's triples together, so the writer groups them with ``;`` and ``,``
    as pyoxigraph's serializer does; the same triples give the same bytes whatever the hash seed.
    """
    from .turtle import write_turtle, write_turtle_to

    if out is not None:
        return write_turtle_to(triples, prefixes(minter), out)
    return write_turtle(triples, prefixes(minter))


def nquads_chunks(quads: Sequence[Quad], size: int = 1 << 16) -> Iterator[bytes]:
    """N-Quads, a line per quad in the order given, as chunks of ``size`` lines (the build passes quads
    sorted by subject, predicate, object and graph, which is the order of their lines as text: a space
    sorts before any character that can end a term)."""
    for start in range(0, len(quads), size):
        yield "".join([f"{s} {p} {o} {g} .\n" for s, p, o, g in quads[start:start + size]]).encode(
            "utf-8")


def nquads(quads: Sequence[Quad]) -> bytes:
    """N-Quads, a line per quad, in the order given."""
    return b"".join(nquads_chunks(quads))


def jsonld(triples: Iterable[Triple], minter: Minter, out: BinaryIO | None = None) -> bytes | int:
    """Compacted JSON-LD with the published context embedded, nodes and values sorted: the bytes, or
    the number of bytes written to ``out``."""
    from .jsonld import write_jsonld, write_jsonld_to

    if out is not None:
        return write_jsonld_to(triples, context(minter), out)
    return write_jsonld(triples, context(minter))


def ontology(minter: Minter, version: str = __version__) -> Graph:
    """The ``kd:`` ontology with its version stamped by the build (never by hand)."""
    graph = Graph().parse(project_file("ontology", "kdgraph.ttl"), format="turtle")
    onto = URIRef(minter.ontology)
    for s in list(graph.subjects(RDF.type, OWL.Ontology)):
        graph.remove((s, OWL.versionInfo, None))
        graph.remove((s, OWL.versionIRI, None))
        onto = s  # type: ignore[assignment]
    graph.add((onto, OWL.versionInfo, Literal(version)))
    graph.add((onto, OWL.versionIRI, URIRef(f"{onto}/{version}")))
    return graph


@dataclass(frozen=True, slots=True)
class SourceInfo:
    id: str
    title: str
    origin: str
    sha256: str
    triples: int


@dataclass(frozen=True, slots=True)
class Census:
    """What the dataset description and the build's summary count in the triples."""

    triples: int
    entities: int  # distinct IRI subjects
    classes: dict[str, int]  # class term -> triples typing a subject with it
    series: int  # nodes typed schema:EventSeries or schema:Periodical
    topics: int  # distinct objects of dcterms:subject


def census(triples: Sequence[Triple]) -> Census:
    """Count ``triples`` (unique) in one pass, and their distinct subjects in another at C speed."""
    a, subject = f"<{RDF.type}>", f"<{DCTERMS.subject}>"
    series_classes = {f"<{SDO.EventSeries}>", f"<{SDO.Periodical}>"}
    classes: dict[str, int] = {}
    series: set[str] = set()
    topics: set[str] = set()
    for s, p, o in triples:
        if p == a:
            classes[o] = classes.get(o, 0) + 1
            if o in series_classes:
                series.add(s)
        elif p == subject:
            topics.add(o)
    subjects = set(map(itemgetter(0), triples))
    return Census(triples=len(triples), entities=sum(1 for s in subjects if s[0] == "<"),
                  classes=classes, series=len(series), topics=len(topics))


def dataset_description(counted: Census, minter: Minter, sources: list[SourceInfo],
                        sizes: dict[str, int], version: str) -> Graph:
    """VoID + DCAT description of the published dataset (no blank nodes, no timestamps)."""
    d = Graph()
    bind(d, minter)
    ds = URIRef(minter.dataset)
    d.add((ds, RDF.type, VOID.Dataset))
    d.add((ds, RDF.type, DCAT.Dataset))
    d.add((ds, DCTERMS.title, Literal("kdgraph: the knowledge-distillation literature graph",
                                      lang="en")))
    d.add((ds, DCTERMS.description, Literal(
        "Papers, people, venues, code repositories and topics of knowledge-distillation reading "
        "lists, reconciled into one schema.org + BIBO graph.", lang="en")))
    d.add((ds, DCTERMS.hasVersion, Literal(version)))
    d.add((ds, DCTERMS.rights, Literal(
        "Facts compiled from the source lists named as dcterms:source; each list keeps its own "
        "terms.", lang="en")))
    d.add((ds, VOID.uriSpace, Literal(minter.base)))
    for vocab in (str(SDO), str(BIBO), str(KD), str(DCTERMS)):
        d.add((ds, VOID.vocabulary, URIRef(vocab)))
    d.add((ds, VOID.triples, Literal(counted.triples)))
    d.add((ds, VOID.entities, Literal(counted.entities)))
    for cls, count in sorted(counted.classes.items()):
        if cls[0] != "<":
            continue
        uri = URIRef(cls[1:-1])
        part = URIRef(f"{ds}/class/{d.namespace_manager.normalizeUri(uri).replace(':', '-')}")
        d.add((ds, VOID.classPartition, part))
        d.add((part, VOID["class"], uri))
        d.add((part, VOID.entities, Literal(count)))
    for info in sources:
        subset = URIRef(f"{ds}/{info.id}")
        d.add((ds, VOID.subset, subset))
        d.add((ds, DCTERMS.source, URIRef(info.origin)))
        d.add((subset, RDF.type, VOID.Dataset))
        d.add((subset, DCTERMS.title, Literal(info.title)))
        d.add((subset, DCTERMS.source, URIRef(info.origin)))
        d.add((subset, PROV.wasDerivedFrom, URIRef(minter.source_list(info.id))))
        d.add((subset, VOID.triples, Literal(info.triples)))
    for name, media in DUMPS.items():
        dist = URIRef(f"{ds}/dump/{name.replace('.', '-')}")
        d.add((ds, DCAT.distribution, dist))
        d.add((ds, VOID.dataDump, URIRef(f"{minter.base}dumps/{name}")))
        d.add((dist, RDF.type, DCAT.Distribution))
        d.add((dist, DCAT.downloadURL, URIRef(f"{minter.base}dumps/{name}")))
        d.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        d.add((dist, DCAT.byteSize, Literal(sizes[name], datatype=XSD.nonNegativeInteger)))
    return d


class Staging:
    """A staging folder inside ``out`` that becomes the output only when everything is in it.

    Files and folders (the embedded store) are written into the staging folder; :meth:`commit` moves
    each into place — a file by one atomic rename, a folder by two — and leaving the ``with`` block
    removes whatever is left. Nothing in ``out`` changes unless :meth:`commit` is reached.
    """

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.root = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
        self.files: list[str] = []
        self.folders: list[str] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def write(self, name: str, data: bytes | Iterable[bytes]) -> int:
        """Stage a file from its bytes or from chunks of them; the number of bytes written."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            size = target.write_bytes(data)
        else:
            size = 0
            with target.open("wb") as f:
                for chunk in data:
                    size += f.write(chunk)
        self.files.append(name)
        return size

    def open(self, name: str) -> BinaryIO:
        """A staged file to write into."""
        target = self.path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        self.files.append(name)
        return target.open("wb")

    def path(self, name: str) -> Path:
        """Where a staged file is (or will be)."""
        return self.root / name

    def folder(self, name: str) -> Path:
        """The staging path of a folder to build (its caller makes it)."""
        self.folders.append(name)
        return self.root / name

    def commit(self) -> None:
        for name in self.files:
            (self.out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / name, self.out / name)
        for name in self.folders:
            old = self.root / f"{name}.old"
            if (self.out / name).exists():
                os.replace(self.out / name, old)
            os.replace(self.root / name, self.out / name)


def write_atomically(out: Path, files: dict[str, bytes],
                     make_dirs: Callable[[Path], list[str]] | None = None) -> None:
    """Write every file into a staging folder first, then move each into place.

    ``make_dirs(staging)`` may build folders in the staging area from the staged files; it returns
    their names. Nothing in ``out`` changes unless everything was written.
    """
    with Staging(out) as stage:
        for name, data in files.items():
            stage.write(name, data)
        for name in make_dirs(stage.root) if make_dirs else []:
            stage.folder(name)
        stage.commit()

"""Publishing: the dumps (Turtle, JSON-LD, N-Quads), the JSON-LD context, the dataset description
(VoID + DCAT), the stamped ontology and the quality report — written atomically and byte-stable.

Determinism: quads are sorted before they reach a serializer, N-Quads lines are sorted, and JSON-LD
nodes and values are sorted, so the same inputs give byte-identical files whatever the hash seed.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, SDO, VOID, XSD
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from . import __version__
from .paths import project_file
from .uris import Minter
from .vocab import BIBO, KD, PREFIXES

if TYPE_CHECKING:
    from .mapping import Quad

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
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, URIRef(ns), override=True, replace=True)
    for name in DATA_PREFIXES:
        graph.bind(name, URIRef(f"{minter.base}{name}/"), override=True, replace=True)
    graph.bind("topic", URIRef("https://w3id.org/kdgraph/topic/"), override=True, replace=True)
    graph.bind("framework", URIRef("https://w3id.org/kdgraph/framework/"), override=True,
               replace=True)


def union_graph(quads: Iterable[Quad], minter: Minter) -> Graph:
    graph = Graph()
    bind(graph, minter)
    for s, p, o, _ in quads:
        graph.add((s, p, o))
    return graph


def prefixes(minter: Minter) -> dict[str, str]:
    """The prefixes of the Turtle dumps (those :func:`bind` gives an rdflib graph)."""
    out = dict(PREFIXES)
    out.update({name: f"{minter.base}{name}/" for name in DATA_PREFIXES})
    out["topic"] = "https://w3id.org/kdgraph/topic/"
    out["framework"] = "https://w3id.org/kdgraph/framework/"
    return out


def _term(term: Node) -> str:
    """One term in N-Triples syntax, as rdflib's N-Triples/N-Quads serializers write it."""
    return _quoteLiteral(term) if isinstance(term, Literal) else term.n3()


def ntriples_lines(quads: Iterable[Quad]) -> list[str]:
    """The triples of ``quads`` (their union: a triple in two graphs once) as sorted N-Triples lines."""
    return sorted({f"{_term(s)} {_term(p)} {_term(o)} ." for s, p, o, _ in quads})


def turtle(quads: Iterable[Quad], minter: Minter) -> bytes:
    """The union of ``quads`` as Turtle, written by pyoxigraph from the sorted triples.

    Sorted N-Triples lines put each subject's triples together, so the serializer groups them with
    ``;`` and ``,``; the same quads give the same bytes whatever the hash seed.
    """
    import pyoxigraph as ox

    text = "\n".join(ntriples_lines(quads)) + "\n"
    triples = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes(minter))
    assert data is not None  # no output file given: the bytes are returned
    return data


def nquads(quads: Iterable[Quad]) -> bytes:
    """N-Quads, one line per quad, lines sorted (duplicates written once)."""
    lines = sorted({f"{_term(s)} {_term(p)} {_term(o)} {g.n3()} ." for s, p, o, g in quads})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sorted_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph, minter: Minter) -> bytes:
    """Compacted JSON-LD with the published context embedded, nodes and values sorted."""
    ctx = context(minter)
    raw = json.loads(graph.serialize(format="json-ld", context=ctx["@context"], auto_compact=True))
    nodes = raw.get("@graph", [raw] if "@id" in raw else [])
    nodes = [{k: v for k, v in node.items() if k != "@context"} for node in nodes]
    doc = {"@context": ctx["@context"],
           "@graph": sorted((_sorted_json(n) for n in nodes), key=lambda n: n.get("@id", ""))}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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


def dataset_description(graph: Graph, minter: Minter, sources: list[SourceInfo],
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
    d.add((ds, VOID.triples, Literal(len(graph))))
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    d.add((ds, VOID.entities, Literal(len(subjects))))
    classes = Counter(o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef))
    for cls, count in sorted(classes.items()):
        part = URIRef(f"{ds}/class/{graph.namespace_manager.normalizeUri(cls).replace(':', '-')}")
        d.add((ds, VOID.classPartition, part))
        d.add((part, VOID["class"], cls))
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


def write_atomically(out: Path, files: dict[str, bytes],
                     make_dirs: Callable[[Path], list[str]] | None = None) -> None:
    """Write every file into a staging folder first, then move each into place.

    ``make_dirs(staging)`` may build folders in the staging area (the embedded store) from the
    staged files; it returns their names. Nothing in ``out`` changes unless everything was written;
    each file move is an atomic rename, and a folder is swapped by two renames.
    """
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        folders = make_dirs(staging) if make_dirs else []
        for name in files:
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, out / name)
        for name in folders:
            old = staging / f"{name}.old"
            if (out / name).exists():
                os.replace(out / name, old)
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

"""The site's view of the built graph: terms, per-subject and per-object indexes, labels and page paths.

The graph is read once (pyoxigraph parses the dumps in milliseconds) into plain Python terms — an IRI is a
``str``, a blank node a :class:`BNode`, a literal a :class:`Lit` — and indexed both ways, so building a
page is dictionary look-ups, never a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from ..namespaces import DEFAULT_BASE, KD_NAMESPACE, PREFIXES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SDO = PREFIXES["schema"]
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
BIBO = PREFIXES["bibo"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
CODEMETA = PREFIXES["codemeta"]
KD = KD_NAMESPACE
TYPE = RDF + "type"
XSD_STRING = XSD + "string"
LANG_STRING = RDF + "langString"

ONTOLOGY = DEFAULT_BASE + "ontology"
TOPIC_SCHEME = DEFAULT_BASE + "topic"
FRAMEWORK_SCHEME = DEFAULT_BASE + "framework"

# Top-level folders and files of the site that are not the page of a resource.
RESERVED = frozenset({"index.html", "404.html", "sitemap.xml", "robots.txt", "nginx.conf", "static",
                      "charts", "dumps", "papers", "people", "repositories", "queries"})


class BNode(str):
    """A blank node, by its label (the published graph has none; other graphs may)."""

    __slots__ = ()


class Lit(NamedTuple):
    """A literal: lexical form, datatype IRI (xsd:string for a plain literal) and language tag."""

    value: str
    datatype: str = XSD_STRING
    lang: str | None = None


Term = str | Lit  # str: an IRI, or a BNode
Triple = tuple[str, str, Term]


def term_key(term: Term) -> tuple[int, str, str, str]:
    """A total order on terms: IRIs, then blank nodes, then literals."""
    if isinstance(term, Lit):
        return (2, term.value, term.datatype, term.lang or "")
    return (1 if isinstance(term, BNode) else 0, term, "", "")


def read_triples(path: Path) -> list[Triple]:
    """The triples of an RDF file (Turtle, N-Triples, N-Quads with graphs merged), as plain terms."""
    import pyoxigraph as ox

    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS}
    triples: list[Triple] = []
    for quad in ox.parse(path=str(path), format=formats[path.suffix]):
        s, p, o = quad.subject, quad.predicate, quad.object
        subject = BNode(s.value) if isinstance(s, ox.BlankNode) else s.value
        obj: Term
        if isinstance(o, ox.Literal):
            obj = Lit(o.value, o.datatype.value if o.language is None else LANG_STRING, o.language)
        elif isinstance(o, ox.BlankNode):
            obj = BNode(o.value)
        else:
            obj = o.value
        triples.append((subject, p.value, obj))
    return triples


def defrag(iri: str) -> str:
    return iri.split("#", 1)[0]


class Graph:
    """Triples indexed by subject and by object, with the look-ups the pages need."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        unique = sorted(set(triples), key=lambda t: (t[0], t[1], term_key(t[2])))
        self.triples: list[Triple] = unique
        self.spo: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.ops: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in unique:
            self.spo[s][p].append(o)
            if isinstance(o, str):
                self.ops[o][p].append(s)

    def __len__(self) -> int:
        return len(self.triples)

    def objects(self, s: str, p: str) -> list[Term]:
        props = self.spo.get(s)
        return props.get(p, []) if props is not None else []

    def iris(self, s: str, p: str) -> list[str]:
        return [o for o in self.objects(s, p) if isinstance(o, str)]

    def subjects(self, p: str, o: str) -> list[str]:
        props = self.ops.get(o)
        return props.get(p, []) if props is not None else []

    def value(self, s: str, p: str) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def text(self, s: str, p: str) -> str | None:
        """The first literal value (an English or untagged one first)."""
        lits = [o for o in self.objects(s, p) if isinstance(o, Lit)]
        if not lits:
            return None
        lits.sort(key=lambda o: (o.lang not in (None, "en"), o.value))
        return lits[0].value

    def types(self, s: str) -> list[str]:
        return self.iris(s, TYPE)

    def has_type(self, s: str, cls: str) -> bool:
        return cls in self.objects(s, TYPE)

    def of_type(self, cls: str) -> list[str]:
        return sorted(s for s in self.subjects(TYPE, cls) if not isinstance(s, BNode))

    def about(self, s: str) -> list[Triple]:
        """Every triple whose subject is ``s``."""
        props = self.spo.get(s, {})
        return [(s, p, o) for p in sorted(props) for o in props[p]]


def site_path(iri: str, base: str) -> str | None:
    """The folder of the site (relative, ``/``-separated, decoded) that holds the page of ``iri``.

    ``{base}paper/x`` → ``paper/x``; the vocabulary's fixed IRIs under the default base (topics,
    frameworks, the ontology) map the same way. None for an IRI outside both, or one whose path
    cannot be a folder. The fragment is ignored: ``…/ontology#code`` is on the page of the ontology.
    """
    iri = defrag(iri)
    for root in dict.fromkeys((base, DEFAULT_BASE)):
        if iri.startswith(root):
            rel = iri[len(root):]
            break
    else:
        return None
    if rel == "":
        return ""
    if "?" in rel:
        return None
    path = unquote(rel)
    segments = path.split("/")
    if any(seg in ("", ".", "..") or "\\" in seg or "\x00" in seg or len(seg.encode("utf-8")) > 200
           for seg in segments):
        return None
    return path


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def compact(iri: str, base: str) -> str:
    """``prefix:local`` for an IRI in a known namespace (for display), else the IRI."""
    best = ""
    prefix = ""
    namespaces = {**PREFIXES, **{name: f"{base}{name}/" for name in (
        "paper", "person", "venue", "code", "list", "id", "resource")},
        "topic": DEFAULT_BASE + "topic/", "framework": DEFAULT_BASE + "framework/"}
    for name, ns in namespaces.items():
        if iri.startswith(ns) and len(ns) > len(best) and len(iri) > len(ns):
            best, prefix = ns, name
    return f"{prefix}:{iri[len(best):]}" if best else iri

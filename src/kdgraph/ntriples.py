"""RDF terms as N-Triples text: the build's own term representation.

A term is the string N-Triples writes for it: ``<iri>``, ``"text"``, ``"text"@en`` or
``"text"^^<datatype>`` (``_:id`` for a blank node, which kdgraph's own data never has). Strings hash,
compare and sort at C speed and are already the dumps' syntax, so the build maps, deduplicates, sorts,
validates and writes hundreds of thousands of triples without building an object per term. Literals are
escaped exactly as rdflib's N-Triples serializer escapes them (backslash, double quote, line feed,
carriage return), so :func:`from_rdflib` and the constructors here give the same text for the same term.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib.term import Node

Triple = tuple[str, str, str]
Quad = tuple[str, str, str, str]

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def iri(value: str) -> str:
    """An IRI term; ``value`` must already be a valid IRI (see :func:`kdgraph.mapping.iri`)."""
    return f"<{value}>"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace(
        "\r", "\\r") + '"'


def literal(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term: plain, language-tagged or typed (as given: ``xsd:string`` is kept if named)."""
    if lang:
        return f"{_quote(text)}@{lang}"
    if datatype:
        return f"{_quote(text)}^^<{datatype}>"
    return _quote(text)


def integer(value: int, datatype: str = XSD + "integer") -> str:
    return f'"{value}"^^<{datatype}>'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^<{XSD}boolean>'


def is_iri(term: str) -> bool:
    return term[0] == "<"


def is_literal(term: str) -> bool:
    return term[0] == '"'


def is_bnode(term: str) -> bool:
    return term[0] == "_"


def value(term: str) -> str:
    """An IRI's or blank node's text, or a literal's lexical form (unescaped)."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == "_":
        return term[2:]
    return literal_parts(term)[0]


_ESCAPES = {"\\\\": "\\", "\\n": "\n", '\\"': '"', "\\r": "\r", "\\t": "\t", "\\b": "\b",
            "\\f": "\f", "\\'": "'"}


def _unquote(body: str) -> str:
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif nxt == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        else:
            out.append(_ESCAPES[body[i:i + 2]])
            i += 2
    return "".join(out)


@functools.lru_cache(maxsize=65536)
def literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """A literal's lexical form (unescaped), datatype IRI (None for a plain one) and language tag."""
    end = term.rindex('"')
    lexical = _unquote(term[1:end])
    rest = term[end + 1:]
    if rest.startswith("^^<"):
        return lexical, rest[3:-1], None
    if rest.startswith("@"):
        return lexical, None, rest[1:]
    return lexical, None, None


def from_rdflib(term: Node) -> str:
    """An rdflib term as N-Triples text (what rdflib's N-Triples serializer writes)."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        return literal(str(term), str(term.datatype) if term.datatype else None,
                       term.language or None)
    if isinstance(term, BNode):
        return f"_:{term}"
    return f"<{term}>"


def from_oxigraph(term: object) -> str:
    """A pyoxigraph term as N-Triples text (escaped as :func:`literal` escapes)."""
    import pyoxigraph as ox

    if isinstance(term, ox.Literal):
        lang = term.language
        datatype = None if lang or term.datatype.value == XSD + "string" else term.datatype.value
        return literal(term.value, datatype, lang)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.NamedNode)
    return f"<{term.value}>"


def to_rdflib(term: str) -> Node:
    """N-Triples text as an rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if term[0] == "<":
        return URIRef(term[1:-1])
    if term[0] == "_":
        return BNode(term[2:])
    lexical, datatype, lang = literal_parts(term)
    return Literal(lexical, lang=lang, datatype=URIRef(datatype) if datatype else None)


def nquads_line(quad: Quad) -> str:
    s, p, o, g = quad
    return f"{s} {p} {o} {g} ."


def ntriples_line(triple: Triple) -> str:
    s, p, o = triple
    return f"{s} {p} {o} ."

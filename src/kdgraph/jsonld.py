"""A streaming JSON-LD writer: sorted N-Triples terms in, the compacted, sorted ``kdgraph.jsonld`` out.

What: :func:`write_jsonld` turns the union graph — triples of N-Triples terms (:mod:`kdgraph.ntriples`),
unique and sorted, so that a subject's triples are consecutive — into the JSON-LD dump: the context
embedded, one node per subject under ``"@graph"``, nodes sorted by their compacted ``"@id"``, keys
sorted, a key's values sorted by their ``json.dumps(v, sort_keys=True, ensure_ascii=False)`` text, and
the whole laid out as ``json.dumps(doc, ensure_ascii=False, indent=1)`` lays it out.

Why: the dump used to be rdflib's JSON-LD serializer (``auto_compact`` with the published context)
followed by a re-sort of the whole document; that builds several objects per triple and takes about a
minute at three million triples. This writer builds no document: it groups a subject's triples, writes
the node's text directly with cached IRI compaction and ``json``'s own string escaping, and sorts the
node texts by id at the end — memory is the output plus a few strings per node and a cached value per
distinct object IRI. The triples of a subject must be consecutive (a subject seen again after another
one raises :class:`ValueError`) and unique (a repeated triple would repeat its value).

The output is byte-identical to the old ``publish.jsonld`` because the compaction rules are rdflib's, as
they behave, reproduced for the context features kdgraph's context uses (``@vocab``, prefixes, terms with
``@id`` and ``@type``; anything else raises :class:`ValueError`):

* ``"@id"`` and ``@id``-coerced values are *shrunk*: split at the last ``#`` (else ``/``, else ``:``) and
  written ``prefix:local`` when the part before is a prefix's IRI — so ``paper:x``, but a full IRI when
  the local part holds a ``/``. ``@type`` values, keys and datatypes are *symbols*: a term's name, the
  local part under ``@vocab``, ``prefix:local``, or the full IRI.
* A predicate with a term for the object's kind (an ``@id`` term for an IRI, a ``@type`` term for a
  literal of that datatype) is written with the term's name and a plain string; otherwise its key is its
  symbol — or its full IRI where the symbol names a term with a ``@type`` (so the context would
  misread it) — and ``rdf:type`` is ``"@type"``.
* Literals: xsd:integer, xsd:double and xsd:boolean as JSON numbers and booleans (converted as rdflib
  converts them: a lexical form they cannot read stays a string), xsd:string and plain literals as
  strings, other datatypes as ``{"@type": "xsd:…", "@value": "…"}``, language strings as
  ``{"@language": …, "@value": …}``; ``rdf:nil`` as an object is ``{"@list": []}``.

Where rdflib is not deterministic this writer is: rdflib drops a key's first value when it is falsy
(``0``, ``false``, ``""``) and another value follows in its (hash-seeded) iteration order; all values are
kept here. Blank nodes (never in kdgraph's data) are written as ``"_:id"`` nodes and references, without
folding RDF collections into ``@list``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import IO, Any, Final

__all__ = ["JsonLdContext", "write_jsonld", "write_jsonld_to"]

_enc: Final = encode_basestring
"""``json.dumps(s, ensure_ascii=False)`` for a str, without the dispatch."""

XSD: Final = "http://www.w3.org/2001/XMLSchema#"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE: Final = f"<{RDF}type>"
_RDF_NIL: Final = f"<{RDF}nil>"

_ID: Final = "@id"
_VOCAB: Final = "@vocab"
_UNDEF: Final = ""
"""The coercion of a term without ``@type`` (rdflib's ``UNDEF``)."""

_NODE_KEYS: Final = frozenset({"@graph", "@id", "@included", "@json", "@list", "@nest", "@none",
                               "@reverse", "@set", "@type", "@value", "@language"})
_URI_GEN_DELIMS: Final = (":", "/", "?", "#", "[", "]", "@")

# How a literal's value is written (see _literal_info).
# _Writer.nodes tests them as the plain numbers, in the order of how common they are.
_STRING, _WRAPPED, _INTEGER, _DOUBLE, _BOOLEAN = range(5)


def _split_at(iri: str) -> int:
    """Where rdflib splits an IRI into namespace and local name: after the last ``#``, else the last
    ``/``, else the last ``:`` (-1: nowhere)."""
    at = iri.rfind("#")
    if at < 0:
        at = iri.rfind("/")
        if at < 0:
            at = iri.rfind(":")
    return at


class JsonLdContext:
    """A JSON-LD context read as rdflib's ``Context`` reads it, for compaction: the vocabulary, the
    prefixes (namespace IRI → name), the terms (name → IRI and coercion) and rdflib's term lookup
    table (IRI and coercion → term name)."""

    def __init__(self, context: dict[str, Any]) -> None:
        source = context.get("@context", context)
        if not isinstance(source, dict):
            raise ValueError("the JSON-LD context must be a JSON object")
        vocab = source.get(_VOCAB)
        if vocab is not None and not isinstance(vocab, str):
            raise ValueError("@vocab must be a string")
        self.vocab: str | None = vocab
        self.terms: dict[str, tuple[str, str]] = {}
        self.prefixes: dict[str, str] = {}
        self.lookup: dict[tuple[str, str], str] = {}
        for name, dfn in source.items():
            if name in (_VOCAB, "@version"):
                continue
            if name.startswith("@"):
                raise ValueError(f"unsupported JSON-LD context keyword {name!r}")
            self._read_term(source, name, dfn)

    def _read_term(self, source: dict[str, Any], name: str, dfn: Any) -> None:
        coercion = _UNDEF
        if isinstance(dfn, str):
            if dfn.startswith("@"):
                raise ValueError(f"unsupported keyword alias {name!r}: {dfn!r}")
            idref = self._expand(source, dfn)
        elif isinstance(dfn, dict):
            unknown = set(dfn) - {"@id", "@type"}
            if unknown:
                raise ValueError(f"unsupported keys {sorted(unknown)} in the definition of {name!r}")
            ctype = dfn.get("@type")
            if ctype is not None:
                if not isinstance(ctype, str) or ctype == "@type":
                    raise ValueError(f"unsupported @type in the definition of {name!r}")
                coercion = ctype if ctype in (_ID, _VOCAB) else self._expand(source, ctype)
            ref = dfn.get("@id")
            if ref is not None:
                if not isinstance(ref, str) or ref.startswith("@"):
                    raise ValueError(f"unsupported @id in the definition of {name!r}")
                idref = self._expand(source, ref)
            elif ":" in name:
                idref = self._expand(source, name)
            elif self.vocab:
                idref = self.vocab + name
            else:
                raise ValueError(f"term {name!r} has no IRI")
        else:
            raise ValueError(f"unsupported definition of {name!r}: {dfn!r}")
        self.terms[name] = (idref, coercion)
        self.lookup[(idref, coercion)] = name
        if idref.endswith(_URI_GEN_DELIMS):
            self.prefixes[idref] = name

    def _source_id(self, source: dict[str, Any], key: str) -> str | None:
        term = source.get(key)
        if term is None:
            known = self.terms.get(key)
            return known[0] if known else None
        if isinstance(term, dict):
            term = term.get("@id")
        return term if isinstance(term, str) else None

    def _expand(self, source: dict[str, Any], expr: str) -> str:
        """rdflib's ``Context._rec_expand``: a term, compact IRI or IRI of the context, expanded."""
        prev: str | None = None
        for _ in range(100):
            if expr == prev or expr in _NODE_KEYS:
                return expr
            if ":" in expr and not expr.split(":", 1)[1].startswith("//"):
                pfx, local = expr.split(":", 1)
                iri = self._source_id(source, pfx)
                if iri is None and pfx + ":" == self.vocab:
                    return expr
                nxt = expr if iri is None else iri + local
            else:
                nxt = self._source_id(source, expr) or expr
                if ":" not in nxt and self.vocab:
                    return self.vocab + nxt
            prev, expr = expr, nxt
        raise ValueError(f"cannot expand {expr!r} in the JSON-LD context")

    def term(self, iri: str, coercion: str | None) -> tuple[str, str] | None:
        """rdflib's ``find_term(iri, coercion)`` for a context without containers: the name and the
        coercion of the term for ``iri`` with that coercion, else of the one without (``None``: none
        asked for, as for a plain literal)."""
        name = self.lookup.get((iri, coercion)) if coercion is not None else None
        if name:
            return name, coercion  # type: ignore[return-value]
        name = self.lookup.get((iri, _UNDEF))
        return (name, _UNDEF) if name else None

    def shrink(self, iri: str) -> str:
        """rdflib's ``shrink_iri`` (no base): ``prefix:local`` where the namespace is a prefix's."""
        at = _split_at(iri)
        if at >= 0:
            pfx = self.prefixes.get(iri[:at + 1])
            if pfx:
                return f"{pfx}:{iri[at + 1:]}"
        return iri

    def symbol(self, iri: str) -> str:
        """rdflib's ``to_symbol``: a term's name, a local name under @vocab, ``prefix:local`` or the IRI."""
        name = self.lookup.get((iri, _UNDEF))
        if name:
            return name
        at = _split_at(iri)
        if at >= 0:
            ns, local = iri[:at + 1], iri[at + 1:]
            if ns == self.vocab:
                return local
            pfx = self.prefixes.get(ns)
            if pfx:
                return f"{pfx}:{local}"
        return iri

    def key(self, predicate: str) -> str:
        """The key of a predicate that has no term for its object: its symbol, or the full IRI where
        the symbol names a term with a coercion."""
        sym = self.symbol(predicate)
        known = self.terms.get(sym)
        if known and known[1]:
            return predicate
        return sym


_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ECHARS: Final = {"\\": "\\", "n": "\n", '"': '"', "r": "\r", "t": "\t", "b": "\b", "f": "\f",
                  "'": "'"}


def _unescape_match(m: re.Match[str]) -> str:
    short, long, char = m.groups()
    if short or long:
        return chr(int(short or long, 16))
    try:
        return _ECHARS[char]
    except KeyError:
        raise ValueError(f"bad escape \\{char} in an N-Triples literal") from None


def _lexical_json(body: str) -> str:
    """The JSON string of a literal's lexical form, given as its escaped N-Triples body."""
    if "\\" in body:
        return _enc(_UNESCAPE.sub(_unescape_match, body))
    return _enc(body)


def _unescaped(body: str) -> str:
    return _UNESCAPE.sub(_unescape_match, body) if "\\" in body else body


def _integer(body: str) -> str:
    if len(body) < 19 and body.isascii() and body.isdigit() and (body[0] != "0" or len(body) == 1):
        return body
    lexical = _unescaped(body)
    try:
        return str(int(lexical))
    except ValueError:  # rdflib keeps an ill-typed literal as its lexical form
        return _enc(lexical)


def _double(body: str) -> str:
    lexical = _unescaped(body)
    try:
        value = float(lexical)
    except ValueError:
        return _enc(lexical)
    return json.dumps(value)


def _boolean(body: str) -> str:
    return "true" if _unescaped(body).lower() in ("1", "true") else "false"


_NATIVE: Final = {f"{XSD}integer": _INTEGER, f"{XSD}double": _DOUBLE, f"{XSD}boolean": _BOOLEAN,
                  f"{XSD}string": _STRING}


def _render(value: str, indent: str) -> str:
    """A value's text inside a node: a scalar as is; an object (given in its one-line ``json.dumps``
    form, whose ``, "@`` only ever separate members) laid out with ``indent`` before its closing brace."""
    if value[0] != "{":
        return value
    inner = indent + " "
    return "{\n" + inner + value[1:-1].replace(', "@', ",\n" + inner + '"@') + "\n" + indent + "}"


class _Writer:
    """The per-graph caches and the node texts."""

    def __init__(self, ctx: JsonLdContext) -> None:
        self.ctx = ctx
        # predicate → (key, value cache, mode) for IRI objects; mode 0: {"@id": …}, 1: shrunk, 2: symbol;
        # the value caches (one a mode) map an object term to its value's text
        self.iri_info: dict[str, tuple[str, dict[str, str], int]] = {}
        self.iri_values: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        # predicate → key for plain literals; (predicate, suffix) → (key, kind, prefix) for the others
        self.plain_keys: dict[str, str] = {}
        self.literal_info: dict[tuple[str, str], tuple[str, int, str]] = {}
        self.key_texts: dict[str, str] = {}

    # -- compaction, cached by the callers ------------------------------------------------------------

    def _iri_info(self, p: str) -> tuple[str, dict[str, str], int]:
        ctx = self.ctx
        predicate = p[1:-1]
        term = ctx.term(predicate, _ID) or ctx.term(predicate, _VOCAB)
        mode = 0
        if term:
            key, coercion = term
            mode = 1 if coercion == _ID else 2 if coercion == _VOCAB else 0
        elif p == _RDF_TYPE:
            key, mode = "@type", 2
        else:
            key = ctx.key(predicate)
        info = (key, self.iri_values[mode], mode)
        self.iri_info[p] = info
        return info

    def _iri_value(self, o: str, mode: int) -> str:
        ctx = self.ctx
        if o[0] == "_":  # a blank node: its N-Triples label, whatever the coercion
            text = _enc(o)
            value = text if mode == 1 else '{"@id": ' + text + "}"
        elif mode == 1:
            value = _enc(ctx.shrink(o[1:-1]))
        elif mode == 2:
            value = _enc(ctx.symbol(o[1:-1]))
        elif o == _RDF_NIL:
            value = '{"@list": []}'
        else:
            value = '{"@id": ' + _enc(ctx.shrink(o[1:-1])) + "}"
        self.iri_values[mode][o] = value
        return value

    def _plain_key(self, p: str) -> str:
        ctx = self.ctx
        predicate = p[1:-1]
        term = ctx.term(predicate, None)
        key = term[0] if term else "@type" if p == _RDF_TYPE else ctx.key(predicate)
        self.plain_keys[p] = key
        return key

    def _literal_info(self, p: str, suffix: str) -> tuple[str, int, str]:
        ctx = self.ctx
        predicate = p[1:-1]
        if suffix[0] == "@" and len(suffix) > 1:
            lang, datatype = suffix[1:], ""
        elif suffix.startswith("^^<") and suffix[-1] == ">":
            lang, datatype = "", suffix[3:-1]
        else:
            raise ValueError(f"bad literal suffix {suffix!r}")
        term = ctx.term(predicate, datatype or lang)
        key = term[0] if term else "@type" if p == _RDF_TYPE else ctx.key(predicate)
        if term and datatype and term[1] == datatype:
            info = (key, _STRING, "")  # the term's coercion gives the datatype: the lexical form alone
        elif not datatype:
            info = (key, _WRAPPED, '{"@language": ' + _enc(lang) + ', "@value": ')
        elif datatype in _NATIVE:
            info = (key, _NATIVE[datatype], "")
        else:
            info = (key, _WRAPPED, '{"@type": ' + _enc(ctx.symbol(datatype)) + ', "@value": ')
        self.literal_info[(p, suffix)] = info
        return info

    def _key_text(self, key: str) -> str:
        text = "   " + _enc(key) + ": "
        self.key_texts[key] = text
        return text

    # -- nodes ------------------------------------------------------------------------------------------

    def node_text(self, id_text: str, node: dict[str, list[str]]) -> str:
        """A node's text: its ``"@id"`` (JSON text) and keys in order, a key's values sorted."""
        key_texts = self.key_texts
        items = sorted(node.items())
        if items and items[0][0] < "@id":  # a key that sorts before "@id" (none in kdgraph's data)
            items = sorted([*items, ("@id", [id_text])])
            parts = []
        else:
            parts = ['   "@id": ' + id_text]
        for key, values in items:
            kt = key_texts.get(key) or self._key_text(key)
            if len(values) == 1:
                value = values[0]
                if value[0] == "{":
                    value = _render(value, "   ")
                parts.append(kt + value)
            else:
                values.sort()
                parts.append(kt + "[\n    " + ",\n    ".join(
                    [v if v[0] != "{" else _render(v, "    ")
                     for v in values]) + "\n   ]")
        return "  {\n" + ",\n".join(parts) + "\n  }"

    def nodes(self, triples: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str]]:
        """(compacted id, node text) per subject, in the order of the triples."""
        ctx = self.ctx
        enc = _enc
        iri_info, plain_keys, literal_info = self.iri_info, self.plain_keys, self.literal_info
        node_text = self.node_text
        seen: set[str] = set()
        current = ""
        node_id = id_text = ""
        node: dict[str, list[str]] = {}
        for s, p, o in triples:
            if s != current:
                if current:
                    yield node_id, node_text(id_text, node)
                if s in seen:
                    raise ValueError(f"the triples of {s} are not consecutive (sort them)")
                seen.add(s)
                current = s
                if s[0] == "<":
                    node_id = ctx.shrink(s[1:-1])
                elif s[0] == "_":
                    node_id = s
                else:
                    raise ValueError(f"a subject must be an IRI or a blank node: {s}")
                id_text = enc(node_id)
                node = {}
            c = o[0]
            if c == "<":
                key, cache, mode = iri_info.get(p) or self._iri_info(p)
                value = cache.get(o) or self._iri_value(o, mode)
            elif c == '"':
                if o[-1] == '"':
                    key = plain_keys.get(p) or self._plain_key(p)
                    body = o[1:-1]
                    value = enc(body) if "\\" not in body else _lexical_json(body)
                else:
                    end = o.rindex('"')
                    suffix = o[end + 1:]
                    key, kind, prefix = literal_info.get((p, suffix)) or self._literal_info(p, suffix)
                    body = o[1:end]
                    if kind == 1:  # _WRAPPED
                        value = prefix + (enc(body) if "\\" not in body else _lexical_json(body)) + "}"
                    elif kind == 0:  # _STRING
                        value = enc(body) if "\\" not in body else _lexical_json(body)
                    elif kind == 2:  # _INTEGER
                        value = _integer(body)
                    elif kind == 3:  # _DOUBLE
                        value = _double(body)
                    else:
                        value = _boolean(body)
            elif c == "_":
                key, cache, mode = iri_info.get(p) or self._iri_info(p)
                value = cache.get(o) or self._iri_value(o, mode)
            else:
                raise ValueError(f"not an N-Triples term: {o}")
            values = node.get(key)
            if values is None:
                node[key] = [value]
            else:
                values.append(value)
        if current:
            yield node_id, node_text(id_text, node)


def _head_tail(context: dict[str, Any], empty: bool) -> tuple[str, str]:
    ctx = context.get("@context", context)
    head = json.dumps({"@context": ctx}, ensure_ascii=False, indent=1)[:-2]
    if empty:
        return head + ',\n "@graph": []\n}\n', ""
    return head + ',\n "@graph": [\n', "\n ]\n}\n"


def _sorted_nodes(triples: Iterable[tuple[str, str, str]], context: dict[str, Any]) -> list[bytes]:
    ids: list[str] = []
    texts: list[bytes] = []
    for node_id, text in _Writer(JsonLdContext(context)).nodes(triples):
        ids.append(node_id)
        texts.append(text.encode("utf-8"))
    order = sorted(range(len(ids)), key=ids.__getitem__)
    del ids
    return [texts[i] for i in order]


def write_jsonld(triples: Iterable[tuple[str, str, str]], context: dict[str, Any]) -> bytes:
    """The JSON-LD document of ``triples`` (N-Triples terms; unique, and each subject's consecutive, as
    sorting them gives) compacted with ``context`` (``{"@context": {...}}``, embedded as it is)."""
    nodes = _sorted_nodes(triples, context)
    head, tail = _head_tail(context, not nodes)
    return head.encode("utf-8") + b",\n".join(nodes) + tail.encode("utf-8")


def write_jsonld_to(triples: Iterable[tuple[str, str, str]], context: dict[str, Any], out: IO[bytes],
                    chunk: int = 4096) -> int:
    """:func:`write_jsonld` into a binary file object, ``chunk`` nodes a write; returns the bytes written."""
    nodes = _sorted_nodes(triples, context)
    head, tail = _head_tail(context, not nodes)
    written = out.write(head.encode("utf-8"))
    for start in range(0, len(nodes), chunk):
        piece = b",\n".join(nodes[start:start + chunk])
        written += out.write(piece if start == 0 else b",\n" + piece)
    written += out.write(tail.encode("utf-8"))
    return written

"""A streaming JSON-LD writer: sorted N-Triples terms in, the compacted, sorted ``kdgraph.jsonld`` out.

What: :func:`write_jsonld` turns the union graph — triples of N-Triples terms (:mod:`kdgraph.ntriples`),
unique and sorted, so that a subject's triples are consecutive — into the JSON-LD dump: the context
embedded, one node per subject under ``"@graph"``, nodes sorted by their compacted ``"@id"``, keys
sorted, a key's values sorted by their ``json.dumps(v, sort_keys=True, ensure_ascii=False)`` text, and
the whole laid out as ``json.dumps(doc, ensure_ascii=False, indent=1)`` lays it out.

Why: the dump used to be rdflib's JSON-LD serializer (``auto_compact`` with the published context)
followed by a re-sort of the whole document; that builds several objects per triple and takes about a
minute at three million triples. This writer builds no document: it groups a subject's triples, writes
the node's text directly — each value's text made once a distinct IRI where a predicate's objects repeat
(else once an object: see ``_Probe``), keys' texts once, strings escaped by ``json``'s own C escaping,
objects in their final layout — and sorts the node texts by id at the end. Memory is the output plus a
few strings per node and the cached values. The triples of a subject must be consecutive (a subject seen
again after another one raises :class:`ValueError`) and unique (a repeated triple would repeat its
value).

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
from bisect import bisect_left
from collections.abc import Iterable
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

# How a typed literal's value is written (see _Writer._typed_info): a JSON string (maybe in an object),
# a number or a boolean. _Writer.nodes tests them as the plain numbers.
_STRING, _INTEGER, _DOUBLE, _BOOLEAN = range(4)


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

# The layout. A node is written as its members, ``"@id": …`` first, joined by _MEMBER; an object value
# (``{"@id": …}``, a typed or language-tagged literal, ``{"@list": []}``) is made once, laid out for a
# single value of a key (_OPEN … _CLOSE), and shifted a column right where it is an item of a list (its
# text holds no other newline: JSON escapes those in strings). These layouts sort as the one-line
# ``json.dumps`` texts that order a key's values sort: they differ only in the whitespace that follows
# ``{`` or a complete member, and that is where two such texts with the same keys can first differ
# only when they are equal; and an object sorts after every scalar, as ``{`` does in both.
_MEMBER: Final = ",\n   "
_OPEN: Final = "{\n    "
_NEXT: Final = ",\n    "
_CLOSE: Final = "\n   }"
_ITEM: Final = ",\n    "
_SHIFTED_ITEM: Final = ",\n   "  # _ITEM, before the list's text is shifted a column right
_LIST_END: Final = "\n   ]"
_NODE_SEP: Final = b"\n  },\n  {\n   "
"""What comes between two nodes' texts; a node's text starts with its first member."""

_IriInfo = tuple[str, str, "dict[str, str] | _Probe", int]
"""An IRI object's handling under a predicate: the key and its member's text before the value, the
value cache (or _Probe), and the ``how`` for _Writer._iri_value."""
_Typed = tuple[str, int, str, str, int, str, str]
"""A typed or language-tagged literal's handling under a predicate: the object's tail from its closing
quote (``"^^<…>`` or ``"@lang``), minus the tail's length, the key and its member's text before the
value, the kind, and the text before and after the lexical form's JSON string (for ``_STRING``)."""

# How an IRI object's value is written: as {"@id": …}, as its compacted IRI ("@id" coercion) or as its
# symbol ("@vocab" coercion); with _FRESH added, the value is made for each object and not kept.
_REFERENCE, _SHRUNK, _SYMBOL = range(3)
_FRESH: Final = 4
_PROBE: Final = 1024
"""How many of a predicate's IRI objects are looked up before it is settled on a cache or on _FRESH."""
_NOTHING: Final[dict[str, str]] = {}
"""The value cache of a _FRESH predicate: always empty."""


class _Probe:
    """The value cache of a predicate's first IRI objects, counting its hits: after _PROBE lookups the
    predicate is settled on the cache where one lookup in eight or more hit (its objects repeat:
    people, venues, topics), and on making each value afresh where fewer did (the objects of ``item``,
    ``sameAs`` or ``identifier`` are mostly new: a cache would cost a lookup, an entry and its memory a
    value, and seldom give one back)."""

    __slots__ = ("cache", "hits", "lookups", "predicate", "settled", "table")

    def __init__(self, cache: dict[str, str], table: dict[str, _IriInfo], predicate: str,
                 settled: tuple[_IriInfo, _IriInfo]) -> None:
        self.cache, self.table, self.predicate = cache, table, predicate
        self.settled = settled  # the predicate's info with the cache, and without
        self.hits = self.lookups = 0

    def get(self, o: str) -> str | None:
        value = self.cache.get(o)
        if value is not None:
            self.hits += 1
        self.lookups += 1
        if self.lookups == _PROBE:
            self.table[self.predicate] = self.settled[self.hits * 8 < _PROBE]
        return value


class _Writer:
    """The per-graph caches and the node texts.

    A node is gathered as a dict from each key to its member's text (``,\\n   "key": value``) while the
    key has one value; the values of a key with more wait in a second dict until the node is done. The
    node's text is then its members' texts in the order of their keys.
    """

    def __init__(self, ctx: JsonLdContext) -> None:
        self.ctx = ctx
        # an IRI (or blank node) object's value text, a dict a _REFERENCE, _SHRUNK, _SYMBOL
        self.values: tuple[dict[str, str], dict[str, str], dict[str, str]] = ({}, {}, {})
        # predicate → _IriInfo for IRI objects, → (key, member text) for plain literals, → the _Typed of
        # the last typed literal seen (a predicate's literals nearly always share their datatype)
        self.iri_info: dict[str, _IriInfo] = {}
        self.plain_keys: dict[str, tuple[str, str]] = {}
        self.typed_info: dict[str, _Typed] = {}
        # key → the text before its value, after the previous member: one value, or a list of them
        self.members: dict[str, str] = {}
        self.lists: dict[str, str] = {}
        # whether the members' texts sort as their keys, "@id" first: no key sorts before "@id" or holds
        # a character up to '"' (which would sort before the '"' that closes a shorter key, or escape
        # out of order); false, a node's keys are sorted instead
        self.member_order = True
        # "<" and a prefix's IRI → its name and ":", for compact
        self.term_prefixes = {"<" + ns: name + ":" for ns, name in ctx.prefixes.items() if name}

    # -- compaction, cached by the callers ------------------------------------------------------------

    def _key_info(self, key: str) -> str:
        """``key``'s member text before a single value (and it and the one before a list, remembered)."""
        member = self.members.get(key)
        if member is None:
            member = self.members[key] = _MEMBER + _enc(key) + ": "
            self.lists[key] = member + "[\n    "
            if key < "@id" or min(key) <= '"':
                self.member_order = False
        return member

    def compact(self, term: str) -> str:
        """:meth:`JsonLdContext.shrink` of an IRI given as its N-Triples term (whose ``<`` and ``>``
        are no split points): it runs for every subject and many objects, so it is written for speed."""
        at = term.rfind("#") if "#" in term else term.rfind("/")  # _split_at
        if at < 0:
            at = term.rfind(":")
        pfx = self.term_prefixes.get(term[:at + 1]) if at > 0 else None
        return pfx + term[at + 1:-1] if pfx else term[1:-1]

    def _iri_value(self, o: str, how: int) -> str:
        """An IRI (or blank node) object's value text, kept in its cache unless ``how`` has _FRESH."""
        keep = how < _FRESH
        how &= ~_FRESH
        if o[0] == "_":  # a blank node: its N-Triples label
            text = _enc(o)
            value = text if how == _SHRUNK else _OPEN + '"@id": ' + text + _CLOSE
        elif how == _SHRUNK:
            value = _enc(self.compact(o))
        elif how == _SYMBOL:
            value = _enc(self.ctx.symbol(o[1:-1]))
        elif o == _RDF_NIL:
            value = _OPEN + '"@list": []' + _CLOSE
        else:
            value = _OPEN + '"@id": ' + _enc(self.compact(o)) + _CLOSE
        if keep:
            self.values[how][o] = value
        return value

    def _iri_info(self, p: str) -> _IriInfo:
        ctx = self.ctx
        predicate = p[1:-1]
        term = ctx.term(predicate, _ID) or ctx.term(predicate, _VOCAB)
        how = _REFERENCE
        if term:
            key, coercion = term
            how = _SHRUNK if coercion == _ID else _SYMBOL if coercion == _VOCAB else _REFERENCE
        elif p == _RDF_TYPE:
            key, how = "@type", _SYMBOL
        else:
            key = ctx.key(predicate)
        member, cache = self._key_info(key), self.values[how]
        if how == _SYMBOL:  # the few classes of rdf:type, and the like
            info: _IriInfo = (key, member, cache, how)
        else:
            settled = ((key, member, cache, how), (key, member, _NOTHING, how | _FRESH))
            info = (key, member, _Probe(cache, self.iri_info, p, settled), how)
        self.iri_info[p] = info
        return info

    def _plain_key(self, p: str) -> tuple[str, str]:
        ctx = self.ctx
        predicate = p[1:-1]
        term = ctx.term(predicate, None)
        key = term[0] if term else "@type" if p == _RDF_TYPE else ctx.key(predicate)
        info = self.plain_keys[p] = (key, self._key_info(key))
        return info

    def _typed_info(self, p: str, o: str) -> _Typed:
        ctx = self.ctx
        predicate = p[1:-1]
        end = o.rindex('"')
        suffix = o[end + 1:]
        if suffix[0] == "@" and len(suffix) > 1:
            lang, datatype = suffix[1:], ""
        elif suffix.startswith("^^<") and suffix[-1] == ">":
            lang, datatype = "", suffix[3:-1]
        else:
            raise ValueError(f"bad literal suffix {suffix!r}")
        term = ctx.term(predicate, datatype or lang)
        key = term[0] if term else "@type" if p == _RDF_TYPE else ctx.key(predicate)
        kind, before, after = _STRING, "", ""
        if term and datatype and term[1] == datatype:
            pass  # the term's coercion gives the datatype: the lexical form alone
        elif not datatype:
            before, after = _OPEN + '"@language": ' + _enc(lang) + _NEXT + '"@value": ', _CLOSE
        elif datatype in _NATIVE:
            kind = _NATIVE[datatype]
        else:
            before, after = _OPEN + '"@type": ' + _enc(ctx.symbol(datatype)) + _NEXT + '"@value": ', _CLOSE
        info = (o[end:], end - len(o), key, self._key_info(key), kind, before, after)
        self.typed_info[p] = info
        return info

    # -- nodes ------------------------------------------------------------------------------------------

    def node_text(self, id_text: str, node: dict[str, str], multi: dict[str, list[str]]) -> bytes:
        """A node's text (UTF-8) from its first member (``"@id"``, given as JSON text) to its last value:
        ``node`` maps a key to its member's text, ``multi`` a key with more than one value to them."""
        if multi:
            lists = self.lists
            for key, values in multi.items():
                values.sort()
                if values[-1][0] == "{":  # an object, last as it sorts: the list's text shifted
                    node[key] = lists[key] + _SHIFTED_ITEM.join(values).replace("\n", "\n ") + _LIST_END
                else:
                    node[key] = lists[key] + _ITEM.join(values) + _LIST_END
        if self.member_order:
            return ('"@id": ' + id_text + "".join(sorted(node.values()))).encode()
        keys = sorted(node)
        if keys[0] >= "@id":
            return ('"@id": ' + id_text + "".join(map(node.__getitem__, keys))).encode()
        at = bisect_left(keys, "@id")  # keys that sort before "@id" (none in kdgraph's data)
        text = ("".join(map(node.__getitem__, keys[:at]))[len(_MEMBER):] + _MEMBER + '"@id": ' + id_text
                + "".join(map(node.__getitem__, keys[at:])))
        return text.encode()

    def nodes(self, triples: Iterable[tuple[str, str, str]]) -> tuple[list[str], list[bytes]]:
        """The compacted ids and the node texts (UTF-8), a subject each, in the order of the triples."""
        ids: list[str] = []
        texts: list[bytes] = []
        try:
            self._gather(triples, ids, texts)
        finally:
            self.iri_info.clear()  # its _Probes refer to it: no cycle is left for the garbage collector
        return ids, texts

    def _gather(self, triples: Iterable[tuple[str, str, str]], ids: list[str], texts: list[bytes]) -> None:
        """:meth:`nodes`' loop, the hot one: attributes bound to locals, and no Python function called
        for a triple but a _Probe's, an IRI value's not made yet (or made afresh) or a number's."""
        enc = _enc
        iri_info, plain_keys, typed_info = self.iri_info, self.plain_keys, self.typed_info
        iri_value, node_text = self._iri_value, self.node_text
        compact = self.compact
        seen: set[str] = set()
        current = ""
        id_text = ""
        node: dict[str, str] = {}  # key → its member's text
        multi: dict[str, list[str]] = {}  # key → its values, for a key with more than one
        for s, p, o in triples:
            if s != current:
                if current:
                    texts.append(node_text(id_text, node, multi))
                    if multi:
                        multi = {}
                if s in seen:
                    raise ValueError(f"the triples of {s} are not consecutive (sort them)")
                seen.add(s)
                current = s
                if s[0] == "<":
                    node_id = compact(s)
                elif s[0] == "_":
                    node_id = s
                else:
                    raise ValueError(f"a subject must be an IRI or a blank node: {s}")
                ids.append(node_id)
                id_text = enc(node_id)
                node = {}
            c = o[0]
            if c == "<" or c == "_":  # an IRI or a blank node
                try:
                    key, member, cache, how = iri_info[p]
                except KeyError:
                    key, member, cache, how = self._iri_info(p)
                value = cache.get(o) or iri_value(o, how)
            elif c == '"':
                if o[-1] == '"':
                    try:
                        key, member = plain_keys[p]
                    except KeyError:
                        key, member = self._plain_key(p)
                    body = o[1:-1]
                    value = enc(body) if "\\" not in body else _lexical_json(body)
                else:
                    info = typed_info.get(p)
                    if info is None or not o.endswith(info[0]):
                        info = self._typed_info(p, o)
                    _, cut, key, member, kind, before, after = info
                    body = o[1:cut]
                    if kind == 0:  # _STRING
                        value = before + (enc(body) if "\\" not in body else _lexical_json(body)) + after
                    elif kind == 1:  # _INTEGER
                        value = _integer(body)
                    elif kind == 2:  # _DOUBLE
                        value = _double(body)
                    else:
                        value = _boolean(body)
            else:
                raise ValueError(f"not an N-Triples term: {o}")
            if key not in node:
                node[key] = member + value
            elif key in multi:
                multi[key].append(value)
            else:  # a key's second value: its first from its member's text
                multi[key] = [node[key][len(member):], value]
        if current:
            texts.append(node_text(id_text, node, multi))


def _document(triples: Iterable[tuple[str, str, str]], context: dict[str, Any]) -> list[bytes]:
    """The document in pieces that :data:`_NODE_SEP` joins: the nodes, sorted by id, the first one
    after the head and the last one before the tail."""
    ids, texts = _Writer(JsonLdContext(context)).nodes(triples)
    ctx = context.get("@context", context)
    head = json.dumps({"@context": ctx}, ensure_ascii=False, indent=1)[:-2] + ',\n "@graph": ['
    if not texts:
        return [(head + "]\n}\n").encode("utf-8")]
    order = sorted(range(len(ids)), key=ids.__getitem__)
    del ids
    pieces = [texts[i] for i in order]
    del texts
    pieces[0] = (head + "\n  {\n   ").encode("utf-8") + pieces[0]
    pieces[-1] += b"\n  }\n ]\n}\n"
    return pieces


def write_jsonld(triples: Iterable[tuple[str, str, str]], context: dict[str, Any]) -> bytes:
    """The JSON-LD document of ``triples`` (N-Triples terms; unique, and each subject's consecutive, as
    sorting them gives) compacted with ``context`` (``{"@context": {...}}``, embedded as it is)."""
    return _NODE_SEP.join(_document(triples, context))


def write_jsonld_to(triples: Iterable[tuple[str, str, str]], context: dict[str, Any], out: IO[bytes],
                    chunk: int = 4096) -> int:
    """:func:`write_jsonld` into a binary file object, ``chunk`` nodes a write; returns the bytes written."""
    pieces = _document(triples, context)
    written = 0
    for start in range(0, len(pieces), chunk):
        if start:
            written += out.write(_NODE_SEP)
        written += out.write(_NODE_SEP.join(pieces[start:start + chunk]))
    return written

"""Small, exact writers for the few triples of one resource: Turtle, and JSON-LD compacted with the
dumps' context (:func:`kdgraph.publish.context`).

A page has a handful of triples, and the site has a thousand pages; a general-purpose serializer spends
most of its time setting up. These writers do only what the context needs, and the tests check their
output against rdflib's parsers: parsing what they write gives back exactly the triples written.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from .graph import LANG_STRING, TYPE, XSD, XSD_STRING, BNode, Lit, Term, Triple, term_key

_INTEGER = re.compile(r"^-?(0|[1-9][0-9]*)$")
_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_PN_PREFIX = re.compile(r"^[A-Za-z](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_LANG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")


# --------------------------------------------------------------------------------------------- Turtle

def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _iri_ref(iri: str) -> str:
    return "<" + "".join(f"\\u{ord(c):04X}" if c in '<>"{}|^`\\' or ord(c) <= 0x20 else c
                         for c in iri) + ">"


class _TurtleNames:
    def __init__(self, prefixes: dict[str, str]) -> None:
        # longest namespace first, so the most specific prefix wins
        self.prefixes = sorted(((p, ns) for p, ns in prefixes.items() if _PN_PREFIX.match(p)),
                               key=lambda item: (-len(item[1]), item[0]))
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        for prefix, ns in self.prefixes:
            if iri.startswith(ns) and _PN_LOCAL.match(iri[len(ns):]):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(ns):]}"
        return _iri_ref(iri)

    def term(self, term: Term) -> str:
        if isinstance(term, Lit):
            text = f'"{_escape(term.value)}"'
            if term.lang is not None:
                return f"{text}@{term.lang}"
            if term.datatype == XSD_STRING:
                return text
            if term.datatype == XSD + "integer" and _INTEGER.match(term.value):
                return term.value
            if term.datatype == XSD + "boolean" and term.value in ("true", "false"):
                return term.value
            return f"{text}^^{self.iri(term.datatype)}"
        if isinstance(term, BNode):
            return f"_:{term}"
        return self.iri(term)


def turtle(triples: list[Triple], prefixes: dict[str, str]) -> bytes:
    """Turtle for ``triples``: one block per subject, predicates and objects sorted, only the prefixes
    used declared."""
    names = _TurtleNames(prefixes)
    grouped: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        grouped[s][p].append(o)
    blocks = []
    for s in sorted(grouped, key=term_key):
        props = grouped[s]
        lines = []
        order = sorted(props, key=lambda p: (p != TYPE, p))
        for p in order:
            objs = ", ".join(names.term(o) for o in sorted(set(props[p]), key=term_key))
            pred = "a" if p == TYPE else names.iri(p)
            lines.append(f"{pred} {objs}")
        blocks.append(names.term(s) + " " + " ;\n    ".join(lines) + " .\n")
    head = "".join(f"@prefix {p}: {_iri_ref(ns)} .\n" for p, ns in sorted(names.prefixes)
                   if p in names.used)
    return (head + ("\n" if head else "") + "\n".join(blocks)).encode("utf-8")


# --------------------------------------------------------------------------------------------- JSON-LD

class Compactor:
    """Compacts triples with a JSON-LD context of the shape :func:`kdgraph.publish.context` makes:
    a ``@vocab``, prefixes (IRIs ending in ``/`` or ``#``) and terms with ``@id``/``@type``."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        ctx = context["@context"]
        self.vocab: str | None = ctx.get("@vocab")
        self.prefixes: list[tuple[str, str]] = []
        self.terms: set[str] = {k for k in ctx if not k.startswith("@")}
        for key, value in ctx.items():
            if isinstance(value, str) and not key.startswith("@") and value.endswith(("/", "#")):
                self.prefixes.append((key, value))
        self.prefixes.sort(key=lambda item: (-len(item[1]), item[0]))
        # property IRI -> [(term, coercion)]
        self.coerced: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        for key, value in ctx.items():
            if isinstance(value, dict) and "@id" in value:
                iri = self.expand(value["@id"])
                coercion = value.get("@type")
                self.coerced[iri].append((key, self.expand(coercion) if coercion not in (None, "@id")
                                          else coercion))

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and not local.startswith("//"):
            for name, ns in self.prefixes:
                if name == prefix:
                    return ns + local
        return value

    def iri(self, iri: str) -> str:
        """A node IRI (``@id`` value): a compact IRI where a prefix fits, else the IRI."""
        for name, ns in self.prefixes:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if local and not local.startswith("//"):
                    return f"{name}:{local}"
        return iri

    def vocab_iri(self, iri: str) -> str:
        """A property or type IRI: vocabulary-relative where possible, else compact, else the IRI."""
        if self.vocab and iri.startswith(self.vocab):
            local = iri[len(self.vocab):]
            if local and ":" not in local and local not in self.terms and not local.startswith("@"):
                return local
        compacted = self.iri(iri)
        return compacted

    def value(self, term: Term) -> Any:
        if isinstance(term, Lit):
            if term.lang is not None and term.datatype == LANG_STRING and _LANG.match(term.lang):
                return {"@value": term.value, "@language": term.lang}
            if term.datatype == XSD_STRING:
                return term.value
            if term.datatype == XSD + "integer" and _INTEGER.match(term.value):
                return int(term.value)
            if term.datatype == XSD + "boolean" and term.value in ("true", "false"):
                return term.value == "true"
            return {"@value": term.value, "@type": self.vocab_iri(term.datatype)}
        if isinstance(term, BNode):
            return {"@id": f"_:{term}"}
        return {"@id": self.iri(term)}

    def node(self, subject: str, props: dict[str, list[Term]]) -> dict[str, Any]:
        node: dict[str, list[Any]] = defaultdict(list)
        for p, objs in props.items():
            for o in objs:
                if p == TYPE and isinstance(o, str) and not isinstance(o, BNode):
                    node["@type"].append(self.vocab_iri(o))
                    continue
                key, value = self._keyed(p, o)
                node[key].append(value)
        out: dict[str, Any] = {"@id": f"_:{subject}" if isinstance(subject, BNode) else self.iri(subject)}
        for key in sorted(node):
            values = sorted(node[key], key=_value_key)
            out[key] = values[0] if len(values) == 1 else values
        return out

    def _keyed(self, p: str, o: Term) -> tuple[str, Any]:
        for term, coercion in self.coerced.get(p, []):
            if coercion == "@id" and isinstance(o, str) and not isinstance(o, BNode):
                return term, self.iri(o)
            if (coercion not in (None, "@id") and isinstance(o, Lit) and o.lang is None
                    and o.datatype == coercion):
                return term, o.value
            if coercion is None:
                return term, self.value(o)
        key = self.vocab_iri(p)
        if key in self.terms:  # the term carries a coercion this value does not fit
            key = self.iri(p)
        return key, self.value(o)

    def document(self, triples: list[Triple]) -> dict[str, Any]:
        """A JSON-LD document of ``triples`` with the context embedded: one node, or a ``@graph``."""
        grouped: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:
            grouped[s][p].append(o)
        nodes = [self.node(s, grouped[s]) for s in sorted(grouped, key=term_key)]
        doc: dict[str, Any] = {"@context": self.context["@context"]}
        if len(nodes) == 1:
            doc.update(nodes[0])
        else:
            doc["@graph"] = nodes
        return doc


def _value_key(value: Any) -> tuple[int, str]:
    if isinstance(value, str):
        return (0, value)
    return (1, json.dumps(value, sort_keys=True, ensure_ascii=False))


def json_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1)


def script_json(text: str) -> str:
    """JSON text made safe to embed in ``<script type="application/ld+json">``: ``<``, ``>`` and ``&``
    (which JSON has only inside strings) written as ``\\u`` escapes."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

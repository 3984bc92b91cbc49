"""SPARQL query text: a lexical scan that knows comments, strings and IRIs, and binding variables with a
``VALUES`` block placed first in the query's WHERE group.

Binding this way gives the embedded store and any remote endpoint the same pre-binding semantics (that of
pyoxigraph's ``substitutions``, SEP-0007) with one query text. Terms are checked to be exactly one IRI or
literal in N-Triples syntax as pyoxigraph prints them, so a value can never become query syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import KdgraphError

QUERY_FORMS = ("select", "construct", "describe", "ask")
_UPDATE_WORDS = frozenset({"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add",
                           "with"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # word, var, open, close, string, iri, punct
    start: int
    end: int
    text: str


_IRI = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"(?:[\w:\-.\u00B7]|\\.|%[0-9A-Fa-f]{2})+")
_VAR = re.compile(r"[?$]\w+")
_VARNAME = re.compile(r"\w+")


def _tokens(query: str) -> Iterator[_Token]:
    """The tokens of a SPARQL text that matter for finding groups and keywords; comments are skipped and
    string literals and IRIs come whole, so braces and '#' inside them are never mistaken for syntax."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "'\"":
            end = _string_end(query, i)
            yield _Token("string", i, end, query[i:end])
            i = end
        elif c == "<" and (m := _IRI.match(query, i)):
            yield _Token("iri", i, m.end(), m.group())
            i = m.end()
        elif c in "?$" and (m := _VAR.match(query, i)):
            yield _Token("var", i, m.end(), m.group())
            i = m.end()
        elif c == "{":
            yield _Token("open", i, i + 1, c)
            i += 1
        elif c == "}":
            yield _Token("close", i, i + 1, c)
            i += 1
        elif m := _WORD.match(query, i):
            yield _Token("word", i, m.end(), m.group())
            i = m.end()
        else:
            yield _Token("punct", i, i + 1, c)
            i += 1


def _string_end(query: str, start: int) -> int:
    quote = query[start]
    long = query.startswith(quote * 3, start)
    i = start + (3 if long else 1)
    while i < len(query):
        c = query[i]
        if c == "\\":
            i += 2
            continue
        if long:
            if query.startswith(quote * 3, i):
                return i + 3
        elif c == quote:
            return i + 1
        elif c in "\r\n":
            break
        i += 1
    line = query.count("\n", 0, start) + 1
    raise KdgraphError(f"query line {line}: unterminated string literal — close the {quote} quote")


def query_form(query: str) -> str | None:
    """``select``, ``construct``, ``describe`` or ``ask`` — the form of a SPARQL query; None for an update
    or text that is no query."""
    for token in _tokens(query):
        if token.kind == "word":
            word = token.text.lower()
            if word in QUERY_FORMS:
                return word
            if word in _UPDATE_WORDS:
                return None
        elif token.kind == "open":
            return None
    return None


def _matching_close(tokens: list[_Token], open_index: int) -> int:
    depth = 0
    for k in range(open_index, len(tokens)):
        if tokens[k].kind == "open":
            depth += 1
        elif tokens[k].kind == "close":
            depth -= 1
            if depth == 0:
                return k
    raise KdgraphError("query: unbalanced braces — a '{' is never closed")


def _check_term(name: str, term: str) -> str:
    """The term, re-printed by pyoxigraph, if ``term`` is exactly one IRI or literal in N-Triples syntax."""
    import pyoxigraph as ox

    sentinel = '"kdgraph-bind-values-sentinel"'
    document = f"<urn:kdgraph:s> <urn:kdgraph:p> {term} , {sentinel} .\n"
    problem = f"binding ?{name} = {term[:60]!r} is not one IRI or literal in N-Triples syntax"
    try:
        triples = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    except (SyntaxError, ValueError) as exc:
        raise KdgraphError(f"{problem} — make it with pyoxigraph, e.g. str(Literal(text))") from exc
    if len(triples) != 2 or str(triples[1].object) != sentinel:
        raise KdgraphError(f"{problem} — make it with pyoxigraph, e.g. str(Literal(text))")
    value = triples[0].object
    if not isinstance(value, ox.NamedNode | ox.Literal):
        raise KdgraphError(f"binding ?{name}: a blank node cannot be bound — bind an IRI or a literal")
    return str(value)


def _check_terms(name: str, terms: list[str]) -> list[str]:
    """Many terms checked at once (one parse), for a one-variable VALUES block of many rows."""
    import pyoxigraph as ox

    document = "".join(f"<urn:kdgraph:s> <urn:kdgraph:p{i}> {t} .\n" for i, t in enumerate(terms))
    try:
        triples = list(ox.parse(document.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as exc:
        raise KdgraphError(f"binding ?{name}: a term is not one IRI or literal in N-Triples syntax") from exc
    if len(triples) != len(terms):
        raise KdgraphError(f"binding ?{name}: a term is not one IRI or literal in N-Triples syntax")
    return [str(t.object) for t in triples]


def bind_values(query: str, bindings: dict[str, str] | dict[str, list[str]]) -> str:
    """``query`` with ``VALUES (?a ?b) { (term term) }`` as the first element of its outermost WHERE group.

    ``bindings`` maps variable names (with or without ``?``) to terms in N-Triples syntax, as pyoxigraph
    prints them; each is checked to be exactly one IRI or literal. A single variable may take a list of
    terms, one row each (``VALUES ?this { <a> <b> }``). This gives a remote endpoint the
    pre-binding the embedded store gets from pyoxigraph's ``substitutions`` (SEP-0007). The WHERE group is
    found by a lexical scan that skips comments, string literals and IRIs; a group holding only a sub-query
    becomes ``{ VALUES … { SELECT … } }``, and the short form ``CONSTRUCT WHERE { P }`` is first written out
    as ``CONSTRUCT { P } WHERE { P }``.
    """
    if not bindings:
        return query
    names: list[str] = []
    terms: list[str] = []
    rows: list[str] | None = None
    for key, term in bindings.items():
        name = key[1:] if key[:1] in "?$" else key
        if not _VARNAME.fullmatch(name):
            raise KdgraphError(f"binding {key!r}: not a SPARQL variable name — use letters, digits and _")
        names.append(name)
        if isinstance(term, list):
            if len(bindings) != 1:
                raise KdgraphError("bind_values: a list of terms is for one variable only")
            rows = _check_terms(name, term)
        else:
            terms.append(_check_term(name, term))
    tokens = list(_tokens(query))
    form: str | None = None
    form_end = 0
    depth = 0
    template_seen = False
    for k, token in enumerate(tokens):
        if depth == 0 and token.kind == "word" and form is None:
            word = token.text.lower()
            if word in QUERY_FORMS:
                form, form_end = word, token.end
            elif word in _UPDATE_WORDS:
                break
        if token.kind == "close":
            depth -= 1
            continue
        if token.kind != "open":
            continue
        depth += 1
        if depth != 1:
            continue
        if form is None:
            break
        after_where = k > 0 and tokens[k - 1].kind == "word" and tokens[k - 1].text.lower() == "where"
        if form == "construct" and not after_where:
            template_seen = True  # the CONSTRUCT template, not the WHERE group
            continue
        if rows is not None:
            clause = f"VALUES ?{names[0]} {{ {' '.join(rows)} }}"
        else:
            clause = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
        close = _matching_close(tokens, k)
        inner = tokens[k + 1] if k + 1 < close else None
        if form == "construct" and not template_seen:
            body = query[token.end:tokens[close].start]
            return (f"{query[:form_end]} {{{body}}}{query[form_end:token.end]} {clause}"
                    f"{query[token.end:]}")
        if inner is not None and inner.kind == "word" and inner.text.lower() == "select":
            end = tokens[close].start
            return (f"{query[:token.end]} {clause} {{{query[token.end:end]}}}"
                    f"{query[end:]}")
        return f"{query[:token.end]} {clause}{query[token.end:]}"
    raise KdgraphError("cannot bind variables: the query has no WHERE group (a SELECT, ASK, CONSTRUCT or "
                       "DESCRIBE with a { … } pattern is needed)")

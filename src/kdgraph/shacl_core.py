"""A SHACL Core engine for the constraints kdgraph's shapes use, over an index of N-Triples term strings.

pySHACL evaluates every constraint node by node through rdflib and writes a report graph as it goes;
on 1,000 entries that alone took 14 s and grew faster than the graph. This engine works on the build's
own term representation (:mod:`kdgraph.ntriples`: ``<iri>``, ``"lex"``, ``"lex"@en``, ``"lex"^^<dt>``)
and evaluates each shape for all its focus nodes with plain dictionary look-ups:

* :class:`DataIndex` buckets the triples by predicate in one pass and builds, per predicate and only
  when a shape asks for it, subject → objects (predicate paths, ``sh:equals``, ``rdf:type``) and
  object → subjects (inverse paths, class targets, ``rdfs:subClassOf``). A node's kind is the first
  character of its term.
* Literals are first brought to the form rdflib gives them when it parses the same data (its literal
  normalization: ``"+7"^^xsd:integer`` is ``"7"``, language tags compare case-insensitively; an
  ill-typed literal gets a spelling of its own), so the findings on string triples are those of pySHACL
  on an rdflib graph of the same triples. Terms already in that form — all the build writes — pass an
  exact per-datatype test; the others go once each through rdflib (see :func:`normalize_term`).
* The shapes graph (small, rdflib) is compiled once into checks on term strings. A shape runs each of
  its constraints over all its focus nodes at once (``sh:minCount 1``: the focus nodes missing from the
  path's index; ``sh:maxCount``: only those with values). Every value check (``sh:datatype``,
  ``sh:pattern`` on the string form, ``sh:minInclusive`` through pySHACL's own literal comparison,
  ``sh:class``, …) is a pure function of the value term, so it runs once per distinct term — shared by
  the shapes with the same check — and a shape looks up only its values that failed: the literal
  checks convert a term to rdflib at most once, and only for forms the exact fast paths
  (:data:`FAST_DATATYPES`) do not cover.

The semantics are pySHACL's constraint components, written after them (value nodes, the literal checks
of ``sh:datatype``, ``sh:uniqueLang`` without a value, one result per failing ``sh:class``). It knows
the targets (class, subjectsOf, objectsOf, node, implicit class), predicate and inverse paths, and
``sh:class``, ``datatype``, ``nodeKind``, ``minCount``, ``maxCount``, ``pattern`` (with ``flags``),
``in``, ``hasValue``, ``minLength``, ``maxLength``, ``minInclusive``, ``equals``, ``uniqueLang``, ``or``
and ``xone``. A shapes graph that uses anything else, or a reporting shape without exactly one
``sh:message``, makes :func:`core_findings` return ``None``: the caller then hands the SHACL Core part to
pySHACL, so nothing is ever skipped. The tests check that the findings equal pySHACL's on every shape
case and on the bundled build.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Collection as Collection_
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from .ntriples import from_rdflib, literal_parts, to_rdflib, value

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.namespace import NamespaceManager
    from rdflib.term import Node

    from .validate import Finding

Triple = tuple[str, str, str]

TARGETS = {SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode}
CONSTRAINTS = {SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.pattern, SH["in"],
               SH.hasValue, SH.minLength, SH.maxLength, SH.minInclusive, SH.equals, SH.uniqueLang,
               SH["or"], SH.xone}
KNOWN = TARGETS | CONSTRAINTS | {
    RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.path, SH.property, SH.sparql,
    SH.flags, SH.name, SH.description, SH.order, SH.group, SH.deactivated, SH.declare}

RDF_TYPE = f"<{RDF.type}>"
RDFS_SUBCLASSOF = f"<{RDFS.subClassOf}>"
_XSD = str(XSD)
_INTEGER = re.compile(r"0|-?[1-9][0-9]{0,17}")
_NON_NEGATIVE = re.compile(r"0|[1-9][0-9]{0,17}")
_POSITIVE = re.compile(r"[1-9][0-9]{0,17}")
#: Datatypes with an exact fast path: a lexical form that matches is one rdflib keeps unchanged and holds
#: well-typed (with a Python value of the type pySHACL's sh:datatype check expects). Anything else goes
#: through rdflib. tests/test_shacl_core.py checks the agreement on many valid and invalid forms.
FAST_DATATYPES: dict[str, re.Pattern[str]] = {
    _XSD + "integer": _INTEGER,
    _XSD + "nonNegativeInteger": _NON_NEGATIVE,
    _XSD + "positiveInteger": _POSITIVE,
    _XSD + "gYear": re.compile(r"[0-9]{4}"),
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "string": re.compile(r"[^\\]*", re.S),
}
_INTEGERS = {_XSD + "integer", _XSD + "nonNegativeInteger", _XSD + "positiveInteger"}


def normalize_term(term: str) -> tuple[str, bool]:
    """``term`` as rdflib makes it when it parses the same data, and whether rdflib holds it ill-typed.

    rdflib normalizes a typed literal to the canonical form of its value (``"+7"`` → ``"7"``, even
    ``"yes"^^xsd:boolean`` → ``"false"``, which it marks ill-typed), and compares language tags without
    case (oxigraph lower-cases them), so a tag is lower-cased here. Escapes are those of rdflib's
    N-Triples serializer. IRIs, and literals without a datatype, tag or backslash, are returned as they
    are; a term in a fast-path form (:data:`FAST_DATATYPES`) too, without rdflib. An ill-typed literal
    is written as :func:`ill_typed_form` makes it, so that it stays apart from the same text
    well-typed (``"TRUE"`` and ``"true"`` are both ``"true"`` for rdflib, only the first ill-typed).
    """
    if term[0] != '"':
        return term, False
    end = term.rindex('"')
    if end == len(term) - 1:  # a plain literal
        if "\\" not in term:
            return term, False
    elif term[end + 1] == "@":
        tag = term[end + 2:]
        if "\\" not in term:
            return (term if tag == tag.lower() else term[:end + 2] + tag.lower()), False
    else:
        fast = FAST_DATATYPES.get(term[end + 4:-1])
        if fast is not None and "\\" not in term and fast.fullmatch(term, 1, end):
            return term, False
    lit = to_rdflib(term)
    assert isinstance(lit, Literal)
    text = from_rdflib(lit)
    if lit.language:
        end = text.rindex('"')
        text = text[:end + 2] + text[end + 2:].lower()
    if getattr(lit, "ill_typed", None) is True:
        return ill_typed_form(text), True
    return (term if text == term else text), False


def _rdf_term(term: str) -> tuple[str, str | None, str | None]:
    """A literal's lexical form, datatype and lower-cased language tag: what makes it one RDF term for
    pyoxigraph (``xsd:string`` written or not)."""
    lexical, datatype, lang = literal_parts(term)
    if datatype == _XSD + "string":
        datatype = None
    return lexical, datatype, lang.lower() if lang else None


def ill_typed_form(term: str) -> str:
    """An ill-typed literal's term with the first character of its lexical form as a ``\\u`` escape:
    the same lexical form, datatype and RDF term (for pyoxigraph), but a string of its own, which the
    engine holds ill-typed wherever it occurs (the same text well-typed is another string)."""
    if term[0] != '"' or len(term) < 3 or term[1] in '"\\':
        return term
    code = ord(term[1])
    return '"' + (f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}") + term[2:]


class DataIndex:
    """The data triples (N-Triples term strings) by predicate, with per-predicate indexes made on demand.

    ``ill_typed`` names terms rdflib held ill-typed (an rdflib graph's ill-typed literals, converted with
    :func:`ill_typed_form`: ``"yes"^^xsd:boolean`` was already made ``"false"``); they are kept as they
    are. The other triples are normalized as rdflib would (:func:`normalize_term`), ill-typed literals
    found on the way added to ``ill_typed``; ``changed`` says whether that changed an RDF term (its
    lexical form or datatype, not only how it is written). Each triple is kept once (``unique`` says the
    caller's triples are distinct already: an rdflib graph's).
    """

    def __init__(self, triples: Iterable[Triple], ill_typed: Iterable[str] = (),
                 unique: bool = False) -> None:
        self.by_p: dict[str, list[Triple]] = defaultdict(list)
        self.ill_typed: set[str] = set(ill_typed)
        self.changed = False
        by_p = self.by_p
        cache: dict[str, str] = {t: t for t in self.ill_typed}
        rewritten = False
        for t in triples:
            o = t[2]
            if o[0] == '"' and (o[-1] != '"' or "\\" in o):
                norm = cache.get(o)
                if norm is None:
                    norm, ill = normalize_term(o)
                    cache[o] = norm
                    if ill:
                        self.ill_typed.add(norm)
                    if not self.changed and _rdf_term(norm) != _rdf_term(o):
                        self.changed = True
                if norm is not o:
                    t = (t[0], t[1], norm)
                    rewritten = True
            by_p[t[1]].append(t)
        if not unique or rewritten:  # a triple given twice, or two that normalize to one
            for p, ts in by_p.items():
                by_p[p] = list(dict.fromkeys(ts))
        self._fwd: dict[str, dict[str, list[str]]] = {}
        self._inv: dict[str, dict[str, list[str]]] = {}
        self._instances: dict[str, set[str]] = {}

    def triples(self, predicates: Iterable[str] | None = None) -> Iterable[Triple]:
        """All (normalized) triples, or those of the given predicates."""
        if predicates is None:
            for ts in self.by_p.values():
                yield from ts
        else:
            for p in predicates:
                yield from self.by_p.get(p, ())

    def fwd(self, p: str) -> dict[str, list[str]]:
        """subject → objects of predicate ``p``."""
        found = self._fwd.get(p)
        if found is None:
            d: dict[str, list[str]] = defaultdict(list)
            for s, _, o in self.by_p.get(p, ()):
                d[s].append(o)
            found = self._fwd[p] = d
        return found

    def inv(self, p: str) -> dict[str, list[str]]:
        """object → subjects of predicate ``p``."""
        found = self._inv.get(p)
        if found is None:
            d: dict[str, list[str]] = defaultdict(list)
            for s, _, o in self.by_p.get(p, ()):
                d[o].append(s)
            found = self._inv[p] = d
        return found

    def objects(self, s: str, p: str) -> list[str]:
        return self.fwd(p).get(s, [])

    def subjects(self, p: str, o: str) -> list[str]:
        return self.inv(p).get(o, [])

    def subclasses(self, cls: str) -> set[str]:
        """``cls`` and its subclasses (^rdfs:subClassOf*)."""
        down = self.inv(RDFS_SUBCLASSOF)
        found, todo = {cls}, [cls]
        while todo:
            for sub in down.get(todo.pop(), ()):
                if sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return found

    def instances(self, cls: str) -> set[str]:
        """The nodes typed ``cls`` or a subclass of it (a set to read, not to change)."""
        nodes = self._instances.get(cls)
        if nodes is None:
            typed = self.inv(RDF_TYPE)
            nodes = set()
            for c in self.subclasses(cls):
                nodes.update(typed.get(c, ()))
            self._instances[cls] = nodes
        return nodes


def term(node: Node) -> str:
    """An rdflib term (of the shapes graph) as the engine's normalized term string."""
    return normalize_term(from_rdflib(node))[0]


@dataclass(slots=True)
class _Values:
    """The value nodes of a path for a set of focus nodes: (focus node, values) for those with values,
    and all the distinct values (made when first needed)."""

    focus: Collection_[str]
    pairs: list[tuple[str, list[str]]]
    distinct: frozenset[str] | None = None


@dataclass(slots=True)
class _Check:
    """A value check (a pure function of the value term) with the terms tested so far and those that
    failed; the same constraint with the same argument in several shapes is one check."""

    test: Callable[[str], bool]
    known: set[str] = field(default_factory=set)
    bad: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Shape:
    """A shape compiled once: its path, checks, property shapes and what its results say."""

    node: Node
    path: Node | None
    path_shown: str | None
    message: str | None
    severity: str
    deactivated: bool
    focus_checks: list[tuple[Node, Any]] = field(default_factory=list)
    value_checks: list[_Check] = field(default_factory=list)
    props: list[_Shape] = field(default_factory=list)
    step: tuple[bool, str] | None = None  # (inverse?, predicate term) once resolved
    ready: list[tuple[int, Any]] | None = None  # focus_checks as run (see _focus_check)


class _Engine:
    def __init__(self, shapes: Graph, index: DataIndex, nm: NamespaceManager,
                 origins: dict[str, list[str]] | None = None) -> None:
        self.g = shapes
        self.ix = index
        self.nm = nm
        self.origins = origins or {}
        self.findings: list[Finding] = []
        self.probing = 0  # inside sh:or / sh:xone: only whether there is a result counts
        self._compiled: dict[Node, _Shape] = {}
        self._patterns: dict[tuple[str, str | None], re.Pattern[str]] = {}
        self._checks: dict[tuple[str, str, str | None], _Check] = {}
        self._values: dict[tuple[bool, str, int], _Values] = {}

    def one(self, shape: Node, prop: URIRef) -> Node | None:
        values = list(self.g.objects(shape, prop))
        if len(values) > 1:
            raise Unsupported(f"{shape} has {len(values)} {prop}")
        return values[0] if values else None

    def check_supported(self, shape: Node) -> None:
        for p in self.g.predicates(shape):
            if p not in KNOWN:
                raise Unsupported(f"{shape} uses {p}")
        if self.one(shape, SH.path) is not None and list(self.g.objects(shape, SH.property)):
            raise Unsupported(f"{shape}: sh:property under a property shape")

    # ------------------------------------------------------------------------------- evaluation

    def focus_nodes(self, shape: Node) -> set[str]:
        g, ix = self.g, self.ix
        nodes: set[str] = set()
        for cls in g.objects(shape, SH.targetClass):
            nodes.update(ix.instances(term(cls)))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            nodes.update(ix.instances(term(shape)))
        nodes.update(term(n) for n in g.objects(shape, SH.targetNode))
        for p in g.objects(shape, SH.targetSubjectsOf):
            nodes.update(t[0] for t in ix.by_p.get(term(p), ()))
        for p in g.objects(shape, SH.targetObjectsOf):
            nodes.update(t[2] for t in ix.by_p.get(term(p), ()))
        return nodes

    def step(self, shape: _Shape) -> tuple[bool, str]:
        """The shape's path as (inverse?, predicate term); a path of another kind is not supported."""
        if shape.step is None:
            path = shape.path
            if isinstance(path, URIRef):
                shape.step = (False, term(path))
            else:
                inverse = self.g.value(path, SH.inversePath)
                if not isinstance(inverse, URIRef):
                    raise Unsupported(f"path {path}")
                shape.step = (True, term(inverse))
        return shape.step

    def conforms(self, shape: Node, node: str) -> bool:
        """Whether ``node`` conforms to ``shape`` (a member of sh:or / sh:xone)."""
        saved = self.findings
        self.findings = []
        self.probing += 1
        try:
            self.evaluate(shape, [node])
            return not self.findings
        finally:
            self.findings = saved
            self.probing -= 1

    def compiled(self, shape: Node) -> _Shape:
        found = self._compiled.get(shape)
        if found is not None:
            return found
        from .validate import _path_sparql

        self.check_supported(shape)
        g = self.g
        path = self.one(shape, SH.path)
        messages = list(g.objects(shape, SH.message))
        compiled = _Shape(
            node=shape, path=path,
            path_shown=_path_sparql(g, path, self.nm) if path is not None else None,
            message=str(messages[0]) if len(messages) == 1 else None,
            severity=str(g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1],
            deactivated=str(g.value(shape, SH.deactivated)).lower() == "true")
        self._compiled[shape] = compiled
        for c in sorted({p for p in g.predicates(shape) if p in CONSTRAINTS}, key=str):
            for arg in g.objects(shape, c):
                if c in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.hasValue):
                    if path is None:
                        raise Unsupported(f"{c} on a node shape")
                    compiled.focus_checks.append((c, arg))
                else:
                    flags = g.value(shape, SH.flags) if c == SH.pattern else None
                    key = (str(c), arg.n3() if isinstance(arg, Literal | URIRef) else str(arg),
                           str(flags) if flags is not None else None)
                    check = self._checks.get(key)
                    if check is None:  # the same check in several shapes shares its results
                        check = self._checks[key] = _Check(self.value_test(shape, c, arg))
                    compiled.value_checks.append(check)
        compiled.props = [self.compiled(prop) for prop in g.objects(shape, SH.property)]
        return compiled

    def evaluate(self, shape: Node, focus: Collection_[str]) -> None:
        self.run(self.compiled(shape), focus)

    def run(self, shape: _Shape, focus: Collection_[str]) -> None:
        if shape.deactivated:
            return
        if shape.focus_checks or shape.value_checks:
            self.constraints(shape, focus)
        for prop in shape.props:
            self.run(prop, focus)

    def result(self, shape: _Shape, focus: str, found: str | None) -> None:
        from .validate import Finding

        if self.probing:
            self.findings.append(None)  # type: ignore[arg-type]
            return
        if shape.message is None:
            raise Unsupported(f"{shape.node} has no single sh:message")
        text = value(focus)
        self.findings.append(Finding(
            severity=shape.severity, focus=text, path=shape.path_shown,
            message=shape.message, value=value(found) if found is not None else None,
            shape=str(shape.node), where=tuple(self.origins.get(text, ()))))

    def constraints(self, shape: _Shape, focus: Collection_[str]) -> None:
        """Run the shape's own constraints on all its focus nodes: each constraint over the focus
        nodes at once, a value check once per distinct value node."""
        if not focus:
            return
        ix = self.ix
        result = self.result
        table: dict[str, list[str]] | None = None
        pairs: list[tuple[str, list[str]]] = []  # focus nodes with values, and their values
        values: _Values | None = None
        if shape.path is not None:
            inverse, p = self.step(shape)
            table = ix.inv(p) if inverse else ix.fwd(p)
            # the property shapes of one node shape get the same focus nodes; several share a path
            key = (inverse, p, id(focus))
            values = self._values.get(key)
            if values is None or values.focus is not focus:
                if len(table) < len(focus):
                    known = focus if isinstance(focus, set | frozenset) else set(focus)
                    pairs = [(f, vs) for f, vs in table.items() if f in known]
                else:
                    get = table.get
                    pairs = [(f, vs) for f in focus if (vs := get(f))]
                values = _Values(focus, pairs)
                if len(focus) > 8:
                    self._values[key] = values
            pairs = values.pairs
        checks = shape.ready
        if checks is None:
            checks = shape.ready = [_focus_check(c, arg) for c, arg in shape.focus_checks]
        for kind, arg in checks:
            assert table is not None  # focus-node constraints need a path (see compiled)
            if kind == _MIN_COUNT:
                if arg == 1:
                    for f in focus:
                        if f not in table:
                            result(shape, f, None)
                elif arg > 1:
                    counts = {f: len(vs) for f, vs in pairs}
                    for f in focus:
                        if counts.get(f, 0) < arg:
                            result(shape, f, None)
            elif kind == _MAX_COUNT:
                for f, vs in pairs:
                    if len(vs) > arg:
                        result(shape, f, None)
            elif kind == _UNIQUE_LANG:
                if arg:
                    for f, vs in pairs:
                        seen: set[str] = set()
                        dups: set[str] = set()
                        for v in vs:
                            if v[0] == '"':
                                lang = literal_parts(v)[2]
                                if lang:
                                    low = lang.lower()
                                    (dups if low in seen else seen).add(low)
                        for _ in dups:
                            result(shape, f, None)
            elif kind == _EQUALS:
                others = ix.fwd(arg)
                for f in focus:
                    mine, other = set(table.get(f, ())), set(others.get(f, ()))
                    for v in mine - other:
                        result(shape, f, v)
                    for v in other - mine:
                        result(shape, f, v)
            else:  # sh:hasValue
                for f in focus:
                    if arg not in table.get(f, ()):
                        result(shape, f, None)
        if not shape.value_checks:
            return
        # the distinct value nodes; each check tests only those it has not seen (in any shape) yet
        distinct: set[str] | frozenset[str]
        if values is None:
            distinct = focus if isinstance(focus, set | frozenset) else set(focus)
        else:
            if values.distinct is None:
                values.distinct = frozenset(chain.from_iterable(map(itemgetter(1), pairs)))
            distinct = values.distinct
        for check in shape.value_checks:
            new = distinct - check.known
            if new:
                test, failed = check.test, check.bad
                for v in new:
                    if not test(v):
                        failed.add(v)
                check.known |= new
            bad = check.bad & distinct if len(check.bad) < len(distinct) else distinct & check.bad
            if not bad:
                continue
            if table is None:
                for f in focus:
                    if f in bad:
                        result(shape, f, f)
            else:
                for f, vs in pairs:
                    for v in vs:
                        if v in bad:
                            result(shape, f, v)

    def value_test(self, shape: Node, c: Node, arg: Any) -> Callable[[str], bool]:
        ix = self.ix
        if c == SH["class"]:
            # v has class C when one of its types is C or a subclass of C (pySHACL: C is among the
            # superclasses of one of its types)
            classes = ix.subclasses(term(arg))
            typed = ix.fwd(RDF_TYPE)
            return lambda v: v[0] != '"' and not classes.isdisjoint(typed.get(v, ()))
        if c == SH.nodeKind:
            kinds = {SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"', SH.BlankNodeOrIRI: "_<",
                     SH.BlankNodeOrLiteral: '_"', SH.IRIOrLiteral: '<"'}[arg]
            return lambda v: v[0] in kinds
        if c == SH.datatype:
            rule = str(arg)
            ill = ix.ill_typed
            if rule == str(XSD.string):  # a plain literal (no datatype, no language) is an xsd:string
                return lambda v: (v[-1] == '"' and v[0] == '"') or _datatype_ok(v, rule, ill)
            return lambda v: _datatype_ok(v, rule, ill)
        if c == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            key = (str(arg), str(flags) if flags is not None else None)
            matcher = self._patterns.get(key)
            if matcher is None:
                re_flags = 0
                if flags is not None:
                    text = str(flags).lower()
                    re_flags |= re.I if "i" in text else 0
                    re_flags |= re.M if "m" in text else 0
                matcher = self._patterns[key] = re.compile(str(arg), re_flags)
            search = matcher.search
            return lambda v: v[0] != "_" and search(value(v)) is not None
        if c == SH["in"]:
            allowed = {term(m) for m in Collection(self.g, arg)}
            return lambda v: v in allowed
        if c == SH.minLength:
            n = arg.value
            return lambda v: n == 0 or (v[0] != "_" and len(value(v)) >= n)
        if c == SH.maxLength:
            n = arg.value
            return lambda v: v[0] != "_" and len(value(v)) <= n
        if c == SH.minInclusive:
            return lambda v: _min_inclusive(v, arg)
        if c in (SH["or"], SH.xone):
            members = list(Collection(self.g, arg))
            for m in members:
                self.compiled(m)
            if c == SH["or"]:
                return lambda v: any(self.conforms(m, v) for m in members)
            return lambda v: sum(1 for m in members if self.conforms(m, v)) == 1
        raise Unsupported(str(c))


class Unsupported(Exception):
    """The shapes use something this engine does not evaluate; pySHACL takes over."""


_MIN_COUNT, _MAX_COUNT, _UNIQUE_LANG, _EQUALS, _HAS_VALUE = range(5)


def _focus_check(c: Node, arg: Any) -> tuple[int, Any]:
    """A focus-node constraint as :meth:`_Engine.constraints` runs it: its kind and its argument."""
    if c == SH.minCount:
        return _MIN_COUNT, int(arg)
    if c == SH.maxCount:
        return _MAX_COUNT, int(arg)
    if c == SH.uniqueLang:
        return _UNIQUE_LANG, arg.value is True
    if c == SH.equals:
        return _EQUALS, term(arg)
    return _HAS_VALUE, term(arg)


def _datatype_ok(v: str, rule: str, ill_typed: set[str]) -> bool:
    """pySHACL's sh:datatype check (DatatypeConstraintComponent), for one value term."""
    if v[0] != '"':
        return False
    _, datatype, lang = literal_parts(v)
    if datatype == rule:
        return v not in ill_typed and _well_typed(v, datatype)
    if rule == str(RDFS.Literal):
        return True
    if rule == str(RDFS.Datatype) and datatype:
        return True
    if datatype is None and lang is None and rule == str(XSD.string):
        return True  # a plain literal's value is its string
    # a language-tagged literal's value is its string
    return rule == str(RDF.langString) and bool(lang)


def _well_typed(v: str, datatype: str) -> bool:
    """Whether rdflib holds the typed literal ``v`` well-typed with a value of the expected type."""
    fast = FAST_DATATYPES.get(datatype)
    if fast is not None and "\\" not in v and fast.fullmatch(v, 1, len(v) - len(datatype) - 5):
        return True
    lit = to_rdflib(v)
    if getattr(lit, "ill_typed", None) is True:
        return False
    return _actual(lit, datatype)


def _actual(v: Node, rule: str) -> bool:
    from datetime import date, datetime, time
    from decimal import Decimal

    found = v.value if isinstance(v, Literal) else None
    types: dict[str, type | tuple[type, ...]] = {
        str(XSD.string): (str, bytes), str(RDF.langString): (str, bytes), str(XSD.integer): int,
        str(XSD.float): float, str(XSD.decimal): Decimal, str(XSD.boolean): bool, str(XSD.date): date,
        str(XSD.time): time, str(XSD.dateTime): datetime}
    expected = types.get(rule)
    return True if expected is None else isinstance(found, expected)


def _min_inclusive(v: str, bound: Literal) -> bool:
    """pySHACL's sh:minInclusive for one value term (its literal comparison; an exact fast path for
    well-typed integers of the xsd:integer family, in the fast-path form of their datatype, against
    such a bound)."""
    if v[0] != '"':
        return False
    lexical, datatype, _ = literal_parts(v)
    if datatype in _INTEGERS and bound.datatype is not None and str(bound.datatype) in _INTEGERS:
        own, theirs = FAST_DATATYPES.get(datatype), FAST_DATATYPES.get(str(bound.datatype))
        if (own is not None and theirs is not None and "\\" not in v and own.fullmatch(lexical)
                and theirs.fullmatch(str(bound))):
            return int(lexical) >= int(str(bound))
    return _min_inclusive_rdflib(v, bound)


def _min_inclusive_rdflib(v: str, bound: Literal) -> bool:
    from pyshacl.rdfutil.compare import compare_literal

    lit = to_rdflib(v)
    assert isinstance(lit, Literal)
    if isinstance(bound.value, str) != isinstance(lit.value, str):
        return False
    try:
        return bool(compare_literal(lit, bound) >= 0)  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False


def top_shapes(shapes: Graph) -> list[Node]:
    """The shapes with targets (or implicit class targets), in the order they are evaluated."""
    top = {s for t in TARGETS for s in shapes.subjects(t, None)}
    top |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
            if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes}
    return sorted(top, key=str)


def core_findings(data: DataIndex | Sequence[Triple], shapes: Graph, nm: NamespaceManager,
                  origins: dict[str, list[str]] | None = None) -> list[Finding] | None:
    """The SHACL Core results of ``shapes`` on the data, or ``None`` where pySHACL must do it.

    ``data`` is a :class:`DataIndex` or the triples as N-Triples term strings; ``nm`` gives the prefixed
    names of the paths shown, ``origins`` the ``where`` of each focus node.
    """
    index = data if isinstance(data, DataIndex) else DataIndex(data)
    engine = _Engine(shapes, index, nm, origins)
    try:
        for shape in top_shapes(shapes):
            engine.evaluate(shape, engine.focus_nodes(shape))
    except Unsupported:
        return None
    return engine.findings

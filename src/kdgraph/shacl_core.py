"""A SHACL Core engine for the constraints kdgraph's shapes use, over an index of N-Triples term strings.

pySHACL evaluates every constraint node by node through rdflib and writes a report graph as it goes;
on 1,000 entries that alone took 14 s and grew faster than the graph. This engine works on the build's
own term representation (:mod:`kdgraph.ntriples`: ``<iri>``, ``"lex"``, ``"lex"@en``, ``"lex"^^<dt>``)
and evaluates each constraint for all the focus nodes of a shape at once, mostly with set operations:

* :class:`DataIndex` splits the triples by predicate in one pass into two columns, the subjects and
  the objects (later work reads these lists, never the scattered triples again). A path step — a
  predicate or its inverse — is a :class:`Step`: its nodes with values as a set, whether each has one
  value, and its distinct values; object → subjects maps are made only for ``rdf:type`` and
  ``rdfs:subClassOf`` (class targets, ``sh:class``). A node's kind is the first character of its term.
* Literals are first brought to the form rdflib gives them when it parses the same data (its literal
  normalization: ``"+7"^^xsd:integer`` is ``"7"``, language tags compare case-insensitively; an
  ill-typed literal gets a spelling of its own), so the findings on string triples are those of pySHACL
  on an rdflib graph of the same triples. Terms already in that form — all the build writes — match
  one pattern made from exact per-datatype tests; the others go once each through rdflib (see
  :func:`normalize_term`).
* The shapes graph (small, rdflib) is compiled once into checks on term strings. A shape runs each of
  its constraints over all its focus nodes at once (``sh:minCount 1``: the focus nodes less the step's
  nodes; ``sh:maxCount``: nothing to do where each node has one value). Every value check
  (``sh:datatype``, ``sh:pattern`` on the string form, ``sh:minInclusive`` through pySHACL's own
  literal comparison, ``sh:class``, …) is a pure function of the value term, so it runs on the set of
  distinct values and gives the set that fails — ``sh:class`` and ``sh:in`` as a set difference, the
  literal checks once per distinct term, shared by the shapes with the same check (they convert a term
  to rdflib at most once, and only for forms the exact fast paths, :data:`FAST_DATATYPES`, do not
  cover); ``sh:or`` and ``sh:xone`` run their member shapes on all those values at once. Only failing
  values are paired with their focus nodes, and only results become findings.

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

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Collection as Collection_
from dataclasses import dataclass, field
from itertools import chain, compress, filterfalse, repeat
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
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
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


@functools.lru_cache(maxsize=4)
def _normal_forms(fast: tuple[tuple[str, re.Pattern[str]], ...]) -> re.Pattern[str]:
    """A pattern that a literal fully matches only where :func:`normalize_term` returns it unchanged
    without rdflib: a plain literal or one with a lower-case language tag, without a backslash or inner
    quote, or a typed one in the fast-path form of its datatype (``fast``: :data:`FAST_DATATYPES`)."""
    typed = "".join(f"|(?:{pattern.pattern})\"\\^\\^<{re.escape(datatype)}>" for datatype, pattern in fast)
    return re.compile(f'"(?:[^"\\\\]*"(?:@[a-z0-9-]*)?{typed})')


class DataIndex:
    """The data triples (N-Triples term strings) by predicate, with per-predicate indexes made on demand.

    ``ill_typed`` names terms rdflib held ill-typed (an rdflib graph's ill-typed literals, converted with
    :func:`ill_typed_form`: ``"yes"^^xsd:boolean`` was already made ``"false"``); they are kept as they
    are. The other triples are normalized as rdflib would (:func:`normalize_term`), ill-typed literals
    found on the way added to ``ill_typed``; ``changed`` says whether that changed an RDF term (its
    lexical form or datatype, not only how it is written). Each triple is kept once (``unique`` says the
    caller's triples are distinct already: an rdflib graph's).

    ``columns`` holds each predicate's triples, in the order given, as two columns: the subjects and the
    objects (one pass over the triples, no triple touched again). ``by_p`` shows them as triples. The
    literals are normalized a predicate at a time: its distinct literal objects that are not already in a
    form rdflib keeps (one pattern, :func:`_normal_forms`) go through :func:`normalize_term`, and only a
    predicate where one changed has its objects rewritten (and its triples made distinct again).
    """

    def __init__(self, triples: Iterable[Triple], ill_typed: Iterable[str] = (),
                 unique: bool = False) -> None:
        self.ill_typed: set[str] = set(ill_typed)
        self.changed = False
        subjects: dict[str, list[str]] = defaultdict(list)
        objects: dict[str, list[str]] = defaultdict(list)
        literals: dict[str, list[str]] = defaultdict(list)  # the literal objects, seen while at hand
        for s, p, o in triples:
            subjects[p].append(s)
            objects[p].append(o)
            if o[0] == '"':
                literals[p].append(o)
        self.columns: dict[str, tuple[list[str], list[str]]] = {}
        normal = _normal_forms(tuple(FAST_DATATYPES.items())).fullmatch
        cache: dict[str, str] = {t: t for t in self.ill_typed}  # kept as they are
        for p, subs in subjects.items():
            objs = objects[p]
            odd = list(filterfalse(normal, set(literals.pop(p, ()))))
            changes = {o: norm for o in odd if (norm := self._normalized(o, cache)) != o}
            if changes:
                objs = list(map(changes.get, objs, objs))
            if changes or not unique:  # a triple given twice, or two that normalize to one
                distinct = dict.fromkeys(zip(subs, objs, strict=True))
                if len(distinct) < len(subs):
                    subs, objs = list(map(_FIRST, distinct)), list(map(_SECOND, distinct))
            self.columns[p] = (subs, objs)
        self.by_p: Mapping[str, list[Triple]] = _Triples(self.columns)
        self._fwd: dict[str, dict[str, list[str]]] = {}
        self._inv: dict[str, dict[str, list[str]]] = {}
        self._instances: dict[str, set[str]] = {}
        self._literal_subjects: dict[str, set[str]] = {}  # by predicate, found by inv()
        self._steps: dict[tuple[bool, str], Step] = {}

    def _normalized(self, literal: str, cache: dict[str, str]) -> str:
        """``literal`` normalized (once per distinct term), noting ill-typed literals and changed terms."""
        norm = cache.get(literal)
        if norm is None:
            norm, ill = normalize_term(literal)
            cache[literal] = norm
            if ill:
                self.ill_typed.add(norm)
            if not self.changed and norm != literal and _rdf_term(norm) != _rdf_term(literal):
                self.changed = True
        return norm

    def triples(self, predicates: Iterable[str] | None = None) -> Iterable[Triple]:
        """All (normalized) triples, or those of the given predicates."""
        for p in self.columns if predicates is None else predicates:
            subs, objs = self.columns.get(p, _NO_COLUMNS)
            yield from zip(subs, repeat(p), objs)

    def step(self, p: str, inverse: bool = False) -> Step:
        """The values of predicate ``p`` (of its inverse) by node, for counting and checking them."""
        found = self._steps.get((inverse, p))
        if found is None:
            subs, objs = self.columns.get(p, _NO_COLUMNS)
            found = self._steps[(inverse, p)] = Step(objs, subs) if inverse else Step(subs, objs)
        return found

    def fwd(self, p: str) -> dict[str, list[str]]:
        """subject → objects of predicate ``p``."""
        found = self._fwd.get(p)
        if found is None:
            d: dict[str, list[str]] = defaultdict(list)
            for s, o in zip(*self.columns.get(p, _NO_COLUMNS), strict=True):
                d[s].append(o)
            found = self._fwd[p] = d
        return found

    def inv(self, p: str) -> dict[str, list[str]]:
        """object → subjects of predicate ``p``."""
        found = self._inv.get(p)
        if found is None:
            d: dict[str, list[str]] = defaultdict(list)
            literals: set[str] = set()
            for s, o in zip(*self.columns.get(p, _NO_COLUMNS), strict=True):
                d[o].append(s)
                if s[0] == '"':
                    literals.add(s)
            found = self._inv[p] = d
            self._literal_subjects[p] = literals
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

    def typed_literals(self) -> set[str]:
        """The literals with an rdf:type (an rdflib graph may have them; N-Triples has none)."""
        self.inv(RDF_TYPE)
        return self._literal_subjects[RDF_TYPE]

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


_NO_COLUMNS: tuple[list[str], list[str]] = ([], [])


class _Triples(Mapping[str, list[Triple]]):
    """A :class:`DataIndex`'s triples by predicate, made from its columns each time they are asked for."""

    def __init__(self, columns: dict[str, tuple[list[str], list[str]]]) -> None:
        self._columns = columns

    def __getitem__(self, p: str) -> list[Triple]:
        subs, objs = self._columns[p]
        return list(zip(subs, repeat(p), objs))

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


class Step:
    """The values of one path step (a predicate, or its inverse) by node: ``values[i]`` is a value of
    ``nodes[i]`` (the subjects and objects of the predicate's triples; the objects and subjects for an
    inverse step). ``keys`` are the nodes with values; ``single`` says each has one. The distinct values
    and the number of values by node are made when first needed."""

    __slots__ = ("_counts", "_distinct", "_many", "_one", "keys", "nodes", "single", "values")

    def __init__(self, nodes: list[str], values: list[str]) -> None:
        self.nodes, self.values = nodes, values
        self.keys = frozenset(nodes)
        self.single = len(self.keys) == len(nodes)
        self._distinct: frozenset[str] | None = None
        self._counts: dict[str, int] | None = None
        self._one: dict[str, str] | None = None  # node → its value, where single
        self._many: dict[str, list[str]] | None = None  # node → its values

    def distinct(self) -> frozenset[str]:
        """All the distinct values."""
        if self._distinct is None:
            self._distinct = frozenset(self.values)
        return self._distinct

    def values_of(self, nodes: Collection_[str]) -> set[str]:
        """The distinct values of some of the nodes with values (looked up in a map made once)."""
        if self.single:
            if self._one is None:
                self._one = dict(zip(self.nodes, self.values, strict=True))
            return set(map(self._one.__getitem__, nodes))
        if self._many is None:
            self._many = defaultdict(list)
            for n, v in zip(self.nodes, self.values, strict=True):
                self._many[n].append(v)
        return set(chain.from_iterable(map(self._many.__getitem__, nodes)))

    def counts(self) -> dict[str, int]:
        """The number of values of each node that has some."""
        if self._counts is None:
            self._counts = dict.fromkeys(self.keys, 1) if self.single else dict(Counter(self.nodes))
        return self._counts

    def pairs(self) -> set[tuple[str, str]]:
        """The (node, value) pairs."""
        return set(zip(self.nodes, self.values, strict=True))

    def pairs_with(self, bad: Collection_[str], focus: Collection_[str]) -> list[tuple[str, str]]:
        """The (node, value) pairs with a node of ``focus`` and a value in ``bad``."""
        found = compress(zip(self.nodes, self.values, strict=True), map(bad.__contains__, self.values))
        return [(n, v) for n, v in found if n in focus]


def term(node: Node) -> str:
    """An rdflib term (of the shapes graph) as the engine's normalized term string."""
    return normalize_term(from_rdflib(node))[0]


Focus = set[str] | frozenset[str]
#: A value check on many terms at once: the terms among those given that fail it.
Failing = Callable[[Focus], Focus]


@dataclass(slots=True)
class _Check:
    """A value check (a pure function of the value term); the same constraint with the same argument in
    several shapes is one check. ``failing`` tests many terms at once. Where a test costs more than a set
    operation (``memo``), the terms tested so far (``known``) and those that failed (``bad``) are kept,
    so each distinct term is tested once."""

    failing: Failing
    memo: bool = True
    known: Focus = frozenset()  # the first terms tested: the caller's set, only read
    own: set[str] | None = None  # ``known`` once more terms come: a set of the check's own
    bad: set[str] = field(default_factory=set)

    def bad_among(self, values: Focus) -> Focus:
        """The terms of ``values`` that fail the check."""
        if not self.memo:
            return self.failing(values)
        new = values - self.known if self.known else values
        if new:
            self.bad |= self.failing(new)
            if not self.known:
                self.known = new
            else:
                if self.own is None:
                    self.known = self.own = set(self.known)
                self.own |= new
        return self.bad & values


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
    """Runs shapes on a :class:`DataIndex`: each constraint over all the focus nodes of a shape at once.

    Results become findings, or, while the members of an ``sh:or`` / ``sh:xone`` are tried (``failed`` is
    a set), only their focus nodes count: those that do not conform."""

    def __init__(self, shapes: Graph, index: DataIndex, nm: NamespaceManager,
                 origins: dict[str, list[str]] | None = None) -> None:
        self.g = shapes
        self.ix = index
        self.nm = nm
        self.origins = origins or {}
        self.findings: list[Finding] = []
        self.failed: set[str] | None = None
        self._compiled: dict[Node, _Shape] = {}
        self._patterns: dict[tuple[str, str | None], re.Pattern[str]] = {}
        self._checks: dict[tuple[str, str, str | None], _Check] = {}
        self._focus: dict[tuple[tuple[str, str], ...], Focus] = {}
        # the distinct values of a step for a set of focus nodes (the property shapes of one node shape
        # get the same focus nodes, and several share a path), with the step and the set it is for
        self._distinct: dict[tuple[int, int], tuple[Step, Focus, Focus]] = {}

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

    def focus_nodes(self, shape: Node) -> Focus:
        """The shape's focus nodes (a set to read: shapes with the same targets share it)."""
        g = self.g
        targets = [("class", term(c)) for c in g.objects(shape, SH.targetClass)]
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            targets.append(("class", term(shape)))
        targets += [("node", term(n)) for n in g.objects(shape, SH.targetNode)]
        targets += [("subject", term(p)) for p in g.objects(shape, SH.targetSubjectsOf)]
        targets += [("object", term(p)) for p in g.objects(shape, SH.targetObjectsOf)]
        key = tuple(sorted(set(targets)))
        nodes = self._focus.get(key)
        if nodes is None:
            parts: list[Focus] = []
            for kind, arg in key:
                if kind == "class":
                    parts.append(self.ix.instances(arg))
                elif kind == "node":
                    parts.append({arg})
                else:  # the subjects or the objects of a predicate
                    parts.append(set(self.ix.columns.get(arg, _NO_COLUMNS)[kind == "object"]))
            most = max(parts, key=len, default=frozenset())
            # often one target has them all (the instances of a class and of its equivalent)
            nodes = most if all(part <= most for part in parts) else set().union(*parts)
            self._focus[key] = nodes
        return nodes

    def step(self, shape: _Shape) -> Step:
        """The step of the shape's path; a path of another kind than a predicate or its inverse is not
        supported."""
        if shape.step is None:
            path = shape.path
            if isinstance(path, URIRef):
                shape.step = (False, term(path))
            else:
                predicate = self.g.value(path, SH.inversePath)
                if not isinstance(predicate, URIRef):
                    raise Unsupported(f"path {path}")
                shape.step = (True, term(predicate))
        inverse, p = shape.step
        return self.ix.step(p, inverse)

    def failing(self, shape: Node, nodes: Focus) -> set[str]:
        """The nodes among ``nodes`` that do not conform to ``shape`` (a member of sh:or / sh:xone)."""
        saved = self.failed
        self.failed = set()
        try:
            self.evaluate(shape, nodes)
            return self.failed
        finally:
            self.failed = saved

    def failing_all(self, shapes: list[Node], nodes: Focus) -> Focus:
        """The nodes that conform to none of ``shapes`` (sh:or): each shape tries only the nodes that
        failed the shapes before it."""
        for shape in shapes:
            if not nodes:
                break
            nodes = self.failing(shape, nodes)
        return nodes

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
                        check = self._checks[key] = self.value_check(shape, c, arg)
                    compiled.value_checks.append(check)
        compiled.props = [self.compiled(prop) for prop in g.objects(shape, SH.property)]
        return compiled

    def evaluate(self, shape: Node, focus: Focus) -> None:
        self.run(self.compiled(shape), focus)

    def run(self, shape: _Shape, focus: Focus) -> None:
        if shape.deactivated:
            return
        if shape.focus_checks or shape.value_checks:
            self.constraints(shape, focus)
        for prop in shape.props:
            self.run(prop, focus)

    def results(self, shape: _Shape, found: Iterable[tuple[str, str | None]]) -> None:
        """Results of ``shape``: (focus node, value or None) pairs."""
        from .validate import Finding

        if self.failed is not None:
            self.failed.update(map(_FIRST, found))
            return
        found = list(found)
        if not found:
            return
        if shape.message is None:
            raise Unsupported(f"{shape.node} has no single sh:message")
        severity, path, message, node = shape.severity, shape.path_shown, shape.message, str(shape.node)
        where = self.origins.get
        append = self.findings.append
        for focus, v in found:
            text = focus[1:-1] if focus[0] == "<" else value(focus)
            append(Finding(severity, text, path, message, value(v) if v is not None else None, node,
                           tuple(where(text, ()))))

    def constraints(self, shape: _Shape, focus: Focus) -> None:
        """Run the shape's own constraints on all its focus nodes: each constraint over the focus nodes
        at once (mostly set operations), a value check on the distinct value nodes."""
        if not focus:
            return
        step = self.step(shape) if shape.path is not None else None
        checks = shape.ready
        if checks is None:
            checks = shape.ready = [_focus_check(c, arg) for c, arg in shape.focus_checks]
        for kind, arg in checks:
            assert step is not None  # focus-node constraints need a path (see compiled)
            if kind == _MIN_COUNT:
                if arg == 1:
                    self.results(shape, zip(focus.difference(step.keys), repeat(None)))
                elif arg > 1:
                    counts = step.counts()
                    self.results(shape, [(f, None) for f in focus if counts.get(f, 0) < arg])
            elif kind == _MAX_COUNT:
                if arg < 1:
                    self.results(shape, zip(focus.intersection(step.keys), repeat(None)))
                elif not step.single:
                    over = {n for n, count in step.counts().items() if count > arg}
                    self.results(shape, zip(over.intersection(focus), repeat(None)))
            elif kind == _UNIQUE_LANG:
                if arg and not step.single:
                    self.results(shape, _repeated_languages(step, focus))
            elif kind == _EQUALS:
                differ = step.pairs() ^ self.ix.step(arg).pairs()
                self.results(shape, [(f, v) for f, v in differ if f in focus])
            else:  # sh:hasValue
                having = set(compress(step.nodes, map(arg.__eq__, step.values)))
                self.results(shape, zip(focus.difference(having), repeat(None)))
        if not shape.value_checks:
            return
        distinct = focus if step is None else self.distinct(step, focus)
        for check in shape.value_checks:
            bad = check.bad_among(distinct)
            if bad:
                found = zip(bad, bad, strict=True) if step is None else step.pairs_with(bad, focus)
                self.results(shape, found)

    def distinct(self, step: Step, focus: Focus) -> Focus:
        """The distinct values of the focus nodes."""
        key = (id(step), id(focus))
        known = self._distinct.get(key)
        if known is not None and known[0] is step and known[1] is focus:
            return known[2]
        found: Focus
        keys = step.keys
        if keys <= focus:
            found = step.distinct()
        elif len(focus) < len(keys) // 4:  # a few of the nodes: look their values up
            found = step.values_of(keys & focus)
        elif len(keys - focus) <= len(keys) // 8:
            # nearly all of them: all the values, a few more than needed (each check is a pure function
            # of the value, and only the results of focus nodes are kept: see Step.pairs_with)
            found = step.distinct()
        else:
            found = set(compress(step.values, map(focus.__contains__, step.nodes)))
        self._distinct[key] = (step, focus, found)
        return found

    def value_check(self, shape: Node, c: Node, arg: Any) -> _Check:
        """The check of constraint ``c`` with its argument, on many value terms at once."""
        ix = self.ix
        if c == SH["class"]:
            # v has class C when one of its types is C or a subclass of C (pySHACL: C is among the
            # superclasses of one of its types): v is an instance of C, and no literal
            instances = ix.instances(term(arg))
            literals = instances & ix.typed_literals()
            if literals:
                return _Check(lambda vs: (vs - instances) | (vs & literals), memo=False)
            return _Check(lambda vs: vs - instances, memo=False)
        if c == SH.nodeKind:
            kinds = {SH.IRI: "<", SH.BlankNode: "_", SH.Literal: '"', SH.BlankNodeOrIRI: "_<",
                     SH.BlankNodeOrLiteral: '_"', SH.IRIOrLiteral: '<"'}[arg]
            return _Check(lambda vs: {v for v in vs if v[0] not in kinds})
        if c == SH["in"]:
            allowed = {term(m) for m in Collection(self.g, arg)}
            return _Check(lambda vs: vs - allowed, memo=False)
        if c in (SH["or"], SH.xone):
            members = list(Collection(self.g, arg))
            for m in members:
                self.compiled(m)
            if c == SH["or"]:
                return _Check(lambda vs: self.failing_all(members, vs))

            def not_one(vs: Focus) -> set[str]:  # a node that does not conform to exactly one member
                fails = Counter(chain.from_iterable(self.failing(m, vs) for m in members))
                return {v for v in vs if fails.get(v, 0) != len(members) - 1}

            return _Check(not_one)
        if c == SH.datatype:
            return _Check(_datatype_failing(str(arg), self.ix.ill_typed))
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
            return _Check(_pattern_failing(matcher))
        if c == SH.minLength:
            n = arg.value
            return _Check(lambda vs: {v for v in vs if n != 0 and (v[0] == "_" or len(_text(v)) < n)})
        if c == SH.maxLength:
            n = arg.value
            return _Check(lambda vs: {v for v in vs if v[0] == "_" or len(_text(v)) > n})
        if c == SH.minInclusive:
            ok = _min_inclusive_test(arg)
            return _Check(lambda vs: set(filterfalse(ok, vs)))
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


def _repeated_languages(step: Step, focus: Focus) -> list[tuple[str, None]]:
    """sh:uniqueLang: a result for each language tag (without case) that a focus node has twice."""
    langs: dict[str, list[str]] = defaultdict(list)
    for n, v in zip(step.nodes, step.values, strict=True):
        if v[0] == '"' and n in focus:
            lang = literal_parts(v)[2]
            if lang:
                langs[n].append(lang.lower())
    found: list[tuple[str, None]] = []
    for n, tags in langs.items():
        seen: set[str] = set()
        dups: set[str] = set()
        for tag in tags:
            (dups if tag in seen else seen).add(tag)
        found += [(n, None)] * len(dups)
    return found


def _datatype_failing(rule: str, ill_typed: set[str]) -> Failing:
    """pySHACL's sh:datatype check for datatype ``rule`` on many terms: the plain literals pass an
    xsd:string check at once, the literals typed ``rule`` in its fast-path form (:func:`_well_typed`)
    pass, the others go through :func:`_datatype_ok`."""
    fast = FAST_DATATYPES.get(rule)
    if rule == str(XSD.string):  # a plain literal (no datatype, no language) is an xsd:string
        return lambda vs: {v for v in vs if not (v[0] == '"' and v[-1] == '"')
                           and not _datatype_ok(v, rule, ill_typed)}
    if fast is None:
        return lambda vs: {v for v in vs if not _datatype_ok(v, rule, ill_typed)}
    suffix = f'"^^<{rule}>'
    cut = len(suffix)
    match = fast.fullmatch

    def well_typed(v: str) -> bool:
        return (v[0] == '"' and v.endswith(suffix) and "\\" not in v and v not in ill_typed
                and match(v, 1, len(v) - cut) is not None)

    return lambda vs: {v for v in vs if not well_typed(v) and not _datatype_ok(v, rule, ill_typed)}


def _pattern_failing(matcher: re.Pattern[str]) -> Failing:
    """sh:pattern on many terms: a blank node fails, an IRI or literal fails where its string form does
    not match."""
    search = matcher.search
    return lambda vs: {v for v in vs if v[0] == "_" or search(v[1:-1] if v[0] == "<" else _text(v)) is None}


def _text(v: str) -> str:
    """The term's :func:`~kdgraph.ntriples.value`, without its cache for an IRI or a literal without
    escapes."""
    if v[0] == "<":
        return v[1:-1]
    if v[0] == '"' and "\\" not in v:
        return v[1:v.rindex('"')]
    return value(v)


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
    end = v.rindex('"')  # the lexical form and datatype as literal_parts reads them, without escapes
    datatype = v[end + 4:-1] if v.startswith("^^<", end + 1) else None
    if (datatype in _INTEGERS and "\\" not in v and bound.datatype is not None
            and str(bound.datatype) in _INTEGERS):
        own, theirs = FAST_DATATYPES.get(datatype), FAST_DATATYPES.get(str(bound.datatype))
        if (own is not None and theirs is not None and own.fullmatch(v, 1, end)
                and theirs.fullmatch(str(bound))):
            return int(v[1:end]) >= int(str(bound))
    return _min_inclusive_rdflib(v, bound)


def _min_inclusive_test(bound: Literal) -> Callable[[str], bool]:
    """:func:`_min_inclusive` for one bound, its fast path with the bound read once."""
    fast = {datatype: FAST_DATATYPES[datatype] for datatype in _INTEGERS if datatype in FAST_DATATYPES}
    theirs = fast.get(str(bound.datatype)) if bound.datatype is not None else None
    if theirs is None or not theirs.fullmatch(str(bound)):
        return lambda v: _min_inclusive(v, bound)
    least = int(str(bound))

    def ok(v: str) -> bool:
        if v[0] == '"' and "\\" not in v:
            end = v.rindex('"')
            own = fast.get(v[end + 4:-1]) if v.startswith("^^<", end + 1) else None
            if own is not None and own.fullmatch(v, 1, end):
                return int(v[1:end]) >= least
        return _min_inclusive(v, bound)

    return ok


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

"""Canned SPARQL queries (``queries/*.rq``) and running queries with parameters bound as RDF terms.

A canned query starts with a comment header::

    # title: Online-KD papers with PyTorch code
    # description: Papers of the online-distillation family whose code uses a given framework.
    # param: framework iri = <https://w3id.org/kdgraph/framework/pytorch>

Parameters are variables of the query. A value is first turned into an RDF term of the declared type
(an IRI, a string or a number literal) and serialized by pyoxigraph, then bound with a ``VALUES`` block
placed first in the query's WHERE group — the same query text for the embedded store and for a remote
endpoint, so both give the same rows. A value such as ``x" } ; DROP ALL ; #`` is one string literal.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KdgraphError
from .namespaces import DEFAULT_BASE
from .namespaces import PREFIXES as VOCAB_PREFIXES
from .paths import project_dir
from .results import QueryResult
from .sparql_text import bind_values

if TYPE_CHECKING:
    import pyoxigraph as ox

PARAM_TYPES = ("iri", "string", "integer", "year")
# prefixed names a parameter value may use (topic:online, paper:…), besides full IRIs
PREFIXES = {**VOCAB_PREFIXES, **{name: f"{DEFAULT_BASE}{name}/" for name in (
    "topic", "framework", "paper", "person", "venue", "code", "list", "id", "resource")}}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: str | None


@dataclass(slots=True)
class CannedQuery:
    name: str
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    path: Path | None = None


_HEADER = re.compile(r"^#\s*(?P<key>title|description|param):\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>.+))?$")


def parse_query(text: str, name: str, path: Path | None = None) -> CannedQuery:
    """Read the comment header of a query file."""
    query = CannedQuery(name=name, text=text, path=path)
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group("key"), m.group("value").strip()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm.group("type") not in PARAM_TYPES:
                where = f"{path or name}"
                raise KdgraphError(f"{where}: bad parameter line {value!r} — write "
                                   "'# param: NAME TYPE = DEFAULT' with TYPE one of "
                                   f"{', '.join(PARAM_TYPES)}")
            default = pm.group("default")
            query.params.append(Param(pm.group("name"), pm.group("type"),
                                      default.strip() if default else None))
        elif key == "title":
            query.title = value
        else:
            query.description = f"{query.description} {value}".strip()
    return query


def canned_queries(folder: Path | None = None) -> list[CannedQuery]:
    """Every ``.rq`` of the queries folder, sorted by name."""
    folder = folder or project_dir("queries")
    return [parse_query(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(folder.glob("*.rq"))]


def resolve(spec: str) -> CannedQuery:
    """A canned query by name, a ``.rq`` file, or ``-`` for standard input."""
    if spec == "-":
        return parse_query(sys.stdin.read(), "stdin")
    path = Path(spec)
    if spec.endswith(".rq") or path.is_file():
        try:
            return parse_query(path.read_text(encoding="utf-8"), path.stem, path)
        except FileNotFoundError as exc:
            raise KdgraphError(f"{path}: no such query file") from exc
        except UnicodeDecodeError as exc:
            raise KdgraphError(f"{path}: not a UTF-8 text file") from exc
    folder = project_dir("queries")
    candidate = folder / f"{spec}.rq"
    if candidate.is_file():
        return parse_query(candidate.read_text(encoding="utf-8"), spec, candidate)
    names = ", ".join(q.name for q in canned_queries(folder))
    raise KdgraphError(f"no canned query named {spec!r} — `kdgraph queries` lists them ({names})")


def term(value: str, kind: str, param: str) -> ox.NamedNode | ox.Literal:
    """Turn a parameter value into an RDF term of its declared type."""
    import pyoxigraph as ox

    value = value.strip()
    if kind == "iri":
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        prefix, _, local = iri.partition(":")
        if prefix in PREFIXES and not iri.startswith(("http://", "https://")):
            iri = PREFIXES[prefix] + local
        if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", iri, re.IGNORECASE):
            raise KdgraphError(f"--param {param}={value!r}: not an IRI — give <https://…> or a "
                               f"prefixed name such as topic:online")
        return ox.NamedNode(iri)
    if kind in ("integer", "year"):
        if not re.fullmatch(r"[+-]?\d+", value):
            raise KdgraphError(f"--param {param}={value!r}: not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer"))
    if kind == "string" and len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return ox.Literal(value)


def bindings(query: CannedQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """The parameters of ``query`` as RDF terms: given values, else defaults."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise KdgraphError(f"query {query.name!r} has no parameter {', '.join(unknown)} (its parameters: "
                           f"{known})")
    out = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            raise KdgraphError(f"query {query.name!r} needs --param {p.name}=VALUE ({p.type})")
        out[p.name] = term(value, p.type, p.name)
    return out


def run_store(store: ox.Store, text: str, binds: dict[str, ox.NamedNode | ox.Literal]) -> QueryResult:
    """Run a query on the embedded store (default graph = union of the named graphs)."""
    import pyoxigraph as ox

    text = bind_values(text, {k: str(v) for k, v in binds.items()})
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [[None if s[v] is None else str(s[v]) for v in variables] for s in answer]
        return QueryResult(kind="select", variables=variables, rows=rows)
    lines = sorted({f"{t.subject} {t.predicate} {t.object} ." for t in answer})
    return QueryResult(kind="graph", ntriples=lines)


class QuerySyntaxError(KdgraphError):
    """A query the SPARQL parser rejects; the message is the parser's, with line and column."""

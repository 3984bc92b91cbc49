"""Query results in one engine-neutral shape, so the embedded store and a remote endpoint agree row for row.

Terms are given in N-Triples syntax (``<iri>``, ``"text"``, ``"2020"^^<…#gYear>``), which both pyoxigraph
and SPARQL JSON results can produce exactly; :func:`plain` turns a term into the text a table shows.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Literal

ResultKind = Literal["select", "ask", "graph"]


@dataclass(slots=True)
class QueryResult:
    """``select``: ``variables`` and ``rows`` (N-Triples terms, None when unbound); ``ask``:
    ``boolean``; ``graph`` (CONSTRUCT/DESCRIBE): ``ntriples``, sorted N-Triples lines."""

    kind: ResultKind
    variables: list[str] = field(default_factory=list)
    rows: list[list[str | None]] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: list[str] = field(default_factory=list)


_LITERAL = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"(?:@[\w-]+|\^\^<[^>]*>)?$', re.DOTALL)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def plain(term: str | None) -> str:
    """The human-readable text of an N-Triples term: an IRI without brackets, a literal's text."""
    if term is None:
        return ""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    m = _LITERAL.match(term)
    if m:
        return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)",
                      lambda e: chr(int(e.group(1)[1:], 16)) if e.group(1)[0] in "uU"
                      else _ESCAPES.get(e.group(1), e.group(1)), m.group("text"))
    return term


def to_table(result: QueryResult) -> str:
    widths = [len(v) for v in result.variables]
    cells = [[plain(t) for t in row] for row in result.rows]
    for row in cells:
        widths = [max(w, min(len(c), 80)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join(v[:80].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])]
    out += [line(row) for row in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def to_delimited(result: QueryResult, delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([plain(t) for t in row])
    return buffer.getvalue().rstrip("\n")


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = []
    for row in result.rows:
        binding = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if term.startswith("<"):
                binding[var] = {"type": "uri", "value": plain(term)}
            elif term.startswith("_:"):
                binding[var] = {"type": "bnode", "value": term[2:]}
            else:
                value: dict[str, str] = {"type": "literal", "value": plain(term)}
                if "^^<" in term:
                    value["datatype"] = term.rsplit("^^<", 1)[1].rstrip(">")
                elif re.search(r'"@[\w-]+$', term):
                    value["xml:lang"] = term.rsplit("@", 1)[1]
                binding[var] = value
        bindings.append(binding)
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)

"""Validation: the graph against the SHACL shapes of ``shapes/``, with pySHACL.

A ``sh:Violation`` makes the graph wrong and stops a build; a ``sh:Warning`` is a doubt of the data and
goes into the quality report. Each finding names its focus node, path and message, and the source
``file:line`` the focus node came from when the caller knows it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .paths import project_dir

if TYPE_CHECKING:
    from rdflib import Graph

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: str
    focus: str
    path: str | None
    message: str
    value: str | None
    shape: str
    where: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f"{self.where[0]}: " if self.where else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}{self.severity}: <{self.focus}>{path}: {self.message}{value}"


@dataclass(slots=True)
class Report:
    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def text(self) -> str:
        head = ("conforms" if self.conforms else "does not conform") + (
            f": {len(self.violations)} violations, {len(self.warnings)} warnings")
        return "\n".join([head, *(str(f) for f in self.findings)])

    def json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "violations": len(self.violations),
                           "warnings": len(self.warnings),
                           "results": [asdict(f) for f in self.findings]},
                          ensure_ascii=False, indent=2)


def load_shapes(folder: Path | None = None) -> Graph:
    """Every ``*.ttl`` of the shapes folder as one shapes graph."""
    from rdflib import Graph

    shapes = Graph()
    for path in sorted((folder or project_dir("shapes")).glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_graph(data: Graph, origins: dict[str, list[str]] | None = None,
                   shapes: Graph | None = None) -> Report:
    """Validate ``data``; ``origins`` maps node IRIs to the ``file:line`` they came from."""
    from pyshacl import validate
    from rdflib.namespace import SH

    _, results, _ = validate(data, shacl_graph=shapes if shapes is not None else load_shapes(),
                             inference="none", advanced=True, allow_warnings=True)
    origins = origins or {}
    nm = data.namespace_manager
    findings: list[Finding] = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = str(results.value(result, SH.focusNode))
        path_node = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        message = results.value(result, SH.resultMessage)
        findings.append(Finding(
            severity=severity, focus=focus,
            path=path_node.n3(nm) if path_node is not None else None,
            message=str(message) if message is not None else "constraint not met",
            value=str(value) if value is not None else None,
            shape=str(results.value(result, SH.sourceShape)),
            where=tuple(origins.get(focus, ())),
        ))
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.where, f.focus,
                                 f.path or "", f.message, f.value or ""))
    return Report(findings=findings, graph=results)

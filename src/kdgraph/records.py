"""The typed records that readers produce: entries, their links, identifiers and venues, and diagnostics.

Nothing here knows which list convention a record came from. Everything downstream (reconcile, mapping,
validation, publishing) is built on these types only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Frozen dataclasses with slots pickle through a ``__setstate__`` that walks ``dataclasses.fields()``
# for every object, which makes a list of records slow to pickle and very slow to load (the extraction
# cache, and the results of reading in worker processes). Each frozen type here reduces instead to a
# call of its constructor with its fields in order: the same object back, about twice as fast.

LinkKind = Literal["paper", "code", "supplement", "video", "poster", "project", "slides", "other"]
EntryKind = Literal["paper", "resource"]
VenueKind = Literal["conference", "workshop", "journal", "preprint", "unknown"]
Priority = Literal["top", "second"]
Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier found in a link: ``scheme`` is one of :data:`IDENTIFIER_SCHEMES`."""

    scheme: str
    value: str

    def __reduce__(self) -> tuple[type[Identifier], tuple[Any, ...]]:
        return (Identifier, (self.scheme, self.value))


IDENTIFIER_SCHEMES = ("arXiv", "DOI", "OpenReview", "CVF", "ACL Anthology", "NeurIPS", "PMLR")


@dataclass(frozen=True, slots=True)
class Link:
    """One link of an entry, with its label as written and its kind."""

    label: str
    url: str
    url_original: str
    kind: LinkKind
    framework: str | None = None

    def __reduce__(self) -> tuple[type[Link], tuple[Any, ...]]:
        return (Link, (self.label, self.url, self.url_original, self.kind, self.framework))


@dataclass(frozen=True, slots=True)
class Venue:
    """Where a paper appeared: a normalized series (``NeurIPS``), the year, and the text as written."""

    series: str | None
    year: int | None
    text: str
    kind: VenueKind = "unknown"
    workshop: bool = False

    def __reduce__(self) -> tuple[type[Venue], tuple[Any, ...]]:
        return (Venue, (self.series, self.year, self.text, self.kind, self.workshop))


@dataclass(frozen=True, slots=True)
class Person:
    """An author as the list gives them: ``name`` in given-name-first order, ``as_written`` verbatim."""

    name: str
    as_written: str

    def __reduce__(self) -> tuple[type[Person], tuple[Any, ...]]:
        return (Person, (self.name, self.as_written))


@dataclass(frozen=True, slots=True)
class Marks:
    """A list's own reading marks for an entry (they belong to the list item, not to the paper)."""

    priority: Priority | None = None
    read: bool = False

    def __reduce__(self) -> tuple[type[Marks], tuple[Any, ...]]:
        return (Marks, (self.priority, self.read))


@dataclass(slots=True)
class Record:
    """One bibliographic entry of one source list."""

    source: str
    file: str
    line: int
    position: int
    section: tuple[str, ...]
    kind: EntryKind
    title: str
    title_raw: str
    title_key: str
    authors: tuple[Person, ...] = ()
    venue: Venue | None = None
    links: tuple[Link, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    marks: Marks = field(default_factory=Marks)
    notes: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = list(self.section)
        return data


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A doubt about the input, with where it is and what to do.

    ``entry`` is True when the diagnostic stands for a list item that did not become a record (so
    every item is accounted for as either a record or such a diagnostic); ``links`` keeps what could be
    read of such an item so that a later step may still attach it to a known paper.
    """

    source: str
    file: str
    line: int
    code: str
    message: str
    severity: Severity = "warning"
    entry: bool = False
    links: tuple[Link, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __reduce__(self) -> tuple[type[Diagnostic], tuple[Any, ...]]:
        return (Diagnostic, (self.source, self.file, self.line, self.code, self.message, self.severity,
                             self.entry, self.links))


@dataclass(slots=True)
class ReadResult:
    """What a reader made of one file: records, diagnostics, and how many list items it saw."""

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    items: int = 0

    @property
    def skipped(self) -> list[Diagnostic]:
        """Diagnostics that stand for items which did not become records."""
        return [d for d in self.diagnostics if d.entry]

    def unaccounted(self) -> int:
        """Items neither recorded nor diagnosed; 0 when the reader accounted for everything."""
        return self.items - len(self.records) - len(self.skipped)

"""Reconciliation: which records are the same paper, person, venue and code repository.

Rules (documented in the README):

* **Papers** are the same when their normalized titles are equal (:func:`~kdgraph.normalize.title_key`).
  Identifiers support a match but never force one: two titles citing one arXiv id stay two papers, and the
  conflict is reported. An untitled entry whose link matches the link of exactly one paper is attached to
  it; otherwise it stays a diagnostic.
* **People** are the same when their normalized names are equal. A name variant ("A. Romero",
  "Romero Adriana") is merged into a fuller name only on strong evidence: both stand at the same position
  in the author lists of the same paper and the names are compatible (same surname, initials that agree,
  or the same words in another order). Elsewhere the variant stays its own person.
* **Venues**: one series per normalized series name, one event per series, year and workshop flag.
* **Repositories**: one per hosting-site repository (``github.com/owner/repo``), whatever sub-path or
  spelling a list links.

Every choice between disagreeing lists (title spelling, year, venue, author list) is made by a rule
that does not depend on list order, so URIs and values stay put when lists are reordered.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .extract import Extraction
from .normalize import code_repository, title_key
from .records import Diagnostic, Identifier, Link, Marks, Person, Record, Venue


@dataclass(slots=True)
class PaperNode:
    key: str
    records: list[Record] = field(default_factory=list)
    title: str = ""
    year: int | None = None
    venue: Venue | None = None
    authors: list[str] = field(default_factory=list)  # person keys, in order
    identifiers: list[Identifier] = field(default_factory=list)


@dataclass(slots=True)
class PersonNode:
    key: str
    name: str
    alternate: set[str] = field(default_factory=set)


@dataclass(slots=True)
class RepoNode:
    key: str
    url: str
    frameworks: set[str] = field(default_factory=set)
    papers: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ItemNode:
    """One item of one source list: a paper or a resource, with the list's marks and where it is."""

    source: str
    line: int
    section: tuple[str, ...]
    marks: Marks
    paper: str | None = None  # paper key
    resource: Record | None = None
    record: Record | None = None
    position: int = 0
    occurrence: int = 1


@dataclass(slots=True)
class Reconciled:
    papers: dict[str, PaperNode]
    persons: dict[str, PersonNode]
    repos: dict[str, RepoNode]
    items: dict[str, list[ItemNode]]  # by source id, in list order
    diagnostics: list[Diagnostic]


def person_key(name: str) -> str:
    return title_key(name)


def _given_and_surname(name: str) -> tuple[list[str], str]:
    words = title_key(name).split()
    return words[:-1], (words[-1] if words else "")


def compatible_names(a: str, b: str) -> bool:
    """Whether two spellings can name one person: the same words in another order, or the same surname
    with given names whose initials agree (``G. Hinton`` ~ ``Geoffrey E. Hinton``)."""
    ka, kb = title_key(a).split(), title_key(b).split()
    if not ka or not kb:
        return False
    if sorted(ka) == sorted(kb):
        return True
    (ga, sa), (gb, sb) = _given_and_surname(a), _given_and_surname(b)
    if sa != sb or not ga or not gb:
        return False
    ia, ib = [w[0] for w in ga], [w[0] for w in gb]
    short, long_ = (ia, ib) if len(ia) <= len(ib) else (ib, ia)
    if long_[: len(short)] != short:
        return False
    # at least one side must be initials only, else different full given names are different people
    return all(len(w) == 1 for w in ga) or all(len(w) == 1 for w in gb)


def _fullness(persons: tuple[Person, ...]) -> tuple[int, int, tuple[str, ...]]:
    full = sum(1 for p in persons for w in title_key(p.name).split()[:-1] if len(w) > 1)
    return (len(persons), full, tuple(p.name for p in persons))


def _title_choice(titles: Iterable[str]) -> str:
    """The spelling to show: the one with most capitals (citation styles lower-case titles, so the
    title-case spelling is the paper's own), then the most frequent, then the alphabetically first."""
    counts = Counter(titles)
    if len(counts) == 1:
        return next(iter(counts))
    return max(counts, key=lambda t: (sum(c.isupper() for c in t), counts[t], [-ord(c) for c in t]))


def _venue_choice(venues: list[Venue]) -> Venue | None:
    named = [v for v in venues if v.series]
    if not named:
        return None
    counts = Counter((v.series, v.year, v.workshop, v.kind) for v in named)
    # a year written with the venue ("ICLR 2017") outweighs a citation year ("(2016). In: ICLR")
    stated = {(v.series, v.year, v.workshop, v.kind) for v in named
              if v.year is not None and str(v.year) in v.text}
    best = max(counts, key=lambda k: (counts[k], k in stated, k[1] is not None, -(k[1] or 0),
                                      str(k[0])))
    return next(v for v in named if (v.series, v.year, v.workshop, v.kind) == best)


def _diag(record: Record, code: str, message: str, severity: str = "warning") -> Diagnostic:
    return Diagnostic(source=record.source, file=record.file, line=record.line, code=code,
                      message=message, severity=severity)  # type: ignore[arg-type]


def reconcile(extractions: list[Extraction]) -> Reconciled:
    """Group the records of all lists into papers, people, repositories and list items."""
    diagnostics: list[Diagnostic] = []
    papers: dict[str, PaperNode] = {}
    items: dict[str, list[ItemNode]] = {}
    for extraction in extractions:
        source_items: list[ItemNode] = []
        for record in extraction.records:
            item = ItemNode(source=record.source, line=record.line, section=record.section,
                            marks=record.marks, record=record)
            if record.kind == "paper":
                papers.setdefault(record.title_key, PaperNode(record.title_key)).records.append(record)
                item.paper = record.title_key
            else:
                item.resource = record
            source_items.append(item)
        items[extraction.source.id] = source_items

    _attach_untitled(extractions, papers, items, diagnostics)
    persons = _choose_values(papers, diagnostics)
    repos = _repositories(papers)

    for source_items in items.values():
        source_items.sort(key=lambda i: i.line)
        seen: Counter[str] = Counter()
        for position, item in enumerate(source_items, 1):
            item.position = position
            key = item.paper or (item.resource.title_key if item.resource else "")
            seen[key] += 1
            item.occurrence = seen[key]
    return Reconciled(papers=papers, persons=persons, repos=repos, items=items,
                      diagnostics=diagnostics)


def _attach_untitled(extractions: list[Extraction], papers: dict[str, PaperNode],
                     items: dict[str, list[ItemNode]], diagnostics: list[Diagnostic]) -> None:
    """Attach an untitled entry to the one paper that has the same link, if there is exactly one."""
    by_url: dict[str, set[str]] = defaultdict(set)
    for key, paper in papers.items():
        for record in paper.records:
            for link in record.links:
                by_url[link.url].add(key)
    for extraction in extractions:
        for diag in extraction.diagnostics:
            if diag.code != "untitled-entry" or not diag.links:
                continue
            matches = set().union(*(by_url.get(link.url, set()) for link in diag.links))
            if len(matches) == 1:
                (key,) = matches
                items[diag.source].append(ItemNode(source=diag.source, line=diag.line,
                                                   section=(), marks=Marks(), paper=key))
                diagnostics.append(Diagnostic(
                    source=diag.source, file=diag.file, line=diag.line, code="untitled-attached",
                    message=(f"untitled entry attached to {papers[key].records[0].title!r}, the one "
                             "paper with the same link"), severity="info"))


def _choose_values(papers: dict[str, PaperNode],
                   diagnostics: list[Diagnostic]) -> dict[str, PersonNode]:
    persons: dict[str, PersonNode] = {}
    for key in sorted(papers):
        paper = papers[key]
        records = paper.records
        if len(records) == 1:  # most papers: what the one record says (the choices below agree)
            only = records[0]
            paper.title = only.title
            paper.venue = only.venue if only.venue is not None and only.venue.series else None
            paper.year = only.venue.year if only.venue is not None and only.venue.year else None
            years: Counter[int] = Counter()
        else:
            paper.title = _title_choice(r.title for r in records)
            paper.venue = _venue_choice([r.venue for r in records if r.venue is not None])
            years = Counter(r.venue.year for r in records if r.venue and r.venue.year)
            if paper.venue is not None and paper.venue.year is not None:
                paper.year = paper.venue.year
            elif years:
                paper.year = max(years, key=lambda y: (years[y], -y))
        if len(years) > 1:
            variants = ", ".join(f"{r.venue.text if r.venue else '?'} ({r.where})" for r in records)
            for record in records:
                diagnostics.append(_diag(record, "year-conflict",
                                         f"lists disagree on the year of {paper.title!r}: {variants}; "
                                         f"{paper.year} is used"))
        for record in records:
            for ident in record.identifiers:
                if ident not in paper.identifiers:
                    paper.identifiers.append(ident)
        paper.identifiers.sort(key=lambda i: (i.scheme, i.value))

        with_authors = [r for r in records if r.authors]
        if not with_authors:
            continue
        chosen = with_authors[0] if len(with_authors) == 1 else max(
            with_authors, key=lambda r: _fullness(r.authors))
        for person in chosen.authors:
            pkey = person_key(person.name)
            node = persons.setdefault(pkey, PersonNode(pkey, person.name))
            paper.authors.append(pkey)
            if person.as_written != node.name:
                node.alternate.add(person.as_written)
        for record in with_authors:
            if record is chosen:
                continue
            same_length = len(record.authors) == len(chosen.authors)
            for i, person in enumerate(record.authors):
                canonical = chosen.authors[i] if i < len(chosen.authors) else None
                if canonical is not None and person_key(person.name) != person_key(canonical.name):
                    if same_length and compatible_names(person.name, canonical.name):
                        persons[person_key(canonical.name)].alternate.add(person.name)
                    else:
                        diagnostics.append(_diag(
                            record, "author-mismatch",
                            f"author {i + 1} of {paper.title!r} is {person.name!r} here but "
                            f"{canonical.name!r} at {chosen.where}"))
    for node in persons.values():
        node.alternate.discard(node.name)
    return persons


def _repositories(papers: dict[str, PaperNode]) -> dict[str, RepoNode]:
    repos: dict[str, RepoNode] = {}
    for key in sorted(papers):
        for record in papers[key].records:
            for link in record.links:
                if link.kind != "code":
                    continue
                rkey = repo_key(link)
                node = repos.setdefault(rkey, RepoNode(rkey, repo_url(link)))
                node.papers.add(key)
                if link.framework:
                    node.frameworks.add(link.framework)
    return repos


def repo_key(link: Link) -> str:
    return code_repository(link.url) or link.url.split("://", 1)[-1].rstrip("/").lower()


def repo_url(link: Link) -> str:
    """The repository's own URL (``https://github.com/Owner/Repo``) for a link into it."""
    key = code_repository(link.url)
    if key is None:
        return link.url
    host = key.split("/", 1)[0]
    segments = [s for s in link.url.split("://", 1)[-1].split("/") if s]
    return f"https://{host}/{segments[1]}/{segments[2].removesuffix('.git')}" if len(
        segments) >= 3 else f"https://{key}"

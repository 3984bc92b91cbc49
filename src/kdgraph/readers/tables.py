"""Tables of papers: ``| [**Title**](url) | Venue | 2023-11 | [Github](url) | [Data](url) |``.

The Markdown reader hands over each table as cells of :class:`~kdgraph.readers.items.Segment` runs
(markdown-it parses the table; ``<br>`` inside a cell is a line break). :func:`classify` decides what
the table is, by its structure:

* a **paper list** when a header names a title column (``Title``, ``Paper``…) or at least half of its
  rows hold a linked or bold title of three words or more — and its cells are not mostly numbers;
* a **results table** when most cells outside the first column are numbers (``72.3``, ``+1.2``,
  ``91.5%``): skipped, with one info diagnostic for the whole table;
* **navigation** when all its links point within the page (a table of contents): skipped silently,
  like in-page links everywhere else;
* anything else (no column of titles): skipped, with one info diagnostic.

Each row of a paper list is an item (counted in ``ReadResult.items``) and becomes a record, or an
``entry=True`` diagnostic. Columns are read by their header (title, venue, date, authors, links) and,
where the header says nothing, by what a cell holds: a date (``2023-11``) gives the year, a venue
(``CVPR 2023``) the venue, names the authors; ``-``, ``—``, ``N/A`` and ``TBD`` are empty cells; links
in any cell are the entry's links (``[Github]`` is code, ``[Data]`` another link).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from .. import normalize as nz
from ..records import Diagnostic, Identifier, Person, Record, Venue
from .items import (
    Context,
    Segment,
    build_record,
    is_non_entry_section,
    links_of_segments,
    marks_of,
    take_marks,
)

Role = Literal["title", "venue", "date", "authors", "links"]
TableKind = Literal["papers", "results", "navigation", "other"]

_TITLE_HEADERS = {"title", "paper title", "title of paper", "name", "paper name", "article", "work"}
_SECOND_TITLE_HEADERS = {"paper", "papers", "publication title"}
_HEADER_ROLES: dict[str, Role] = {
    **{k: "venue" for k in ("venue", "conference", "conf", "journal", "publication", "published in",
                            "pub", "source", "conference journal", "where", "venue year")},
    **{k: "date" for k in ("date", "year", "time", "month", "published", "release", "release date",
                           "publish date", "pub date", "submitted", "published date")},
    **{k: "authors" for k in ("author", "authors", "first author", "by")},
    **{k: "links" for k in ("code", "codes", "github", "repo", "repository", "implementation",
                            "official code", "link", "links", "data", "dataset", "datasets", "project",
                            "project page", "pdf", "url", "resources", "arxiv", "paper link")},
}
_EMPTY = {"", "-", "--", "—", "–", "/", "n/a", "na", "tbd", "none", "null", "?", "×", "x"}
_NUMBER = re.compile(r"[\d.,\s%±()+\-−↑↓/×*KMBkmb]+")


@dataclass(slots=True)
class Cell:
    segments: list[Segment]

    @property
    def text(self) -> str:
        """The cell's text without its links, one-spaced."""
        return nz.clean_space("".join(s.text for s in self.segments if s.kind != "link"))

    @property
    def links(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "link"]


@dataclass(slots=True)
class Table:
    first_line: int
    last_line: int
    header: list[Cell]
    rows: list[tuple[int, list[Cell]]]


def _header_roles(header: list[Cell]) -> list[Role | None]:
    keys = [nz.title_key(c.text) for c in header]
    roles: list[Role | None] = [_HEADER_ROLES.get(k) for k in keys]
    titles = [i for i, k in enumerate(keys) if k in _TITLE_HEADERS]
    if not titles:
        titles = [i for i, k in enumerate(keys) if k in _SECOND_TITLE_HEADERS]
    if titles:
        roles[titles[0]] = "title"
    return roles


def _is_empty(text: str) -> bool:
    return text.strip(" *_").lower() in _EMPTY


def _is_number(text: str) -> bool:
    text = text.strip(" *_")
    return bool(_NUMBER.fullmatch(text)) and bool(re.search(r"\d", text)) and nz.date_year(text) is None


def _is_anchor(segment: Segment) -> bool:
    return (segment.href or "").strip().startswith("#")


def _title_link(segment: Segment) -> bool:
    """A link whose label reads as a paper title (three words or more, not a code or media link)."""
    if segment.kind != "link" or _is_anchor(segment):
        return False
    kind, _ = nz.classify_link(segment.text, segment.href or "")
    return len(re.findall(r"[^\W_]+", segment.text)) >= 3 and kind not in ("supplement", "video", "code")


def _titled_cell(cells: list[Cell]) -> int | None:
    """The first cell that holds a linked or bold title."""
    for i, cell in enumerate(cells):
        content = [s for s in cell.segments if s.text.strip() or s.kind == "link"]
        if not content:
            continue
        lead = content[0]
        if _title_link(lead):
            return i
        if lead.kind == "strong" and len(re.findall(r"[^\W_]+", lead.text)) >= 3:
            return i
    return None


def classify(table: Table, ctx: Context) -> tuple[TableKind, str]:
    """What a table is — a list of papers, a results table, navigation, or something else — and why."""
    roles = _header_roles(table.header)
    has_title_column = "title" in roles
    links = [s for _, cells in table.rows for c in cells for s in c.links]
    links += [s for c in table.header for s in c.links]
    if links and all(_is_anchor(s) for s in links) and not has_title_column:
        return "navigation", "it links only within the page"
    first = roles.index("title") if has_title_column else 0
    texts = [c.text for _, cells in table.rows for i, c in enumerate(cells) if i != first]
    filled = [t for t in texts if not _is_empty(t)]
    numbers = sum(1 for t in filled if _is_number(t))
    if filled and numbers * 2 >= len(filled):
        return "results", f"{numbers} of its {len(filled)} filled cells are numbers: a results table"
    if is_non_entry_section(ctx.section):
        return "other", "it stands in a section of instructions or navigation"
    titled = sum(1 for _, cells in table.rows if _titled_cell(cells) is not None)
    if has_title_column or (table.rows and titled >= max(1, math.ceil(len(table.rows) / 2))):
        return "papers", "a list of papers"
    return "other", "no column of paper titles"


def skipped(table: Table, ctx: Context, reason: str) -> Diagnostic:
    """The one diagnostic for a table that is not a list of papers."""
    rows = len(table.rows)
    return Diagnostic(
        source=ctx.source, file=ctx.file, line=table.first_line, code="not-an-entry",
        message=(f"table at lines {table.first_line}–{table.last_line} is not a list of papers "
                 f"({reason}); its {rows} row{'s' if rows != 1 else ''} are skipped"),
        severity="info")


def _title_of(cell: Cell) -> tuple[str, str, list[Segment], bool]:
    """The title written in a cell, the text after it (a byline after ``<br>``), the cell's links (a
    linked title's link first, as the paper link), and whether the title was linked or bold."""
    content = [s for s in cell.segments if s.text.strip() or s.kind == "link"]
    links = [s for s in content if s.kind == "link"]
    if content and _title_link(content[0]):
        lead = content[0]
        rest = "".join(s.text for s in content[1:] if s.kind != "link")
        return lead.text, rest, [Segment("link", "[title]", lead.href), *links[1:]], True
    strong = next((s for s in content if s.kind == "strong"), None)
    if strong is not None and content[0] is strong:
        rest = "".join(s.text for s in content[1:] if s.kind != "link")
        return strong.text, rest, links, True
    text = "".join(s.text for s in cell.segments if s.kind != "link")
    head, _, rest = text.strip().partition("\n")
    return head, rest, links, False


def read_row(line: int, cells: list[Cell], roles: list[Role | None], ctx: Context,
             diags: list[Diagnostic]) -> Record | None:
    """Read one row of a table of papers; None (with one ``entry=True`` diagnostic) when it is no
    record."""
    found: set[str] = set()
    for cell in cells:
        for seg in cell.segments:
            if seg.kind != "link":
                seg.text, marks = take_marks(seg.text)
                found |= marks
    if all(_is_empty(c.text) and not c.links for c in cells):
        diags.append(Diagnostic(source=ctx.source, file=ctx.file, line=line, code="empty-item",
                                message="table row is empty; nothing to record", severity="error",
                                entry=True))
        return None
    at = roles.index("title") if "title" in roles else _titled_cell(cells)
    if at is None:
        at = next((i for i, c in enumerate(cells) if re.search(r"[^\W\d_]", c.text)
                   and not _is_empty(c.text) and nz.date_year(c.text) is None), 0)
    title_src, tail, link_segments, decorated = _title_of(cells[at]) if at < len(cells) else ("", "", [],
                                                                                              False)
    title_src, notes = nz.clean_title(title_src)
    extra_notes = list(notes)
    byline: nz.Byline | None = None
    tail = nz.clean_space(tail).strip(" .,;:-–")
    if tail:
        byline = nz.parse_byline(tail)
        if byline is None:
            extra_notes.append(tail)
    elif not decorated:
        split = nz.split_title_byline(title_src)
        if split is not None:
            title_src, byline = split
    title, _ = nz.clean_title(title_src)
    for i, cell in enumerate(cells):
        if i != at:
            link_segments.extend(cell.links)
    if not re.search(r"[^\W_]", title):
        links = tuple(links_of_segments(link_segments, ctx, line, "(untitled)", []))
        diags.append(Diagnostic(
            source=ctx.source, file=ctx.file, line=line, code="untitled-entry",
            message=("table row has no title; not recorded — write the paper's title in its "
                     "first column"), severity="error", entry=True, links=links))
        return None

    authors: tuple[Person, ...] = ()
    venue: Venue | None = None
    year: int | None = None
    date_text = ""
    identifiers: list[Identifier] = []
    for i, cell in enumerate(cells):
        text = cell.text
        if i == at or _is_empty(text):
            continue
        role = roles[i] if i < len(roles) else None
        cell_year = nz.date_year(text)
        if (role in (None, "date", "venue")) and cell_year is not None and year is None:
            year, date_text = cell_year, text
        elif role == "venue" or (role is None and venue is None and
                                 nz.parse_venue(text, require_known=True) is not None):
            found_venue = nz.arxiv_venue(text)
            if found_venue is not None:
                venue, ident = found_venue
                identifiers.append(ident)
            else:
                venue = nz.parse_venue(text) or Venue(series=None, year=None, text=text)
        elif role == "authors" or (role is None and not authors and nz.looks_like_names(text)):
            parsed = nz.parse_authors(text)
            for doubt in parsed.doubts:
                diags.append(Diagnostic(source=ctx.source, file=ctx.file, line=line, code="author-name",
                                        message=doubt))
            authors = parsed.persons
        else:
            extra_notes.append(text)
    if byline is not None:
        parsed = nz.parse_authors(byline.authors)
        for doubt in parsed.doubts:
            diags.append(Diagnostic(source=ctx.source, file=ctx.file, line=line, code="author-name",
                                    message=doubt))
        authors = authors or parsed.persons
        if venue is None:
            venue = byline.venue
        if byline.identifier is not None:
            identifiers.append(byline.identifier)
    if venue is not None and venue.year is None and year is not None:
        venue = Venue(series=venue.series, year=year, text=f"{venue.text} {date_text}", kind=venue.kind,
                      workshop=venue.workshop)
    elif venue is None and year is not None:
        venue = Venue(series=None, year=year, text=date_text)
    title_raw = nz.clean_space("".join(s.text for s in cells[at].segments) if at < len(cells) else "")
    return build_record(ctx, line, title=title, title_raw=title_raw or title, authors=authors, venue=venue,
                        link_segments=link_segments, identifiers=identifiers, marks=marks_of(found),
                        notes=tuple(extra_notes), diags=diags)


def header_roles(table: Table) -> list[Role | None]:
    """The role of each column, as its header names it (None: read each cell by what it holds)."""
    return _header_roles(table.header)

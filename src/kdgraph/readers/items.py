"""The convention-free view of one list item, and the parser that turns it into a record.

A reader (Markdown or HTML) reduces a list item to :class:`Item`: a flat run of :class:`Segment`s
(text, strong, emphasis, link, code) plus nested items. :func:`parse_item` reads a bibliographic entry
from that view, whichever syntax the list used, and reports every doubt as a diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import lxml.html
from lxml.etree import ParserError

from .. import normalize as nz
from ..records import Diagnostic, EntryKind, Identifier, Link, Marks, Person, Record, Venue

SegmentKind = Literal["text", "strong", "em", "link", "code"]


@dataclass(slots=True)
class Segment:
    kind: SegmentKind
    text: str
    href: str | None = None
    bold: bool = False


@dataclass(slots=True)
class Item:
    """One list item: its 1-based line, its own content, and its nested items."""

    line: int
    segments: list[Segment]
    children: list[Item] = field(default_factory=list)
    prefix: str = ""  # raw text on the item's first line before it starts (HTML: before ``<li``)


@dataclass(slots=True)
class Context:
    """Where an item stands: its source, its section path, and the venue the section implies."""

    source: str
    file: str
    section: tuple[str, ...]
    venue: Venue | None


# ------------------------------------------------------------------------------------ HTML to segments

_BLOCK_LISTS = {"ul", "ol"}
_STRONG = {"strong", "b"}
_EM = {"em", "i"}
_CODE = {"code", "pre", "kbd", "samp"}


def html_fragment(html: str) -> lxml.html.HtmlElement | None:
    """Parse an HTML fragment with a real HTML parser; None when it holds nothing."""
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return None


def segments_of(element: lxml.html.HtmlElement, *, bold: bool = False) -> list[Segment]:
    """Flatten an element's content (not its nested lists) into segments, in document order."""
    out: list[Segment] = []
    if element.text:
        out.append(Segment("text", element.text, bold=bold))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCK_LISTS or tag == "li":
            pass
        elif tag == "a":
            out.append(Segment("link", child.text_content(), child.get("href"), bold=bold))
        elif tag in _STRONG:
            inner = segments_of(child, bold=True)
            if any(s.kind == "link" for s in inner):
                out.extend(inner)
            else:
                out.append(Segment("strong", child.text_content(), bold=True))
        elif tag in _EM:
            out.append(Segment("em", child.text_content(), bold=bold))
        elif tag in _CODE:
            out.append(Segment("code", child.text_content(), bold=bold))
        elif tag == "br":
            out.append(Segment("text", "\n", bold=bold))  # a line break: white space that tables split at
        elif tag in ("img", "script", "style") or not tag:
            pass
        else:
            out.extend(segments_of(child, bold=bold))
        if child.tail:
            out.append(Segment("text", child.tail, bold=bold))
    return out


# ----------------------------------------------------------------------------------------- marks

_MARKS: tuple[tuple[str, str], ...] = (
    (":star2:", "top"),
    ("🌟", "top"),
    (":star:", "second"),
    ("⭐", "second"),
    (":heavy_check_mark:", "read"),
    (":white_check_mark:", "read"),
    (":ballot_box_with_check:", "read"),
    ("✔️", "read"),
    ("✔", "read"),
    ("✅", "read"),
)


def take_marks(text: str) -> tuple[str, set[str]]:
    """Remove reading marks from text and say which were there."""
    found: set[str] = set()
    for token, mark in _MARKS:
        if token in text:
            found.add(mark)
            text = text.replace(token, " ")
    return text, found


def marks_of(found: set[str]) -> Marks:
    priority = "top" if "top" in found else "second" if "second" in found else None
    return _marks(priority, "read" in found)


@lru_cache(maxsize=8)
def _marks(priority: str | None, read: bool) -> Marks:
    return Marks(priority=priority, read=read)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- non-entries

_RESOURCE_SECTION = re.compile(
    r"\b(resources?|tools?|toolkits?|links?|deadlines?|accepted papers?|accepted paper lists?|"
    r"related lists?|other lists?|websites?|blogs?|courses?|tutorials?)\b",
    re.IGNORECASE,
)
_NON_ENTRY_SECTION = re.compile(
    r"\b(how to (run|use|build|install|contribute)|installation|install|usage|getting started|"
    r"contributing|contribution|license|citation|cite|table of contents|contents|toc|changelog)\b",
    re.IGNORECASE,
)


def is_resource_section(section: Iterable[str]) -> bool:
    return _resource_section(tuple(section))


def is_non_entry_section(section: Iterable[str]) -> bool:
    return _non_entry_section(tuple(section))


@lru_cache(maxsize=1024)
def _resource_section(section: tuple[str, ...]) -> bool:
    return any(_RESOURCE_SECTION.search(s) for s in section)


@lru_cache(maxsize=1024)
def _non_entry_section(section: tuple[str, ...]) -> bool:
    return any(_NON_ENTRY_SECTION.search(s) for s in section)


# --------------------------------------------------------------------------------------- parsing

_SURVEY_TAIL = re.compile(
    r"^(?P<authors>.*?)\s*\((?P<year>(?:19|20)\d{2})[a-z]?(?:,\s*[A-Za-z]+\.?)?\)\s*\.?\s*(?P<venue>.*)$"
)
_LEADING_VENUE = re.compile(r"^\s*\[(?P<venue>[^\]]{2,80})\]\s*")
_TRAILING_VENUE = re.compile(r"\s*\((?P<venue>[^()]{2,80})\)\s*\.?\s*$")
_WORDS = re.compile(r"[^\W_]+")


def _text(segments: Iterable[Segment]) -> str:
    return "".join(s.text for s in segments)


def _is_blank(segment: Segment) -> bool:
    return segment.kind not in ("link", "strong") and not segment.text.strip()


def _has_words(text: str) -> bool:
    return bool(_WORDS.search(text))


def _diag(ctx: Context, line: int, code: str, message: str, severity: str = "warning",
          *, entry: bool = False, links: tuple[Link, ...] = ()) -> Diagnostic:
    return Diagnostic(source=ctx.source, file=ctx.file, line=line, code=code, message=message,
                      severity=severity, entry=entry, links=links)  # type: ignore[arg-type]


def _venue_from_title(title: str, bold: bool) -> tuple[str, Venue | None]:
    """Take a venue written inside the title text: ``[WACV2021]Title``, ``Title (CSUR 2020)``, and
    ``Title, ICLR 2015`` (for a title that is not bold, only with a year: titles have commas)."""
    m = _LEADING_VENUE.match(title)
    if m:
        venue = nz.parse_venue(m.group("venue"))
        if venue is not None:
            return title[m.end():], venue
    m = _TRAILING_VENUE.search(title)
    if m:
        venue = nz.parse_venue(m.group("venue"), require_known=True)
        if venue is not None and venue.year is not None:
            return title[: m.start()], venue
    if "," in title:
        head, tail = title.rsplit(",", 1)
        venue = nz.parse_venue(tail, require_known=True)
        if venue is not None and head.strip() and (bold or venue.year is not None):
            return head, venue
    return title, None


def _authors(text: str, ctx: Context, line: int, diags: list[Diagnostic]) -> tuple[Person, ...]:
    parsed = nz.parse_authors(text)
    for doubt in parsed.doubts:
        diags.append(_diag(ctx, line, "author-name", doubt))
    return parsed.persons


_SUPPLEMENT_FILE = re.compile(r"supp(lement(al|ary)?)?[._-]", re.IGNORECASE)


def _links(items: list[Segment], ctx: Context, line: int, title: str,
           diags: list[Diagnostic]) -> list[Link]:
    links: list[Link] = []
    for seg in items:
        label = nz.clean_space(seg.text)
        raw = seg.href if seg.href is not None else ""
        if raw.strip().startswith("#"):
            continue  # an in-page anchor is navigation, not a link of the entry
        normalized = nz.normalize_url(raw)
        if normalized is None:
            diags.append(_diag(ctx, line, "empty-link",
                               f"link {label or '(no label)'} of {title!r} has no target; the link is "
                               "left out — give it a URL or remove it"))
            continue
        for fix in normalized.repairs:
            diags.append(_diag(ctx, line, "url-fixed", f"{fix}: {raw.strip()!r} → "
                               f"{normalized.url!r}"))
        kind, framework = nz.classify_link(label, normalized.url)
        if kind == "paper" and _SUPPLEMENT_FILE.search(normalized.url):
            diags.append(_diag(ctx, line, "paper-link-is-supplement",
                               f"the paper link of {title!r} points to a supplement file "
                               f"{normalized.url!r}"))
        links.append(Link(label=label, url=normalized.url, url_original=raw, kind=kind,
                          framework=framework))
    return links


_TASK_BOX = re.compile(r"^\s*\[(?P<mark>[ xX])\]\s+")


def take_task_box(segments: list[Segment]) -> bool | None:
    """Remove a task-list box (``[ ]`` or ``[x]``) that opens an item; None when there is none, else
    whether it is ticked. Lists of papers to read write their entries as tasks."""
    first = next((s for s in segments if not _is_blank(s)), None)
    if first is None or first.kind != "text":
        return None
    m = _TASK_BOX.match(first.text + " ")
    if not m:
        return None
    first.text = first.text[min(m.end(), len(first.text)):]
    return m.group("mark") != " "


def _linked_title_tail(rest: list[Segment]) -> tuple[str, str]:
    """What follows a linked title: the first run of text with words, even after other links
    (``[Title](url) [notes](url), Author One, 2019``), is the title's tail; other text is trailing."""
    start = next((i for i, s in enumerate(rest) if s.kind != "link" and _has_words(s.text)), len(rest))
    cut = next((i for i in range(start, len(rest)) if rest[i].kind == "link"), len(rest))
    tail = _text(rest[start:cut])
    trailing = _text(s for i, s in enumerate(rest) if s.kind != "link" and not start <= i < cut)
    return tail, trailing


def links_of_segments(segments: list[Segment], ctx: Context, line: int, title: str,
                      diags: list[Diagnostic]) -> list[Link]:
    """The links of an entry's link segments, normalized and classified; repairs and empty links are
    reported in ``diags`` (in-page anchors are navigation and left out)."""
    return _links(segments, ctx, line, title, diags)


def parse_item(item: Item, ctx: Context, diags: list[Diagnostic]) -> Record | None:
    """Read one list item as an entry. Returns None when the item is not a record; then exactly one
    diagnostic with ``entry=True`` accounts for it. Doubts about a record are appended to ``diags``."""
    segments = [s for s in item.segments]
    found: set[str] = set()
    for seg in segments:
        if seg.kind != "link":
            seg.text, marks = take_marks(seg.text)
            found |= marks
    if take_task_box(segments):
        found.add("read")  # a ticked task: the curator has read it
    content = [s for s in segments if not _is_blank(s)]
    if not content:
        diags.append(_diag(ctx, item.line, "empty-item", "list item is empty (or holds only reading "
                           "marks); nothing to record", "error", entry=True))
        return None
    if all(s.kind == "code" for s in content) or is_non_entry_section(ctx.section):
        diags.append(_diag(ctx, item.line, "not-an-entry",
                           "list item is not a bibliographic entry (instructions or navigation); "
                           "skipped", "info", entry=True))
        return None
    if all(s.kind == "link" and (s.href or "").strip().startswith("#") for s in content):
        diags.append(_diag(ctx, item.line, "not-an-entry",
                           "list item only links within the page (table of contents); skipped",
                           "info", entry=True))
        return None

    # Title: a bold lead, else the text before the first link, else a link whose label is a title.
    first_link = next((i for i, s in enumerate(content) if s.kind == "link"), len(content))
    before, after = content[:first_link], content[first_link:]
    strong = next((s for s in before if s.kind == "strong"), None)
    tail = ""
    bold = False
    linked = False
    if strong is not None:
        bold = True
        title_src = strong.text
        tail = _text(before[before.index(strong) + 1:])
    else:
        title_src = _text(before)
    link_segments = [s for s in after if s.kind == "link"]
    trailing = _text(s for s in after if s.kind != "link")
    if not _has_words(title_src) and strong is None and link_segments:
        lead = link_segments[0]
        kind, _ = nz.classify_link(lead.text, lead.href or "")
        if len(_WORDS.findall(lead.text)) >= 3 and kind not in ("supplement", "video", "code"):
            title_src, bold, linked = lead.text, lead.bold, True  # a linked title: [Title](paper-url)
            link_segments = [Segment("link", "[title]", lead.href), *link_segments[1:]]
            # What follows a linked title plays the part of a bold title's tail ("[Title](url) - IEEE
            # Signal Processing Magazine 2018", "[Title](url), Author One, Author Two, 2019").
            tail, trailing = _linked_title_tail(after[1:])
    # Annotations first, so that "Title, ICLR 2021 (Spotlight)" still ends in its venue.
    title_src, notes = nz.clean_title(title_src)
    byline: nz.Byline | None = None
    if not bold and not linked and not is_resource_section(ctx.section):
        split = nz.split_title_byline(title_src)  # "Title. Surname, First et al. CVPR 2020"
        if split is not None:
            title_src, byline = split
    title_src, venue = _venue_from_title(title_src, bold)
    title, _ = nz.clean_title(title_src)

    if not _has_words(title):
        links = tuple(_links(link_segments, ctx, item.line, "(untitled)", []))
        if strong is not None:
            reason = "entry has an empty title"
        elif links:
            reason = "entry has links but no title"
        else:
            reason = "entry has no readable title"
        diags.append(_diag(ctx, item.line, "untitled-entry",
                           f"{reason}; not recorded — write the paper's title before its links",
                           "error", entry=True, links=links))
        return None

    authors: tuple[Person, ...] = ()
    year: int | None = None
    extra_notes: list[str] = list(notes)
    tail_text = nz.clean_space(tail).strip(" .,;:-–")
    resource = is_resource_section(ctx.section)
    if tail_text and resource:
        title = f"{title} {tail_text}"
    elif tail_text:
        survey = _SURVEY_TAIL.match(tail_text)
        if survey and _has_words(survey.group("authors")):
            authors = _authors(survey.group("authors"), ctx, item.line, diags)
            year = int(survey.group("year"))
            venue_text = survey.group("venue").strip(" .")
            if venue_text and venue is None:
                venue = nz.parse_venue(venue_text) or Venue(series=None, year=None, text=venue_text)
        elif (tail_byline := nz.parse_byline(tail_text)) is not None:
            byline = tail_byline  # "[Title](url), Author One, Author Two, CVPR 2022"
        elif venue is None and (v := nz.parse_venue(tail_text, require_known=True)) is not None:
            venue = v
        elif nz.looks_like_names(tail_text):
            authors = _authors(tail_text, ctx, item.line, diags)
        elif len(tail_text) <= 12:
            title = f"{title} {tail_text}"
        else:
            extra_notes.append(tail_text)
    identifiers: list[Identifier] = []
    if byline is not None:
        authors = _authors(byline.authors, ctx, item.line, diags)
        if byline.venue is not None and (venue is None or venue.series is None):
            venue = byline.venue
        if byline.identifier is not None:
            identifiers.append(byline.identifier)
    trailing_text = nz.clean_space(trailing).strip(" .,;:-–")
    if trailing_text:
        extra_notes.append(trailing_text)

    author_slot = True  # the first nested line that is not a venue may be the author line
    for child in item.children:
        child_text = nz.clean_space(_text(child.segments))
        child_content = [s for s in child.segments if not _is_blank(s)]
        italic = bool(child_content) and all(s.kind == "em" for s in child_content)
        child_venue = nz.parse_venue(child_text, require_known=True) if child_text else None
        if child_venue is not None and child_venue.year is not None:
            if venue is None:
                venue = child_venue  # a venue on its own line: "  - NeurIPS 2019 Workshop on …"
            else:
                extra_notes.append(child_text)
            continue
        if not authors and author_slot and (italic or nz.looks_like_names(child_text)):
            authors = _authors(child_text, ctx, child.line, diags)
        elif child_text:
            extra_notes.append(child_text)
        author_slot = False

    if venue is None:
        venue = ctx.venue
    if venue is not None and venue.year is None and year is not None:
        venue = Venue(series=venue.series, year=year, text=venue.text, kind=venue.kind,
                      workshop=venue.workshop)
    elif venue is None and year is not None:
        venue = Venue(series=None, year=year, text=str(year))
    raw_title = nz.clean_space(strong.text if strong is not None else _text(before))
    return build_record(ctx, item.line, title=title, title_raw=raw_title or title, authors=authors,
                        venue=venue, link_segments=link_segments, identifiers=identifiers,
                        marks=marks_of(found), notes=tuple(extra_notes), diags=diags)


def section_year(venue: Venue | None, ctx: Context) -> Venue | None:
    """The venue of an entry with the section's venue as default: an entry that names no venue takes
    the section's; one that names a venue but no year, under a year-only heading (``## 2021``), takes
    that year."""
    if venue is None:
        return ctx.venue
    section = ctx.venue
    if venue.year is None and section is not None and section.series is None and section.year:
        return Venue(series=venue.series, year=section.year, text=venue.text, kind=venue.kind,
                     workshop=venue.workshop)
    return venue


def build_record(ctx: Context, line: int, *, title: str, title_raw: str, authors: tuple[Person, ...],
                 venue: Venue | None, link_segments: list[Segment], identifiers: list[Identifier],
                 marks: Marks, notes: tuple[str, ...], diags: list[Diagnostic]) -> Record:
    """The record of an entry whose fields are read: links normalized (repairs reported), identifiers
    gathered from paper links, the section's venue or year as default. Shared by every convention."""
    venue = section_year(venue, ctx)
    links = _links(link_segments, ctx, line, title, diags)
    gathered = list(identifiers)
    for link in links:
        if link.kind == "paper":
            for ident in nz.identifiers_in(link.url):
                if ident not in gathered:
                    gathered.append(ident)
    kind: EntryKind = "resource" if is_resource_section(ctx.section) else "paper"
    if not links and kind == "paper":
        diags.append(_diag(ctx, line, "no-links", f"entry {title!r} has no link", "info"))
    return Record(
        source=ctx.source, file=ctx.file, line=line, position=0, section=ctx.section,
        kind=kind, title=title, title_raw=title_raw, title_key=nz.title_key(title),
        authors=authors, venue=venue, links=tuple(links), identifiers=tuple(gathered),
        marks=marks, notes=notes,
    )


def iter_items(items: list[Item]) -> Iterator[Item]:
    """Every item and nested item, depth first."""
    for item in items:
        yield item
        yield from iter_items(item.children)

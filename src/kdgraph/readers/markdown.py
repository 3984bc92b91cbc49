"""Reader for Markdown reading lists: Markdown lists and tables, with or without inline HTML lists.

The document structure comes from markdown-it-py (CommonMark, with GFM tables): headings give the section
path, Markdown lists give items, tables give rows. Runs of raw HTML blocks are parsed with lxml's HTML
parser, whose HTML5-style list handling repairs the broken nesting such lists often have (unclosed
``<li>``, ``<li>`` outside ``<ul>``). Both kinds of item are reduced to the same
:class:`~kdgraph.readers.items.Item` view and read by :func:`~kdgraph.readers.items.parse_item`, which
knows the entry shapes of public lists: bold titles with author lines, linked titles followed by
authors and a year, numbered citations (``Title. Surname, First et al. CVPR 2020``), task items
(``- [ ] Title``), survey-style entries.

The shapes recognised by their structure, not by a per-file switch:

* tables (:mod:`kdgraph.readers.tables`): a table of papers gives one item per row; a results table or
  other non-paper table is skipped with one info diagnostic; a table of in-page links is navigation;
* code sections (:mod:`kdgraph.readers.code_sections`): items under a framework heading
  (``## PyTorch``) that link a repository are attached, as code links, to the paper of the list whose
  title they match;
* reference-style links (``[[code]][ref]``) are resolved by markdown-it; a label defined twice is
  reported at its second definition (Markdown keeps the first);
* a year-only heading (``## 2021``) is the year of the items under it that give none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import lxml.html
from markdown_it import MarkdownIt
from markdown_it.common import normalize_url
from markdown_it.token import Token

from .. import normalize as nz
from ..records import Diagnostic, ReadResult, Record, Venue
from . import code_sections, tables
from .items import Context, Item, Segment, html_fragment, parse_item, segments_of, take_marks

# A link target markdown-it's normalizeLink gives back unchanged: http(s), a host of valid labels
# (63 characters at most, 255 in all, checked below), then only characters it never encodes.
_PLAIN_LINK = re.compile(r"https?://(?P<host>[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*)"
                         r"(?:[/?#][A-Za-z0-9\-._~/?#=&+]*)?")


class _Markdown(MarkdownIt):
    """markdown-it, with a shortcut for the link targets its normalization leaves as they are (most of
    a list's links): parsing and re-encoding each one is a good part of the time spent on a list."""

    def normalizeLink(self, url: str) -> str:
        plain = _PLAIN_LINK.fullmatch(url)
        if plain is not None and len(plain.group("host")) <= 255:
            return url
        return normalize_url.normalizeLink(url)


_MD = _Markdown("commonmark", {"html": True}).enable("table")
_HEADINGS = {f"h{n}" for n in range(1, 7)}


@dataclass(slots=True)
class _State:
    source: str
    file: str
    lines: list[str]
    headings: list[tuple[int, str]] = field(default_factory=list)
    label: str | None = None
    result: ReadResult = field(default_factory=ReadResult)
    code: list[code_sections.PendingCode] = field(default_factory=list)
    later_part: bool = False  # reading a part of a list after its first (see read_markdown_part)
    # Marks before <li> that belong to the last entry of an earlier part: (where the diagnostic goes
    # in result.diagnostics, line, marks); see PartRead.
    looking_back: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)

    def set_heading(self, level: int, text: str) -> None:
        text = text.rstrip(" :")
        self.headings = [(lvl, t) for lvl, t in self.headings if lvl < level]
        if text:
            self.headings.append((level, text))
        self.label = None

    def context(self) -> Context:
        section = tuple(t for _, t in self.headings)
        if self.label:
            section = (*section, self.label)
        return Context(self.source, self.file, section, section_venue(section))


@lru_cache(maxsize=1024)
def section_venue(section: tuple[str, ...]) -> Venue | None:
    """The venue a section implies: the deepest heading that names one (``CVPR 2021``, ``FL on ICLR
    2021``), or a year-only heading (``2021``)."""
    for text in reversed(section):
        venue = nz.find_venue(text)
        if venue is not None:
            return venue
        year = nz.year_only(text)
        if year is not None:
            return Venue(series=None, year=year, text=text)
    return None


def _inline_text(token: Token) -> str:
    """Plain text of an inline token, links stripped to their text, HTML tags dropped."""
    if not token.children:
        return nz.clean_space(token.content)
    parts = [c.content if c.type in ("text", "code_inline") else " " for c in token.children
             if c.type in ("text", "code_inline", "softbreak", "hardbreak")]
    return nz.clean_space("".join(parts))


class _Node:
    """An element of the tree lxml would build from the HTML of plain Markdown inline content: the
    subset of the element interface :func:`segments_of` reads."""

    __slots__ = ("children", "href", "tag", "tail", "text")

    def __init__(self, tag: str, href: str | None = None) -> None:
        self.tag = tag
        self.href = href
        self.text: str | None = None
        self.tail: str | None = None
        self.children: list[_Node] = []

    def __iter__(self) -> Iterator[_Node]:
        return iter(self.children)

    def get(self, key: str) -> str | None:
        return self.href if key == "href" else None

    def text_content(self) -> str:
        parts = [self.text or ""]
        for child in self.children:
            parts.append(child.text_content())
            parts.append(child.tail or "")
        return "".join(parts)

    def add_text(self, text: str) -> None:
        if self.children:
            last = self.children[-1]
            last.tail = (last.tail or "") + text
        else:
            self.text = (self.text or "") + text


_OPEN_TAGS = {"strong_open": "strong", "em_open": "em", "link_open": "a"}
_CLOSE_TAGS = {"strong_close": "strong", "em_close": "em", "link_close": "a"}
# Characters an HTML parser may drop, replace or read specially; inline content holding one is read
# through lxml, like any inline HTML.
_ODD_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufeff\ufffe\uffff"
                        + "".join(rf"\U{plane:04X}FFFE\U{plane:04X}FFFF" for plane in range(1, 17)) + "]")


def _plain_tree(children: list[Token]) -> _Node | None:
    """The element tree of inline content made only of text, line breaks, emphasis, links and code
    spans, built straight from the tokens; None for anything else (inline HTML, images, hard breaks,
    odd characters), which is rendered and parsed with lxml.

    For these tokens the tree is exactly what lxml builds from markdown-it's HTML: the elements nest
    as the tokens do, text keeps every character (the renderer escapes ``& < > "`` and lxml reads them
    back), and white space between such elements is kept."""
    root = _Node("div")
    stack = [root]
    checked: list[str] = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            stack[-1].add_text(tok.content)
            checked.append(tok.content)
        elif kind == "softbreak":
            stack[-1].add_text("\n")
        elif kind == "code_inline":
            code = _Node("code")
            code.text = tok.content
            stack[-1].children.append(code)
            checked.append(tok.content)
        elif kind in _OPEN_TAGS:
            tag = _OPEN_TAGS[kind]
            href: str | None = None
            if tag == "a":
                value = tok.attrGet("href")
                if not isinstance(value, str) or any(n.tag == "a" for n in stack):
                    return None  # a link in a link: the HTML parser would close the first
                href = value
                checked.append(value)
            node = _Node(tag, href)
            stack[-1].children.append(node)
            stack.append(node)
        elif kind in _CLOSE_TAGS:
            if len(stack) < 2 or stack[-1].tag != _CLOSE_TAGS[kind]:
                return None
            stack.pop()
        else:
            return None
    if len(stack) != 1 or _ODD_CHARS.search("".join(checked)):
        return None
    return root


def _inline_segments(token: Token) -> list[Segment]:
    """Render a Markdown inline token to HTML and flatten it, so inline HTML and Markdown read alike."""
    tree = _plain_tree(token.children or [])
    if tree is not None:
        return segments_of(tree)
    return _rendered_segments(token)


def _rendered_segments(token: Token) -> list[Segment]:
    """:func:`_inline_segments` through markdown-it's HTML and lxml: the general way."""
    html = _MD.renderer.renderInline(token.children or [], _MD.options, {})  # type: ignore[attr-defined]
    root = html_fragment(f"<div>{html}</div>")
    if root is None:
        return []
    body = root.find(".//div")
    return segments_of(body if body is not None else root)


def _md_item(tokens: list[Token], start: int, end: int, state: _State) -> Item:
    """Build an item from the tokens of one ``list_item`` (``start`` is its open token)."""
    open_token = tokens[start]
    line = (open_token.map[0] + 1) if open_token.map else 0
    item = Item(line=line, segments=[])
    i = start + 1
    while i < end:
        tok = tokens[i]
        if tok.type == "inline" and tok.level == open_token.level + 2:
            if item.segments:
                item.segments.append(Segment("text", " "))
            item.segments.extend(_inline_segments(tok))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            close = _matching_close(tokens, i)
            item.children.extend(_md_list(tokens, i, close, state))
            i = close
        elif tok.type == "html_block":
            root = html_fragment(tok.content)
            if root is not None:
                body = root.find("body")
                item.segments.extend(segments_of(body if body is not None else root))
        i += 1
    return item


def _matching_close(tokens: list[Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _md_list(tokens: list[Token], start: int, end: int, state: _State) -> list[Item]:
    items: list[Item] = []
    level = tokens[start].level + 1
    i = start + 1
    while i < end:
        tok = tokens[i]
        if tok.type == "list_item_open" and tok.level == level:
            close = _matching_close(tokens, i)
            items.append(_md_item(tokens, i, close, state))
            i = close
        i += 1
    return items


def _li_item(li: lxml.html.HtmlElement, offset: int) -> Item:
    """An item for ``<li>``, with the ``<li>`` nested in it as children."""
    item = Item(line=offset + (li.sourceline or 1) - 1, segments=segments_of(li))
    for sub in li.iter("li"):
        if sub is not li and _nearest(sub, "li") is li:
            item.children.append(_li_item(sub, offset))
    return item


def _nearest(element: lxml.html.HtmlElement, *tags: str) -> lxml.html.HtmlElement | None:
    parent = element.getparent()
    while parent is not None and parent.tag not in tags:
        parent = parent.getparent()
    return parent


def _html_region(state: _State, first: int, last: int) -> None:
    """Read a run of HTML blocks spanning source lines ``first`` to ``last`` (0-based, exclusive)."""
    text = "\n".join(state.lines[first:last])
    lowered = text.lower()
    if "<li" not in lowered and "<h" not in lowered and "<strong" not in lowered:
        return
    root = html_fragment(text)
    if root is None:
        return
    body = root.find("body")
    body = body if body is not None else root
    offset = first + 1
    label_list: lxml.html.HtmlElement | None = None
    for element in body.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in _HEADINGS and tag not in ("strong", "b", "li"):
            continue
        if _nearest(element, "li") is not None:
            continue
        if tag in _HEADINGS:
            state.set_heading(int(tag[1]), nz.clean_space(element.text_content()))
        elif tag in ("strong", "b"):
            if _nearest(element, "ul", "ol") is None:
                state.label = nz.clean_space(element.text_content()) or None
                label_list = None
        else:
            holder = _nearest(element, "ul", "ol")
            if state.label is not None:
                if label_list is None:
                    label_list = holder
                elif label_list is not holder:
                    state.label = None
            _read_items([_li_item(element, offset)], state)
    if label_list is not None:
        state.label = None  # a label names the next list only, not what follows this HTML


def _read_items(items: list[Item], state: _State) -> None:
    ctx = state.context()
    result = state.result
    is_code, framework = code_sections.section_framework(ctx.section)
    for item in items:
        result.items += 1
        if is_code:
            pending = code_sections.collect(item, ctx, framework, result.diagnostics)
            if pending is not None:  # accounted for when the list is read (code_sections.attach)
                state.code.append(pending)
                continue
        before = len(result.diagnostics)
        record = parse_item(item, ctx, result.diagnostics)
        _prefix_marks(item, state, record)
        if record is not None and is_code:
            code_sections.with_framework(record, framework)
        if record is not None:
            record.position = len(result.records) + 1
            result.records.append(record)
        assert record is not None or any(d.entry for d in result.diagnostics[before:])


def _prefix_marks(item: Item, state: _State, record: Record | None) -> None:
    """A mark written just before ``<li`` on the item's line belongs, by HTML nesting, to the previous
    item: say so, since the curator may have meant this one."""
    raw = state.lines[item.line - 1] if 0 < item.line <= len(state.lines) else ""
    at = raw.lower().find("<li")
    if at <= 0:
        return
    _, marks = take_marks(raw[:at])
    if marks and state.later_part and not state.result.records:
        # The previous entry is the last of an earlier part: the parts' join says so.
        state.looking_back.append((len(state.result.diagnostics), item.line, tuple(sorted(marks))))
    if marks and state.result.records:
        previous = state.result.records[-1] if record is None else (
            state.result.records[-1] if state.result.records[-1] is not record else
            (state.result.records[-2] if len(state.result.records) > 1 else None))
        if previous is not None:
            state.result.diagnostics.append(
                mark_before_item(state.source, state.file, item.line, sorted(marks), previous))


def mark_before_item(source: str, file: str, line: int, marks: list[str], previous: Record) -> Diagnostic:
    """The diagnostic for reading marks written before ``<li>``, which HTML gives to ``previous``."""
    return Diagnostic(
        source=source, file=file, line=line, code="mark-before-item",
        message=(f"reading mark {', '.join(marks)} stands before <li> on this line; "
                 f"HTML gives it to the entry at line {previous.line} "
                 f"({previous.title!r}) — move it inside the <li> it belongs to"),
    )


def _table(tokens: list[Token], start: int, end: int, state: _State) -> None:
    """Read a Markdown table: a table of papers gives one item per row; any other table is skipped
    (see :mod:`kdgraph.readers.tables`)."""
    first, last = tokens[start].map or (0, 0)
    table = tables.Table(first_line=first + 1, last_line=last, header=[], rows=[])
    row: list[tables.Cell] | None = None
    in_head = False
    for tok in tokens[start:end]:
        if tok.type in ("thead_open", "thead_close"):
            in_head = tok.type == "thead_open"
        elif tok.type == "tr_open":
            row = []
            if in_head:
                table.header = row
            else:
                table.rows.append(((tok.map[0] + 1) if tok.map else first + 1, row))
        elif tok.type == "inline" and row is not None:
            row.append(tables.Cell(_inline_segments(tok)))
    ctx = state.context()
    kind, reason = tables.classify(table, ctx)
    result = state.result
    if kind in ("results", "other"):
        result.diagnostics.append(tables.skipped(table, ctx, reason))
    if kind != "papers":
        return
    roles = tables.header_roles(table)
    for line, cells in table.rows:
        result.items += 1
        before = len(result.diagnostics)
        record = tables.read_row(line, cells, roles, ctx, result.diagnostics)
        if record is not None:
            record.position = len(result.records) + 1
            result.records.append(record)
        assert record is not None or any(d.entry for d in result.diagnostics[before:])


def _duplicate_references(env: dict[str, object], state: _State) -> None:
    """A reference label defined twice: Markdown uses the first definition; say so."""
    references = env.get("references")
    duplicates = env.get("duplicate_refs")
    if not isinstance(duplicates, list) or not isinstance(references, dict):
        return
    for dup in duplicates:
        label = dup.get("label", "")
        first = references.get(label, {})
        first_line = (first.get("map") or [0])[0] + 1
        line = (dup.get("map") or [0])[0] + 1
        state.result.diagnostics.append(Diagnostic(
            source=state.source, file=state.file, line=line, code="duplicate-reference",
            message=(f"reference [{label.lower()}] is defined again here ({dup.get('href', '')!r}); "
                     f"Markdown uses the first definition, at line {first_line} "
                     f"({first.get('href', '')!r}) — remove one or give it another label"),
        ))


def markdown_text(text: str) -> str:
    """The text as the reader reads it: every line end ``\\n``, without a byte-order mark."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def read_markdown(text: str, *, source: str, file: str) -> ReadResult:
    """Read a Markdown reading list (Markdown lists and tables, inline HTML lists) into records."""
    text = markdown_text(text)
    state = _State(source=source, file=file, lines=text.split("\n"))
    env: dict[str, object] = {}
    _read_tokens(_MD.parse(text, env), state)
    code_sections.attach(state.code, state.result)
    _duplicate_references(env, state)
    return state.result


@dataclass(slots=True)
class PartRead:
    """What one part of a list gave (:func:`read_markdown_part`), before the parts are joined."""

    result: ReadResult
    code: list[code_sections.PendingCode]  # code-section items, attached once the parts are joined
    headings: tuple[tuple[int, str], ...]  # the section headings in force at the part's end
    self_contained: bool  # False: the part cannot be read on its own after all (see below)
    open_at_end: bool  # a block that a blank line does not end (a code fence…) runs to the part's end
    # Reading marks before <li> on entries before the part's first record, which belong to the last
    # entry of the parts before: (index in result.diagnostics where the diagnostic goes, line, marks).
    looking_back: list[tuple[int, int, tuple[str, ...]]]


def read_markdown_part(text: str, first: int, headings: tuple[tuple[int, str], ...], *, source: str,
                       file: str) -> PartRead:
    """Read a part of a list: ``text`` is its lines of the :func:`markdown_text` of the whole list,
    from the 0-based line ``first`` on; ``headings`` are the section headings in force where it starts.

    A part after the first must start with a heading, so that nothing before it bears on how it is
    parsed (see :mod:`kdgraph.readers.parts`). Code-section items are left pending and positions
    count from the part's start, and a reading mark before ``<li>`` that belongs to an entry of an
    earlier part is left for the join to report: :func:`kdgraph.readers.parts.join` completes all
    three. The part is not self-contained when it does not start with a heading after all, or when
    it defines reference links (they belong to the whole list); then the list must be read whole, as
    it must when a fenced code block or an HTML block that only a given text ends is still open at
    the end of a part other than the last (the heading after it would be part of that block)."""
    padded = "\n" * first + text  # blank lines stand for the earlier lines: line numbers stay right
    state = _State(source=source, file=file, lines=padded.split("\n"), headings=list(headings),
                   later_part=first > 0)
    env: dict[str, object] = {}
    tokens = _MD.parse(padded, env)
    opens = first == 0 or (bool(tokens) and tokens[0].type == "heading_open"
                           and tokens[0].map is not None and tokens[0].map[0] == first)
    lines = padded.count("\n") + (0 if padded.endswith("\n") else 1)  # as markdown-it counts them
    open_at_end = any(t.map is not None and t.map[1] >= lines for t in tokens
                      if t.type in ("fence", "html_block", "code_block"))
    _read_tokens(tokens, state)
    return PartRead(result=state.result, code=state.code, headings=tuple(state.headings),
                    self_contained=opens and not env, open_at_end=open_at_end,
                    looking_back=state.looking_back)


def _read_tokens(tokens: list[Token], state: _State) -> None:
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            state.set_heading(int(tok.tag[1]), _inline_text(tokens[i + 1]))
            i += 2
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            segs = [s for s in _inline_segments(inline) if s.text.strip()]
            if segs and all(s.bold for s in segs):
                state.label = _inline_text(inline) or None
            i += 2
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            close = _matching_close(tokens, i)
            _read_items(_md_list(tokens, i, close, state), state)
            state.label = None
            i = close
        elif tok.type == "html_block":
            j = i
            while j + 1 < len(tokens) and tokens[j + 1].type == "html_block":
                j += 1
            first = tok.map[0] if tok.map else 0
            last_map = tokens[j].map
            last = last_map[1] if last_map else first
            _html_region(state, first, last)
            i = j
        elif tok.type == "table_open":
            close = _matching_close(tokens, i)
            _table(tokens, i, close, state)
            state.label = None
            i = close
        i += 1

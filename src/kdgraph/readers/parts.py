"""Cutting a big Markdown list into parts that read on their own, and joining what the parts gave.

A list is cut only before a heading written ``#`` to ``######`` at the start of a line, after a blank
line. Such a line closes every Markdown block open before it (lists, block quotes, paragraphs,
tables, indented code, HTML blocks that end at a blank line) except two kinds: a fenced code block,
and an HTML block that ends at a given text (``<pre>``, ``<script>``, ``<style>``, ``<textarea>``, a
comment, ``<?…?>``, ``<!…>``, CDATA). So when neither is open at the end of the part before it, the
heading starts a block at the top level, and each part parses to exactly the tokens the whole list
gives there. A list that defines reference links (``[label]: url``) is not cut, since a link may use
a definition from anywhere in the list.

What is decided here is only a plan: cut points are chosen outside the blocks that seem to be fenced
code or such HTML, and the section headings in force at each cut point are guessed from the heading
lines before it. :func:`join` then checks the plan against what the parts gave: that no such block
was open at the end of a part but the last, that each part was self-contained (see
:func:`~kdgraph.readers.markdown.read_markdown_part`), and that each part started with the headings
the part before it ended with. When a check fails, the list must be read whole; when all hold, the
joined parts give exactly what :func:`~kdgraph.readers.markdown.read_markdown` gives: records
numbered across the parts, code-section items attached to papers of any part, and reading marks
written before the first ``<li>`` of a part reported against the last entry of the part before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..records import ReadResult
from . import code_sections
from .markdown import _MD, PartRead, _inline_text, mark_before_item

# Patterns over "\n" + text, so that each line, the first too, starts after a "\n" (faster to find
# than a line start); a match's start is then the offset of its line in the text.
# A heading line after a blank line:
_CUT = re.compile(r"\n[ \t]*\n(?=#{1,6}(?:[ \t\n]|\Z))")
# Any heading line:
_HEADING_LINE = re.compile(r"\n(?=#{1,6}(?:[ \t\n]|\Z))")
_HEADING = re.compile(r"#{1,6}")
# Where fenced code or HTML blocks ending at a given text seem to open. Only to choose cut points
# well: join() finds out whether a part really ended inside such a block.
_FENCE = re.compile(r"\n {0,3}(?P<run>`{3,}|~{3,})(?P<rest>[^\n]*)")
_RAW_HTML = re.compile(r"<(?:script|pre|style|textarea|!--|!\[CDATA\[|\?|![A-Za-z])", re.IGNORECASE)
_RAW_HTML_ENDS = {
    "<!--": re.compile(r"-->"),
    "<![": re.compile(r"\]\]>"),
    "<?": re.compile(r"\?>"),
    "<!": re.compile(r">"),
    "<": re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE),
}
_MAX_BLOCKS = 2000  # more places to look at than this: the list is not cut


@dataclass(frozen=True, slots=True)
class Part:
    """A run of lines of a list: ``start``/``end`` are offsets in the text, ``first`` the 0-based
    line it starts at, ``level`` the level of the heading it starts with (0 for the list's start), and
    ``headings`` the section headings guessed to be in force there (those of levels below ``level``)."""

    start: int
    end: int
    first: int
    level: int
    headings: tuple[tuple[int, str], ...]


def plan(text: str, size: int) -> list[Part]:
    """Cut a list's :func:`~kdgraph.readers.markdown.markdown_text` into parts of about ``size``
    characters or more; one part when it is smaller, or cannot be cut."""
    whole = [Part(0, len(text), 0, 0, ())]
    if size <= 0 or len(text) < 2 * size or "]:" in text:
        return whole
    lines = "\n" + text
    blocks = _blocks(text, lines)
    if blocks is None:
        return whole
    starts, ends = blocks

    def outside(line: int) -> bool:
        k = bisect.bisect_right(starts, line) - 1
        return k < 0 or ends[k] < line

    headings: list[tuple[int, int]] = []  # (offset, line) of heading lines, for the guesses
    line, at = 0, 0
    for m in _HEADING_LINE.finditer(lines):
        line += text.count("\n", at, m.start())
        at = m.start()
        if outside(line):
            headings.append((m.start(), line))
    cuts: list[tuple[int, int]] = []  # (offset, line) of the headings a part may start with
    line, at = 0, 0
    for m in _CUT.finditer(lines):
        offset = m.end() - 1
        line += text.count("\n", at, offset)
        at = offset
        if outside(line):
            cuts.append((offset, line))
    chosen: list[tuple[int, int]] = []
    last = 0
    for offset, line in cuts:
        if offset - last >= size and len(text) - offset >= size // 2:
            chosen.append((offset, line))
            last = offset
    if not chosen:
        return whole
    bounds = [0, *(offset for offset, _ in chosen), len(text)]
    parts = [Part(0, bounds[1], 0, 0, ())]
    for i, (offset, line) in enumerate(chosen, 1):
        level = _level(text, offset)
        before = headings[:bisect.bisect_left(headings, (offset, line))]
        parts.append(Part(offset, bounds[i + 1], line, level, _guess(text, before, level)))
    return parts


def _level(text: str, offset: int) -> int:
    m = _HEADING.match(text, offset)
    return len(m.group()) if m else 0


def _heading_text(text: str, offset: int) -> str:
    """The text of the heading whose line starts at ``offset``, as the reader takes it."""
    end = text.find("\n", offset)
    tokens = _MD.parse(text[offset:end if end >= 0 else len(text)], {})
    if len(tokens) > 1 and tokens[0].type == "heading_open":
        return _inline_text(tokens[1])
    return ""


def _guess(text: str, before: list[tuple[int, int]], level: int) -> tuple[tuple[int, str], ...]:
    """The section headings of levels below ``level`` in force after the heading lines ``before``,
    as the reader's heading stack would hold them if those were all the list's headings."""
    found: list[tuple[int, str]] = []
    below = level
    for offset, _ in reversed(before):
        if below <= 1:
            break
        lvl = _level(text, offset)
        if lvl >= below:
            continue
        heading = _heading_text(text, offset).rstrip(" :")
        if heading:
            found.append((lvl, heading))
        below = lvl
    return tuple(reversed(found))


def _blocks(text: str, lines: str) -> tuple[list[int], list[int]] | None:
    """Line spans (starts, ends; merged and in order) that seem to lie in fenced code or in an HTML
    block that a blank line does not end; None when there are too many places to look at. ``lines``
    is ``"\\n" + text``."""
    spans: list[tuple[int, int]] = []
    total = text.count("\n")
    fence: tuple[str, int, int] | None = None  # (character, length, line) of the open fence
    fences = _numbered(_FENCE.finditer(lines), text)
    raw_html = _numbered(_RAW_HTML.finditer(text), text)
    if fences is None or raw_html is None:
        return None
    for line, m in fences:
        run, rest = m.group("run"), m.group("rest")
        if fence is None:
            if not (run[0] == "`" and "`" in rest):  # a backtick fence's info string has no backtick
                fence = (run[0], len(run), line)
        elif run[0] == fence[0] and len(run) >= fence[1] and not rest.strip(" "):
            spans.append((fence[2], line))
            fence = None
    if fence is not None:
        spans.append((fence[2], total))
    for line, m in raw_html:
        opening = m.group().lower()
        kind = next(k for k in _RAW_HTML_ENDS if opening.startswith(k))
        end = _RAW_HTML_ENDS[kind].search(text, m.start())
        spans.append((line, line + text.count("\n", m.start(), end.start()) if end else total))
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for first, last in spans:
        if ends and first <= ends[-1] + 1:
            ends[-1] = max(ends[-1], last)
        else:
            starts.append(first)
            ends.append(last)
    return starts, ends


def _numbered(matches: Iterator[re.Match[str]], text: str) -> list[tuple[int, re.Match[str]]] | None:
    """Each match with the number of line feeds of ``text`` before its start; None when there are
    more than :data:`_MAX_BLOCKS` of them."""
    found: list[tuple[int, re.Match[str]]] = []
    line, at = 0, 0
    for m in matches:
        if len(found) >= _MAX_BLOCKS:
            return None
        line += text.count("\n", at, m.start())
        at = m.start()
        found.append((line, m))
    return found


def join(parts: list[Part], reads: list[PartRead]) -> ReadResult | None:
    """The result of the whole list from the reads of its parts, in order; None when the parts could
    not be read on their own after all, and the list must be read whole."""
    for i, (part, read) in enumerate(zip(parts, reads, strict=True)):
        if not read.self_contained or (read.open_at_end and i < len(parts) - 1):
            return None
        if i and tuple(h for h in reads[i - 1].headings if h[0] < part.level) != part.headings:
            return None
    result = ReadResult()
    code: list[code_sections.PendingCode] = []
    for read in reads:
        diagnostics = list(read.result.diagnostics)
        if result.records:  # marks before <li> that belong to the last entry so far
            previous = result.records[-1]
            for shift, (at, line, marks) in enumerate(read.looking_back):
                diagnostics.insert(at + shift, mark_before_item(
                    previous.source, previous.file, line, list(marks), previous))
        for record in read.result.records:
            record.position = len(result.records) + 1
            result.records.append(record)
        result.diagnostics.extend(diagnostics)
        result.items += read.result.items
        code.extend(read.code)
    code_sections.attach(code, result)
    return result

"""Code sections: repositories listed under a framework heading, attached to the papers they implement.

Some lists keep code apart from papers, in sections headed by a framework (``## PyTorch``,
``## TensorFlow implementations``) whose items link a repository by the paper's title, often shortened
or respelled (``- [Distilling the knowledge in a neural net](https://github.com/…)``). Such an item is
not a paper: :func:`collect` sets it aside while the list is read, and :func:`attach` gives its
repositories, as code links with the section's framework, to the paper of the same list whose title
matches best.

Matching compares :func:`~kdgraph.normalize.title_key` forms with :class:`difflib.SequenceMatcher`,
against each paper's full title and, for a title with a colon, its short name before the colon
(``FitNets``). A paper matches when its score is at least :data:`THRESHOLD`; an exact title wins
outright; otherwise the best match wins when no other paper comes within :data:`MARGIN` of it. Ties
and near-ties are reported as ambiguous, never settled by list order. Every item is accounted for by
one diagnostic with ``entry=True``: ``code-attached`` (info) names the paper; ``code-unmatched`` and
``code-ambiguous`` (warnings) keep the links and say what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from .. import normalize as nz
from ..records import Diagnostic, Link, ReadResult, Record
from .items import Context, Item, Segment, links_of_segments

THRESHOLD = 0.85  # least SequenceMatcher ratio between title keys for a match
MARGIN = 0.05  # the best match must lead the next paper by this much, else the item is ambiguous

# Words a framework heading may hold besides framework names: "PyTorch implementations", "Code (TF)".
_CODE_WORDS = {"code", "codes", "implementation", "implementations", "repo", "repos", "repository",
               "repositories", "official", "unofficial", "third", "party", "and", "in", "with", "version",
               "versions", "projects", "project", "based", "library", "libraries", "reproductions"}


def section_framework(section: Iterable[str]) -> tuple[bool, str | None]:
    """Whether a section path is a code section, and its framework: the deepest heading made only of
    framework names and code words, with at least one framework (``PyTorch``, ``TensorFlow code``).
    A heading naming two frameworks is a code section of unknown framework."""
    return _section_framework(tuple(section))


@lru_cache(maxsize=1024)
def _section_framework(section: tuple[str, ...]) -> tuple[bool, str | None]:
    for heading in reversed(section):
        words = re.findall(r"[a-z0-9]+", heading.lower())
        frameworks = {nz.FRAMEWORKS[w] for w in words if w in nz.FRAMEWORKS}
        if frameworks and all(w in nz.FRAMEWORKS or w in _CODE_WORDS for w in words):
            return True, (frameworks.pop() if len(frameworks) == 1 else None)
    return False, None


@dataclass(slots=True)
class PendingCode:
    """An item of a code section, set aside until every paper of the list is read."""

    line: int
    title: str
    links: tuple[Link, ...]
    ctx: Context


def _is_title_label(label: str) -> bool:
    """A link label that names a paper, not the link (``[code]``, ``[PyTorch]``, ``[Official code]``)."""
    words = re.findall(r"[^\W_]+", label)
    if not words:
        return False
    kind, _ = nz.classify_link(label, "")
    return len(words) > 2 or kind == "other"


def _is_repository(href: str) -> bool:
    normalized = nz.normalize_url(href)
    return normalized is not None and nz.code_repository(normalized.url) is not None


def _is_paper_link(segment: Segment) -> bool:
    normalized = nz.normalize_url(segment.href or "")
    if normalized is None:
        return False
    kind, _ = nz.classify_link(segment.text, normalized.url)
    return kind == "paper"


def with_framework(record: Record, framework: str | None) -> None:
    """Give the code links of a paper entry listed in a code section the section's framework, where
    the link's own label names none."""
    if framework is not None:
        record.links = tuple(replace(link, framework=framework)
                             if link.kind == "code" and link.framework is None else link
                             for link in record.links)


def collect(item: Item, ctx: Context, framework: str | None,
            diags: list[Diagnostic]) -> PendingCode | None:
    """Set aside an item of a code section that links a repository; None for any other item, read as
    an ordinary entry: one without a repository link, or a paper entry that links its paper (``[Title]
    (arxiv-url) [code](github-url)``)."""
    links = [s for s in item.segments if s.kind == "link" and not (s.href or "").strip().startswith("#")]
    repos = [s for s in links if _is_repository(s.href or "")]
    if not repos or any(_is_paper_link(s) for s in links if s not in repos):
        return None
    label = nz.clean_space(repos[0].text)
    if _is_title_label(label):
        title = label
    else:
        title = nz.clean_space("".join(s.text for s in item.segments if s.kind != "link"))
    title = title.strip(" -–—:,;.")
    read = links_of_segments(repos, ctx, item.line, title or "(untitled)", diags)
    code = tuple(replace(link, kind="code", framework=framework or link.framework) for link in read)
    return PendingCode(line=item.line, title=title, links=code, ctx=ctx)


def _short_key(title: str) -> str | None:
    if ":" not in title:
        return None
    return nz.title_key(title.split(":", 1)[0]) or None


def score(key: str, record: Record) -> float:
    """How well a title key matches a paper: the best ratio against its title and its short name."""
    best = SequenceMatcher(None, key, record.title_key, autojunk=False).ratio()
    short = _short_key(record.title)
    if short is not None:
        best = max(best, SequenceMatcher(None, key, short, autojunk=False).ratio())
    return best


def match(title: str, records: Iterable[Record]) -> tuple[list[tuple[float, Record]], bool]:
    """The papers a code item's title matches, best first, and whether the match is certain.

    Papers listed twice count once (their first record). Certain: exactly one candidate, an exact
    title, or a best candidate ahead of the next by :data:`MARGIN`."""
    key = nz.title_key(title)
    if not key:
        return [], False
    first: dict[str, Record] = {}
    for record in records:
        if record.kind == "paper":
            first.setdefault(record.title_key, record)
    if key in first:
        return [(1.0, first[key])], True
    scored = sorted(((score(key, r), r) for r in first.values()),
                    key=lambda sr: (-sr[0], sr[1].title_key, sr[1].line))
    above = [(s, r) for s, r in scored if s >= THRESHOLD]
    if not above:
        return scored[:1], False
    if len(above) == 1 or above[0][0] - above[1][0] >= MARGIN:
        return above[:1], True
    close = [(s, r) for s, r in above if above[0][0] - s < MARGIN]
    return close, False


def attach(pending: list[PendingCode], result: ReadResult) -> None:
    """Give each set-aside code item's repositories to its paper, or report why not."""
    for code in pending:
        found, certain = match(code.title, result.records)
        urls = ", ".join(link.url for link in code.links)
        ctx = code.ctx
        if certain:
            value, record = found[0]
            known = {link.url for link in record.links}
            record.links = (*record.links, *(link for link in code.links if link.url not in known))
            result.diagnostics[:] = [d for d in result.diagnostics if not (
                d.code == "no-links" and d.line == record.line and d.file == record.file)]
            result.diagnostics.append(Diagnostic(
                source=ctx.source, file=ctx.file, line=code.line, code="code-attached",
                message=(f"code link attached to {record.title!r} (line {record.line}); title match "
                         f"{value:.2f}: {urls}"),
                severity="info", entry=True, links=code.links))
        elif not found or found[0][0] < THRESHOLD:
            closest = (f"; the closest is {found[0][1].title!r} (line {found[0][1].line}, "
                       f"{found[0][0]:.2f})") if found else ""
            what = f"{code.title!r}" if code.title else "an untitled item"
            result.diagnostics.append(Diagnostic(
                source=ctx.source, file=ctx.file, line=code.line, code="code-unmatched",
                message=(f"code link {urls} for {what} matches no paper of this list{closest} — "
                         f"write the paper's title as the list does"),
                severity="warning", entry=True, links=code.links))
        else:
            named = "; ".join(f"{r.title!r} (line {r.line}, {s:.2f})" for s, r in found)
            result.diagnostics.append(Diagnostic(
                source=ctx.source, file=ctx.file, line=code.line, code="code-ambiguous",
                message=(f"code link {urls} for {code.title!r} matches several papers: {named}; "
                         "it is attached to none — write the full title"),
                severity="warning", entry=True, links=code.links))


__all__ = ["MARGIN", "THRESHOLD", "PendingCode", "attach", "collect", "match", "score", "section_framework",
           "with_framework"]

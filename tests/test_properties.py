"""Property-based tests: mutated real lists and syntax soup never break the reader or lose an item."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import DATA, MWAN_FILE, ZJU_FILE
from kdgraph import normalize as nz
from kdgraph.errors import KdgraphError
from kdgraph.extract import extract_source
from kdgraph.readers import read_markdown
from kdgraph.records import ReadResult
from kdgraph.sources import source_for_file

ZJU_LINES = tuple((DATA / ZJU_FILE).read_text(encoding="utf-8").splitlines())
MWAN_LINES = tuple((DATA / MWAN_FILE).read_text(encoding="utf-8").splitlines())
REAL_LINES = ZJU_LINES + MWAN_LINES

FRAGMENTS = (
    "<li>", "</li>", "<LI>", "<ul>", "</ul>", "<ol>", "</ol>", "<strong>", "</strong>", "<b>", "</b>",
    "<em>", "<i>", "<br>", "<p>", "</p>", "<code>", "</code>", "<h3>", "</h3>", "<h2>", "<details>",
    "<script>", "<table>", "<td>", "<!--", "-->", "<", ">", "/>", '"', "'", "&amp;", "&nbsp;", "&#0;",
    "**", "*", "_", "__", "`", "```", "~~~", "[", "]", "](", ")", "(", "[[", "]]", "!", "|", "---", "> ",
    "#", "## ", "### ", "#### ", "- ", "* ", "+ ", "  - ", "    ", "1. ", "2) ", "\t",
    "\n", "\r\n", "\r", "\n\n", "\u00a0", "\u2028", "\ufeff", "，", "：", "\x00", "\x0b", "\x0c", "\x1b",
    ":star:", ":star2:", ":heavy_check_mark:", "🌟", "⭐", "✅", "✔️",
    '<a href="">', '<a href="hhttps://x.org/a.">', '<a href="https://\nexample.org">', '<a href="#top">',
    "<a href=https://arxiv.org/pdf/1412.6550.pdf>", "</a>", "[paper]", "[code]", "[Pytorch2]",
    "[[Paper]](https://arxiv.org/abs/1804.03235)", "[[Code]]()", "[x](#anchor)", "(https://doi.org/)",
    "https://", "hhttps://", "mailto:x@y", "javascript:", "NIPS 2017 workshop", "ArXiv 2019.12",
    "(2020, April). AAAI.", "In: ICLRW", "Hinton, G., Vinyals, O., & Dean, J. (2015).", "[WACV2021]",
    "(CSUR 2020)", "[short paper]", "(Oral)", ", CVPR 2021", "*Ann Author, Bob Writer*", "et al.",
    "<li><strong></strong>", "<li><a href='https://x.org'>[paper]</a>",
    "<strong>[IEEE ICKG 2020](u)</strong>",
)

fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6))
soup = st.lists(fragment, max_size=12).map("".join)
line_payload = st.one_of(st.sampled_from(REAL_LINES), soup)

operation = st.one_of(
    st.tuples(st.just("delete-line"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate-line"), st.integers(0, 10_000)),
    st.tuples(st.just("swap-lines"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("insert-line"), st.integers(0, 10_000), line_payload),
    st.tuples(st.just("delete-chars"), st.integers(0, 10_000), st.integers(0, 500), st.integers(1, 40)),
    st.tuples(st.just("insert-chars"), st.integers(0, 10_000), st.integers(0, 500), soup),
)


def _apply(lines: list[str], op: tuple) -> None:  # type: ignore[type-arg]
    kind = op[0]
    if kind == "insert-line":
        lines.insert(op[1] % (len(lines) + 1), op[2])
        return
    if not lines:
        return
    i = op[1] % len(lines)
    if kind == "delete-line":
        del lines[i]
    elif kind == "duplicate-line":
        lines.insert(i, lines[i])
    elif kind == "swap-lines":
        j = op[2] % len(lines)
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "delete-chars":
        at = op[2] % (len(lines[i]) + 1)
        lines[i] = lines[i][:at] + lines[i][at + op[3]:]
    elif kind == "insert-chars":
        at = op[2] % (len(lines[i]) + 1)
        lines[i] = lines[i][:at] + op[3] + lines[i][at:]


@st.composite
def mutated_lists(draw: st.DrawFn) -> str:
    """A window of one of the real lists (up to 80 lines), mutated line- and character-wise."""
    source = draw(st.sampled_from((ZJU_LINES, MWAN_LINES)))
    start = draw(st.integers(0, len(source) - 1))
    length = draw(st.integers(1, 80))
    lines = list(source[start:start + length])
    for op in draw(st.lists(operation, max_size=12)):
        _apply(lines, op)
    newline = draw(st.sampled_from(("\n", "\r\n")))
    return newline.join(lines)


def _line_count(text: str) -> int:
    """Lines as the reader counts them: LF, CRLF and lone CR end a line."""
    return len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))


def check_result(result: ReadResult, text: str) -> None:
    lines = _line_count(text)
    assert result.unaccounted() == 0
    assert result.items == len(result.records) + len(result.skipped)
    for record in result.records:
        assert record.title.strip(), record
        assert record.title_key == nz.title_key(record.title)
        assert 1 <= record.line <= lines, (record.line, lines)
        for link in record.links:
            assert link.url.strip() and link.url_original.strip()
    for diag in result.diagnostics:
        assert 1 <= diag.line <= lines, diag
        for link in diag.links:
            assert link.url.strip()
    assert [r.position for r in result.records] == list(range(1, len(result.records) + 1))


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated_lists())
@example("- **A** [[Paper]](https://arxiv.org/abs/1412.6550)\n  - *B C*")
@example(":heavy_check_mark:<li>A<a href=''>[paper]</a>")
@example("<li><li><li>")
@example("\x00<li>\x00</li>")
@example("- [x](#a)\n  - [y](#b)")
@example("<ul><li>A<ul><li>B<ul><li>C</ul></ul></ul>")
@example('<li>FedMD<a href="https://[paper]arxiv.org/pdf/1910.03581.pdf">[paper]</a>')  # found by hypothesis
@example('<li>FedMD<a href="https://[[arxiv.org/pdf/1910.03581.pdf">[paper]</a>')
def test_mutated_lists_read_cleanly(text: str) -> None:
    check_result(read_markdown(text, source="s", file="f.md"), text)


@FAST
@given(st.lists(st.one_of(fragment, st.sampled_from(REAL_LINES)), max_size=40).map("".join))
def test_syntax_soup_reads_cleanly(text: str) -> None:
    check_result(read_markdown(text, source="s", file="f.md"), text)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


@settings(max_examples=60, deadline=None)
@given(mutated_lists(), st.sampled_from(["utf-8", "utf-8-sig"]),
       st.lists(st.tuples(st.integers(0, 100_000), st.binary(min_size=1, max_size=3)), max_size=2))
def test_extract_source_on_mutated_files(workdir: Path, text: str, encoding: str,
                                         corruptions: list[tuple[int, bytes]]) -> None:
    """Bytes written to a file, sometimes corrupted: a one-line KdgraphError or a fully accounted read."""
    data = bytearray(text.encode(encoding))
    for at, junk in corruptions:
        at = at % (len(data) + 1)
        data[at:at] = junk
    path = workdir / "list.md"
    path.write_bytes(bytes(data))
    try:
        extraction = extract_source(source_for_file(path))
    except KdgraphError as exc:
        message = str(exc)
        assert message.startswith(str(path)) and "\n" not in message
        return
    check_result(extraction.result, bytes(data).decode("utf-8").lstrip("\ufeff"))
    for diag in extraction.diagnostics:
        assert diag.code in {"duplicate-entry", "url-fixed", "empty-link", "untitled-entry", "empty-item",
                             "not-an-entry", "no-links", "author-name", "mark-before-item",
                             "paper-link-is-supplement"}, diag.code


@FAST
@given(st.text(max_size=80))
def test_normalizers_never_raise(text: str) -> None:
    nz.parse_venue(text)
    nz.parse_venue(text, require_known=True)
    nz.find_venue(text)
    nz.year_only(text)
    parsed = nz.parse_authors(text)
    assert all(p.name for p in parsed.persons)
    title, _ = nz.clean_title(text)
    assert title == title.strip()
    assert nz.title_key(text) == nz.title_key(nz.title_key(text))
    normalized = nz.normalize_url(text)
    if normalized is not None:
        assert normalized.url
        nz.identifiers_in(normalized.url)
        nz.classify_link(text, normalized.url)

"""Reading lists in worker processes, whole or cut into parts, gives exactly what reading them one after
the other in this process gives: records, diagnostics, their order, and errors."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kdgraph import extract
from kdgraph.errors import KdgraphError
from kdgraph.extract import Extraction, extract_all
from kdgraph.readers import READERS, parts
from kdgraph.readers.markdown import markdown_text, read_markdown, read_markdown_part
from kdgraph.records import ReadResult
from kdgraph.sources import Source

FAMILIES = ["Feature Distillation", "Online Distillation", "Resources", "PyTorch", "2021", "CVPR 2020",
            "Installation", "Data-Free Distillation"]
WORDS = ["knowledge", "distillation", "student", "teacher", "network", "compression", "feature", "attention",
         "relational", "online", "mutual", "contrastive", "self", "ensemble", "quantization", "pruning",
         "transformer", "vision"]
NAMES = ["Ann Lee", "Bob Chan", "Wei Li", "Maria Yang", "Geoffrey Hinton", "Jian Sun"]


def _title(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(WORDS, 4)).capitalize() + f" {n}"


def bold_list(entries: int, seed: int) -> str:
    """A list of bold titles with author lines, in many sections, with what a reader must see across
    the whole list: titles listed twice, code sections pointing at papers of other sections, a
    fenced block with heading-like lines after a blank line, CRLF line ends."""
    rng = random.Random(seed)
    lines = ["# Synthetic list", ""]
    titles: list[str] = []
    family = ""
    for n in range(entries):
        if n % 40 == 0:
            level = rng.choice(["##", "##", "###", "####"])
            family = rng.choice(FAMILIES)
            lines += [f"{level} {family} {n // 40}" if family != "PyTorch" else f"{level} PyTorch", ""]
            if rng.random() < 0.15:
                lines += ["```bash", "pip install kd", "", "# run the examples", "python run.py", "```", ""]
        if family == "PyTorch" and titles and rng.random() < 0.5:  # code for a paper of an earlier part
            lines += [f"- [{rng.choice(titles)}](https://github.com/x{n}/repo)", ""]
            continue
        if titles and rng.random() < 0.05:
            title = rng.choice(titles)  # listed again, maybe in another part
        else:
            title = _title(rng, n)
            titles.append(title)
        arxiv = f"{rng.randint(14, 24)}{rng.randint(1, 12):02d}.{rng.randint(0, 99999):05d}"
        if n % 50 == 7:
            arxiv = "1503.02531"  # one identifier for several titles, across parts and lists
        venue = rng.choice(["CVPR 2020", "NIPS 2017", "ICLR 2021", "arXiv 2019"])
        mark = rng.choice(["", "", " :star:", " :white_check_mark:"])
        lines += [f"- **{title}, {venue}** [[Paper]](https://arxiv.org/abs/{arxiv})"
                  f" [[PyTorch]](https://github.com/a{n}/b){mark}",
                  f"  - *{', '.join(rng.sample(NAMES, 3))}*", ""]
    return "\r\n".join(lines)


def html_list(entries: int, seed: int) -> str:
    """Inline HTML lists under venue headings, with reading marks (one before ``<li>`` as the first
    item of a section), shared arXiv ids, and an HTML comment holding a heading-like line."""
    rng = random.Random(seed)
    lines = ["# HTML list", "", "Reading Priority: Top :star2: Second :star:", ""]
    for n in range(entries):
        if n % 25 == 0:
            lines += ["", f"### [{rng.choice(['AAAI', 'CVPR', 'ICML'])} {2014 + n // 25}]"
                          f"(https://example.org/{n})", "<ul>"]
            if rng.random() < 0.1:
                lines[-1:] = ["<!--", "", "## not a heading", "", "-->", "<ul>"]
        lead = ":star: " if n % 25 == 0 and rng.random() < 0.5 else ""
        arxiv = f"{rng.randint(14, 24)}{rng.randint(1, 12):02d}.{rng.randint(0, 999):05d}"
        if n % 50 == 9:
            arxiv = "1503.02531"
        lines.append(f"{lead}<li>{_title(rng, n)}<a href=\"https://arxiv.org/pdf/{arxiv}\">[paper]</a>"
                     f"{rng.choice(['', ':heavy_check_mark:'])}")
        if n % 25 == 24:
            lines += ["</ul>"]
    return "\n".join(lines) + "\n</ul>\n"


def _source(path: Path, sid: str, reader: str = "markdown") -> Source:
    return Source(id=sid, title=sid, path=path, origin="https://example.org", reader=reader)


def _outcome(result: tuple[list[Extraction], list[KdgraphError]]) -> tuple[list[Extraction], list[str]]:
    done, errors = result
    return done, [str(e) for e in errors]


@pytest.fixture
def lists(tmp_path: Path) -> list[Source]:
    (tmp_path / "bold.md").write_text(bold_list(700, 1), encoding="utf-8", newline="")
    (tmp_path / "html.md").write_text(html_list(600, 2), encoding="utf-8")
    (tmp_path / "small.md").write_text(bold_list(30, 3), encoding="utf-8")
    return [_source(tmp_path / "bold.md", "bold"), _source(tmp_path / "small.md", "small"),
            _source(tmp_path / "html.md", "html")]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in workers however little there is, cut into parts of a few thousand characters."""
    monkeypatch.setattr(extract, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(extract, "PART_MIN_CHARS", 3000)


@pytest.fixture(params=["fork", "spawn"])
def start_method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Workers forked (this process runs one thread) and spawned (it runs several)."""
    if request.param == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(extract, "_one_thread", lambda: request.param == "fork")
    return str(request.param)


@pytest.mark.usefixtures("small_parts")
def test_parallel_reading_is_sequential_reading(lists: list[Source], start_method: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    texts = {s.id: markdown_text(s.path.read_text(encoding="utf-8")) for s in lists}
    assert len(parts.plan(texts["bold"], extract.PART_MIN_CHARS)) > 3  # the lists are really cut
    assert len(parts.plan(texts["html"], extract.PART_MIN_CHARS)) > 3
    sequential = _outcome(extract_all(lists, workers=1))
    read_here: list[str] = []
    read = extract._read_or_error

    def read_and_note(item: extract._ToRead) -> ReadResult | KdgraphError:
        read_here.append(item.source.id)
        return read(item)

    monkeypatch.setattr(extract, "_read_or_error", read_and_note)
    assert _outcome(extract_all(lists, workers=2)) == sequential
    assert read_here == []  # every list read by the workers, the parts joined
    done, _ = sequential
    codes = {d.code for e in done for d in e.diagnostics}
    assert {"duplicate-entry", "code-attached", "identifier-conflict", "mark-before-item"} <= codes


@pytest.mark.usefixtures("small_parts")
def test_errors_are_reported_as_in_sequential_reading(lists: list[Source], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.md").write_bytes(b"# List\n\n- caf\xe9 au lait\n")
    (tmp_path / "boom.md").write_text(bold_list(300, 4), encoding="utf-8")

    def boom(text: str, *, source: str, file: str) -> ReadResult:
        raise KdgraphError(f"{file}:3: this reader fails — on purpose")

    # Forked workers see this reader; spawned ones do not, fail, and the list is read here.
    monkeypatch.setitem(READERS, "boom", boom)
    sources = [lists[0], _source(tmp_path / "bad.md", "bad"), _source(tmp_path / "missing.md", "missing"),
               _source(tmp_path / "boom.md", "boom", reader="boom"), lists[2]]
    sequential = _outcome(extract_all(sources, workers=1))
    done, errors = sequential
    assert [e.source.id for e in done] == ["bold", "html"]
    assert errors[0].startswith(f"{tmp_path / 'bad.md'}:3: not valid UTF-8")
    assert "missing.md: no such file" in errors[1]
    assert errors[2] == f"{tmp_path / 'boom.md'}:3: this reader fails — on purpose"
    assert _outcome(extract_all(sources, workers=2)) == sequential


@pytest.mark.usefixtures("small_parts")
def test_cache_with_parallel_reading(lists: list[Source], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _outcome(extract_all(lists, cache, workers=2))
    assert len(list(cache.glob("extract-*.pickle"))) == 3
    assert _outcome(extract_all(lists, cache, workers=2)) == first  # all from the cache
    assert first == _outcome(extract_all(lists, workers=1))


def test_small_builds_read_here(lists: list[Source], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_workers(*args: object) -> None:
        raise AssertionError("workers started")

    monkeypatch.setattr(extract, "_pool", no_workers)
    monkeypatch.setattr(extract, "PARALLEL_MIN_CHARS", 10 ** 9)
    extract_all(lists, workers=2)
    monkeypatch.setattr(extract, "PARALLEL_MIN_CHARS", 0)
    extract_all(lists, workers=1)
    monkeypatch.setenv(extract.WORKERS_ENV, "1")
    extract_all(lists)


def test_workers_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(extract.WORKERS_ENV, "3")
    assert extract._worker_count(None) == 3
    assert extract._worker_count(1) == 1
    monkeypatch.setenv(extract.WORKERS_ENV, "many")
    with pytest.raises(KdgraphError, match="KDGRAPH_EXTRACT_WORKERS='many' is not a number"):
        extract._worker_count(None)


def test_workers_never_import_rdflib(tmp_path: Path) -> None:
    """A spawned worker imports the readers, not the graph side (rdflib)."""
    (tmp_path / "a.md").write_text(bold_list(20, 5), encoding="utf-8")
    with extract._pool(1, "spawn") as pool:
        result = pool.submit(extract._read_list, "markdown", bold_list(20, 5), "a", "a.md").result()
        loaded = pool.submit(eval, "sorted(__import__('sys').modules)").result()
    assert result == read_markdown(bold_list(20, 5), source="a", file="a.md")
    assert "kdgraph.readers.markdown" in loaded
    assert not [m for m in loaded if m.split(".")[0] in ("rdflib", "pyshacl", "pyoxigraph")]
    probe = "import sys, kdgraph.extract; print(sorted(m for m in sys.modules if m.startswith('rdflib')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------------------------- parts of a list

BLOCKS = [
    "# Title", "## 2021", "## CVPR 2020", "### Sub :", "## PyTorch", "## Resources", "#", "## Installation",
    "Section\n=======", "> # quoted heading", "> quote\n# after quote",
    "- **Bold title one two** [[Paper]](https://arxiv.org/abs/2101.00001)\n  - *Ann Lee, Bob Chan*",
    "- [Linked title of a paper](https://arxiv.org/abs/2001.12345), Ann Lee, Bob Chan, 2019",
    "1. A numbered paper title. Lee, Ann et al. CVPR 2020", "- [ ] Task paper title here [pdf](https://x.org/a.pdf)",
    "- [Knowledge distillation survey](https://github.com/a/b)",
    "- [x] Same title twice [paper](https://arxiv.org/abs/1503.02531)",
    "```\n# not a heading\n\n# still code\n```", "```bash\npip install x\n\n# run it\n```",
    "~~~~\n\n# tilde\n~~~~",
    "```", "<!--\n\n# commented out\n\n-->", "<!-- one line -->", "<pre>\n\n# pre\n</pre>",
    "<ul>\n<li>Html item title words <a href=\"https://arxiv.org/abs/1234.5678\">[paper]</a>\n</ul>",
    "<ul>\n:star: <li>Marked first item words</li>\n</ul>", "<h2>HTML heading 2019</h2>",
    "<strong>Label</strong>\n<ul><li>Labelled item title words</li></ul>", "**Bold label**",
    "| Title | Venue |\n|---|---|\n| A table paper title | CVPR 2021 |", "    # indented code",
    "Paragraph text\n# heading right after", "<div>\n\n# in div?\n</div>",
    "- item\n\n  ```\n  code\n\n# col0 after a fence in a list\n  ```",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(st.sampled_from(BLOCKS), min_size=2, max_size=40),
       separators=st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n"]), min_size=40, max_size=40),
       size=st.sampled_from([1, 20, 60, 200]))
def test_parts_join_to_the_whole_list(blocks: list[str], separators: list[str], size: int) -> None:
    """Parts read on their own and joined give what the whole list gives, or the join says it cannot
    (then the list is read whole): cuts inside code fences, HTML comments or ``<pre>``, headings the
    guess misses (setext, HTML, after a paragraph), a mark before ``<li>`` that belongs to an entry of
    the part before."""
    text = blocks[0] + "".join(sep + block for sep, block in zip(separators, blocks[1:], strict=False))
    whole = read_markdown(text, source="s", file="f.md")
    text = markdown_text(text)
    plan = parts.plan(text, size)
    reads = [read_markdown_part(text[p.start:p.end], p.first, p.headings, source="s", file="f.md")
             for p in plan]
    joined = parts.join(plan, reads)
    if len(plan) == 1:
        assert plan[0].start == 0 and plan[0].end == len(text)
    elif joined is not None:
        assert joined == whole


def test_parts_of_the_bundled_lists(data_dir: Path) -> None:
    for path in sorted(data_dir.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        text = markdown_text(raw)
        plan = parts.plan(text, 500)
        reads = [read_markdown_part(text[p.start:p.end], p.first, p.headings, source="s", file=path.name)
                 for p in plan]
        if len(plan) > 1:
            assert parts.join(plan, reads) == read_markdown(raw, source="s", file=path.name), path.name


def test_lists_with_reference_links_are_not_cut() -> None:
    text = "# A\n\n- [x][r]\n\n" * 100 + "[r]: https://example.org\n"
    assert len(parts.plan(text, 10)) == 1

"""Extraction: reading files defensively, and the list-wide checks (duplicates, identifier conflicts)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import MWAN_FILE, ZJU_FILE, by_line, diagnostics_at
from kdgraph.errors import KdgraphError
from kdgraph.extract import (
    Extraction,
    duplicate_entries,
    extract_all,
    extract_source,
    identifier_conflicts,
    read_text,
)
from kdgraph.records import Identifier, Record
from kdgraph.sources import Source, source_for_file


def _summary(extraction: Extraction) -> tuple[int, int, int]:
    result = extraction.result
    return len(result.records), len(result.skipped), result.items


def test_both_lists_fully_converted(extractions: dict[str, Extraction]) -> None:
    assert sorted(extractions) == ["mwan-reading-list", "zju-kd-papers"]
    assert _summary(extractions["zju-kd-papers"]) == (46, 0, 46)
    assert _summary(extractions["mwan-reading-list"]) == (206, 6, 212)
    for extraction in extractions.values():
        assert extraction.result.unaccounted() == 0


def test_diagnostic_counts_per_source(extractions: dict[str, Extraction]) -> None:
    def counts(source: str) -> dict[str, int]:
        diags = extractions[source].diagnostics
        return {sev: sum(d.severity == sev for d in diags) for sev in ("error", "warning", "info")}

    assert counts("zju-kd-papers") == {"error": 0, "warning": 8, "info": 0}
    assert counts("mwan-reading-list") == {"error": 2, "warning": 32, "info": 15}


def test_sha256_is_of_the_file_bytes(extractions: dict[str, Extraction], data_dir: Path) -> None:
    for extraction, name in ((extractions["zju-kd-papers"], ZJU_FILE),
                             (extractions["mwan-reading-list"], MWAN_FILE)):
        assert extraction.sha256 == hashlib.sha256((data_dir / name).read_bytes()).hexdigest()


def test_duplicates_within_a_list(extractions: dict[str, Extraction]) -> None:
    mwan = extractions["mwan-reading-list"]
    dups = sorted(d.line for d in mwan.diagnostics if d.code == "duplicate-entry")
    # read off the list: each repeats a title listed earlier in the same file
    assert dups == [196, 207, 289, 293, 323, 325, 384, 412, 447]
    (circumventing,) = diagnostics_at(mwan.diagnostics, 196, "duplicate-entry")
    assert "first at line 181" in circumventing.message
    records = by_line(mwan.records)
    assert records[181].title_key == records[196].title_key  # both records are kept
    zju = extractions["zju-kd-papers"]
    assert not [d for d in zju.diagnostics if d.code == "duplicate-entry"]


def test_one_arxiv_id_for_two_papers(extractions: dict[str, Extraction]) -> None:
    zju = extractions["zju-kd-papers"]
    conflicts = [d for d in zju.diagnostics if d.code == "identifier-conflict" and "1804.03235" in d.message]
    assert sorted(d.line for d in conflicts) == [24, 27]
    records = by_line(zju.records)
    assert records[24].title == "Deep Mutual Learning"
    assert records[27].title == "Large scale distributed neural network training through online distillation"
    assert Identifier("arXiv", "1804.03235") in records[24].identifiers
    assert Identifier("arXiv", "1804.03235") in records[27].identifiers
    at_24 = next(d for d in conflicts if d.line == 24)
    assert "Large scale distributed" in at_24.message and "kept apart" in at_24.message


def test_identifier_conflicts_across_lists(extractions: dict[str, Extraction]) -> None:
    # FitNets (zju, line 6) and "WFitnets" (mwan, line 426) both cite arXiv 1412.6550
    zju = diagnostics_at(extractions["zju-kd-papers"].diagnostics, 6, "identifier-conflict")
    mwan = diagnostics_at(extractions["mwan-reading-list"].diagnostics, 426, "identifier-conflict")
    assert len(zju) == len(mwan) == 1
    assert "1412.6550" in zju[0].message and "WFitnets" in zju[0].message
    assert MWAN_FILE in zju[0].message


def _record(line: int, title: str, *ids: str) -> Record:
    return Record(source="s", file="f.md", line=line, position=line, section=(), kind="paper", title=title,
                  title_raw=title, title_key=title.lower(),
                  identifiers=tuple(Identifier("arXiv", i) for i in ids))


def test_duplicate_entries_unit() -> None:
    records = [_record(1, "a"), _record(2, "b"), _record(3, "a"), _record(4, "a")]
    assert [(d.line, d.code) for d in duplicate_entries(records)] == [(3, "duplicate-entry"),
                                                                       (4, "duplicate-entry")]
    assert duplicate_entries([]) == []


def test_identifier_conflicts_unit() -> None:
    records = [_record(1, "a", "1"), _record(2, "a", "1"), _record(3, "b", "1", "2"), _record(4, "c", "2")]
    diags = identifier_conflicts(records)
    assert sorted(d.line for d in diags) == [1, 2, 3, 3, 4]
    assert identifier_conflicts([_record(1, "a", "1"), _record(2, "a", "1")]) == []


def test_identifier_conflict_message_stays_short() -> None:
    records = [_record(n, f"title {n}", "1234.56789") for n in range(1, 501)]
    diags = identifier_conflicts(records)
    assert len(diags) == 500
    assert max(len(d.message) for d in diags) < 400
    assert "and 496 more" in diags[0].message


# ------------------------------------------------------------------------------------ reading files


def test_read_text_hashes_bytes(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_bytes("- **Título** [[Paper]](https://arxiv.org/abs/2001.00001)\n".encode())
    text, digest = read_text(path)
    assert text.startswith("- **Título**")
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("content", "message"), [
    (b"# A\n\x00\x01\x02binary", "is a binary file"),
    (b"# A\n- ok\n- bad \xff here\n", ":3: not valid UTF-8 (byte 0xff)"),
    (b"\xc3", ":1: not valid UTF-8"),
])
def test_read_text_rejects_bad_bytes(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(content)
    with pytest.raises(KdgraphError) as info:
        read_text(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_read_text_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match="no such file"):
        read_text(tmp_path / "missing.md")
    with pytest.raises(KdgraphError, match="is a folder"):
        read_text(tmp_path)


def test_read_text_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kdgraph.extract

    monkeypatch.setattr(kdgraph.extract, "MAX_BYTES", 10)
    path = tmp_path / "list.md"
    path.write_bytes(b"- item one\n- item two\n")
    with pytest.raises(KdgraphError, match="split the list"):
        read_text(path)


def test_extract_all_reports_unreadable_sources(tmp_path: Path, data_dir: Path) -> None:
    good = source_for_file(data_dir / ZJU_FILE)
    bad = Source(id="bad", title="bad", path=tmp_path / "nope.md", origin="x", reader="markdown")
    done, errors = extract_all([bad, good])
    assert [e.source.id for e in done] == ["knowledge-distillation-paper"]
    assert len(errors) == 1 and "nope.md: no such file" in str(errors[0])


def test_extract_source_file_names_in_records(tmp_path: Path) -> None:
    path = tmp_path / "Tiny List.md"
    path.write_text("## CVPR 2020\n\n- **A Paper** [[Paper]](https://arxiv.org/abs/2001.00001)\n"
                    "- **A Paper** [[Paper]](https://arxiv.org/abs/2001.00001)\n", encoding="utf-8")
    extraction = extract_source(source_for_file(path))
    assert extraction.source.id == "tiny-list"
    assert [r.where for r in extraction.records] == [f"{path}:3", f"{path}:4"]
    assert [d.code for d in extraction.diagnostics] == ["duplicate-entry"]


def test_extract_source_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    extraction = extract_source(source_for_file(path))
    assert (extraction.result.items, extraction.records, extraction.diagnostics) == (0, [], [])


def test_one_paper_link_for_two_titles_is_reported_never_merged(data_dir: Path) -> None:
    from kdgraph.extract import extract_all
    from kdgraph.sources import load_registry

    extractions, errors = extract_all(load_registry(data_dir / "sources.toml"))
    assert not errors
    conflicts = sorted((Path(d.file).name, d.line) for e in extractions for d in e.diagnostics
                       if d.code == "link-conflict")
    # mwan lines 106 and 109 give one ResearchGate PDF for two papers; the zju AMLN entry and the mwan
    # one whose title is cut short ("…Distilla") share the ECVA PDF
    assert conflicts == [("knowledge-distillation-paper.md", 48), ("mwan0027-readinglist.md", 106),
                         ("mwan0027-readinglist.md", 109), ("mwan0027-readinglist.md", 187)]
    titles = {r.title_key for e in extractions for r in e.records}
    assert "towards oracle knowledge distillation with neural architecture search" in titles

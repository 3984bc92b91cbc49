"""The source registry: the bundled one, and every way a registry can be wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import REGISTRY_ENTRY as ENTRY
from kdgraph.errors import KdgraphError
from kdgraph.sources import Source, load_registry, source_for_file


def test_bundled_registry(registry: list[Source], data_dir: Path) -> None:
    assert [s.id for s in registry] == ["zju-kd-papers", "mwan-reading-list"]
    zju, mwan = registry
    assert zju.path == data_dir / "knowledge-distillation-paper.md"
    assert mwan.path == data_dir / "mwan0027-readinglist.md"
    assert all(s.path.is_file() for s in registry)
    assert zju.origin == "https://github.com/zju-pi/Knowledge-Distillation-Paper"
    assert mwan.origin == "https://github.com/mwan0027/ReadingList"
    assert (zju.reader, mwan.reader) == ("markdown", "markdown")
    assert zju.commit is not None and len(zju.commit) == 40
    # the registry object matches the TOML, field by field
    raw = tomllib.loads((data_dir / "sources.toml").read_text(encoding="utf-8"))["source"]
    assert [(e["id"], e["title"], e["file"]) for e in raw] == [(s.id, s.title, s.path.name) for s in registry]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_registry(tmp_path: Path) -> None:
    path = _write(tmp_path, ENTRY.format(id="my-list", reader="markdown"))
    (source,) = load_registry(path)
    assert source == Source(id="my-list", title="A list", path=tmp_path / "list.md",
                            origin="https://example.org/list", reader="markdown")


@pytest.mark.parametrize(("text", "message"), [
    (ENTRY.format(id="a", reader="markdown").replace('title = "A list"\n', ""), "missing title"),
    (ENTRY.format(id="a", reader="markdown").replace('origin = "https://example.org/list"\n', "")
     .replace('file = "list.md"\n', ""), "missing file, origin"),
    (ENTRY.format(id="a", reader="markdown").replace('title = "A list"', 'title = "  "'), "missing title"),
    (ENTRY.format(id="a", reader="markdown").replace('title = "A list"', "title = 3"), "missing title"),
    (ENTRY.format(id="a", reader="rst"), "unknown reader 'rst' — use one of markdown"),
    (ENTRY.format(id="a", reader="markdown") + ENTRY.format(id="a", reader="markdown"),
     "source #2: id 'a' is used twice"),
    (ENTRY.format(id="Not Valid", reader="markdown"), "id 'Not Valid' must be lower-case"),
    (ENTRY.format(id="-a", reader="markdown"), "id '-a' must be lower-case"),
    ("", "no [[source]] entries"),
    ("title = 'x'\n", "no [[source]] entries"),
    ("source = []\n", "no [[source]] entries"),
    ("source = 'x'\n", "no [[source]] entries"),
    ("source = [1, 2]\n", "source #1: not a table"),
    ("[[source]\nid = 1\n", "not a valid TOML registry"),
])
def test_bad_registry_is_one_line_error(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(KdgraphError) as info:
        load_registry(path)
    error = str(info.value)
    assert message in error
    assert error.startswith(str(path))
    assert "\n" not in error


def test_registry_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_bytes(b"[[source]]\nid = \"\xff\"\n")
    with pytest.raises(KdgraphError, match="not a valid TOML registry"):
        load_registry(path)


def test_registry_missing_or_folder(tmp_path: Path) -> None:
    with pytest.raises(KdgraphError, match="source registry not found"):
        load_registry(tmp_path / "nope.toml")
    with pytest.raises(KdgraphError, match="source registry not found"):
        load_registry(tmp_path)


def test_optional_fields(tmp_path: Path) -> None:
    text = ENTRY.format(id="a", reader="markdown") + 'commit = "abc"\nlicense = "CC0-1.0"\n'
    (source,) = load_registry(_write(tmp_path, text))
    assert (source.commit, source.license) == ("abc", "CC0-1.0")


@pytest.mark.parametrize(("name", "slug"), [
    ("mwan0027-readinglist.md", "mwan0027-readinglist"),
    ("My Reading List (2022).md", "my-reading-list-2022"),
    ("___.md", "list"),
    ("Ünïcode Liste.md", "unicode-liste"),
    ("x" * 100 + ".md", "x" * 64),
])
def test_source_for_file(tmp_path: Path, name: str, slug: str) -> None:
    source = source_for_file(tmp_path / name)
    assert source.id == slug
    assert source.title == name
    assert source.reader == "markdown"
    assert source.origin.startswith("file://")

"""Shared fixtures: where the bundled lists and the variant lists are, and their readings.

Paths are computed from this file's location, so the tests do not depend on the working directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from kdgraph.extract import Extraction, extract_all
from kdgraph.readers import read_markdown
from kdgraph.records import Diagnostic, ReadResult, Record
from kdgraph.sources import Source, load_registry

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = ROOT / "data"
VARIANTS = TESTS / "data" / "variants"

ZJU_FILE = "knowledge-distillation-paper.md"
MWAN_FILE = "mwan0027-readinglist.md"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The repository's ``data/`` folder (the registry and the bundled lists)."""
    assert (DATA / "sources.toml").is_file(), DATA
    return DATA


@pytest.fixture(scope="session")
def variants_dir() -> Path:
    """The hand-written variant lists of ``tests/data/variants/``."""
    return VARIANTS


@pytest.fixture(scope="session")
def registry(data_dir: Path) -> list[Source]:
    return load_registry(data_dir / "sources.toml")


@pytest.fixture(scope="session")
def extractions(registry: list[Source]) -> dict[str, Extraction]:
    """Both bundled lists, extracted as ``kdgraph extract`` does (list-wide checks included)."""
    done, errors = extract_all(registry)
    assert errors == []
    return {e.source.id: e for e in done}


def read_file(path: Path, source: str = "test") -> ReadResult:
    """Read a list file with the Markdown reader as ``kdgraph extract`` does: bytes decoded as UTF-8,
    line endings and a BOM left for the reader to handle."""
    return read_markdown(path.read_bytes().decode("utf-8"), source=source, file=path.name)


@pytest.fixture(scope="session")
def zju(data_dir: Path) -> ReadResult:
    return read_file(data_dir / ZJU_FILE, "zju-kd-papers")


@pytest.fixture(scope="session")
def mwan(data_dir: Path) -> ReadResult:
    return read_file(data_dir / MWAN_FILE, "mwan-reading-list")


# ----------------------------------------------------------------------------------- helpers


def count_markdown_items(text: str) -> int:
    """List items written at column 0 (``- ``, ``* ``, ``1. ``, ``1) ``), counted line by line."""
    return sum(1 for line in text.splitlines() if re.match(r"^(?:[-*+]|\d{1,9}[.)])[ \t]", line))


def count_html_items(text: str) -> int:
    """``<li`` tags (any case), counted over lines, leaving out HTML comments and author lines written
    as a nested one-line list (``<ul><li>…``)."""
    total = 0
    for line in text.splitlines():
        if line.lstrip().startswith("<!--"):
            continue
        lowered = line.lower()
        total += len(re.findall(r"<li\b", lowered)) - lowered.count("<ul><li")
    return total


def by_line(records: Iterable[Record]) -> dict[int, Record]:
    out: dict[int, Record] = {}
    for record in records:
        assert record.line not in out, f"two records at line {record.line}"
        out[record.line] = record
    return out


def diagnostics_at(diagnostics: Iterable[Diagnostic], line: int, code: str | None = None) -> list[Diagnostic]:
    return [d for d in diagnostics if d.line == line and (code is None or d.code == code)]


def venue_of(record: Record) -> tuple[str | None, int | None, str, bool] | None:
    v = record.venue
    return None if v is None else (v.series, v.year, v.kind, v.workshop)


def links_of(record: Record) -> list[tuple[str, str | None]]:
    return [(link.kind, link.framework) for link in record.links]


def ids_of(record: Record) -> list[tuple[str, str]]:
    return [(i.scheme, i.value) for i in record.identifiers]


def names_of(record: Record) -> list[str]:
    return [p.name for p in record.authors]


def marks_of(record: Record) -> tuple[str | None, bool]:
    return (record.marks.priority, record.marks.read)


REGISTRY_ENTRY = """
[[source]]
id = "{id}"
title = "A list"
file = "list.md"
origin = "https://example.org/list"
reader = "{reader}"
"""
"""One registry entry, with {id} and {reader} to fill in (CLI and registry tests)."""

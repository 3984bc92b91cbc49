"""The source registry: which reading lists kdgraph reads, where they come from, and which reader.

The registry is a TOML file (``data/sources.toml``) of ``[[source]]`` tables. Adding a list is dropping
its file beside the registry and adding an entry; no code changes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import KdgraphError
from .normalize import ascii_fold

DEFAULT_REGISTRY = Path("data") / "sources.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FIELDS = ("id", "title", "file", "origin", "reader")


@dataclass(frozen=True, slots=True)
class Source:
    """One reading list: a stable id, a title, its file, where it came from, and its reader."""

    id: str
    title: str
    path: Path
    origin: str
    reader: str
    commit: str | None = None
    license: str | None = None


def source_for_file(path: Path, reader: str = "markdown") -> Source:
    """A source for a file given on the command line rather than in the registry."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(path.stem).lower()).strip("-") or "list"
    return Source(id=slug[:64], title=path.name, path=path, origin=path.resolve().as_uri(),
                  reader=reader)


def load_registry(path: Path = DEFAULT_REGISTRY) -> list[Source]:
    """Read and check the registry; every problem is a one-line :class:`KdgraphError`."""
    from .readers import READERS

    if not path.is_file():
        raise KdgraphError(
            f"{path}: source registry not found — run kdgraph from the project folder, or pass "
            "--registry PATH")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KdgraphError(f"{path}: not a valid TOML registry ({exc}) — fix the file") from exc
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise KdgraphError(f"{path}: no [[source]] entries — add one per reading list")
    sources: list[Source] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        where = f"{path}: source #{n}"
        if not isinstance(entry, dict):
            raise KdgraphError(f"{where}: not a table — write each source as a [[source]] table")
        missing = [f for f in _FIELDS if not isinstance(entry.get(f), str) or not entry[f].strip()]
        if missing:
            raise KdgraphError(f"{where}: missing {', '.join(missing)} — every source needs "
                               f"{', '.join(_FIELDS)}")
        sid = entry["id"]
        if not _ID.match(sid):
            raise KdgraphError(f"{where}: id {sid!r} must be lower-case letters, digits and '-'")
        if sid in seen:
            raise KdgraphError(f"{where}: id {sid!r} is used twice — ids must be unique")
        if entry["reader"] not in READERS:
            raise KdgraphError(f"{where}: unknown reader {entry['reader']!r} — use one of "
                               f"{', '.join(sorted(READERS))}")
        seen.add(sid)
        sources.append(Source(
            id=sid, title=entry["title"].strip(), path=path.parent / entry["file"],
            origin=entry["origin"].strip(), reader=entry["reader"], commit=entry.get("commit"),
            license=entry.get("license"),
        ))
    return sources

"""Extraction: read every source list with its reader, and check the records of a list as a whole.

Per-item doubts come from the readers; this module adds the doubts only visible across items (the same
paper listed twice, one identifier cited for two different titles) and reads files defensively, so bad
input is a one-line error, never a traceback.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import KdgraphError
from .normalize import identifiers_in
from .readers import READERS
from .records import Diagnostic, ReadResult, Record
from .sources import Source

MAX_BYTES = 64 * 1024 * 1024
_NAMED = 3  # other titles named in one identifier-conflict message


@dataclass(slots=True)
class Extraction:
    """What one source gave: its records and diagnostics, and the hash of the text they came from."""

    source: Source
    result: ReadResult
    sha256: str

    @property
    def records(self) -> list[Record]:
        return self.result.records

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics


def read_text(path: Path) -> tuple[str, str]:
    """The text of a list file and the SHA-256 of its bytes; a :class:`KdgraphError` if unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise KdgraphError(f"{path}: no such file — check the path or the registry entry") from exc
    except IsADirectoryError as exc:
        raise KdgraphError(f"{path}: is a folder, not a list file — name a Markdown file") from exc
    except OSError as exc:
        raise KdgraphError(f"{path}: cannot be read ({exc.strerror}) — check permissions") from exc
    if len(data) > MAX_BYTES:
        raise KdgraphError(f"{path}: {len(data) // (1024 * 1024)} MB is larger than the "
                           f"{MAX_BYTES // (1024 * 1024)} MB a list may have — split the list")
    if b"\x00" in data[:8192]:
        raise KdgraphError(f"{path}: is a binary file, not a Markdown list — check the path")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KdgraphError(f"{path}:{line}: not valid UTF-8 (byte {data[exc.start]:#04x}) — save the "
                           "file as UTF-8") from exc
    return text, hashlib.sha256(data).hexdigest()


def extract_source(source: Source, cache: Path | None = None) -> Extraction:
    """Read one source with its reader and add the list-wide checks.

    With ``cache`` (a folder), the result is kept there under a key made of the SHA-256 of the list's
    bytes, the source's id, file name and reader, the kdgraph version and a fingerprint of the reading
    code: a list whose bytes did not change is not read again. Checks across lists
    (:func:`identifier_conflicts`) are never cached.
    """
    text, digest = read_text(source.path)
    cached = _cache_file(cache, source, digest) if cache is not None else None
    if cached is not None and cached.is_file():
        try:
            result = pickle.loads(cached.read_bytes())
        except Exception:  # a damaged cache entry is read again, never trusted
            result = None
        if isinstance(result, ReadResult):
            return Extraction(source=source, result=result, sha256=digest)
    reader = READERS[source.reader]
    result = reader(text, source=source.id, file=str(source.path))
    result.diagnostics.extend(duplicate_entries(result.records))
    if cached is not None:
        _store(cached, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return Extraction(source=source, result=result, sha256=digest)


@functools.cache
def _reading_code() -> str:
    """A fingerprint of the code that reads lists, so a changed reader never serves a stale cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("readers/*.py"), root / "normalize.py", root / "records.py",
                        root / "extract.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file(cache: Path, source: Source, digest: str) -> Path:
    from . import __version__

    key = hashlib.sha256(
        "\0".join((digest, source.id, str(source.path), source.reader, __version__,
                    _reading_code())).encode("utf-8"))
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in source.id)
    return cache / f"extract-{safe}-{key.hexdigest()[:32]}.pickle"


def _store(target: Path, data: bytes) -> None:
    """Write a cache entry atomically and drop the entries of the same source it replaces."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        prefix = target.name.rsplit("-", 1)[0] + "-"
        for old in target.parent.glob(f"{prefix}*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time


def duplicate_entries(records: Iterable[Record]) -> list[Diagnostic]:
    """An entry whose title was already listed earlier in the same list."""
    first: dict[str, Record] = {}
    out: list[Diagnostic] = []
    for record in records:
        earlier = first.setdefault(record.title_key, record)
        if earlier is not record:
            out.append(Diagnostic(
                source=record.source, file=record.file, line=record.line, code="duplicate-entry",
                message=(f"{record.title!r} is listed again (first at line {earlier.line}); both "
                         "items are kept for the one paper — remove one if it is a mistake"),
            ))
    return out


def _conflicts(records: Iterable[Record], keys_of: Callable[[Record], Iterable[tuple[str, str]]],
               code: str, what: str) -> list[Diagnostic]:
    """Entries with different titles that share a key (an identifier, a paper link): reported once per
    entry, naming at most a few of the others; the papers are never merged on it."""
    by_key: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records:
        for key in dict.fromkeys(keys_of(record)):
            by_key[key].append(record)
    out: list[Diagnostic] = []
    for (label, value), cited in sorted(by_key.items()):
        first: dict[str, Record] = {}  # each distinct title, where it is first cited
        for record in cited:
            first.setdefault(record.title_key, record)
        if len(first) < 2:
            continue
        distinct = sorted(first.values(), key=lambda r: (r.title, r.where))
        for record in cited:
            named = [o for o in distinct[:_NAMED + 1] if o.title_key != record.title_key][:_NAMED]
            others = "; ".join(f"{o.title!r} ({o.where})" for o in named)
            if len(distinct) - 1 > len(named):
                others += f" and {len(distinct) - 1 - len(named)} more"
            out.append(Diagnostic(
                source=record.source, file=record.file, line=record.line, code=code,
                message=(f"{what.format(label=label, value=value)} of {record.title!r} is also cited "
                         f"for {others}; the papers are kept apart — check which link is wrong"),
            ))
    return out


def identifier_conflicts(records: Iterable[Record]) -> list[Diagnostic]:
    """Identifiers cited by entries with different titles: never merged, always reported."""
    return _conflicts(records, lambda r: ((i.scheme, i.value) for i in r.identifiers),
                      "identifier-conflict", "{label} {value}")


def link_conflicts(records: Iterable[Record]) -> list[Diagnostic]:
    """The same paper link given for different titles (a copy-paste mistake, or one title cut short);
    links that carry an identifier are left to :func:`identifier_conflicts`."""
    def paper_links(record: Record) -> Iterator[tuple[str, str]]:
        for link in record.links:
            if link.kind == "paper" and not identifiers_in(link.url):
                yield ("link", link.url)

    return _conflicts(records, paper_links, "link-conflict", "the paper link {value}")


def extract_all(sources: Iterable[Source], cache: Path | None = None,
                ) -> tuple[list[Extraction], list[KdgraphError]]:
    """Extract every source; sources that cannot be read are returned as errors, not raised.

    ``cache``: a folder where each list's extraction is kept by content hash (see
    :func:`extract_source`).
    """
    done: list[Extraction] = []
    errors: list[KdgraphError] = []
    for source in sources:
        try:
            done.append(extract_source(source, cache))
        except KdgraphError as exc:
            errors.append(exc)
    every = [r for e in done for r in e.records]
    conflicts = identifier_conflicts(every) + link_conflicts(every)
    for extraction in done:
        extraction.diagnostics.extend(d for d in conflicts if d.source == extraction.source.id)
    return done, errors

"""Extraction: read every source list with its reader, and check the records of a list as a whole.

Per-item doubts come from the readers; this module adds the doubts only visible across items (the same
paper listed twice, one identifier cited for two different titles) and reads files defensively, so bad
input is a one-line error, never a traceback.

Big lists are read in worker processes, in parallel: each list, and a big Markdown list cut into parts
(:mod:`kdgraph.readers.parts`). What comes back is exactly what reading them one after the other in this
process gives (records, diagnostics, their order, errors); small builds are read in this process.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import multiprocessing
import os
import pickle
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .bulk import gc_paused
from .errors import KdgraphError
from .normalize import identifiers_in
from .readers import READERS, parts
from .readers.markdown import PartRead, markdown_text, read_markdown, read_markdown_part
from .records import Diagnostic, ReadResult, Record
from .sources import Source

MAX_BYTES = 64 * 1024 * 1024
_NAMED = 3  # other titles named in one identifier-conflict message

# Reading in worker processes (starting them, sending texts and records between processes) pays only
# for lists of this many characters or more, in all (1 MB of ASCII); fewer are read in this process.
PARALLEL_MIN_CHARS = 1024 * 1024
# A Markdown list is cut into parts of at least this many characters (see readers.parts), about eight
# per worker in all, so that the workers finish close together.
PART_MIN_CHARS = 256 * 1024
_PARTS_PER_WORKER = 8
WORKERS_ENV = "KDGRAPH_EXTRACT_WORKERS"  # how many worker processes at most; 1: read in this process


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


@dataclass(slots=True)
class _ToRead:
    """A list whose text is read from its file but not yet by its reader (not found in the cache)."""

    source: Source
    text: str
    sha256: str
    cached: Path | None  # where its cache entry goes


def extract_source(source: Source, cache: Path | None = None) -> Extraction:
    """Read one source with its reader and add the list-wide checks.

    With ``cache`` (a folder), the result is kept there under a key made of the SHA-256 of the list's
    bytes, the source's id, file name and reader, the kdgraph version and a fingerprint of the reading
    code: a list whose bytes did not change is not read again. Checks across lists
    (:func:`identifier_conflicts`) are never cached.
    """
    with gc_paused():
        found = _look_up(source, cache)
        if isinstance(found, Extraction):
            return found
        return _finish(found, _read_list(found.source.reader, found.text, found.source.id,
                                         str(found.source.path)))


def _look_up(source: Source, cache: Path | None) -> Extraction | _ToRead:
    """The source's extraction from the cache, or its text to read."""
    text, digest = read_text(source.path)
    cached = _cache_file(cache, source, digest) if cache is not None else None
    if cached is not None and cached.is_file():
        try:
            result = pickle.loads(cached.read_bytes())
        except Exception:  # a damaged cache entry is read again, never trusted
            result = None
        if isinstance(result, ReadResult):
            return Extraction(source=source, result=result, sha256=digest)
    return _ToRead(source=source, text=text, sha256=digest, cached=cached)


def _read_list(reader: str, text: str, source: str, file: str) -> ReadResult:
    """Read a whole list with its reader (in this process, or as a worker's task)."""
    with gc_paused():
        return READERS[reader](text, source=source, file=file)


def _read_here(to_read: list[_ToRead]) -> Generator[ReadResult | KdgraphError, None, None]:
    """What each list's reader gives (or the error it raises), in order, read one after the other in
    this process."""
    for item in to_read:
        yield _read_or_error(item)


def _read_or_error(item: _ToRead) -> ReadResult | KdgraphError:
    try:
        return _read_list(item.source.reader, item.text, item.source.id, str(item.source.path))
    except KdgraphError as exc:
        return exc


def _read_part(text: str, first: int, headings: tuple[tuple[int, str], ...], source: str,
               file: str) -> PartRead:
    """Read a part of a Markdown list (a worker's task)."""
    with gc_paused():
        return read_markdown_part(text, first, headings, source=source, file=file)


def _finish(item: _ToRead, result: ReadResult) -> Extraction:
    """Add the checks within a list to what its reader gave, and keep it in the cache."""
    result.diagnostics.extend(duplicate_entries(result.records))
    if item.cached is not None:
        _store(item.cached, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return Extraction(source=item.source, result=result, sha256=item.sha256)


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
    shared = sorted((key, cited) for key, cited in by_key.items() if len(cited) > 1)
    for (label, value), cited in shared:
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


def extract_all(sources: Iterable[Source], cache: Path | None = None, *, workers: int | None = None,
                ) -> tuple[list[Extraction], list[KdgraphError]]:
    """Extract every source; sources that cannot be read are returned as errors, not raised.

    ``cache``: a folder where each list's extraction is kept by content hash (see
    :func:`extract_source`). ``workers``: how many worker processes may read lists at once; by
    default the environment variable ``KDGRAPH_EXTRACT_WORKERS``, else the number of CPUs this process
    may use. Lists are read in workers only when there are :data:`PARALLEL_MIN_CHARS` or more to read
    (in the lists not found in the cache), and the results are the same either way: the extractions
    and errors in the order of ``sources``.
    """
    with gc_paused():
        return _extract_all(sources, cache, workers)


def _extract_all(sources: Iterable[Source], cache: Path | None, workers: int | None,
                 ) -> tuple[list[Extraction], list[KdgraphError]]:
    found: list[Extraction | _ToRead | KdgraphError] = []
    for source in sources:
        try:
            found.append(_look_up(source, cache))
        except KdgraphError as exc:
            found.append(exc)
    to_read = [f for f in found if isinstance(f, _ToRead)]
    in_workers = _parallel(to_read, workers)
    done: list[Extraction] = []
    errors: list[KdgraphError] = []
    with contextlib.closing(_read_in_workers(to_read, _worker_count(workers)) if in_workers
                            else _read_here(to_read)) as reads:
        for item in found:
            if isinstance(item, _ToRead):
                read = next(reads)
                if isinstance(read, KdgraphError):
                    errors.append(read)
                else:
                    done.append(_finish(item, read))
            elif isinstance(item, KdgraphError):
                errors.append(item)
            else:
                done.append(item)
    every = [r for e in done for r in e.records]
    conflicts = identifier_conflicts(every) + link_conflicts(every)
    for extraction in done:
        extraction.diagnostics.extend(d for d in conflicts if d.source == extraction.source.id)
    return done, errors


# ------------------------------------------------------------------------------------ worker processes


def _worker_count(workers: int | None) -> int:
    """How many worker processes may read at once: ``workers``, else the environment's setting, else
    the CPUs this process may use."""
    if workers is None:
        setting = os.environ.get(WORKERS_ENV, "").strip()
        if setting:
            try:
                workers = int(setting)
            except ValueError as exc:
                raise KdgraphError(f"{WORKERS_ENV}={setting!r} is not a number — set it to how many "
                                   "processes may read lists at once (1: none besides this one)") from exc
        else:
            try:
                workers = len(os.sched_getaffinity(0))
            except (AttributeError, OSError):  # not on every platform
                workers = os.cpu_count() or 1
    return max(1, workers)


def _parallel(to_read: list[_ToRead], workers: int | None) -> bool:
    """Whether to read in worker processes: more than one worker allowed, and enough to read."""
    if not to_read or sum(len(item.text) for item in to_read) < PARALLEL_MIN_CHARS:
        return False
    return _worker_count(workers) > 1


@dataclass(slots=True)
class _Plan:
    """How one list is read in workers: whole (``parts`` None) or in parts of its Markdown text."""

    item: _ToRead
    parts: list[parts.Part] | None


@dataclass(slots=True)
class _Task:
    size: int  # characters to read
    key: tuple[int, int]  # (list, part)
    call: Callable[..., ReadResult | PartRead]
    args: tuple[object, ...]


def _read_in_workers(to_read: list[_ToRead], workers: int,
                     ) -> Generator[ReadResult | KdgraphError, None, None]:
    """What each list's reader gives (or the error it raises), in the order of ``to_read``, read by
    worker processes: whole lists, and Markdown lists cut into parts, the longest first. A list whose
    parts cannot be joined (see :func:`kdgraph.readers.parts.join`), or whose reading failed in a
    worker, is read again here, so that what it gives, an error included, is what reading it here
    gives. With fewer than two tasks, all is read here."""
    total = sum(len(item.text) for item in to_read)
    size = max(PART_MIN_CHARS, total // (workers * _PARTS_PER_WORKER))
    plans: list[_Plan] = []
    tasks: list[_Task] = []
    for i, item in enumerate(to_read):
        source, file = item.source.id, str(item.source.path)
        if READERS[item.source.reader] is read_markdown:
            text = markdown_text(item.text)
            cut = parts.plan(text, size)
            if len(cut) > 1:
                plans.append(_Plan(item, cut))
                tasks.extend(_Task(part.end - part.start, (i, n), _read_part,
                                   (text[part.start:part.end], part.first, part.headings, source, file))
                             for n, part in enumerate(cut))
                continue
        plans.append(_Plan(item, None))
        tasks.append(_Task(len(item.text), (i, 0), _read_list, (item.source.reader, item.text, source, file)))
    if len(tasks) < 2:
        yield from _read_here(to_read)
        return
    futures: dict[tuple[int, int], Future[ReadResult | PartRead]] = {}
    pool = _pool(min(workers, len(tasks)))
    try:
        for task in sorted(tasks, key=lambda t: -t.size):  # the longest first: the workers end together
            futures[task.key] = pool.submit(task.call, *task.args)
        for i, plan in enumerate(plans):
            yield _collect(plan, [futures[i, n] for n in range(len(plan.parts or [None]))])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(workers: int, method: str | None = None) -> ProcessPoolExecutor:
    """A pool of worker processes. They are forked where that is safe (Linux, and this process runs
    one thread): they start at once and import nothing. Otherwise they are spawned: each starts a
    Python that imports the readers (never rdflib) and, as multiprocessing does, the main module
    under another name."""
    if method is None:
        method = "fork" if sys.platform.startswith("linux") and _one_thread() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def _one_thread() -> bool:
    """Whether this process runs a single thread (forking one that runs more may deadlock the child)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _collect(plan: _Plan, futures: list[Future[ReadResult | PartRead]]) -> ReadResult | KdgraphError:
    """A list's result from its tasks; read again here when they failed or the parts do not join."""
    try:
        reads = [f.result() for f in futures]
        if plan.parts is None and isinstance(reads[0], ReadResult):
            return reads[0]
        pieces = [r for r in reads if isinstance(r, PartRead)]
        if plan.parts is not None and len(pieces) == len(plan.parts):
            joined = parts.join(plan.parts, pieces)
            if joined is not None:
                return joined
    except Exception:  # read again here, where its error (if it has one) is raised as always
        pass
    return _read_or_error(plan.item)

"""The embedded store: a pyoxigraph on-disk store that ``kdgraph build`` writes beside the dumps.

Queries open it read-only, so ``kdgraph query`` never re-parses the dumps. Its default graph is the union
of the named graphs (one per list, the vocabulary and the ontology), as on a server started with
``oxigraph serve --union-default-graph``.
"""

from __future__ import annotations

import queue
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .bulk import lower_thread_priority

if TYPE_CHECKING:
    import pyoxigraph as ox

STORE_DIR = "store"

Batch = Callable[[], bytes]
"""A batch of quads for :class:`StoreWriter`: a function that gives their N-Quads text."""


class StoreWriter:
    """Loads a new pyoxigraph store in a thread, while the caller goes on: an on-disk store at
    ``target``, or an in-memory one.

    :meth:`add` queues a batch of quads as a function that gives their N-Quads text: the thread calls it
    when the batch's turn comes, so a batch's text exists only while pyoxigraph's loader (which releases
    the GIL) loads it, and one batch at a time is in memory. The same quad may come in several batches;
    the store holds it once. :meth:`finish` waits for the queued batches, re-raises what loading raised
    and returns the store; :meth:`cancel` stops before the next batch, leaving an incomplete on-disk
    store for the caller to remove.

    The text is loaded leniently (IRIs are not checked again): it is kdgraph's own output, whose terms
    the mapping wrote.
    """

    def __init__(self, target: Path | None = None, niceness: int = 0) -> None:
        self.target = target
        self.niceness = niceness
        self._batches: queue.SimpleQueue[Batch | None] = queue.SimpleQueue()
        self._cancelled = threading.Event()
        self._error: BaseException | None = None
        self._store: ox.Store | None = None
        if target is not None and target.exists():
            shutil.rmtree(target)
        self._thread = threading.Thread(target=self._load, daemon=True,
                                        name="kdgraph-store" if target is not None else "kdgraph-memory")
        self._thread.start()

    def add(self, batch: Batch) -> None:
        """Queue a batch of quads."""
        self._batches.put(batch)

    def finish(self) -> ox.Store:
        """Wait until every queued batch is loaded (and an on-disk store flushed); the store. Raises
        what loading raised."""
        self._batches.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        store, self._store = self._store, None  # the caller's alone: dropped, an on-disk store closes
        if store is None:
            raise RuntimeError("the store was cancelled or handed over already")
        return store

    def cancel(self) -> None:
        """Stop before the next batch and wait for the one loading."""
        self._cancelled.set()
        self._batches.put(None)
        self._thread.join()
        self._store = None

    def _load(self) -> None:
        ended = False  # the end of the queue was taken
        try:
            import pyoxigraph as ox

            lower_thread_priority(self.niceness)
            store = ox.Store(str(self.target)) if self.target is not None else ox.Store()
            # the bulk loader writes sorted files into the on-disk store; in memory, load() is faster
            # (8 s against 12 for 2.9 million quads)
            load = store.bulk_load if self.target is not None else store.load
            while (batch := self._batches.get()) is not None:
                if not self._cancelled.is_set():
                    load(batch(), format=ox.RdfFormat.N_QUADS, lenient=True)
            ended = True
            if not self._cancelled.is_set():
                store.flush()
                self._store = store
        except BaseException as exc:  # re-raised by finish()
            self._error = exc
            while not ended and self._batches.get() is not None:  # let finish() and cancel() return
                pass


def open_store(out: Path):  # type: ignore[no-untyped-def]
    """The build's store, opened read-only; a KdgraphError if there is none."""
    import pyoxigraph as ox

    from .errors import KdgraphError

    path = out / STORE_DIR
    if not path.is_dir():
        raise KdgraphError(f"{path}: no embedded store — run `kdgraph build --out {out}` first, or "
                           "query a server with --endpoint URL")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise KdgraphError(f"{path}: the store cannot be opened ({exc}) — rebuild it with "
                           f"`kdgraph build --out {out}`") from exc

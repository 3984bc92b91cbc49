"""The embedded store: a pyoxigraph on-disk store that ``kdgraph build`` writes beside the dumps.

Queries open it read-only, so ``kdgraph query`` never re-parses the dumps. Its default graph is the union
of the named graphs (one per list, the vocabulary and the ontology), as on a server started with
``oxigraph serve --union-default-graph``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

STORE_DIR = "store"


BATCH_BYTES = 128 << 20
"""N-Quads text per bulk load. pyoxigraph's bulk loader holds what one load gives it in memory while it
sorts it into the store's indexes: 1.7 GB for 2.9 million quads at once, 0.9 GB in batches of 128 MiB."""


def write_store(nquads: Path, target: Path, batch: int = BATCH_BYTES,
                cancelled: Callable[[], bool] | None = None) -> None:
    """Bulk-load an N-Quads file into a new on-disk store at ``target``, in batches of about ``batch``
    bytes of whole lines (N-Quads lines stand alone: kdgraph's data has no blank nodes). Before each
    batch, ``cancelled()`` may stop the load, leaving an incomplete store for the caller to remove."""
    import pyoxigraph as ox

    if target.exists():
        shutil.rmtree(target)
    store = ox.Store(str(target))
    with nquads.open("rb") as f:
        rest = b""  # the start of a line that the last block cut
        while True:
            if cancelled is not None and cancelled():
                return  # the caller removes the incomplete store
            block = f.read(batch)
            if not block:
                break
            cut = block.rfind(b"\n") + 1
            if cut:
                store.bulk_load(rest + block[:cut], format=ox.RdfFormat.N_QUADS)
                rest = block[cut:]
            else:
                rest += block
        if rest:  # a last line without its line feed
            store.bulk_load(rest, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store


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

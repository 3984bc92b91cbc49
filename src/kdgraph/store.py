"""The embedded store: a pyoxigraph on-disk store that ``kdgraph build`` writes beside the dumps.

Queries open it read-only, so ``kdgraph query`` never re-parses the dumps. Its default graph is the union
of the named graphs (one per list, the vocabulary and the ontology), as on a server started with
``oxigraph serve --union-default-graph``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

STORE_DIR = "store"


def write_store(nquads: Path, target: Path) -> None:
    """Bulk-load an N-Quads file into a new on-disk store at ``target``."""
    import pyoxigraph as ox

    if target.exists():
        shutil.rmtree(target)
    store = ox.Store(str(target))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
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

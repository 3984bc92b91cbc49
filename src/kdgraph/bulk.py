"""Working with millions of small objects: the build's triples are tuples of strings, which form no
reference cycles, so the cyclic garbage collector has nothing to find in them — but each collection
that an allocation triggers walks them all again. :func:`gc_paused` switches it off meanwhile, and moves what
the block made out of the collector's way when it ends."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused(freeze_from: int = 1_000_000) -> Iterator[None]:
    """No cyclic garbage collection inside the block (reference counting still frees memory).

    When the block made more than ``freeze_from`` objects, they are frozen (:func:`gc.freeze`) before
    collection is switched back on: left young, all of them would be walked by the first collection that
    follows, seconds for the millions of a big build, to find nothing. Frozen objects are still freed by
    reference counting; only a reference cycle among them stays until the process ends. A small block's
    objects are left to the collector as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_count()[0] > freeze_from:  # objects made since the last collection
                gc.freeze()
            gc.enable()


def release_free_memory() -> None:
    """Hand memory freed since to the operating system (glibc's ``malloc_trim``; elsewhere nothing).

    Memory freed in another thread's malloc arena (validation's in-memory store, loaded in a thread)
    stays mapped to the process until trimmed, and the dumps written next would add their own on top
    of it."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return
    trim(0)


def lower_thread_priority(niceness: int) -> None:
    """Give the calling thread, and the threads it starts after (pyoxigraph's loader workers), a lower
    CPU priority: ``niceness`` added to its nice value, on Linux, where each thread has its own; elsewhere
    nothing. Background work (loading the stores) then takes the CPU the build's main thread leaves,
    instead of slowing it down."""
    import contextlib
    import os
    import sys
    import threading

    if not sys.platform.startswith("linux") or niceness <= 0:
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):  # not permitted here: the thread keeps its priority
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + niceness)

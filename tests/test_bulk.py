"""kdgraph.bulk: the collector paused during bulk work, and what it finds afterwards."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator

import pytest

from kdgraph.bulk import gc_paused, lower_thread_priority, release_free_memory


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_collection_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it as it found it
    assert gc.isenabled()


def test_a_big_block_freezes_what_it_made() -> None:
    with gc_paused(freeze_from=10_000):
        made = [(str(i),) for i in range(50_000)]
    assert gc.get_freeze_count() >= len(made)
    assert gc.isenabled()


def test_a_small_block_leaves_its_objects_to_the_collector() -> None:
    with gc_paused(freeze_from=10_000):
        made = [(str(i),) for i in range(100)]
    assert gc.get_freeze_count() == 0
    assert len(made) == 100


def test_collection_comes_back_on_after_an_error() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("bad input")
    assert gc.isenabled()


def test_releasing_free_memory_is_harmless() -> None:
    release_free_memory()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_a_lowered_thread_runs_nicer_and_the_others_do_not() -> None:
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []

    def lowered() -> None:
        lower_thread_priority(3)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=lowered)
    thread.start()
    thread.join()
    assert seen == [min(before + 3, 19)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


def test_no_niceness_leaves_the_priority_alone() -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    lower_thread_priority(0)
    assert os.getpriority(os.PRIO_PROCESS, 0) == before

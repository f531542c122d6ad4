"""The collector pause around scoring: state restored, nothing leaked, overlap handled."""

from __future__ import annotations

import gc
import threading

import pytest

from app.gc_pause import _PENDING_LIMIT, collector_paused


@pytest.fixture(autouse=True)
def _collector_running():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_resumed_after():
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # re-entrant
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_exception_still_resumes_the_collector(moderator):
    with pytest.raises(TypeError):
        moderator.score(["fine", 42])  # type: ignore[list-item]
    assert gc.isenabled()


def test_scoring_leaves_no_cyclic_garbage(moderator):
    """The pause's premise: reference counting frees everything a scoring call makes."""
    texts = ["you are a moron", "they should all be sent back", '"quoted" f a g g o t', ""]
    contexts = [None, "Muslim families moved in last spring.", None, None]
    moderator.score(texts)  # warm caches first; they are meant to stay
    gc.collect()
    with collector_paused():
        moderator.score(texts * 50, contexts=contexts * 50)
        moderator.score_thread(
            [{"id": 1, "text": "Refugees arrived"}, {"id": 2, "parent_id": 1, "text": "vermin"}]
        )
        moderator.score_usernames(["ZionismIsEvil", "King Cliff"])
    assert gc.collect() == 0


def test_overlapping_calls_resume_once_and_collect_overdue_garbage():
    def cycles(n: int) -> None:
        for _ in range(n):
            a: list = []
            a.append(a)

    started, release = threading.Event(), threading.Event()

    def long_call() -> None:
        with collector_paused():
            started.set()
            release.wait(10)

    other = threading.Thread(target=long_call)
    other.start()
    started.wait(10)
    with collector_paused():
        cycles(_PENDING_LIMIT * 2)
    # the other call still holds the pause, yet the garbage made meanwhile was collected
    assert not gc.isenabled()
    assert gc.get_count()[0] < _PENDING_LIMIT
    release.set()
    other.join(10)
    assert gc.isenabled()

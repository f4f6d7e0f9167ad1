"""The shared frontier's rules, against a real Redis (``redis_url`` fixture): one story queued once in
the cluster, held by one worker, given back when its worker dies, never written twice."""

from __future__ import annotations

import pytest
import redis

from crawler.frontier import Frontier

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    return redis.Redis.from_url(redis_url)


def worker(server: redis.Redis, prefix: str, name: str, **kwargs) -> Frontier:
    frontier = Frontier(server, prefix, name, lease=kwargs.pop("lease", 30), **kwargs)
    frontier.start_heartbeat()
    return frontier


def die(frontier: Frontier) -> None:
    """What SIGKILL leaves: no more heartbeat, nothing given back."""
    frontier._stopping.set()
    frontier._thread.join()
    frontier.server.delete(frontier.alive_prefix + frontier.worker)


def pop_all(frontier: Frontier) -> list[str]:
    keys = []
    while (popped := frontier.pop()) is not None:
        if popped.data:
            keys.append(popped.key)
    return keys


def test_a_story_is_queued_once_in_the_cluster(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    assert a.push("upi:1", 0, b"req1", article=True)
    assert not b.push("upi:1", 0, b"req1-from-b", article=True)
    assert not a.push("upi:1", -5, b"req1-again", article=True)
    assert b.push("d:feed", -10, b"feed", article=False)
    assert b.push("d:feed", -10, b"feed2", article=False)  # feeds are deduplicated by the filter
    assert len(a) == 3
    assert [(p.key, p.data) for p in (b.pop(), b.pop(), b.pop())] == [
        ("d:feed", b"feed"), ("d:feed", b"feed2"), ("upi:1", b"req1")]
    a.stop(), b.stop()


def test_popped_requests_are_held_and_served_in_priority_order(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    a.push("upi:low", 0, b"low", article=True)
    a.push("d:feed", -10, b"feed", article=False)
    first = b.pop()
    assert (first.key, first.data) == ("d:feed", b"feed")
    assert a.held() == {"d:feed": "b"}
    assert a.pop().key == "upi:low"
    assert a.pop() is None
    a.stop(), b.stop()


def test_commit_marks_done_and_a_stale_copy_is_discarded(server, redis_prefix) -> None:
    a = worker(server, redis_prefix, "a")
    a.push("upi:1", 0, b"r", article=True)
    assert a.pop().key == "upi:1"
    assert a.confirm(["upi:1"]) == {"upi:1"}
    assert a.commit(["upi:1"]) == 1
    assert a.held() == {}
    # a worker that read the feed before the commit queues the story again: it is not fetched
    assert a.push("upi:1", 0, b"r", article=True)
    popped = a.pop()
    assert popped is not None and popped.data == b"" and popped.discarded == 1
    assert a.pop() is None
    a.stop()


def test_release_lets_a_later_run_queue_the_story_again(server, redis_prefix) -> None:
    a = worker(server, redis_prefix, "a")
    a.push("upi:1", 0, b"r", article=True)
    a.pop()
    assert a.release(["upi:1"]) == 1
    assert a.push("upi:1", 0, b"r", article=True)
    assert pop_all(a) == ["upi:1"]
    a.stop()


def test_retry_of_a_held_request_goes_back_in_its_place(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    a.push("upi:1", 0, b"r", article=True)
    a.pop()
    # the same story found again in another feed by the worker holding it: not queued twice
    assert not a.push("upi:1", 0, b"r-from-feed", article=True)
    # a retry (or redirect) of the held request: queued, no longer held
    assert a.push("upi:1", 0, b"r-retry", article=True, continued=True)
    assert a.held() == {}
    popped = b.pop()
    assert (popped.key, popped.data) == ("upi:1", b"r-retry")
    assert b.held() == {"upi:1": "b"}
    # another worker cannot pass its request off as a continuation of b's
    assert not a.push("upi:1", 0, b"r-hijack", article=True, continued=True)
    a.stop(), b.stop()


def test_a_dead_workers_requests_go_back_to_the_queue(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    for n in range(3):
        a.push(f"upi:{n}", 0, f"r{n}".encode(), article=True)
    assert pop_all(a) == ["upi:0", "upi:1", "upi:2"]
    assert b.reap(lambda w, keys: set()) == 0  # a is alive: nothing is taken from it
    die(a)
    assert b.dead_workers() == ["a"]
    assert b.reap(lambda w, keys: set()) == 3
    assert sorted(pop_all(b)) == ["upi:0", "upi:1", "upi:2"]
    # a comes back (a long pause, not a death): what it still has is no longer its to write
    assert a.confirm(["upi:0", "upi:1"]) == set()
    assert b.dead_workers() == []
    b.stop()


def test_a_story_a_dead_worker_was_writing_is_looked_up_in_its_files(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    a.push("upi:written", 0, b"w", article=True)
    a.push("upi:unwritten", 0, b"u", article=True)
    pop_all(a)
    assert a.confirm(["upi:written", "upi:unwritten"]) == {"upi:written", "upi:unwritten"}
    asked: list[tuple[str, list[str]]] = []

    def written_by(name: str, keys: list[str]) -> set[str]:
        asked.append((name, sorted(keys)))
        return {"upi:written"}

    # while a is alive, a copy of a story it is writing is thrown away, not fetched again
    server.zadd(a.queue_key, {b"upi:written\t0\tstale": 0})
    assert b.pop().discarded == 1
    die(a)
    assert b.reap(written_by) == 1
    assert asked == [("a", ["upi:unwritten", "upi:written"])]
    assert pop_all(b) == ["upi:unwritten"]
    assert b.held() == {"upi:unwritten": "b"}
    b.stop()


def test_stop_gives_back_what_the_worker_holds(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    a.push("upi:1", 0, b"r", article=True)
    a.push("d:feed", 0, b"f", article=False)
    pop_all(a)
    assert a.stop() == 2
    assert server.sismember(a.workers_key, "a") == 0
    assert sorted(pop_all(b)) == ["d:feed", "upi:1"]
    b.stop()


def test_discovery_first_is_once_per_ttl(server, redis_prefix) -> None:
    a, b = worker(server, redis_prefix, "a"), worker(server, redis_prefix, "b")
    assert a.discovery_first("fp1", ttl=60)
    assert not b.discovery_first("fp1", ttl=60)
    assert b.discovery_first("fp2", ttl=60)
    assert 0 < server.ttl(f"{redis_prefix}:discovery:fp1") <= 60
    a.stop(), b.stop()


def test_claim_keys_with_a_tab_are_refused(server, redis_prefix) -> None:
    a = Frontier(server, redis_prefix, "a")
    with pytest.raises(ValueError):
        a.push("upi:\t1", 0, b"r", article=True)

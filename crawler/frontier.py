"""The shared frontier of a distributed crawl, in Redis: a queue, claims, leases and worker heartbeats.

Scrapy-free (redis-py only); :mod:`crawler.distributed` plugs it into scrapy-redis's scheduler.

Every request carries a *claim key* (:mod:`crawler.claims`): the story id for an article
(``<id>#refresh:<modified>`` for a refresh), ``d:<fingerprint>`` for a feed, sitemap or listing.
The keys under ``<prefix>:<spider>:``:

``requests``  sorted set, the queue (scrapy-redis's ``PriorityQueue`` layout); a member is
              ``<key>\\t<score>\\t<serialized request>``.
``claims``    set of article keys queued or in flight anywhere: a story is queued once in the cluster.
``owners``    hash key -> worker holding it (``c:<worker>`` while that worker writes it).
``leases``    hash key -> the member it was popped as, to put it back if its worker dies.
``done:<key>`` written to the dataset (expires after ``done_ttl``): a stale copy left in the queue
              is discarded instead of stored twice.
``workers``, ``alive:<worker>`` the workers, and a heartbeat key each that expires ``lease`` seconds
              after its worker stops beating (SIGKILL, power loss).

Each step that must not be split by a crash is one Lua script (Redis runs a script atomically):
popping a request records who holds it; a worker that dies holding requests is found by its missing
heartbeat and its requests go back to the queue. A row is written only after its worker has confirmed
it still holds the story, and is then marked done; a worker that dies between the two is settled by
looking for the story in that worker's own files (:meth:`Frontier.reap`).
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis

logger = logging.getLogger(__name__)

_PUSH = """
local key, score, member, me = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local article, continued = ARGV[5] == '1', ARGV[6] == '1'
local mine = continued and redis.call('HGET', KEYS[3], key) == me
if article and redis.call('SADD', KEYS[2], key) == 0 and not mine then
  return 0
end
if mine then
  redis.call('HDEL', KEYS[3], key)
  redis.call('HDEL', KEYS[4], key)
end
redis.call('ZADD', KEYS[1], score, member)
return 1
"""

_POP = """
local me, done, alive = ARGV[1], ARGV[2], ARGV[3]
local discarded = 0
for _ = 1, 100 do
  local top = redis.call('ZRANGE', KEYS[1], 0, 0)
  if #top == 0 then return {'', discarded} end
  local member = top[1]
  redis.call('ZREM', KEYS[1], member)
  local key = string.sub(member, 1, string.find(member, '\\t', 1, true) - 1)
  local skip = false
  if redis.call('EXISTS', done .. key) == 1 then
    redis.call('SREM', KEYS[2], key)
    skip = true
  else
    local owner = redis.call('HGET', KEYS[3], key)
    if owner and string.sub(owner, 1, 2) == 'c:'
        and redis.call('EXISTS', alive .. string.sub(owner, 3)) == 1 then
      skip = true
    end
  end
  if skip then
    discarded = discarded + 1
  else
    redis.call('HSET', KEYS[3], key, me)
    redis.call('HSET', KEYS[4], key, member)
    return {member, discarded}
  end
end
return {'', discarded}
"""

_CONFIRM = """
local held = {}
for i, key in ipairs(ARGV) do
  if i > 1 and redis.call('HGET', KEYS[1], key) == ARGV[1] then
    redis.call('HSET', KEYS[1], key, 'c:' .. ARGV[1])
    table.insert(held, key)
  end
end
return held
"""

_SETTLE = """
-- ARGV: me, done prefix, done ttl (0: not done, the claim is released), keys...
local settled = 0
for i, key in ipairs(ARGV) do
  if i > 3 then
    local owner = redis.call('HGET', KEYS[1], key)
    if owner == ARGV[1] or owner == 'c:' .. ARGV[1] then
      redis.call('HDEL', KEYS[1], key)
      redis.call('HDEL', KEYS[2], key)
      redis.call('SREM', KEYS[3], key)
      if tonumber(ARGV[3]) > 0 then
        redis.call('SET', ARGV[2] .. key, '1', 'EX', ARGV[3])
      end
      settled = settled + 1
    end
  end
end
return settled
"""

_REQUEUE = """
-- ARGV: expected owner, keys...: back to the queue those still held by that owner
local moved = 0
for i, key in ipairs(ARGV) do
  if i > 1 and redis.call('HGET', KEYS[2], key) == ARGV[1] then
    local member = redis.call('HGET', KEYS[3], key)
    redis.call('HDEL', KEYS[2], key)
    redis.call('HDEL', KEYS[3], key)
    if member then
      local first = string.find(member, '\\t', 1, true)
      local second = string.find(member, '\\t', first + 1, true)
      redis.call('ZADD', KEYS[1], string.sub(member, first + 1, second - 1), member)
      moved = moved + 1
    else
      redis.call('SREM', KEYS[4], key)  -- nothing to queue again: a later run may find it anew
    end
  end
end
return moved
"""


@dataclass(frozen=True)
class Popped:
    key: str
    data: bytes
    #: stale copies thrown away on the way (their story was already written, or is being written)
    discarded: int


class Frontier:
    """One worker's handle on the shared frontier of one spider."""

    def __init__(self, server: redis.Redis, prefix: str, worker: str, *, lease: float = 60.0,
                 done_ttl: float = 7 * 86400) -> None:
        if "\t" in worker or not worker:
            raise ValueError(f"bad worker name {worker!r}")
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.lease_ms = max(1000, int(lease * 1000))
        self.done_ttl = max(1, int(done_ttl))
        self.queue_key = f"{prefix}:requests"
        self.claims_key = f"{prefix}:claims"
        self.owners_key = f"{prefix}:owners"
        self.leases_key = f"{prefix}:leases"
        self.workers_key = f"{prefix}:workers"
        self.done_prefix = f"{prefix}:done:"
        self.alive_prefix = f"{prefix}:alive:"
        #: a token every worker finds in Redis while Redis keeps its data: gone or changed means a
        #: restart without persistence (or a flush) took the queue and the claims with it
        self.epoch_key = f"{prefix}:epoch"
        self.epoch: bytes | None = None
        self.data_lost = False
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._confirm = server.register_script(_CONFIRM)
        self._settle = server.register_script(_SETTLE)
        self._requeue = server.register_script(_REQUEUE)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the queue ------------------------------------------------------------------------------

    def push(self, key: str, score: float, data: bytes, *, article: bool,
             continued: bool = False) -> bool:
        """Queue a request; ``False`` when an article's story is already queued or held. A request
        ``continued`` from one this worker holds (a retry, a redirect) goes back to the queue in its
        place, and the story is held no more."""
        if "\t" in key:
            raise ValueError(f"claim keys hold no tabs: {key!r}")
        member = f"{key}\t{score:g}\t".encode() + data
        keys = [self.queue_key, self.claims_key, self.owners_key, self.leases_key]
        return bool(self._push(keys=keys, args=[key, score, member, self.worker, int(article),
                                                    int(continued)]))

    def pop(self) -> Popped | None:
        """The next request, now held by this worker until settled; ``None`` if the queue is empty
        (``Popped`` with empty data when only stale copies were found)."""
        member, discarded = self._pop(
            keys=[self.queue_key, self.claims_key, self.owners_key, self.leases_key],
            args=[self.worker, self.done_prefix, self.alive_prefix])
        if not member:
            return Popped("", b"", int(discarded)) if discarded else None
        key, _score, data = member.split(b"\t", 2)
        return Popped(key.decode(), data, int(discarded))

    def __len__(self) -> int:
        return int(self.server.zcard(self.queue_key))

    # -- settling held requests -----------------------------------------------------------------

    def confirm(self, keys: Iterable[str]) -> set[str]:
        """Of ``keys``, those this worker still holds, now marked as being written by it."""
        keys = list(keys)
        if not keys:
            return set()
        held = self._confirm(keys=[self.owners_key], args=[self.worker, *keys])
        return {k.decode() if isinstance(k, bytes) else k for k in held}

    def commit(self, keys: Iterable[str]) -> int:
        """Written to the dataset: done, no longer held or claimed."""
        return self._settle_keys(keys, self.done_ttl)

    def release(self, keys: Iterable[str]) -> int:
        """Finished without a row (dropped, failed, a feed read): no longer held; an article may be
        queued again by a later run."""
        return self._settle_keys(keys, 0)

    def _settle_keys(self, keys: Iterable[str], ttl: int) -> int:
        keys = list(keys)
        if not keys:
            return 0
        return int(self._settle(keys=[self.owners_key, self.leases_key, self.claims_key],
                                args=[self.worker, self.done_prefix, ttl, *keys]))

    def held(self) -> dict[str, str]:
        """Every held key of the cluster -> its holder (``c:`` prefix while writing)."""
        return {k.decode(): v.decode() for k, v in self.server.hgetall(self.owners_key).items()}

    def requeue(self, owner: str, keys: Iterable[str]) -> int:
        """Put back in the queue the ``keys`` that ``owner`` (an exact holder value) still holds."""
        keys = list(keys)
        if not keys:
            return 0
        return int(self._requeue(
            keys=[self.queue_key, self.owners_key, self.leases_key, self.claims_key],
            args=[owner, *keys]))

    # -- workers --------------------------------------------------------------------------------

    def start_heartbeat(self) -> None:
        """Register this worker and keep its heartbeat alive from a thread (a busy reactor or a
        long write cannot make it look dead)."""
        self.beat()
        self.server.set(self.epoch_key, secrets.token_hex(8), nx=True)
        self.epoch = self.server.get(self.epoch_key)
        self.server.sadd(self.workers_key, self.worker)
        self._thread = threading.Thread(target=self._beat_loop, name="frontier-heartbeat",
                                        daemon=True)
        self._thread.start()

    def beat(self) -> None:
        self.server.set(self.alive_prefix + self.worker, "1", px=self.lease_ms)

    def intact(self) -> bool:
        """``False`` once Redis has been seen without the data this worker joined (kept ``False``)."""
        if not self.data_lost and self.epoch is not None and self.server.get(self.epoch_key) != self.epoch:
            self.data_lost = True
            logger.error("Redis lost the shared frontier (restarted without persistence, or flushed): "
                         "queued and claimed requests are gone; this run will be marked failed and "
                         "the next one finds the stories again")
        return not self.data_lost

    def _beat_loop(self) -> None:
        failing = False
        while not self._stopping.wait(self.lease_ms / 3000):
            try:
                self.beat()
                self.intact()
                failing = False
            except redis.RedisError as exc:
                if not failing:  # one line per outage, not one per beat
                    logger.error("frontier heartbeat failed: %s", exc)
                failing = True

    def stop(self) -> int:
        """Leave the cluster: what this worker still holds goes back to the queue; returns how many."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        mine = [key for key, owner in self.held().items() if owner == self.worker]
        moved = self.requeue(self.worker, mine)
        self.server.delete(self.alive_prefix + self.worker)
        self.server.srem(self.workers_key, self.worker)
        return moved

    def dead_workers(self) -> list[str]:
        workers = sorted(w.decode() for w in self.server.smembers(self.workers_key))
        if not workers:
            return []
        alive = self.server.mget([self.alive_prefix + w for w in workers])
        return [w for w, beat in zip(workers, alive, strict=True) if beat is None]

    def reap(self, written_by: Callable[[str, list[str]], set[str]]) -> int:
        """Return to the queue what dead workers held. A story a dead worker was writing is done if
        ``written_by(worker, keys)`` finds it in that worker's files, else it is queued again.
        Returns how many requests went back to the queue."""
        dead = set(self.dead_workers())
        if not dead:
            return 0
        by_holder: dict[str, list[str]] = {}
        for key, owner in self.held().items():
            if owner.removeprefix("c:") in dead:
                by_holder.setdefault(owner, []).append(key)
        moved = 0
        for holder, keys in by_holder.items():
            worker = holder.removeprefix("c:")
            if holder.startswith("c:"):
                written = written_by(worker, keys) & set(keys)
                if written:
                    self._settle(keys=[self.owners_key, self.leases_key, self.claims_key],
                                 args=[worker, self.done_prefix, self.done_ttl, *sorted(written)])
                keys = [k for k in keys if k not in written]
            count = self.requeue(holder, keys)
            moved += count
            logger.warning("worker %s stopped beating; %d requests it held are queued again",
                           worker, count)
        holding = {owner.removeprefix("c:") for owner in self.held().values()}
        for worker in dead - holding:
            self.server.srem(self.workers_key, worker)
        return moved

    def discovery_first(self, fingerprint: str, ttl: float) -> bool:
        """Whether this worker is the first in ``ttl`` seconds to ask for this feed/sitemap/listing."""
        return bool(self.server.set(f"{self.prefix}:discovery:{fingerprint}", self.worker,
                                    nx=True, ex=max(1, int(ttl))))

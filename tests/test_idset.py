"""The compact id structures behave as sets, and stay small."""

from __future__ import annotations

import datetime as dt
import sys

from hypothesis import given
from hypothesis import strategies as st

from pipelines.idset import IdSet, KnownIds

UTC = dt.timezone.utc


@given(st.lists(st.text(max_size=30), max_size=200), st.lists(st.text(max_size=30), max_size=50))
def test_idset_is_a_set(members: list[str], others: list[str]) -> None:
    ids = IdSet(members)
    assert all(m in ids for m in members)
    assert len(ids) == len(set(members))
    for other in others:
        assert (other in ids) == (other in set(members))


def test_idset_merges_and_stays_small() -> None:
    ids = IdSet(f"upi:{n}" for n in range(200_000))
    assert "upi:0" in ids and "upi:199999" in ids and "upi:200000" not in ids
    assert len(ids) == 200_000
    assert ids.nbytes < 200_000 * 10
    plain = {f"upi:{n}" for n in range(200_000)}
    assert sys.getsizeof(plain) + sum(sys.getsizeof(s) for s in plain) > 10 * ids.nbytes


def test_known_ids_keep_the_newest_fetch() -> None:
    t = dt.datetime(2026, 1, 1, tzinfo=UTC)
    known = KnownIds.from_pairs([("upi:1", t), ("upi:2", t), ("upi:1", t + dt.timedelta(hours=2)),
                                 ("upi:3", None)])
    assert len(known) == 3 and "upi:2" in known and "upi:4" not in known
    assert known.fetched_at("upi:1") == t + dt.timedelta(hours=2)
    assert known.fetched_at("upi:3") is None and known.fetched_at("upi:9") is None

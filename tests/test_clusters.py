"""Near-duplicate clusters (pipelines.fingerprint, pipelines.clusters) on the labelled set of real texts
(tests.near_copies) and on small constructed cases."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from crawler.demo.partner import page_html
from pipelines.cluster_index import FOLDER, ClusterIndex, ClusterSettings, clusters_lock
from pipelines.clusters import recompute
from pipelines.dataset import FILE_SCHEMA, data_files, write_rows
from pipelines.fingerprint import jaccard, signature, similarity, to_stored
from tests.mirror import ROOT, crawl_env
from tests.near_copies import copies, labelled_set, pair_scores, real_texts, same_topic_pairs

NOW = dt.datetime(2024, 5, 1, 12, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def texts(corpus: Path) -> dict[str, str]:
    return real_texts(corpus)


def test_labelled_copies_cluster_together_and_distinct_stories_never_merge(corpus: Path) -> None:
    items = labelled_set(corpus)
    assert len({item.story for item in items}) >= 80 and len(items) >= 250
    index = ClusterIndex()
    clusters = {item.key: index.assign(item.key, NOW, signature(item.text)) for item in items}
    precision, recall, merged = pair_scores(items, clusters)
    assert precision >= 0.98, precision
    assert recall >= 0.95, recall
    assert merged == 0


def test_same_topic_stories_are_far_below_the_threshold_and_copies_far_above(texts) -> None:
    threshold = ClusterSettings().threshold
    for a, b in same_topic_pairs(texts, 10):
        assert jaccard(texts[a], texts[b]) < threshold / 2, (a, b)
    key = sorted(texts)[0]
    for item in copies(key, texts[key], random.Random(1)):
        assert jaccard(texts[key], item.text) > threshold, item.edit


def test_signature_estimates_the_exact_jaccard(texts) -> None:
    keys = sorted(texts)[:12]
    for a in keys[:6]:
        for item in copies(a, texts[a], random.Random(2)):
            estimate = similarity(signature(texts[a]), signature(item.text))
            assert abs(estimate - jaccard(texts[a], item.text)) < 0.2, item.edit
    assert similarity(signature(texts[keys[0]]), signature(texts[keys[1]])) < 0.2


def test_first_stored_names_the_cluster_and_later_copies_or_updates_never_move_it(texts) -> None:
    key = sorted(texts)[3]
    story = texts[key]
    trimmed = "\n\n".join(story.split("\n\n")[:-1]) if story.count("\n\n") > 3 else story
    index = ClusterIndex()
    assert index.assign("ap:1", NOW, signature(trimmed)) == "ap:1"
    assert index.assign("site:2", NOW + dt.timedelta(hours=2), signature(story + "\n\nRead more.")) == "ap:1"
    update = signature("an update, rewritten " * 40)
    assert index.assign("ap:1", NOW + dt.timedelta(hours=3), update) == "ap:1"
    other = texts[sorted(texts)[4]]
    assert index.assign("upi:3", NOW, signature(other)) == "upi:3"
    # outside the window a copy founds its own cluster; a text too short to compare is alone
    assert index.assign("late:4", NOW + dt.timedelta(days=9), signature(story)) == "late:4"
    assert signature("Short brief: the vote was postponed.") is None
    assert index.assign("brief:5", NOW, None) == "brief:5"


def _row(story_id: str, body: str, when: dt.datetime, source: str = "upi") -> dict:
    return {"id": story_id, "source": source, "url": f"https://x.example/{story_id}", "headline": story_id,
            "body": body, "authors": [], "contributors": [], "tags": [], "word_count": len(body.split()),
            "published_at": when, "fetched_at": when}


def test_snapshot_reloads_and_a_damaged_one_is_rebuilt_from_the_dataset(tmp_path: Path, texts) -> None:
    keys = sorted(texts)[:5]
    rows = [_row(f"upi:{n}", texts[k], NOW) for n, k in enumerate(keys)]
    rows.append(_row("ap:copy", texts[keys[2]] + "\n\nCopyright 2024.", NOW, "ap"))
    index = ClusterIndex.load(tmp_path)
    index.assign_rows(rows)
    index.covered(tmp_path, write_rows(tmp_path, rows, "run1", 1))
    index.save(tmp_path)
    assert rows[-1]["cluster_id"] == "upi:2"

    again = ClusterIndex.load(tmp_path)
    assert again.ids == index.ids and again.clusters == index.clusters
    probe = signature(texts[keys[2]])
    assert again.match(probe, NOW) == index.match(probe, NOW) == "upi:2"

    (tmp_path / FOLDER / "index.npz").write_bytes(b"not a snapshot")
    rebuilt = ClusterIndex.load(tmp_path)
    assert sorted(rebuilt.ids) == sorted(index.ids)
    assert rebuilt.match(probe, NOW) == "upi:2"
    assert rebuilt.assign("reuters:9", NOW, probe) == "upi:2"


def test_recompute_clusters_old_rows_and_rewrites_only_what_changed(tmp_path: Path, texts) -> None:
    keys = sorted(texts)[:4]
    rows = [_row(f"upi:{n}", texts[k], NOW + dt.timedelta(minutes=n)) for n, k in enumerate(keys)]
    rows.append(_row("ap:copy", "WASHINGTON (AP) — " + texts[keys[1]], NOW + dt.timedelta(hours=1), "ap"))
    write_rows(tmp_path, rows, "old", 1)  # rows written before clustering: no cluster, no fingerprint
    assert pd.read_parquet(tmp_path)["cluster_id"].isna().all()

    result = subprocess.run([sys.executable, "-m", "pipelines.clusters", str(tmp_path)], cwd=ROOT,
                            env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "5 stories in 4 clusters (1 with copies)" in result.stdout
    assert "upi:1" in result.stdout and "ap 1" in result.stdout
    frame = pd.read_parquet(tmp_path).set_index("id")
    assert frame.loc["ap:copy", "cluster_id"] == "upi:1"
    assert (frame.drop(index="ap:copy")["cluster_id"] == frame.drop(index="ap:copy").index).all()
    assert frame["fingerprint"].map(len).eq(64).all()

    before = {p: p.stat().st_mtime_ns for p in data_files(tmp_path)}
    _index, rewritten, _rows = recompute(tmp_path)
    assert rewritten == 0 and {p: p.stat().st_mtime_ns for p in data_files(tmp_path)} == before

    bad = subprocess.run([sys.executable, "-m", "pipelines.clusters", str(tmp_path / "none")], cwd=ROOT,
                         env=crawl_env(), capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith(f"error: no dataset at {tmp_path / 'none'}")


def test_fingerprint_column_round_trips(tmp_path: Path, texts) -> None:
    body = texts[sorted(texts)[0]]
    row = _row("upi:1", body, NOW)
    row["fingerprint"], row["cluster_id"] = to_stored(signature(body)), "upi:1"
    (path,) = write_rows(tmp_path, [row], "r", 1)
    table = pq.read_table(path)
    assert table.schema.field("fingerprint").type == FILE_SCHEMA.field("fingerprint").type
    stored = np.asarray(table.column("fingerprint")[0].as_py(), np.uint32)
    assert (stored == signature(body)).all()
    assert pd.read_parquet(tmp_path).astype(str).shape == (1, len(FILE_SCHEMA) + 2)  # pandas shows it


@pytest.mark.e2e
def test_crawls_cluster_partner_copies_with_the_wire_story_and_clusters_stay_put(
        tmp_path: Path, texts) -> None:
    from tests.mirror import Server, Site, fill_upi_site, make_stories, run_crawl

    keys = sorted(texts)[10:13]
    stories = make_stories(3)
    for story, key in zip(stories, keys, strict=True):
        object.__setattr__(story, "paragraphs", tuple(p for p in texts[key].split("\n\n") if p)[:8])
    dataset = tmp_path / "data"
    site = Site()
    with Server(site) as base:
        fill_upi_site(site, base, stories)
        wire_run = run_crawl(base, dataset)
        assert wire_run.returncode == 0, wire_run.stderr[-3000:]
        upi = pd.read_parquet(dataset).set_index("id")["cluster_id"]
        assert (upi == upi.index).all() and len(upi) == 3

        def partner(n: int, story) -> str:
            path = f"/partner/{n}.html"
            site.add(path, page_html(f"Partner headline {n}", list(story.paragraphs[:-1]),
                                         story.published_utc + dt.timedelta(hours=3)))
            return base + path
        distinct = texts[sorted(texts)[20]].split("\n\n")
        site.add("/partner/9.html", page_html("Another story", distinct, stories[0].published_utc))
        urls = [partner(0, stories[0]), partner(1, stories[1]), base + "/partner/9.html"]
        first = run_crawl(None, dataset, "-a", "urls=" + ",".join(urls), "-s",
                          f"WIRECRAWL_STATS_FILE={tmp_path}/first.json", spider="wire")
        assert first.returncode == 0, first.stderr[-3000:]
        after_first = pd.read_parquet(dataset).set_index("url")["cluster_id"]
        assert after_first[urls[0]] == f"upi:{stories[0].story_id}"
        assert after_first[urls[1]] == f"upi:{stories[1].story_id}"
        distinct_id = pd.read_parquet(dataset).set_index("url").loc[urls[2], "id"]
        assert after_first[urls[2]] == distinct_id
        stats = json.loads((tmp_path / "first.json").read_text())
        assert stats["wirecrawl/clusters/joined"] == 2 and stats["wirecrawl/clusters/founded"] == 1

        later = partner(2, stories[0])
        second = run_crawl(None, dataset, "-a", f"urls={later}", spider="wire")
        assert second.returncode == 0, second.stderr[-3000:]
    rows = pd.read_parquet(dataset).set_index("url")["cluster_id"]
    assert rows[later] == f"upi:{stories[0].story_id}"
    assert rows.drop(index=later).sort_index().equals(after_first.sort_index()), "stored clusters moved"
    assert (dataset / "_clusters" / "index.npz").exists()

    compacted = subprocess.run([sys.executable, "-m", "pipelines.compact", str(dataset)], cwd=ROOT,
                               env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert compacted.returncode == 0, compacted.stderr
    assert pd.read_parquet(dataset).set_index("url")["cluster_id"].sort_index().equals(rows.sort_index())
    frame = pd.read_parquet(dataset)
    assert frame.drop_duplicates("cluster_id").shape[0] == 4  # three wire stories and one other


@pytest.mark.e2e
@pytest.mark.parametrize("shared", ["file lock", "redis"])
def test_two_writers_never_found_two_clusters_for_one_story(
        tmp_path: Path, texts, shared: str, request: pytest.FixtureRequest) -> None:
    """Two runs (or distributed workers) each loaded the index before either wrote; the second to
    write reads the first's new file under the lock, so its copy joins the first's cluster."""

    client = None
    if shared == "redis":
        import redis

        client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        name = request.getfixturevalue("redis_prefix") + ":clusters:lock"
    story = texts[sorted(texts)[30]]
    first, second = ClusterIndex.load(tmp_path), ClusterIndex.load(tmp_path)
    for n, (index, body) in enumerate(((first, story), (second, "LONDON (Reuters) - " + story))):
        rows = [_row(f"w{n}:1", body, NOW, source=f"w{n}")]
        with clusters_lock(tmp_path, client, name if client else ""):
            index.refresh(tmp_path)
            index.assign_rows(rows)
            index.covered(tmp_path, write_rows(tmp_path, rows, f"run{n}", 1))
    assert pd.read_parquet(tmp_path).set_index("id")["cluster_id"].to_dict() == {
        "w0:1": "w0:1", "w1:1": "w0:1"}


def test_recompute_leaves_files_alone_whose_short_rows_have_no_fingerprint(tmp_path: Path, texts) -> None:
    """A brief too short to compare has a null fingerprint for good: that is no reason to rewrite."""
    rows = [_row("upi:1", texts[sorted(texts)[0]], NOW), _row("upi:2", "Brief: the vote was postponed.", NOW)]
    index = ClusterIndex()
    index.assign_rows(rows)
    write_rows(tmp_path, rows, "run", 1)
    assert pd.read_parquet(tmp_path).set_index("id").loc["upi:2", "fingerprint"] is None
    _index, rewritten, _rows = recompute(tmp_path)
    assert rewritten == 0


def _copies_in_three_partitions(root: Path, texts: dict[str, str]) -> None:
    """Four UPI stories, and AP and Reuters copies of two of them (three data files), clustered."""
    keys = sorted(texts)[:4]
    rows = [_row(f"upi:{n}", texts[k], NOW + dt.timedelta(minutes=n)) for n, k in enumerate(keys)]
    def trimmed(text: str) -> str:  # a partner's shortened copy: similar, far from identical
        words = text.split()
        return " ".join(words[: len(words) * 3 // 4]) + " Copyright 2024."

    rows.append(_row("ap:copy", trimmed(texts[keys[1]]), NOW + dt.timedelta(hours=1), "ap"))
    rows.append(_row("reuters:copy", trimmed(texts[keys[2]]), NOW + dt.timedelta(hours=1), "reuters"))
    index = ClusterIndex.load(root)
    index.assign_rows(rows)
    index.covered(root, write_rows(root, rows, "run1", 1))
    index.save(root)
    clusters = {r["id"]: r["cluster_id"] for r in rows}
    assert clusters["ap:copy"] == "upi:1" and clusters["reuters:copy"] == "upi:2"


def _disagreements(root: Path) -> dict[str, tuple[str, str]]:
    """Stories whose cluster in a freshly loaded index is not the one the dataset holds."""
    index = ClusterIndex.load(root)
    frame = pd.read_parquet(root)
    return {i: (c, index.clusters[index.by_id[i]]) for i, c in zip(frame["id"], frame["cluster_id"],
                                                                    strict=True)
            if index.clusters[index.by_id[i]] != c}


def test_an_index_saved_by_a_run_older_than_a_recompute_does_not_hide_it(tmp_path: Path, texts) -> None:
    """A crawl loads the index, a recompute rewrites files, the crawl saves at its close: before, its
    snapshot named the rewritten files as covered and every later run trusted the old clusters."""
    _copies_in_three_partitions(tmp_path, texts)
    crawl = ClusterIndex.load(tmp_path)
    _index, rewritten, _rows = recompute(tmp_path, ClusterSettings(threshold=0.95))
    assert rewritten == 2
    crawl.save(tmp_path)
    assert _disagreements(tmp_path) == {}
    later = ClusterIndex.load(tmp_path)
    assert later.assign("upi:1", NOW, None) == "upi:1"
    assert later.clusters[later.by_id["ap:copy"]] == "ap:copy"


@pytest.mark.e2e
def test_a_recompute_killed_between_rewrites_is_reported_and_finished_by_the_next(
        tmp_path: Path, texts, strace: str) -> None:
    _copies_in_three_partitions(tmp_path, texts)
    recompute_cmd = [sys.executable, "-m", "pipelines.clusters", str(tmp_path), "--threshold", "0.95"]
    # renames: the durable "recompute pending" marker, the first file rewritten, the second (killed)
    killed = subprocess.run([strace, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename,renameat2",
                             "-e", "inject=rename,renameat2:signal=SIGKILL:when=3", *recompute_cmd],
                            cwd=ROOT, env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    mixed = pd.read_parquet(tmp_path).set_index("id")["cluster_id"]
    assert mixed["ap:copy"] == "ap:copy" and mixed["reuters:copy"] == "upi:2", "killed between the two"
    assert _disagreements(tmp_path) == {}, "the index follows the dataset, even half recomputed"

    check = subprocess.run([sys.executable, "-m", "pipelines.check", str(tmp_path)], cwd=ROOT,
                           env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "cluster recompute was interrupted" in check.stdout
    assert f"python -m pipelines.clusters {tmp_path}" in check.stdout

    again = subprocess.run(recompute_cmd, cwd=ROOT, env=crawl_env(), capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    done = pd.read_parquet(tmp_path).set_index("id")["cluster_id"]
    assert (done == done.index).all(), "at 0.95 every story is its own cluster"
    assert _disagreements(tmp_path) == {}
    final = subprocess.run([sys.executable, "-m", "pipelines.check", str(tmp_path)], cwd=ROOT,
                           env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stdout + final.stderr

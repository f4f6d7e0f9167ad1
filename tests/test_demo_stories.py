"""The demo's stories (crawler.demo.stories) are distinct texts, its partner site
(crawler.demo.partner) runs a few real copies of them, and the README's cluster examples show what a
real crawl of the demo site gives."""

from __future__ import annotations

import html
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crawler.demo.partner import partner_pages
from pipelines.cluster_index import ClusterSettings
from pipelines.fingerprint import jaccard
from tests import readme
from tests.mirror import ROOT, Server, Site, crawl_env, demo_site, make_stories, run_crawl

THRESHOLD = ClusterSettings().threshold


def _text(story) -> str:
    return "\n\n".join(story.paragraphs)


def test_stories_are_distinct_texts() -> None:
    stories = make_stories(30)
    assert len({story.headline for story in stories[:12]}) == 12
    assert len({story.paragraphs for story in stories}) == 30
    assert all(70 <= len(_text(story).split()) <= 200 for story in stories)
    demo = [_text(story) for story in stories[:12]]
    assert max(jaccard(a, b) for a, b in itertools.combinations(demo, 2)) == 0  # twelve topics
    worst = max(jaccard(_text(a), _text(b)) for a, b in itertools.combinations(stories, 2))
    assert worst < THRESHOLD - 0.05, worst
    assert make_stories(30) == stories  # the same words every run


def test_a_headline_and_its_text_tell_the_same_numbers() -> None:
    for story in make_stories(24):
        for number in re.findall(r"\d[\d,.]*\d|\d", story.headline):
            assert number in _text(story), (story.headline, number)


def _paragraphs(page: str) -> str:
    return "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", page)[:-1])  # no footer


def test_the_partner_runs_copies_of_two_stories_and_two_of_its_own() -> None:
    stories = make_stories(12)
    pages = {path: _paragraphs(body) for path, (body, kind) in partner_pages(stories, "http://x").items()
             if path.endswith(".html")}
    assert len(pages) == 5
    for path, text in pages.items():
        near = {story.number for story in stories if jaccard(text, _text(story)) > THRESHOLD + 0.2}
        far = all(jaccard(text, _text(story)) < THRESHOLD - 0.2 for story in stories
                  if story.number not in near)
        assert far, path
        expected = {0} if "/wire-0" in path else {3} if "/wire-3" in path else set()
        assert near == expected, (path, near)
    trimmed = pages[next(p for p in pages if p.endswith("wire-3.html"))]
    assert stories[3].paragraphs[-1] not in trimmed and stories[3].paragraphs[1] in trimmed


@pytest.mark.e2e
def test_the_readme_cluster_examples_are_what_the_demo_gives(tmp_path: Path) -> None:
    dataset = tmp_path / "articles"
    site = Site()
    with Server(site) as base_url:
        demo_site(site, base_url)
        upi = run_crawl(base_url, dataset)
        assert upi.returncode == 0, upi.stderr[-3000:]
        wire = run_crawl(None, dataset, "-a", f"site={base_url}", spider="wire")
        assert wire.returncode == 0, wire.stderr[-3000:]
    df = pd.read_parquet(dataset)
    [code] = readme.python_blocks('copies = df.groupby("cluster_id")')
    namespace = {"df": df}
    shown = readme.run_snippet(code, namespace)
    said = re.search(r"`df` has (\d+) rows, `stories` (\d+)", readme.text())
    assert said and (len(df), len(namespace["stories"])) == (int(said[1]), int(said[2])) == (18, 15)
    assert readme.same_lines(shown.to_string(), readme.text_block_after("`stories` 15, and the last line"))

    clusters = subprocess.run([sys.executable, "-m", "pipelines.clusters", str(dataset)], cwd=ROOT,
                              env=crawl_env(), capture_output=True, text=True, timeout=120)
    assert clusters.returncode == 0, clusters.stderr
    assert readme.same_lines(clusters.stdout, readme.text_block_after("On the `make demo` dataset:"))

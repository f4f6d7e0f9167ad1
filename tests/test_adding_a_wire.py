"""``docs/adding-a-wire.md`` followed word for word: its module, data file and pages, taken from the guide's
code blocks as they are, make a wire that passes the per-wire checks and crawls on 127.0.0.1, with
nothing of the repository touched (the module and the data file live in a temporary folder)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import regex

from crawler.spiders.base import spider_for
from pipelines.sites import declared_sites
from tests.conftest import ROOT
from tests.mirror import Server, Site, crawl_env, run_crawl
from tests.pages import spider_of
from tests.wires import (
    WirePage,
    chosen_layout,
    differences,
    idle_selectors,
    load_file,
    parse_with,
    story_problems,
    tree_of,
)

GUIDE = ROOT / "docs" / "adding-a-wire.md"


def _blocks(language: str) -> list[str]:
    return regex.findall(rf"```{language}\n(.*?)```", GUIDE.read_text("utf-8"), flags=regex.S)


@pytest.fixture
def new_wire(tmp_path: Path, monkeypatch) -> tuple[Path, Path, tuple[WirePage, ...]]:
    """The guide's wire written where a newcomer would write it, in a folder of its own: (the folder
    holding its module, the folder holding its pages, its pages as the data file declares them)."""
    module_text = _blocks("python")[0]
    name = regex.search(r"^\s*source=\"(\w+)\"", module_text, flags=regex.M).group(1)
    modules, fixtures = tmp_path / "mywires", tmp_path / "fixtures"
    modules.mkdir()
    fixtures.mkdir()
    (modules / f"{name}.py").write_text(module_text)
    data_file = tmp_path / f"{name}.json"
    data_file.write_text(_blocks("json")[0])
    for page in _blocks("html"):
        (fixtures / regex.match(r"<!-- (\S+) -->", page).group(1)).write_text(page)
    monkeypatch.syspath_prepend(str(modules))
    return modules, fixtures, load_file(data_file, fixtures)


def test_the_guide_s_wire_passes_every_per_wire_check(new_wire) -> None:
    _, _, pages = new_wire
    source = pages[0].source
    site = declared_sites(["pipelines.sites", source])[source]
    assert {layout.name for layout in site.layouts} == {page.layout for page in pages}
    spider = spider_of(spider_for(site))
    for page in pages:
        assert chosen_layout(site, page) == page.layout
        row = parse_with(spider, page)
        assert differences(row, page) == []
        assert story_problems(row, page) == []
    for layout in site.layouts:
        assert idle_selectors(layout, [tree_of(p) for p in pages if p.layout == layout.name]) == []


@pytest.mark.e2e
def test_the_guide_s_wire_crawls_on_127_0_0_1(new_wire, tmp_path: Path) -> None:
    modules, fixtures, pages = new_wire
    source = pages[0].source
    env = dict(crawl_env(), PYTHONPATH=f"{modules}:{ROOT}")
    setting = f"WIRECRAWL_SITE_MODULES=pipelines.sites,{source}"
    listed = subprocess.run([sys.executable, "-m", "scrapy", "list", "-s", setting], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert source in listed.stdout.split(), listed.stderr[-2000:]
    site = Site()
    with Server(site) as base_url:
        feed = "".join(f"<item><link>{page.url.replace('https://www.aex.example', base_url)}</link></item>"
                       for page in pages)
        site.add("/rss/latest.xml", f"<rss><channel>{feed}</channel></rss>",
                 content_type="application/rss+xml")
        for page in pages:
            body = page.html()
            site.add(page.url.removeprefix("https://www.aex.example"), body)
            # the story's one URL form, which the crawl may ask for instead
            site.add(page.expected["url"].removeprefix("https://www.aex.example"), body)
        stats = tmp_path / "stats.json"
        result = run_crawl(base_url, tmp_path / "articles", "-s", setting, "-s",
                           f"WIRECRAWL_STATS_FILE={stats}", spider=source, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    frame = pd.read_parquet(tmp_path / "articles")
    assert sorted(frame["id"]) == sorted(page.expected["id"] for page in pages)
    assert set(frame["source"].astype(str)) == {source}
    counted = json.loads(stats.read_text())
    for page in pages:
        assert counted[f"wirecrawl/layout/{page.layout}"] == 1
        row = frame[frame["id"] == page.expected["id"]].iloc[0]
        assert row["headline"] == page.expected["headline"]
        assert list(row["authors"]) == page.expected["authors"]

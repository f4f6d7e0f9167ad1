"""End to end for ``ap``, ``reuters``, ``yonhap`` and ``wire``: robots.txt sitemaps (news tags, an
index that points at itself), feeds and autodiscovery on 127.0.0.1, real corpus pages as articles."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.mirror import Server, Site, run_crawl
from tests.wires import WirePage, wire_pages

pytestmark = pytest.mark.e2e

SITEMAP_NS = ('xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
              'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"')


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3].split("?")[0]


def _pages(spider: str) -> dict[WirePage, str]:
    """Each test page of one spider (tests/wires) -> its path on the mirror."""
    return {page: _path(page.url) for page in wire_pages(spider)}


def _sitemap_site(corpus: Path, base_url: str, pages: dict[WirePage, str]) -> Site:
    site = Site()
    urls = "".join(
        f"<url><loc>{base_url}{path}</loc><news:news><news:publication_date>2023-04-25T12:00:00Z"
        f"</news:publication_date><news:title>t</news:title></news:news></url>"
        for path in pages.values())
    site.add("/news-sitemap.xml", f'<?xml version="1.0"?><urlset {SITEMAP_NS}>{urls}</urlset>',
             content_type="application/xml")
    site.add("/sitemap-index.xml",
             f'<?xml version="1.0"?><sitemapindex {SITEMAP_NS}>'
             f"<sitemap><loc>{base_url}/sitemap-index.xml</loc></sitemap>"
             f"<sitemap><loc>{base_url}/news-sitemap.xml</loc><lastmod>2023-04-25</lastmod>"
             f"</sitemap></sitemapindex>", content_type="application/xml")
    site.add("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base_url}/sitemap-index.xml\n"
             f"Sitemap: {base_url}/news-sitemap.xml\n", content_type="text/plain")
    for page, path in pages.items():
        site.add(path, page.html(corpus))
    return site


@pytest.mark.parametrize("spider", ["ap", "reuters"])
def test_sitemap_spiders(corpus: Path, tmp_path: Path, spider: str) -> None:
    pages = _pages(spider)
    site = Site()
    with Server(site) as base_url:
        built = _sitemap_site(corpus, base_url, pages)
        site.routes.update(built.routes)
        result = run_crawl(base_url, tmp_path / "a", "-s",
                           f"WIRECRAWL_STATS_FILE={tmp_path}/s.json", spider=spider)
        assert result.returncode == 0, result.stderr[-3000:]
        again = run_crawl(base_url, tmp_path / "a", spider=spider)
        assert again.returncode == 0, again.stderr[-3000:]
    frame = pd.read_parquet(tmp_path / "a")
    assert len(frame) == len(pages) and frame["id"].is_unique
    assert set(frame["source"].astype(str)) == {spider}
    assert all(i.startswith(f"{spider}:") for i in frame["id"])
    assert set(frame["agency"]) == {"AP" if spider == "ap" else "Reuters"}
    assert frame["dateline_city"].notna().all()
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["wirecrawl/sitemaps/repeated"] >= 1  # the index pointing at itself, read once
    assert f"{spider}: 0 new, 0 updated, {len(pages)} skipped as known" in again.stderr


def test_yonhap_feed(corpus: Path, tmp_path: Path) -> None:
    pages = _pages("yonhap")
    site = Site()
    with Server(site) as base_url:
        items = "".join(f"<item><link>{base_url}{p}?section=nk/nk</link></item>"
                        for p in pages.values())
        site.add("/RSS/news.xml", f"<rss><channel>{items}</channel></rss>",
                 content_type="application/rss+xml")
        for page, path in pages.items():
            site.add(path, page.html(corpus))
        result = run_crawl(base_url, tmp_path / "a", spider="yonhap")
        assert result.returncode == 0, result.stderr[-3000:]
    frame = pd.read_parquet(tmp_path / "a")
    assert list(frame["id"]) == ["yonhap:AEN20190820002300325"]
    assert frame["published_at"].iloc[0] == pd.Timestamp("2019-08-20 00:31:01", tz="UTC")


def test_generic_wire_spider_credits_the_dateline_agency(corpus: Path, tmp_path: Path) -> None:
    pages = _pages("wire")
    site = Site()
    with Server(site) as base_url:
        built = _sitemap_site(corpus, base_url, dict(list(pages.items())[:2]))
        site.routes.update(built.routes)
        rest = dict(list(pages.items())[2:])
        for page, path in rest.items():
            site.add(path, page.html(corpus))
        items = "".join(f"<item><link>{base_url}{p}?utm_source=rss</link></item>"
                        for p in rest.values())
        site.add("/feed.xml", f"<rss><channel>{items}</channel></rss>",
                 content_type="application/rss+xml")
        site.add("/", '<html><head><link rel="alternate" type="application/rss+xml" '
                 'href="/feed.xml"></head><body>home</body></html>')
        result = run_crawl(None, tmp_path / "a", "-a", f"site={base_url}", spider="wire")
        assert result.returncode == 0, result.stderr[-3000:]
    frame = pd.read_parquet(tmp_path / "a")
    assert len(frame) == len(pages)
    assert set(frame["agency"]) == {"AP"}
    assert set(frame["source"].astype(str)) == {"wire"}
    assert not any("utm_source" in u for u in frame["url"])

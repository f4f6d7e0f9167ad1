"""Feeds are read without trusting them: no entity expansion, no file or network access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crawler.feeds import FeedError, parse_feed

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>https://www.upi.com/Top_News/2020/01/07/a/1141578394958/</link>
<pubDate>Tue, 07 Jan 2020 12:28:54 GMT</pubDate></item>
<item><title>b</title><guid>https://www.upi.com/Top_News/2020/01/07/b/1141578394959/</guid></item>
<item><title>no link</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>x</title><link rel="alternate" href="https://example.com/a"/>
<link rel="enclosure" href="https://example.com/a.jpg"/>
<published>2023-04-25T10:00:00+05:45</published><updated>2023-04-25T12:00:00Z</updated></entry>
</feed>"""


def test_rss_entries() -> None:
    entries, repaired = parse_feed(RSS)
    assert not repaired
    assert [e.link for e in entries] == [
        "https://www.upi.com/Top_News/2020/01/07/a/1141578394958/",
        "https://www.upi.com/Top_News/2020/01/07/b/1141578394959/",
    ]
    assert entries[0].published_at == dt.datetime(2020, 1, 7, 12, 28, 54, tzinfo=dt.timezone.utc)


def test_atom_entries() -> None:
    (entry,), _ = parse_feed(ATOM)
    assert entry.link == "https://example.com/a"
    assert entry.published_at == dt.datetime(2023, 4, 25, 4, 15, tzinfo=dt.timezone.utc)
    assert entry.modified_at == dt.datetime(2023, 4, 25, 12, 0, tzinfo=dt.timezone.utc)


def test_entry_limit() -> None:
    items = b"".join(b"<item><link>https://e.com/%d</link></item>" % i for i in range(100))
    entries, _ = parse_feed(b"<rss><channel>" + items + b"</channel></rss>", max_entries=10)
    assert len(entries) == 10


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body>hi</body></html>", b"\x00\xff\xfe",
                                  b"not xml at all"])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


def test_truncated_feed_is_repaired_as_far_as_it_goes() -> None:
    entries, repaired = parse_feed(RSS[: RSS.index(b"<item><title>b")] + b"<item><tit")
    assert repaired
    assert len(entries) == 1


def test_billion_laughs_is_refused_not_expanded() -> None:
    lol = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">""" + b"".join(
        b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i).encode() + b";") * 10)
        for i in range(9)) + b"""]><rss><channel><item><title>&j;</title>
<link>https://e.com/x</link></item></channel></rss>"""
    with pytest.raises(FeedError, match="amplification"):
        parse_feed(lol)


def test_external_entity_never_reads_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("https://e.com/TOP-SECRET")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
           "<rss><channel><item><link>&x;</link></item>"
           "<item><link>https://e.com/ok</link></item></channel></rss>").encode()
    entries, _ = parse_feed(xxe)
    assert all("TOP-SECRET" not in e.link for e in entries)
    assert [e.link for e in entries] == ["https://e.com/ok"]


def test_gzipped_sitemap_is_unpacked_within_bounds() -> None:
    import gzip

    from crawler.feeds import gunzip, parse_sitemap

    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://e.com/a</loc><lastmod>2023-04-25</lastmod></url></urlset>")
    unpacked, cut = gunzip(gzip.compress(sitemap), 10_000)
    (entry,) = parse_sitemap(unpacked)[0].entries
    assert entry.link == "https://e.com/a" and entry.modified_at is not None and not cut
    assert gunzip(gzip.compress(b"\0" * 1_000_000), 10_000) == (b"\0" * 10_000, True), "a bomb stops"
    part, _cut = gunzip(gzip.compress(sitemap)[:-12], 10_000)  # a download stopped short
    assert part and sitemap.startswith(part)
    with pytest.raises(FeedError, match="bad gzip"):
        gunzip(b"\x1f\x8bnot gzip at all", 10_000)

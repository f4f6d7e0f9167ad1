"""What the spiders are, read from Scrapy's spider loader: each spider's service (from its site
declaration), where it finds stories, and the ``-a`` arguments it takes with their meanings
(``wirecrawl spiders``, ``wirecrawl crawl SPIDER --help``)."""

from __future__ import annotations

import textwrap

from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from crawler.arguments import MEANINGS
from pipelines.sites.base import Site


def spider_names(settings: Settings) -> list[str]:
    return sorted(get_spider_loader(settings).list())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def discovery(site: Site | None) -> str:
    """The service and where its stories are found, from its declaration."""
    if site is None:
        return "(no site declared)"
    if not site.hosts:  # the generic spider: a site known only by the address it is given
        return "any news site (-a site=…): its robots.txt sitemaps and the feeds its home page declares"
    sources = []
    if site.feeds:
        sources.append(_plural(len(site.feeds), "RSS feed"))
    if site.robots or site.sitemaps:
        sources.append("robots.txt sitemaps" if site.robots else _plural(len(site.sitemaps), "sitemap"))
    where = " and ".join(sources) or "the pages named with urls"
    listings = "; section listings in a since backfill" if site.listings else ""
    return f"{site.agency or site.source} ({', '.join(sorted(site.hosts))}): {where}{listings}"


def arguments_of(settings: Settings, name: str) -> list[str]:
    spider = get_spider_loader(settings).load(name)
    return sorted(getattr(spider, "argument_names", ()))


def _meanings(names: list[str], indent: str = "  ") -> str:
    width = max(len(n) for n in names) + len("-a =") + 2
    lines = []
    for name in names:
        head = f"{indent}-a {name}=".ljust(len(indent) + width)
        body = textwrap.wrap(MEANINGS.get(name, ""), 100 - len(head)) or [""]
        lines.append(head + body[0])
        lines += [" " * len(head) + more for more in body[1:]]
    return "\n".join(lines)


def spider_help(settings: Settings, name: str) -> str:
    """One spider: its service, its discovery and its arguments with their meanings."""
    spider = get_spider_loader(settings).load(name)
    return (f"{name}: {discovery(getattr(spider, 'site', None))}\n\n"
            f"Arguments (-a NAME=VALUE, each optional):\n{_meanings(arguments_of(settings, name))}")


def catalog(settings: Settings) -> str:
    """Every spider, its arguments, and what each argument means."""
    loader = get_spider_loader(settings)
    names = spider_names(settings)
    width = max(len(n) for n in names) + 2
    lines = ["Spiders (wirecrawl crawl SPIDER [-a NAME=VALUE]... [-s NAME=VALUE]...):", ""]
    every: set[str] = set()
    for name in names:
        spider = loader.load(name)
        arguments = arguments_of(settings, name)
        every.update(arguments)
        lines.append(f"  {name.ljust(width)}{discovery(getattr(spider, 'site', None))}")
        lines.append(f"  {'':{width}}arguments: {', '.join(arguments)}")
    lines += ["", "What the arguments mean:", _meanings(sorted(every))]
    return "\n".join(lines)

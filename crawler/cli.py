"""``wirecrawl``: the crawl and the dataset commands as one command that works from any folder.

``wirecrawl crawl`` is ``scrapy crawl`` with this project's settings (``crawler.settings``, unless
``SCRAPY_SETTINGS_MODULE`` names others): Scrapy's own command line machinery runs it, with the
project's crawl command (:mod:`crawler.commands.crawl`), so every option of ``scrapy crawl`` works.
The dataset commands are the ``main`` functions of :mod:`pipelines` (``python -m pipelines.report`` is
``wirecrawl report``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from pipelines.commandline import Parser, option, run
from pipelines.config import whole
from pipelines.exits import EXIT_OK, EXIT_USAGE

SETTINGS_MODULE = "crawler.settings"

#: the dataset commands: name -> (module with ``main(argv, prog)``, what it does)
DATASET_COMMANDS: dict[str, tuple[str, str]] = {
    "report": ("pipelines.report", "recent runs, and per day the share of stories missing a field; "
               "--html FILE: the same and more as a page of charts"),
    "check": ("pipelines.check", "check every dataset file; --quarantine moves damaged ones aside"),
    "compact": ("pipelines.compact", "rewrite each partition as one file of the newest versions"),
    "clusters": ("pipelines.clusters", "recompute the near-duplicate clusters and show the largest"),
    "reparse": ("pipelines.reparse", "rebuild rows from WARC archives with today's parsers"),
}

USAGE = """\
usage: wirecrawl COMMAND [ARGS]

A crawler and normalizer for news-wire services: stories into a typed Parquet dataset.

Commands:
  crawl SPIDER    fetch a service's new stories into the dataset (as `scrapy crawl`; see
                  `wirecrawl crawl SPIDER --help` for its arguments and options)
  spiders         the spiders, where each finds stories, its arguments and what they mean
{dataset}
  demo            crawl an offline demo site twice and show what was stored (demo-data/)
  serve-demo      keep the demo site up on 127.0.0.1 until Ctrl-C, to try the rest on

`wirecrawl COMMAND --help` tells more of each. Exit status: 0 done, 1 failed, 2 a usage error,
3 done but damaged dataset files were quarantined, 130 interrupted (see the README).
"""


def _usage() -> str:
    rows = "\n".join(f"  {name:<15} {what}" for name, (_module, what) in DATASET_COMMANDS.items())
    return USAGE.format(dataset=rows)


def project_settings():
    """This project's settings, wherever the command is run from."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def crawl(argv: list[str]) -> int:
    """``scrapy crawl`` through Scrapy's own command line, with the project's settings."""
    settings = project_settings()
    if {"-h", "--help"} & set(argv):
        print(crawl_help(settings, argv))
        return EXIT_OK
    from scrapy.cmdline import execute

    try:
        execute(["wirecrawl", "crawl", *argv], settings)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    return EXIT_OK


def crawl_help(settings, argv: list[str]) -> str:
    """Scrapy's help of its crawl command (its options are ours), named for ``wirecrawl``, with the
    spider's arguments when one is named."""
    from scrapy.cmdline import ScrapyArgumentParser
    from scrapy.commands import ScrapyHelpFormatter

    from crawler.commands.crawl import Command

    class Formatter(ScrapyHelpFormatter, argparse.RawDescriptionHelpFormatter):
        """Scrapy's headings; the description's lines kept as written (a table of arguments)."""

    command = Command()
    command.settings = settings
    parser = ScrapyArgumentParser(formatter_class=Formatter, conflict_handler="resolve",
                                  usage=f"wirecrawl crawl {command.syntax()}",
                                  description=command.long_desc(argv))
    command.add_options(parser)
    return parser.format_help()


def spiders(argv: list[str]) -> int:
    parser = Parser(prog="wirecrawl spiders", description="The spiders, where each finds stories, the "
                    "arguments each takes and what they mean.")
    parser.parse_args(argv)
    from crawler.catalog import catalog

    print(catalog(project_settings()))
    return EXIT_OK


def demo(argv: list[str]) -> int:
    from pathlib import Path

    parser = Parser(prog="wirecrawl demo", description="Serve a small UPI mirror on 127.0.0.1, crawl it "
                    "twice into DIR/articles, and show what was stored; nothing leaves this machine.")
    parser.add_argument("--into", default="demo-data", metavar="DIR",
                        help="the demo's folder, replaced by the next demo (default %(default)s)")
    args = parser.parse_args(argv)
    from crawler.demo.run import demo as run_demo

    return run_demo(Path(args.into))


def serve_demo(argv: list[str]) -> int:
    parser = Parser(prog="wirecrawl serve-demo", description="Keep the demo site (a small UPI mirror) up "
                    "on 127.0.0.1 until Ctrl-C, to try crawling, WARC recording, re-parsing, compaction "
                    "and distributed mode on.")
    parser.add_argument("--port", type=option("--port", whole(0, 65535)), default=8000,
                        help="the port (default %(default)s; 0: any free port)")
    args = parser.parse_args(argv)
    from crawler.demo.run import serve

    return serve(args.port)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "crawl": crawl, "spiders": spiders, "demo": demo, "serve-demo": serve_demo}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(_usage(), end="")
        return EXIT_OK
    name, rest = argv[0], argv[1:]
    if name in DATASET_COMMANDS:
        module = importlib.import_module(DATASET_COMMANDS[name][0])
        return run(lambda args: module.main(args, prog=f"wirecrawl {name}"), rest)
    if name not in COMMANDS:
        known = ", ".join([*COMMANDS, *DATASET_COMMANDS])
        print(f"error: no command {name!r}; the commands are: {known} (wirecrawl --help)", file=sys.stderr)
        return EXIT_USAGE
    return run(COMMANDS[name], rest)


if __name__ == "__main__":
    sys.exit(main())

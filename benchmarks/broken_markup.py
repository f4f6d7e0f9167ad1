"""Pages whose markup hides the story from the parser: which parser (or repair) gets it back.

Real pages of the development sets (every ``--step``-th of aeb-dev and fundus-dev) are broken the ways
old pages are broken (a ``<title>`` or ``<script>`` never closed or closed with a typo, an unclosed
comment, ``<html/>``), then read by:

- ``wirecrawl``: the real parse path (``scrapy crawl wire``'s callback and worker), which repairs the
  markup when the first parse finds no story (:mod:`pipelines.markup_repair`);
- ``trafilatura``: plain trafilatura on the bytes;
- each parser alone, its tree handed to trafilatura: ``lxml`` (libxml2, what everything here uses),
  ``lxml+repair``, and where installed the HTML5 parsers ``html5lib``, ``html5-parser`` and
  ``selectolax`` (lexbor; serialised and read back by lxml).

Printed: per kind of damage and system, the share of pages with a body and the mean body F1 against
the page's reference text (the benchmark's scorer). Run: ``python benchmarks/broken_markup.py``.

Measured (``--step 5``: 46 pages; lxml 6.2 / libxml2 2.14, html5lib 1.1, selectolax 1.0.2; share of
pages with a body / mean F1; clean pages: 98% / 0.908 through trafilatura, 100% / 0.974 through
wirecrawl):

    damage                       wirecrawl     lxml          lxml+repair   html5lib      selectolax
    unclosed <title>            100% / 0.974   24% / 0.168   98% / 0.908   26% / 0.172   26% / 0.172
    unclosed <script> in head   100% / 0.974   78% / 0.639   98% / 0.908   80% / 0.639   80% / 0.639
    <script src> unclosed       100% / 0.974   78% / 0.639   98% / 0.908   80% / 0.639   80% / 0.639
    unclosed comment            100% / 0.956   70% / 0.635   98% / 0.908   70% / 0.635   67% / 0.619
    <html/>                     100% / 0.974    4% / 0.041   98% / 0.908   98% / 0.908   98% / 0.908
    </title typo                100% / 0.974   98% / 0.908   98% / 0.908   98% / 0.908   98% / 0.908

Plain trafilatura scores as lxml does but for ``<html/>`` (35% / 0.299, it repairs that one itself).
The HTML5 parsers lose what libxml2 loses (they follow the same rules as browsers) but for ``<html/>``;
the repair gets every story back. Hence a narrow textual repair and lxml, not a second parser (and
no new dependency). html5-parser refuses to load beside pip's lxml wheels (another libxml2).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import lxml.html
import regex
import trafilatura
from w3lib.encoding import html_to_unicode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generic_quality import Page, aeb_pages, fundus_pages, run_ours  # noqa: E402
from benchmarks.scoring import prf  # noqa: E402
from pipelines.markup_repair import repair_markup  # noqa: E402
from pipelines.trees import load_html  # noqa: E402

_HEAD_END = regex.compile(r"</head\s*>", regex.IGNORECASE)
_TITLE_END = regex.compile(r"</title\s*>", regex.IGNORECASE)
_HTML_TAG = regex.compile(r"<html\b([^<>]*)>", regex.IGNORECASE)


def _before_head_end(insert: str) -> Callable[[str], str | None]:
    def damage(html: str) -> str | None:
        match = _HEAD_END.search(html)
        return html[:match.start()] + insert + html[match.start():] if match else None
    return damage


def _title(replacement: str) -> Callable[[str], str | None]:
    def damage(html: str) -> str | None:
        return _TITLE_END.sub(replacement, html, count=1) if _TITLE_END.search(html) else None
    return damage


DAMAGE: dict[str, Callable[[str], str | None]] = {
    "unclosed <title>": _title(""),
    "</title typo": _title("</title\n"),
    "unclosed <script> in head": _before_head_end("<script>var loaded = 1;\n"),
    "<script src> unclosed": _before_head_end('<script type="text/javascript" src="/js/ads.js">\n'),
    "unclosed comment": _before_head_end("<!-- begin ad block \n"),
    "<html/>": lambda html: _HTML_TAG.sub(r"<html\1/>", html, count=1) if _HTML_TAG.search(html) else None,
}


def _with(tree) -> str:
    return trafilatura.extract(tree, favor_precision=True) or "" if tree is not None else ""


def parsers() -> dict[str, Callable[[str], str]]:
    """Each parser's tree handed to trafilatura; the HTML5 parsers where installed."""
    found: dict[str, Callable[[str], str]] = {
        "lxml": lambda text: _with(load_html(text)),
        "lxml+repair": lambda text: _with(load_html(repair_markup(text)[0])),
    }
    try:
        import html5lib
        found["html5lib"] = lambda text: _with(load_html(lxml.etree.tostring(html5lib.parse(
            text, treebuilder="lxml", namespaceHTMLElements=False), encoding="unicode")))
    except ImportError:
        pass
    try:
        import html5_parser
        found["html5-parser"] = lambda text: _with(lxml.html.fromstring(lxml.html.tostring(
            html5_parser.parse(text, treebuilder="lxml", namespace_elements=False))))
    except (ImportError, RuntimeError):  # it refuses an lxml built on another libxml2 (pip's wheels)
        pass
    try:
        from selectolax.lexbor import LexborHTMLParser
        found["selectolax"] = lambda text: _with(load_html(LexborHTMLParser(text).html or ""))
    except ImportError:
        pass
    return found


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--step", type=int, default=5, help="every N-th page of each set")
    options = arguments.parse_args()
    warnings.simplefilter("ignore")  # html5lib's notes on names lxml cannot hold
    selected: list[Page] = (aeb_pages()[::options.step] + fundus_pages()[::options.step])
    systems = parsers()
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for page in selected:
        text = html_to_unicode(None, page.html)[1]
        for kind, damage in {"(clean)": lambda html: html, **DAMAGE}.items():
            broken = damage(text)
            if broken is None:
                continue
            found = {"wirecrawl": _ours(page, broken),
                     "trafilatura": trafilatura.extract(broken.encode(), favor_precision=True) or ""}
            found |= {name: parse(broken) for name, parse in systems.items()}
            for name, body in found.items():
                scores[(kind, name)].append(prf(body, page.body)[2] if body else -1.0)
    names = ["wirecrawl", "trafilatura", *systems]
    print(f"{len(selected)} pages; per kind of damage: share of pages with a body / mean body F1")
    print(f"  {'damage':<28}" + "".join(f"{n:>20}" for n in names))
    for kind in ["(clean)", *DAMAGE]:
        cells = []
        for name in names:
            values = scores[(kind, name)]
            bodies = [v for v in values if v >= 0]
            cells.append(f"{len(bodies) / len(values):6.0%} / {sum(bodies) / len(values):.3f}"
                         if values else "-")
        print(f"  {kind:<28}" + "".join(f"{c:>20}" for c in cells))
    return 0


def _ours(page: Page, broken: str) -> str:
    found = run_ours(Page(page.set, page.key, page.url, broken.encode(), page.path, page.body,
                          crawled=page.crawled))
    return found.text if found.row else ""


if __name__ == "__main__":
    raise SystemExit(main())

"""Body quality: token precision/recall/F1 of our ``body`` against labelled reference texts, next to
plain ``trafilatura.extract`` on the same pages in the same run; and the trafilatura option sweep
behind :class:`pipelines.extraction.ExtractionSettings`.

References (``tests/wires/<source>.json``, read by :mod:`tests.wires`): each wire test page's story
paragraphs, picked by an XPath chosen by reading the page, with dateline, credit lines and listed
furniture taken away; for the pages written from the seed article, its paragraphs. Datelines and
contributor lines are metadata (they have columns of their own), so a body that keeps them is charged
for them, as is trafilatura, which keeps them.

Run: ``python benchmarks/extraction_quality.py`` (needs the corpus: ``$WIRECRAWL_CORPUS`` or
``../shared/corpus``).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections import Counter
from pathlib import Path

import regex
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.extraction import ExtractionSettings  # noqa: E402
from tests.pages import parse_page, spider_of  # noqa: E402
from tests.wires import pages_with_story  # noqa: E402

CORPUS = Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")
TOKEN = regex.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text))


def prf(found: str, reference: str) -> tuple[float, float, float]:
    got, want = tokens(found), tokens(reference)
    common = sum((got & want).values())
    precision = common / max(1, sum(got.values()))
    recall = common / max(1, sum(want.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pages() -> list[tuple[str, bytes, str, str, str]]:
    """(name, html, spider, url, reference text) of every wire test page with a labelled story."""
    return [(f"{page.source}/{page.page.split('/')[-1][:32]}", page.html(CORPUS), page.source, page.url,
             "\n".join(page.story_paragraphs(CORPUS))) for page in pages_with_story()]


def ours(html: bytes, spider_name: str, url: str, settings: ExtractionSettings) -> str:
    """The ``body`` the spider would store for this page with these extraction settings."""
    arguments = {"urls": url} if spider_name == "wire" else {}
    spider = spider_of(spider_name, **arguments)
    spider.extraction = settings
    row = parse_page(spider, html, url) or {}
    return row.get("body", "")


def main() -> int:
    if not (CORPUS / "MANIFEST.md").is_file():
        print(f"corpus not found at {CORPUS}; set WIRECRAWL_CORPUS")
        return 1
    extractors = ("wirecrawl", "trafilatura", "traf. precision", "traf. recall")
    print(f"{'page':<42} " + " ".join(f"{name:>16}" for name in extractors) + "   (F1)")
    totals: dict[str, list[tuple[float, float, float]]] = {name: [] for name in extractors}
    for name, html, spider_name, url, reference in pages():
        body = ours(html, spider_name, url, ExtractionSettings())
        texts = {
            "wirecrawl": body,
            "trafilatura": trafilatura.extract(html) or "",
            "traf. precision": trafilatura.extract(html, favor_precision=True) or "",
            "traf. recall": trafilatura.extract(html, favor_recall=True) or "",
        }
        scores = {k: prf(v, reference) for k, v in texts.items()}
        for key, score in scores.items():
            totals[key].append(score)
        print(f"{name:<42} " + " ".join(f"{scores[k][2]:>16.3f}" for k in extractors))
    print("\nmean over", len(totals["wirecrawl"]), "pages (P / R / F1):")
    for key, values in totals.items():
        mean = [sum(v[i] for v in values) / len(values) for i in range(3)]
        print(f"  {key:<16} {mean[0]:.3f} / {mean[1]:.3f} / {mean[2]:.3f}")
    print("\nwirecrawl option sweep (mean F1):")
    base = ExtractionSettings()
    for precision, recall in ((True, False), (False, False), (False, True)):
        settings = dataclasses.replace(base, favor_precision=precision, favor_recall=recall)
        scores = [prf(ours(h, s, u, settings), ref)[2] for _, h, s, u, ref in pages()]
        print(f"  favor_precision={precision!s:<5} favor_recall={recall!s:<5} "
              f"F1 {sum(scores) / len(scores):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

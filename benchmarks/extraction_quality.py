"""Body quality: token precision/recall/F1 of our ``body`` against hand-checked references, next to
plain ``trafilatura.extract`` on the same pages, in the same run; and the trafilatura option sweep
behind :class:`pipelines.extraction.ExtractionSettings`.

References: the real 2020 UPI page's story paragraphs (its ``article[itemprop=articleBody] > p``,
dateline cut) and the seed article's paragraphs for the hand-written 2016 page. Datelines are
metadata, so a body that keeps one is charged for it.

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

from crawler.spiders.upi import UpiV2016, UpiV2020  # noqa: E402
from pipelines.extraction import ExtractionSettings, load_html  # noqa: E402
from pipelines.normalize import lead_dateline  # noqa: E402
from tests.references import UPI_2020_PAGE, seed_story, upi_2020_story  # noqa: E402

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


def pages() -> list[tuple[str, bytes, type, str]]:
    page2016 = ROOT / "tests/fixtures/upi_2016_russia_north_korea.html"
    return [
        ("upi-2020 (real)", (CORPUS / UPI_2020_PAGE).read_bytes(), UpiV2020,
         "\n".join(upi_2020_story(CORPUS))),
        ("upi-2016 (written from seed)", page2016.read_bytes(), UpiV2016,
         "\n".join(seed_story(CORPUS))),
    ]


def ours(html: bytes, parser: type, settings: ExtractionSettings) -> str:
    tree = load_html(html.decode("utf-8", "replace"))
    page = parser(settings).parse(tree, "https://www.upi.com/")
    paragraphs, _ = lead_dateline(page.paragraphs, None)
    return "\n".join(paragraphs)


def main() -> int:
    if not (CORPUS / "MANIFEST.md").is_file():
        print(f"corpus not found at {CORPUS}; set WIRECRAWL_CORPUS")
        return 1
    print(f"{'page':<30} {'extractor':<34} {'P':>6} {'R':>6} {'F1':>6}")
    totals: dict[str, list[float]] = {}
    for name, html, parser, reference in pages():
        rows = [
            ("wirecrawl (default settings)", ours(html, parser, ExtractionSettings())),
            ("trafilatura.extract()", trafilatura.extract(html) or ""),
            ("trafilatura favor_precision", trafilatura.extract(html, favor_precision=True) or ""),
            ("trafilatura favor_recall", trafilatura.extract(html, favor_recall=True) or ""),
        ]
        for label, text in rows:
            p, r, f = prf(text, reference)
            totals.setdefault(label, []).append(f)
            print(f"{name:<30} {label:<34} {p:6.3f} {r:6.3f} {f:6.3f}")
    print("\nmean F1:", ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in totals.items()))
    print("\nwirecrawl option sweep (mean F1 over the pages):")
    base = ExtractionSettings()
    for precision in (True, False):
        for recall in (False, True):
            if precision and recall:
                continue
            settings = dataclasses.replace(base, favor_precision=precision, favor_recall=recall)
            scores = [prf(ours(h, p, settings), ref)[2] for _, h, p, ref in pages()]
            print(f"  favor_precision={precision!s:<5} favor_recall={recall!s:<5} "
                  f"F1 {sum(scores) / len(scores):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

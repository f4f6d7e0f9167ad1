"""Dateline and byline parsers: accuracy per field on the labelled sets, and parses per second.

Run: ``python benchmarks/parsers.py``. Speed is reported next to a baseline measured in the same run
(a single naive regular expression over the same texts), so the ratio survives a slower machine.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.byline import parse_byline, parse_contributors  # noqa: E402
from pipelines.dateline import parse_dateline  # noqa: E402

DATA = ROOT / "tests" / "data"
NAIVE = re.compile(r"^\s*([A-Z][A-Z .]+)(?:,[^(]*)?\((\w+)\)\s*[-—–]+")


def _load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line]


def _rate(function, texts: list, seconds: float = 1.0) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            function(*text)
        count += len(texts)
    return count / (time.perf_counter() - start)


def datelines() -> None:
    cases = _load("datelines.jsonl")
    fields = ("found", "text", "city", "region", "country_code", "agency", "date")
    right = dict.fromkeys(fields, 0)
    for case in cases:
        published = dt.date.fromisoformat(case["published"]) if case["published"] else None
        got = parse_dateline(case["text"], published)
        expect = case["expect"]
        right["found"] += (got is None) == (expect is None)
        for name in fields[1:]:
            if expect is None:
                right[name] += got is None
                continue
            value = getattr(got, name, None) if got else None
            if name == "date" and value is not None:
                value = value.isoformat()
            right[name] += value == expect[name]
    print(f"datelines: {len(cases)} labelled cases "
          f"({sum(c['expect'] is None for c in cases)} without a dateline)")
    for name in fields:
        print(f"  {name:<13} {right[name] / len(cases):7.1%}")
    texts = [(c["text"], dt.date(2020, 1, 1)) for c in cases]
    ours = _rate(lambda t, p: parse_dateline(t, p), texts)
    naive = _rate(lambda t, p: NAIVE.match(t), texts)
    print(f"  speed: {ours:,.0f} parses/s; naive regex baseline {naive:,.0f}/s "
          f"(ratio {ours / naive:.3f})")


def bylines() -> None:
    cases = _load("bylines.jsonl")
    authors = sum(
        [a.lower() for a in parse_byline(c["text"]).authors] == [a.lower() for a in c["authors"]]
        if c["casefold"] else parse_byline(c["text"]).authors == c["authors"] for c in cases)
    agency = sum(parse_byline(c["text"]).agency == c["agency"] for c in cases)
    exact_case = sum(parse_byline(c["text"]).authors == c["authors"] for c in cases)
    print(f"bylines: {len(cases)} labelled cases")
    print(f"  authors       {authors / len(cases):7.1%}  (exact capitals: "
          f"{exact_case / len(cases):.1%})")
    print(f"  agency        {agency / len(cases):7.1%}")
    contributors = _load("contributors.jsonl")
    right = sum(parse_contributors(c["text"]) == c["contributors"] for c in contributors)
    print(f"contributors: {len(contributors)} labelled cases, {right / len(contributors):.1%} right")
    texts = [(c["text"],) for c in cases]
    ours = _rate(parse_byline, texts)
    naive = _rate(lambda t: re.split(r",| and ", t.removeprefix("By ")), texts)
    print(f"  speed: {ours:,.0f} parses/s; naive split baseline {naive:,.0f}/s "
          f"(ratio {ours / naive:.3f})")


if __name__ == "__main__":
    parse_dateline("SEOUL (UPI) -- warm up the gazetteer")
    datelines()
    bylines()

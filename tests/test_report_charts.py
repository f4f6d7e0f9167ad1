"""The HTML report's parts without a browser (the rendered page is tested in test_report_html.py): an
empty dataset, run records of an older version, the chart primitives' arithmetic."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines import charts, report_html
from pipelines.config import read


def _record(day: str, spider: str, **extra) -> dict:
    record = {"run_id": f"{spider}-{day}", "spider": spider, "status": "ok", "start_time": f"{day} 10:00:00",
              "counts": {"new": 3, "updated": 0, "known": 0, "parsed": 4,
                         "dropped": {"no_body": 1}, "missing": {"no_authors": 2, "published_at_from_url": 1}}}
    record.update(extra)
    return record


def _write_records(root: Path, records: list[dict]) -> None:
    (root / "_runs").mkdir(parents=True)
    for record in records:
        (root / "_runs" / f"{record['run_id']}.json").write_text(json.dumps(record))


def test_an_empty_dataset_gives_every_section_with_what_is_missing(tmp_path: Path) -> None:
    page = report_html.render(tmp_path, 14, 15)
    assert page.count("<section>") == 7
    assert "<svg" not in page
    assert "No story in the dataset yet." in page and "No run record yet" in page


def test_old_run_records_count_what_they_hold_and_show_no_layout(tmp_path: Path) -> None:
    _write_records(tmp_path, [_record("2024-03-11", "upi"), _record("2024-03-12", "upi")])
    page = report_html.render(tmp_path, 2, 15)
    drift = re.search(r'<svg data-chart="drift".*?</svg>', page, re.DOTALL).group(0)
    dots = re.findall(r'<circle class="mark"[^>]*><title>([^<]*)</title>', drift)
    # two days x four fields (no layout count in these records)
    assert len(dots) == 8 and not any("layout" in dot for dot in dots)
    assert "03-12 upi: 25% missing body" in dots and "03-12 upi: 50% missing authors" in dots
    assert "03-12 upi: 25% missing published_at" in dots  # a date only from the URL counts, as the alarm does
    thresholds = re.findall(r'<line class="threshold"[^>]*><title>alarm above (\d+)%</title>', drift)
    default = read({}, "WIRECRAWL_DRIFT_THRESHOLDS")
    assert thresholds == [f"{default[f]:.0%}".rstrip("%") for f in report_html.DRIFT_FIELDS]


def test_the_thresholds_shown_are_the_newest_runs(tmp_path: Path) -> None:
    custom = {"body": 0.1, "published_at": 0.2, "authors": 0.3, "dateline": 0.4, "layout": 0.5}
    _write_records(tmp_path, [_record("2024-03-12", "upi", drift={
        "missing": {"body": 1, "published_at": 1, "authors": 2, "dateline": 0, "layout": 4},
        "thresholds": custom})])
    page = report_html.render(tmp_path, 3, 15)
    assert re.findall(r"alarm above (\d+)%", page) == ["10", "20", "30", "40", "50"]
    assert "03-12 upi: 100% missing layout" in page


def test_axis_ticks_are_round_and_cover_the_top() -> None:
    assert charts.nice_ticks(0) == [0.0, 1.0]
    assert charts.nice_ticks(17) == [0, 5, 10, 15, 20]
    assert charts.nice_ticks(2700) == [0, 1000, 2000, 3000]
    ticks = charts.nice_ticks(0.37)
    assert ticks[0] == 0 and ticks[-1] >= 0.37 and len(ticks) <= 6

"""``python -m pipelines.report DIR --html FILE``: one self-contained page with charts, made from a
dataset of real crawls of the mirror (a UPI mirror with a dead link and a failing page, a partner site
running copies, a run that failed), checked as a headless Chromium renders it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipelines.dataset import data_files, latest
from tests.browser import Chromium
from tests.mirror import (
    ROOT,
    crawl_env,
    fill_partner_site,
    make_stories,
    run_crawl,
    upi_mirror,
)

pytestmark = pytest.mark.e2e
CHARTS = ("stories-per-day", "date-sources", "missing-per-day", "drift", "drops", "clusters", "runs")


def _report(*args: str, command: tuple[str, ...] = ("pipelines.report",)) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command, *args], cwd=ROOT, env=crawl_env(),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """30 UPI stories over ten days (every seventh without a byline), one of them a dead link and one
    a failing page; a partner site with copies of two; and a run that reached no feed."""
    root = tmp_path_factory.mktemp("report") / "articles"
    start = dt.datetime(2024, 3, 12, 9, 30)
    stories = [dataclasses.replace(story, published=start - dt.timedelta(hours=8 * n),
                                   author="" if n % 7 == 3 else story.author)
               for n, story in enumerate(make_stories(30))]
    with upi_mirror(stories=stories) as mirror:
        fill_partner_site(mirror.site, mirror.base_url, stories)
        mirror.site.add(stories[5].path, "<html><body>gone</body></html>", status=404)
        mirror.site.add(stories[6].path, "<html><body>oops</body></html>", status=500)
        mirror.crawl(root)
        wire = run_crawl(None, root, "-a", f"site={mirror.base_url}", spider="wire")
        assert wire.returncode == 0, wire.stderr[-3000:]
    failed = run_crawl("http://127.0.0.1:9", root)
    assert failed.returncode == 1
    return root


@pytest.fixture(scope="module")
def page(dataset: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("page") / "report.html"
    result = _report(str(dataset), "--html", str(target), command=("crawler.cli", "report"))  # wirecrawl
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report written to {target}"
    return target


def _expected_marks(dataset: Path) -> dict[str, int]:
    """Each chart's marks, counted from the dataset and the run records with pandas, not the report."""
    frame = latest(pd.read_parquet(dataset))
    frame["source"] = frame["source"].astype(str)
    frame["published_date"] = frame["published_date"].astype(str)
    days_with_stories = frame.groupby(["published_date", "source"]).size()
    origins = frame.assign(kind=frame["published_source"].fillna("none") + frame["published_precision"]
                           .fillna("")).groupby(["source", "kind"]).size()
    sizes = frame.groupby("cluster_id")["source"].agg(["size", "nunique"])
    records = [json.loads(path.read_text()) for path in sorted((dataset / "_runs").glob("*.json"))]
    drops = {(record["spider"], reason) for record in records for reason, count in
             record["counts"]["dropped"].items() if count}
    parsed = {(record["start_time"][:10], record["spider"]) for record in records
              if record["counts"]["parsed"]}
    written = sum(1 for record in records if record["counts"]["new"] + record["counts"]["updated"])
    return {
        "stories-per-day": len(days_with_stories),
        "date-sources": len(origins),
        "missing-per-day": 3 * len(days_with_stories),
        "drift": 5 * len(parsed),  # a dot per field, crawl day and spider
        "drops": len(drops),
        "clusters": int(sizes[sizes["size"] > 1]["nunique"].sum()),
        "runs": len(records) + written,
    }


def test_the_dataset_has_what_every_chart_draws(dataset: Path) -> None:
    frame = pd.read_parquet(dataset)
    assert frame["published_date"].astype(str).nunique() >= 9
    assert set(frame["source"].astype(str)) == {"upi", "wire"}
    assert frame.groupby("cluster_id").size().max() == 3  # the first story and two partner copies
    expected = _expected_marks(dataset)
    assert expected["drops"] == 2 and expected["runs"] == 3 + 2
    assert all(count > 0 for count in expected.values()), expected


def test_the_page_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert re.search(r"""(?:src|href)\s*=|url\(|@import""", text) is None, "nothing to fetch"
    assert "default-src 'none'" in text  # and the browser refuses any fetch that might creep in
    assert len(text) < 200_000


def test_every_chart_is_drawn_in_a_real_browser(chromium: str, page: Path, dataset: Path,
                                                tmp_path: Path) -> None:
    with Chromium(chromium, tmp_path / "profile") as browser:
        browser.open(page.as_uri(), width=1000)
        drawn = browser.evaluate("""(() => {
            const out = {};
            for (const svg of document.querySelectorAll('svg[data-chart]')) {
                const box = svg.getBoundingClientRect();
                const marks = [...svg.querySelectorAll('.mark')].map(m => m.getBoundingClientRect());
                out[svg.dataset.chart] = {
                    svg: [box.width, box.height],
                    marks: marks.length,
                    visible: marks.filter(r => r.width > 0 && r.height > 0
                        && r.left >= box.left - 1 && r.right <= box.right + 1
                        && r.top >= box.top - 1 && r.bottom <= box.bottom + 1).length,
                    labels: [...svg.querySelectorAll('text')].map(t => t.childNodes[0].textContent),
                    cut: [...svg.querySelectorAll('text')].filter(t => {
                        const r = t.getBoundingClientRect();
                        return r.left < box.left - 1 || r.right > box.right + 1;
                    }).map(t => t.childNodes[0].textContent),
                };
            }
            return out;
        })()""")
        requested = browser.requested_urls()
        shot = browser.screenshot(tmp_path / "report.png")
    assert requested == [page.as_uri()], "the page fetched nothing but itself"
    expected = _expected_marks(dataset)
    assert sorted(drawn) == sorted(CHARTS)
    for chart in CHARTS:
        assert drawn[chart]["svg"][0] > 600 and drawn[chart]["svg"][1] > 50, chart
        assert drawn[chart]["marks"] == expected[chart], (chart, drawn[chart]["marks"], expected[chart])
        assert drawn[chart]["visible"] == drawn[chart]["marks"], chart  # each drawn, inside its chart
        assert drawn[chart]["cut"] == [], (chart, drawn[chart]["cut"])  # no label runs off the chart
    frame = pd.read_parquet(dataset).set_index("id")
    founder = frame.loc[frame.groupby("cluster_id").size().idxmax(), "headline"]
    assert any(founder.startswith(label.rstrip("…")) for label in drawn["clusters"]["labels"])
    assert "http_404" in drawn["drops"]["labels"] and "http_500" in drawn["drops"]["labels"]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert width == 1000 and height > 2000, (width, height)


def test_damaged_files_are_named_on_the_page_and_fail_the_command(dataset: Path, tmp_path: Path) -> None:
    copy = tmp_path / "articles"
    subprocess.run(["cp", "-r", str(dataset), str(copy)], check=True)
    victim = data_files(copy)[0]
    victim.write_bytes(b"not parquet")
    target = tmp_path / "report.html"
    result = _report(str(copy), "--html", str(target))
    assert result.returncode == 1
    relative = str(victim.relative_to(copy))
    assert f"damaged (left out): {relative}" in result.stderr
    assert relative in target.read_text(encoding="utf-8")


def test_an_unwritable_target_is_one_line(dataset: Path, tmp_path: Path) -> None:
    result = _report(str(dataset), "--html", str(tmp_path / "no" / "such" / "report.html"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot write the report to {tmp_path}/no/such/report.html: No such file or directory"]

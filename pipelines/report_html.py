"""The report as one self-contained HTML page with charts (``python -m pipelines.report DIR --html FILE``).

Everything the page shows is in the file: inline SVG (:mod:`pipelines.charts`), inline CSS, no script,
and a Content-Security-Policy that forbids every fetch, so it opens offline, as a mail attachment or
from a file share, and looks the same years later. Only aggregates are drawn, so the page grows with the
days and sources shown, not with the stories (393 KB for 60 days of five wires); the dataset is read
once, a few columns of it (:func:`pipelines.report.stories`), plus the headlines of the largest clusters.

What each chart shows (the page says it too):

1. stories per publication day per source, over the last ``days`` days;
2. where publication dates came from (``published_source``) and how precise they are
   (``published_precision``), per source;
3. the share of stored stories missing authors, a dateline or a publication time, per publication day;
4. the drift alarm's own arithmetic from the run records: the share of each day's parsed pages missing
   each field it watches, beside its threshold;
5. pages dropped, by reason and spider, from the run records;
6. the largest story clusters (``cluster_id``), with the sources of their copies;
7. the last runs: stories written and the outcome of each, and a table of them.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipelines import charts
from pipelines.check import Problem
from pipelines.config import read
from pipelines.report import read_dataset, run_records, run_status, runs_table, stories

#: the drift alarm's fields, in the order the page shows them
DRIFT_FIELDS = ("body", "published_at", "authors", "dateline", "layout")
#: where a date can come from, in the order the README gives (``None``: no date at all)
DATE_SOURCES = ("structured", "meta", "visible", "id", "url", "htmldate")
TOP_CLUSTERS = 10
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 920px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin: 30px 0 4px; }
p.what { color: #444; margin: 2px 0 10px; font-size: 13px; } p.empty { color: #777; font-style: italic; }
.facts { color: #444; font-size: 13px; } .facts b { color: #222; }
.damaged { background: #fff1e6; border-left: 4px solid #D55E00; padding: 6px 10px; font-size: 13px; }
.legend { font-size: 12px; margin: 4px 0 0 48px; } .key { margin-right: 14px; white-space: nowrap; }
.key i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; }
table { border-collapse: collapse; font-size: 12px; margin-top: 8px; }
td, th { padding: 2px 8px; border-bottom: 1px solid #eee; text-align: right; }
td:nth-child(2), td:nth-child(3), td:last-child, th:last-child { text-align: left; }
"""


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render(root: Path, days: int, runs: int, damaged: Sequence[Problem] = (),
           now: dt.datetime | None = None) -> str:
    """The whole page for the dataset at ``root``: the last ``days`` publication (and crawl) days, the
    last ``runs`` runs; ``damaged`` files are left out and named."""
    now = now or dt.datetime.now(dt.timezone.utc)
    skip = frozenset(problem.path for problem in damaged)
    table = stories(root, skip)
    records = run_records(root)
    thresholds = _thresholds(records)
    window = _window(table["published_date"], days)
    recent = table.filter(pc.is_in(table["published_date"], pa.array(window, pa.string()))) \
        if window else table.slice(0, 0)
    sections = [
        _per_day(table, recent, window),
        _date_sources(table),
        _missing(recent, window, thresholds),
        _drift(records, days, thresholds),
        _drops(records, days),
        _clusters(root, skip, recent),
        _runs(root, records, runs),
    ]
    facts = (f"<b>{table.num_rows:,}</b> stories (newest version of each) from "
             f"<b>{len(set(table['source'].to_pylist()))}</b> sources; publication days "
             f"{e(_first_last(table['published_date']))}; <b>{len(records):,}</b> run records. "
             f"Made {now:%Y-%m-%d %H:%M} UTC.")
    warning = ""
    if damaged:
        items = "".join(f"<li>{e(problem.line(root))}</li>" for problem in damaged)
        warning = (f'<div class="damaged"><b>{len(damaged)} damaged dataset entries were left out</b> '
                   f"(move them aside with <code>python -m pipelines.check {e(root)} --quarantine</code>):"
                   f"<ul>{items}</ul></div>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>wirecrawl report: {e(root)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>wirecrawl report: {e(root)}</h1><p class=\"facts\">{facts}</p>{warning}"
            + "".join(sections) + "</body></html>\n")


# -- the sections ----------------------------------------------------------------------------------


def _section(title: str, what: str, chart: str | None, empty: str, extra: str = "") -> str:
    body = chart if chart else f'<p class="empty">{e(empty)}</p>'
    return f"<section><h2>{e(title)}</h2><p class=\"what\">{what}</p>{body}{extra}</section>"


def _per_day(table: pa.Table, recent: pa.Table, window: list[str]) -> str:
    sources = _sources(table)
    palette = charts.colours(sources)
    counts = _count(recent, ["published_date", "source"])
    series = {source: [counts.get((day, source), 0) for day in window] for source in sources}
    older = table.num_rows - recent.num_rows
    chart = charts.stacked_columns(
        "stories-per-day", "Stories per publication day and source", [day[5:] for day in window],
        series, palette, label_every=_every(window)) if recent.num_rows else None
    what = (f"Stories (newest version of each) per UTC publication day, {_span(window)}, stacked by "
            "source. A day without a bar had no story; a story without any date is filed under the day "
            "it was fetched." + (f" {_stories(older)} published earlier not shown." if older else ""))
    return _section("Stories per day", what, chart, "No story in the dataset yet.",
                    charts.legend(palette) if chart else "")


def _date_sources(table: pa.Table) -> str:
    sources = _sources(table)
    counts = _count(table, ["source", "published_source", "published_precision"])
    kinds: list[str] = []
    colour = {}
    for n, origin in enumerate(DATE_SOURCES):
        for precision in ("time", "day"):
            kind = origin if precision == "time" else f"{origin}, day only"
            kinds.append(kind)
            base = charts.PALETTE[n % len(charts.PALETTE)]
            colour[kind] = base if precision == "time" else charts.lighter(base, 0.55)
    kinds.append("no date")
    colour["no date"] = "#222222"
    parts: dict[str, dict[str, float]] = {source: defaultdict(float) for source in sources}
    for (source, origin, precision), count in counts.items():
        if origin is None:
            kind = "no date"
        else:
            kind = origin if precision != "day" else f"{origin}, day only"
            if kind not in colour:  # a source this code does not know: shown under its own name
                kinds.append(kind)
                colour[kind] = charts.PALETTE[len(kinds) % len(charts.PALETTE)]
        parts[source][kind] += count
    used = [kind for kind in kinds if any(parts[source].get(kind) for source in sources)]
    rows = [charts.Row(source, {kind: parts[source].get(kind, 0) for kind in used},
                       f"{int(sum(parts[source].values())):,} stories") for source in sources]
    chart = charts.stacked_rows("date-sources", "Where publication dates came from, per source", rows,
                                colour, label_width=120, share=True) if rows else None
    what = ("Share of each source's stories by where <code>published_at</code> came from "
            "(<code>published_source</code>); lighter: only the day was known "
            "(<code>published_precision</code> = day); black: no date at all. Every stored story.")
    return _section("Where publication dates came from", what, chart, "No story in the dataset yet.",
                    charts.legend({kind: colour[kind] for kind in used}) if chart else "")


def _missing(recent: pa.Table, window: list[str], thresholds: dict[str, float]) -> str:
    sources = _sources(recent)
    palette = charts.colours(sources)
    no_date = pc.or_(recent["no_published_at"],
                     pc.fill_null(pc.equal(recent["published_source"], "url"), False))
    flagged = recent.append_column("no_date", no_date)
    shares = flagged.group_by(["published_date", "source"]).aggregate(
        [("no_authors", "mean"), ("no_dateline", "mean"), ("no_date", "mean")]).to_pylist()
    by_key = {(row["published_date"], row["source"]): row for row in shares}
    panels = []
    for column, title, field in (("no_authors_mean", "authors", "authors"),
                                 ("no_dateline_mean", "dateline", "dateline"),
                                 ("no_date_mean", "published_at (none, or the URL's day only)",
                                  "published_at")):
        series = {source: [by_key[(day, source)][column] if (day, source) in by_key else None
                           for day in window] for source in sources}
        panels.append(charts.Panel(title, series, thresholds.get(field)))
    chart = charts.share_panels("missing-per-day", "Stories missing a field, per publication day",
                                [day[5:] for day in window], panels, palette,
                                label_every=_every(window, 8)) if recent.num_rows else None
    what = (f"Share of each source's stored stories missing a field, per publication day ({_span(window)}). "
            "A template change shows as a jump. Dashed: the drift alarm's threshold, which a run's own "
            "share must stay under (next chart).")
    return _section("Missing fields per publication day", what, chart, "No story in the window.",
                    charts.legend(palette) if chart else "")


def _drift(records: list[dict], days: int, thresholds: dict[str, float]) -> str:
    window = _window(pa.array([str(r.get("start_time", ""))[:10] for r in records], pa.string()), days)
    parsed: dict[tuple[str, str], int] = defaultdict(int)
    missing: dict[tuple[str, str, str], int] = defaultdict(int)
    known_layout: set[tuple[str, str]] = set()
    spiders: set[str] = set()
    for record in records:
        day, spider = str(record.get("start_time", ""))[:10], str(record.get("spider"))
        if day not in window:
            continue
        counts = record.get("counts") or {}
        spiders.add(spider)
        parsed[(day, spider)] += counts.get("parsed", 0)
        for field, count in _drift_missing(record).items():
            if count is None:
                continue
            missing[(day, spider, field)] += count
            if field == "layout":
                known_layout.add((day, spider))
    names = sorted(spiders)
    palette = charts.colours(names)
    panels = []
    for field in DRIFT_FIELDS:
        series = {}
        for spider in names:
            values: list[float | None] = []
            for day in window:
                pages = parsed.get((day, spider), 0)
                recorded = field != "layout" or (day, spider) in known_layout
                values.append(missing.get((day, spider, field), 0) / pages if pages and recorded else None)
            series[spider] = values
        panels.append(charts.Panel(field, series, thresholds.get(field)))
    anything = any(parsed.values())
    chart = charts.share_panels("drift", "Drift alarm: parsed pages missing a field, per crawl day",
                                [day[5:] for day in window], panels, palette,
                                label_every=_every(window, 8)) if anything else None
    what = ("The drift alarm's own arithmetic, from the run records: of the pages each spider parsed on a "
            f"day ({_span(window)}, UTC start of the run), the share missing each field it watches "
            "(<code>body</code>: dropped for want of one). A run whose share goes over the dashed "
            "threshold fails with <code>layout drift?</code>.")
    return _section("Drift alarm", what, chart, "No run parsed a page in the window.",
                    charts.legend(palette) if chart else "")


def _drops(records: list[dict], days: int) -> str:
    window = set(_window(pa.array([str(r.get("start_time", ""))[:10] for r in records], pa.string()),
                         days))
    totals: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    spiders: set[str] = set()
    for record in records:
        if str(record.get("start_time", ""))[:10] not in window:
            continue
        for reason, count in ((record.get("counts") or {}).get("dropped") or {}).items():
            if count:
                spider = str(record.get("spider"))
                totals[reason][spider] += count
                spiders.add(spider)
    palette = charts.colours(sorted(spiders))
    rows = [charts.Row(reason, {spider: parts.get(spider, 0) for spider in sorted(spiders)})
            for reason, parts in sorted(totals.items(), key=lambda item: -sum(item[1].values()))]
    chart = charts.stacked_rows("drops", "Pages dropped, by reason", rows, palette,
                                label_width=160) if rows else None
    what = ("Pages requested as stories that ended as no row, by reason (<code>wirecrawl/dropped/…</code>), "
            f"summed over the runs that started in the last {days} crawl days, stacked by spider.")
    return _section("Drops by reason", what, chart, "No page was dropped in the window.",
                    charts.legend(palette) if chart else "")


def _clusters(root: Path, skip: frozenset[Path], recent: pa.Table) -> str:
    clustered = recent.filter(pc.is_valid(recent["cluster_id"]))
    sizes = clustered.group_by("cluster_id").aggregate([("id", "count")])
    sizes = sizes.filter(pc.greater(sizes["id_count"], 1)).sort_by(
        [("id_count", "descending"), ("cluster_id", "ascending")])
    top = sizes.slice(0, TOP_CLUSTERS)["cluster_id"].to_pylist()
    members = clustered.filter(pc.is_in(clustered["cluster_id"], pa.array(top, pa.string())))
    by_source = _count(members, ["cluster_id", "source"])
    names = _sources(members)
    palette = charts.colours(names)
    titles = _headlines(root, skip, top)
    rows = []
    for cluster in top:
        parts = {source: by_source.get((cluster, source), 0) for source in names}
        note = ", ".join(f"{source} {int(count)}" for source, count in parts.items() if count)
        rows.append(charts.Row(titles.get(cluster) or cluster, parts, note))
    chart = charts.stacked_rows("clusters", "Largest story clusters", rows, palette) if rows else None
    what = ("The stories with the most copies among those published in the window: one bar per "
            "<code>cluster_id</code>, labelled with the first stored copy's headline, stacked by the "
            "source of each copy.")
    return _section("Largest story clusters", what, chart, "No story in the window has a copy.",
                    charts.legend(palette) if chart else "")


def _runs(root: Path, records: list[dict], limit: int) -> str:
    last = records[-limit:]
    marks = []
    for record in last:
        counts = record.get("counts") or {}
        written = counts.get("new", 0) + counts.get("updated", 0)
        dropped = sum((counts.get("dropped") or {}).values())
        why = ", ".join(record.get("failure_reasons") or [])
        detail = (f"{counts.get('new', 0)} new, {counts.get('updated', 0)} updated, "
                  f"{counts.get('known', 0)} known, {dropped} dropped" + (f"; {why}" if why else ""))
        marks.append(charts.Run(f"{record.get('spider')} {str(record.get('start_time', ''))[5:16]}",
                                run_status(record), written, detail))
    chart = charts.run_columns("runs", "The last runs and their outcomes", marks,
                               label_every=_every(marks, 10)) if marks else None
    statuses = sorted({mark.status for mark in marks})
    table = runs_table(root, limit, last)
    rows = "".join("<tr>" + "".join(f"<td>{e(value)}</td>" for value in row) + "</tr>"
                   for row in table.itertuples(index=False))
    extra = (charts.legend({f"outcome: {status}": charts.STATUS_COLOURS.get(status, "#000000")
                            for status in statuses} | {"stories written": "#0072B2"})
             + f"<table><tr>{''.join(f'<th>{e(c)}</th>' for c in table.columns)}</tr>{rows}</table>"
             ) if marks else ""
    what = (f"The last {len(marks)} runs, oldest left: the stories each wrote (new and updated) and, "
            "under the axis, its outcome (the run record's <code>status</code>).")
    return _section("Last runs", what, chart, "No run record yet (_runs/ is empty).", extra)


# -- helpers ---------------------------------------------------------------------------------------


def _window(days_column: pa.Array | pa.ChunkedArray, days: int) -> list[str]:
    """The ``days`` calendar days ending at the newest day of ``days_column`` (``YYYY-MM-DD``)."""
    valid = [day for day in pc.unique(days_column).to_pylist() if day]
    parsed = []
    for day in valid:
        try:
            parsed.append(dt.date.fromisoformat(day))
        except ValueError:
            continue
    if not parsed:
        return []
    newest = max(parsed)
    return [(newest - dt.timedelta(days=k)).isoformat() for k in reversed(range(days))]


def _every(items: Sequence[object], labels: int = 15) -> int:
    return max(1, math.ceil(len(items) / labels))


def _span(window: list[str]) -> str:
    return f"{window[0]} to {window[-1]}" if window else "no day"


def _first_last(days_column: pa.ChunkedArray) -> str:
    if len(days_column) == 0:
        return "none"
    bounds = pc.min_max(days_column).as_py()
    return f"{bounds['min']} to {bounds['max']}"


def _sources(table: pa.Table) -> list[str]:
    return sorted(pc.unique(table["source"]).to_pylist()) if table.num_rows else []


def _count(table: pa.Table, keys: list[str]) -> dict[tuple, int]:
    if table.num_rows == 0:
        return {}
    grouped = table.group_by(keys).aggregate([("id", "count")]).to_pylist()
    return {tuple(row[key] for key in keys): row["id_count"] for row in grouped}


def _headlines(root: Path, skip: frozenset[Path], clusters: list[str]) -> dict[str, str]:
    """The headline of each cluster's first stored story (its id is the cluster's)."""
    dataset = read_dataset(root, skip)
    if not clusters or dataset is None:
        return {}
    found = dataset.to_table(columns=["id", "headline"],
                             filter=pc.field("id").isin(pa.array(clusters, pa.string())))
    return dict(zip(found["id"].to_pylist(), found["headline"].to_pylist(), strict=True))


def _drift_missing(record: dict) -> dict[str, int | None]:
    """Pages missing each drift field in a run; records written before they held ``drift`` give
    what their counts tell (no layout count: ``None``)."""
    drift = record.get("drift")
    if isinstance(drift, dict) and isinstance(drift.get("missing"), dict):
        return {field: drift["missing"].get(field) for field in DRIFT_FIELDS}
    counts = record.get("counts") or {}
    missing, dropped = counts.get("missing") or {}, counts.get("dropped") or {}
    return {"body": dropped.get("no_body", 0),
            "published_at": missing.get("no_published_at", 0) + missing.get("published_at_from_url", 0),
            "authors": missing.get("no_authors", 0), "dateline": missing.get("no_dateline", 0),
            "layout": None}


def _thresholds(records: list[dict]) -> dict[str, float]:
    """The drift thresholds the newest run used, else the default."""
    for record in reversed(records):
        found = (record.get("drift") or {}).get("thresholds")
        if isinstance(found, dict):
            return {str(k): float(v) for k, v in found.items() if isinstance(v, int | float)}
    return read({}, "WIRECRAWL_DRIFT_THRESHOLDS")


def _stories(count: int) -> str:
    return f"{count:,} {'story' if count == 1 else 'stories'}"

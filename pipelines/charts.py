"""Small SVG charts written as text, for the HTML report (:mod:`pipelines.report_html`).

Inline SVG needs no script and no network to draw, prints, and stays a few kilobytes whatever the size
of the dataset, since only aggregates are drawn. Every data mark carries ``class="mark"`` and a
``<title>`` (the browser's tooltip: what it stands for and its value); a chart is an ``<svg>`` with
``data-chart="<name>"``, so a test can find each chart's marks in the rendered page.

Colours: the Okabe-Ito palette, told apart by people with the common colour-vision deficiencies.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: a run's outcome (``pipelines.exits.STATUS_NAMES``; ``running`` and ``killed`` from the report)
STATUS_COLOURS = {"ok": "#009E73", "failed": "#D55E00", "quarantined": "#E69F00",
                  "interrupted": "#999999", "usage": "#CC79A7", "running": "#56B4E9", "killed": "#000000"}
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def colours(names: Sequence[str]) -> dict[str, str]:
    """A stable colour per name, in the order given."""
    return {name: PALETTE[n % len(PALETTE)] for n, name in enumerate(names)}


def e(value: object) -> str:
    return html.escape(str(value), quote=True)


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to at least ``top`` (0, 5, 10, 15, ...)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * k for k in range(math.ceil(top / step - 1e-9) + 1)]


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.2f}"


def legend(names: dict[str, str]) -> str:
    """An HTML legend: a coloured square and the name, for each series."""
    items = "".join(f'<span class="key"><i style="background:{colour}"></i>{e(name)}</span>'
                    for name, colour in names.items())
    return f'<div class="legend">{items}</div>'


def _svg(name: str, width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg data-chart="{e(name)}" role="img" aria-label="{e(label)}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
            f'{_FONT}><title>{e(label)}</title>{"".join(body)}</svg>')


def _axis_y(ticks: list[float], scale, left: int, right: int, fmt) -> list[str]:
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">'
                   f'{e(fmt(tick))}</text>')
    return out


def stacked_columns(name: str, label: str, categories: Sequence[str], series: dict[str, Sequence[float]],
                    palette: dict[str, str], *, width: int = 900, height: int = 260,
                    label_every: int = 1) -> str:
    """Vertical bars, one per category (a day), stacked by series (a source)."""
    left, right, top, bottom = 48, width - 10, 10, height - 40
    totals = [sum(values[n] for values in series.values()) for n in range(len(categories))]
    ticks = nice_ticks(max(totals, default=0))
    scale = lambda v: bottom - (bottom - top) * v / ticks[-1]  # noqa: E731
    body = _axis_y(ticks, scale, left, right, number)
    slot = (right - left) / max(1, len(categories))
    bar = max(1.0, slot * 0.8)
    for n, category in enumerate(categories):
        x = left + n * slot + (slot - bar) / 2
        base = 0.0
        for series_name, values in series.items():
            value = values[n]
            if value <= 0:
                continue
            y0, y1 = scale(base), scale(base + value)
            body.append(f'<rect class="mark" x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" '
                        f'height="{max(0.5, y0 - y1):.1f}" fill="{palette[series_name]}">'
                        f'<title>{e(category)} {e(series_name)}: {number(value)}</title></rect>')
            base += value
        if (len(categories) - 1 - n) % label_every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{bottom + 14}" text-anchor="middle" '
                        f'fill="#555">{e(category)}</text>')
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#888"/>')
    return _svg(name, width, height, label, body)


@dataclass(frozen=True)
class Row:
    """One horizontal bar: its label, its parts (series -> value), an optional note after it."""
    label: str
    parts: dict[str, float]
    note: str = ""


def stacked_rows(name: str, label: str, rows: Sequence[Row], palette: dict[str, str], *,
                 width: int = 900, label_width: int = 330, share: bool = False) -> str:
    """Horizontal bars, one per row, stacked by series; ``share``: each bar is 100 % of its row."""
    row_height, top = 24, 6
    height = top + row_height * max(1, len(rows)) + 6
    notes = [row.note or number(sum(row.parts.values())) for row in rows]
    left, right = label_width, width - max(60, 7 * max(map(len, notes), default=0) + 12)
    most = max((sum(row.parts.values()) for row in rows), default=0) or 1
    body: list[str] = []
    for n, row in enumerate(rows):
        y = top + n * row_height
        total = sum(row.parts.values())
        full = total if share else most
        body.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" fill="#222">'
                    f'{e(_cut(row.label, label_width // 6))}<title>{e(row.label)}</title></text>')
        x = float(left)
        for series_name, value in row.parts.items():
            if value <= 0 or full <= 0:
                continue
            w = (right - left) * value / full
            what = f"{number(value)} ({value / total:.0%})" if share else number(value)
            body.append(f'<rect class="mark" x="{x:.1f}" y="{y + 3}" width="{max(0.5, w):.1f}" '
                        f'height="{row_height - 6}" fill="{palette[series_name]}"><title>{e(row.label)} '
                        f'{e(series_name)}: {e(what)}</title></rect>')
            x += w
        body.append(f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#555">{e(notes[n])}</text>')
    return _svg(name, width, height, label, body)


@dataclass(frozen=True)
class Panel:
    """One small chart of shares (0 to 1) over days: a line per series, and an optional threshold."""
    title: str
    series: dict[str, Sequence[float | None]]
    threshold: float | None = None


def share_panels(name: str, label: str, days: Sequence[str], panels: Sequence[Panel],
                 palette: dict[str, str], *, width: int = 900, columns: int = 3,
                 panel_height: int = 150, label_every: int = 1) -> str:
    """Small multiples: one panel per field, share missing (0-100 %) per day, a line and a dot per
    series; a dashed line at the alarm's threshold. A day without data leaves a gap in the line."""
    gap = 14
    panel_width = (width - gap * (columns - 1)) / columns
    rows = math.ceil(len(panels) / columns)
    height = rows * (panel_height + gap)
    body: list[str] = []
    for k, panel in enumerate(panels):
        ox, oy = (k % columns) * (panel_width + gap), (k // columns) * (panel_height + gap)
        left, right, top, bottom = ox + 40, ox + panel_width - 16, oy + 20, oy + panel_height - 22
        scale_y = lambda v, top=top, bottom=bottom: bottom - (bottom - top) * v  # noqa: E731
        step = (right - left) / (len(days) - 1) if len(days) > 1 else 0.0
        xs = [left + n * step for n in range(len(days))] if len(days) > 1 else [(left + right) / 2]
        body.append(f'<text x="{ox + 2:.1f}" y="{oy + 12}" font-weight="600" fill="#222">'
                    f'{e(panel.title)}</text>')
        body += _axis_y([0, 0.5, 1], scale_y, int(left), int(right), lambda v: f"{v:.0%}")
        if panel.threshold is not None:
            y = scale_y(panel.threshold)
            body.append(f'<line class="threshold" x1="{left:.1f}" x2="{right:.1f}" y1="{y:.1f}" '
                        f'y2="{y:.1f}" stroke="#D55E00" stroke-dasharray="4 3"><title>alarm above '
                        f'{panel.threshold:.0%}</title></line>')
        for series_name, values in panel.series.items():
            points = [(xs[n], scale_y(v), n, v) for n, v in enumerate(values) if v is not None]
            colour = palette[series_name]
            segments: list[list[tuple[float, float]]] = []
            previous = None
            for x, y, n, _v in points:
                if previous is None or n != previous + 1:
                    segments.append([])
                segments[-1].append((x, y))
                previous = n
            for segment in segments:
                if len(segment) > 1:
                    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                    body.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                                f'stroke-width="1.5"/>')
            for x, y, n, v in points:
                body.append(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                            f'<title>{e(days[n])} {e(series_name)}: {v:.0%} missing {e(panel.title)}'
                            f'</title></circle>')
        for n, day in enumerate(days):
            if (len(days) - 1 - n) % label_every == 0:
                body.append(f'<text x="{xs[n]:.1f}" y="{bottom + 14}" text-anchor="middle" '
                            f'fill="#555" font-size="9">{e(day)}</text>')
    return _svg(name, width, int(height), label, body)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Run:
    """One run in :func:`run_columns`: its label, status, stories written, and a tooltip."""
    label: str
    status: str
    written: int
    detail: str


def run_columns(name: str, label: str, runs: Sequence[Run], *, width: int = 900, height: int = 200,
                label_every: int = 1) -> str:
    """One column per run, oldest left: a bar of the stories it wrote (new and updated), and under the
    axis a square in the colour of its outcome, so a run that wrote nothing still shows."""
    left, right, top, bottom = 48, width - 10, 10, height - 52
    ticks = nice_ticks(max((run.written for run in runs), default=0))
    scale = lambda v: bottom - (bottom - top) * v / ticks[-1]  # noqa: E731
    body = _axis_y(ticks, scale, left, right, number)
    slot = (right - left) / max(1, len(runs))
    bar = max(1.0, min(slot * 0.8, 40.0))
    for n, run in enumerate(runs):
        x = left + n * slot + (slot - bar) / 2
        colour = STATUS_COLOURS.get(run.status, "#000000")
        tip = f"<title>{e(run.label)}: {e(run.status)}; {e(run.detail)}</title>"
        if run.written > 0:
            y = scale(run.written)
            body.append(f'<rect class="mark" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                        f'height="{max(0.5, bottom - y):.1f}" fill="#0072B2">{tip}</rect>')
        body.append(f'<rect class="mark status" x="{x:.1f}" y="{bottom + 4}" width="{bar:.1f}" '
                    f'height="12" fill="{colour}">{tip}</rect>')
        if (len(runs) - 1 - n) % label_every == 0:
            body.append(f'<text x="{x + bar / 2:.1f}" y="{bottom + 30}" text-anchor="middle" '
                        f'fill="#555" font-size="9">{e(run.label)}</text>')
    body.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#888"/>')
    return _svg(name, width, height, label, body)


def lighter(colour: str, amount: float = 0.5) -> str:
    """``colour`` (``#rrggbb``) mixed with white."""
    red, green, blue = (int(colour[k:k + 2], 16) for k in (1, 3, 5))
    mix = lambda c: round(c + (255 - c) * amount)  # noqa: E731
    return f"#{mix(red):02x}{mix(green):02x}{mix(blue):02x}"

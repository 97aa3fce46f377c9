"""Tiny inline-SVG chart primitives: horizontal bars, grouped bars, lines with a band.

Every chart is a standalone ``<svg>`` string with a ``<title>`` and ``<desc>`` (screen
readers), class names on its marks (``bar``, ``line``, ``band``, ``point``) so tests and
the in-page render check can find them, and no external resource of any kind. All text
is escaped here; callers pass plain strings.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

# Okabe-Ito inspired palette: distinguishable for the common colour-vision deficiencies.
PALETTE = ("#2563eb", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#6b7280")
BAR_COLOR = PALETTE[0]
AXIS_COLOR = "#9ca3af"
GRID_COLOR = "#e5e7eb"
TEXT_COLOR = "#374151"
TARGET_COLOR = "#b91c1c"
PARTIAL_NOTE = "hollow point, dashed line: period not over"
FONT = "font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,sans-serif\""

_ids = itertools.count(1)

Formatter = Callable[[float], str]


def _plain(value: float) -> str:
    return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"


@dataclass(frozen=True)
class Bar:
    """One bar; ``value`` None draws ``note`` (e.g. "suppressed (n < 5)") instead of a bar."""

    label: str
    value: float | None
    note: str = ""


@dataclass(frozen=True)
class Point:
    x: dt.date
    y: float | None
    low: float | None = None
    high: float | None = None
    complete: bool = True  # False: the period is not over (drawn hollow, reached by a dash)


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    color: str = ""
    has_band: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        band = any(p.low is not None and p.high is not None for p in self.points)
        object.__setattr__(self, "has_band", band)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 x 10^k) covering [low, high]."""
    if not math.isfinite(low) or not math.isfinite(high):
        low, high = 0.0, 1.0
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw_step = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(low / step + 1e-9) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def _open_svg(width: int, height: int, title: str, desc: str, kind: str) -> tuple[str, str]:
    n = next(_ids)
    title_id, desc_id = f"chart-{n}-title", f"chart-{n}-desc"
    head = (
        f'<svg class="{"chart-empty" if kind == "empty" else "chart"}" data-chart="{kind}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="12" fill="{TEXT_COLOR}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _text(x: float, y: float, text: str, *, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle"{extra}>'
        f"{escape(text)}</text>"
    )


def _note(x: float, y: float, text: str) -> str:
    """Grey italic text where a mark would be: "suppressed (n < 5)", "no value"."""
    return _text(x, y, text, extra=' class="bar-note" fill="#6b7280" font-style="italic"')


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _y_grid(
    ticks: Sequence[float], y_of: Callable[[float], float], x0: float, x1: float, fmt: Formatter
) -> str:
    """Horizontal grid lines at the ticks, each labelled left of ``x0``."""
    return "".join(
        f'<line x1="{x0}" y1="{y_of(t):.1f}" x2="{x1}" y2="{y_of(t):.1f}" stroke="{GRID_COLOR}"/>'
        + _text(x0 - 6, y_of(t), fmt(t), anchor="end", extra=' font-size="10"')
        for t in ticks
    )


def _target_across(y: float, x0: float, x1: float, label: str) -> str:
    """A dashed horizontal target line from ``x0`` to ``x1``, labelled at its right end."""
    return (
        f'<line class="target" x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" '
        f'stroke="{TARGET_COLOR}" stroke-dasharray="4 3"/>'
        + _text(x1 - 2, y - 7, label, anchor="end", extra=f' font-size="10" fill="{TARGET_COLOR}"')
    )


def _empty(width: int, title: str, message: str = "no data for this period") -> str:
    head, tail = _open_svg(width, 60, title, message, "empty")
    return head + _text(width / 2, 30, message, anchor="middle", extra=' fill="#6b7280"') + tail


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    fmt: Formatter = _plain,
    width: int = 640,
    color: str = BAR_COLOR,
    target: float | None = None,
) -> str:
    """Horizontal bars, one per row, labelled left and valued right; negatives go left of 0."""
    if not bars:
        return _empty(width, title)
    longest = max(len(_truncate(b.label, 44)) for b in bars)
    row, top, value_w = 22, 24, 70
    label_w = int(min(300, max(120, 6.4 * longest + 16)))
    plot_w = width - label_w - value_w - 10
    height = top + row * len(bars) + 8
    values = [b.value for b in bars if b.value is not None]
    lo = min([0.0, *values] + ([target] if target is not None else []))
    hi = max([0.0, *values] + ([target] if target is not None else []))
    if hi == lo:
        hi = lo + 1.0

    def x_of(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    desc = "; ".join(
        f"{b.label}: {fmt(b.value) if b.value is not None else b.note or 'no value'}" for b in bars
    )
    head, tail = _open_svg(width, height, title, desc, "bar")
    parts = [head]
    zero = x_of(0.0)
    parts.append(
        f'<line x1="{zero:.1f}" y1="{top - 6}" x2="{zero:.1f}" y2="{height - 6}" '
        f'stroke="{AXIS_COLOR}"/>'
    )
    for i, bar in enumerate(bars):
        y = top + i * row
        mid = y + row / 2
        parts.append(_text(label_w - 8, mid, _truncate(bar.label, 44), anchor="end"))
        if bar.value is None:
            parts.append(_note(zero + 6, mid, bar.note or "no value"))
            continue
        x0, x1 = sorted((zero, x_of(bar.value)))
        parts.append(
            f'<rect class="bar" data-label="{escape(bar.label)}" data-value="{bar.value:.6g}" '
            f'x="{x0:.1f}" y="{y + 3:.1f}" width="{max(x1 - x0, 1.0):.1f}" height="{row - 6}" '
            f'fill="{color}" rx="2"><title>{escape(bar.label)}: {escape(fmt(bar.value))}</title>'
            "</rect>"
        )
        parts.append(_text(max(x1, zero) + 6, mid, fmt(bar.value), extra=' class="bar-value"'))
    if target is not None:
        tx = x_of(target)
        parts.append(
            f'<line class="target" x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 6}" '
            f'stroke="{TARGET_COLOR}" stroke-dasharray="4 3"/>'
        )
        parts.append(
            _text(tx, top - 14, f"target {fmt(target)}", anchor="middle", extra=' font-size="10"')
        )
    parts.append(tail)
    return "".join(parts)


def grouped_bar_chart(
    groups: Sequence[str],
    series: Sequence[str],
    values: dict[tuple[str, str], float | None],
    *,
    title: str,
    fmt: Formatter = _plain,
    tick_fmt: Formatter | None = None,
    width: int = 640,
    height: int = 260,
) -> str:
    """Vertical bars: one group per entry of ``groups``, one bar per ``series`` within it."""
    present = [v for v in values.values() if v is not None]
    if not groups or not series or not present:
        return _empty(width, title)
    left, right, top, bottom = 48, 10, 30, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    legend_at = _legend_layout(series, left, width)
    legend_y = height - 12
    height += LEGEND_ROW * max(row for _, row in legend_at)
    ticks = nice_ticks(min(0.0, *present), max(0.0, *present))
    lo, hi = ticks[0], ticks[-1]

    def y_of(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    desc = "; ".join(
        f"{g} / {s}: {fmt(v) if (v := values.get((g, s))) is not None else 'no value'}"
        for g in groups
        for s in series
    )
    head, tail = _open_svg(width, height, title, desc, "grouped-bar")
    parts = [head]
    parts.append(_y_grid(ticks, y_of, left, width - right, tick_fmt or fmt))
    group_w = plot_w / len(groups)
    bar_w = min(34.0, group_w * 0.8 / len(series))
    zero = y_of(0.0)
    for gi, group in enumerate(groups):
        gx = left + gi * group_w + (group_w - bar_w * len(series)) / 2
        for si, name in enumerate(series):
            v = values.get((group, name))
            x = gx + si * bar_w
            if v is None:
                parts.append(
                    _text(x + bar_w / 2, zero - 8, "–", anchor="middle", extra=' fill="#6b7280"')
                )
                continue
            y0, y1 = sorted((zero, y_of(v)))
            parts.append(
                f'<rect class="bar" data-group="{escape(group)}" data-series="{escape(name)}" '
                f'data-value="{v:.6g}" x="{x + 1:.1f}" y="{y0:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{max(y1 - y0, 1.0):.1f}" fill="{PALETTE[si % len(PALETTE)]}">'
                f"<title>{escape(group)} / {escape(name)}: {escape(fmt(v))}</title></rect>"
            )
        parts.append(
            _text(
                left + gi * group_w + group_w / 2,
                top + plot_h + 14,
                _truncate(group, 24),
                anchor="middle",
            )
        )
    parts.append(
        f'<line x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" '
        f'stroke="{AXIS_COLOR}"/>'
    )
    legend = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)]
    parts.append(_legend(legend, legend_at, legend_y))
    parts.append(tail)
    return "".join(parts)


LEGEND_ROW = 16


def _legend_layout(names: Sequence[str], x: float, width: int) -> list[tuple[float, int]]:
    """(x, row) of each legend entry, wrapping onto a new row when the next would not fit."""
    positions: list[tuple[float, int]] = []
    lx, row = x, 0
    for name in names:
        entry = 14 + 6.6 * len(_truncate(name, 48)) + 18
        if lx > x and lx + entry > width:
            lx, row = x, row + 1
        positions.append((lx, row))
        lx += entry
    return positions


def _legend(
    items: Sequence[tuple[str, str]], positions: Sequence[tuple[float, int]], y: float
) -> str:
    """Swatches of (name, colour) at the positions of :func:`_legend_layout`."""
    parts = ['<g class="legend">']
    for (name, color), (lx, row) in zip(items, positions, strict=True):
        ly = y + row * LEGEND_ROW
        parts.append(f'<rect x="{lx:.1f}" y="{ly - 5:.1f}" width="10" height="10" fill="{color}"/>')
        parts.append(_text(lx + 14, ly, _truncate(name, 48), extra=' font-size="11"'))
    parts.append("</g>")
    return "".join(parts)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    fmt: Formatter = _plain,
    tick_fmt: Formatter | None = None,
    width: int = 640,
    height: int = 240,
    target: float | None = None,
    x_format: str = "%d %b",
    legend: bool | None = None,
) -> str:
    """Lines over dates; a series whose points carry low/high gets a shaded band under it.

    The legend is drawn when there are several series, or when ``legend`` says so. A point
    whose period is not over is hollow and the segment to it dashed, with a note below.
    """
    drawn = [s for s in series if any(p.y is not None for p in s.points)]
    if not drawn:
        return _empty(width, title)
    partial = any(not p.complete for s in drawn for p in s.points if p.y is not None)
    legend = len(drawn) > 1 if legend is None else legend
    xs = sorted({p.x for s in drawn for p in s.points})
    ys = [
        v
        for s in drawn
        for p in s.points
        for v in (p.y, p.low, p.high)
        if v is not None and math.isfinite(v)
    ]
    if target is not None:
        ys.append(target)
    ticks = nice_ticks(min(ys), max(ys))
    lo, hi = ticks[0], ticks[-1]
    left, right, top = 52, 14, 14
    bottom = 40 if legend else 26
    plot_w, plot_h = width - left - right, height - top - bottom
    legend_at = _legend_layout([s.name for s in drawn], left, width)
    legend_y = height - 10
    if legend:
        height += LEGEND_ROW * max(row for _, row in legend_at)
    note_y = height + LEGEND_ROW - 10
    if partial:
        height += LEGEND_ROW
    first, last = xs[0], xs[-1]
    span = max((last - first).days, 1)

    def x_of(d: dt.date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + (d - first).days / span * plot_w

    def y_of(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    desc = " ".join(
        f"{s.name}: "
        + ", ".join(f"{p.x.isoformat()} {fmt(p.y)}" for p in s.points if p.y is not None)
        + "."
        for s in drawn
    )
    head, tail = _open_svg(width, height, title, desc, "line")
    parts = [head]
    parts.append(_y_grid(ticks, y_of, left, width - right, tick_fmt or fmt))
    label_every = max(1, math.ceil(len(xs) / 8))
    for i, d in enumerate(xs):
        if i % label_every == 0:
            # the first and last labels stay inside the chart
            anchor = "middle"
            if len(xs) > 1 and d == first:
                anchor = "start"
            elif len(xs) > 1 and d == last:
                anchor = "end"
            parts.append(
                _text(
                    x_of(d) + {"start": -4, "end": 4}.get(anchor, 0),
                    top + plot_h + 12,
                    d.strftime(x_format),
                    anchor=anchor,
                    extra=' font-size="10"',
                )
            )
    colors = [s.color or PALETTE[i % len(PALETTE)] for i, s in enumerate(drawn)]
    for s, color in zip(drawn, colors, strict=True):
        banded = [p for p in s.points if p.low is not None and p.high is not None]
        if len(banded) >= 2:
            upper = " L".join(f"{x_of(p.x):.1f},{y_of(p.high):.1f}" for p in banded)
            lower = " L".join(f"{x_of(p.x):.1f},{y_of(p.low):.1f}" for p in reversed(banded))
            parts.append(
                f'<path class="band" data-series="{escape(s.name)}" d="M{upper} L{lower} Z" '
                f'fill="{color}" fill-opacity="0.16" stroke="none"/>'
            )
        elif len(banded) == 1:
            p = banded[0]
            parts.append(
                f'<path class="band" data-series="{escape(s.name)}" '
                f'd="M{x_of(p.x) - 4:.1f},{y_of(p.high):.1f} h8 V{y_of(p.low):.1f} h-8 Z" '
                f'fill="{color}" fill-opacity="0.16" stroke="none"/>'
            )
        points = [p for p in s.points if p.y is not None]
        # runs of segments: solid between complete periods, dashed into or out of a partial one
        runs: list[tuple[bool, list[Point]]] = []
        for a, b in itertools.pairwise(points):
            dashed = not (a.complete and b.complete)
            if runs and runs[-1][0] == dashed:
                runs[-1][1].append(b)
            else:
                runs.append((dashed, [a, b]))
        for dashed, run in runs:
            d = " L".join(f"{x_of(p.x):.1f},{y_of(p.y):.1f}" for p in run)
            kind, dash = ("line partial", ' stroke-dasharray="5 4"') if dashed else ("line", "")
            parts.append(
                f'<path class="{kind}" data-series="{escape(s.name)}" d="M{d}" fill="none" '
                f'stroke="{color}" stroke-width="2" stroke-linejoin="round"{dash}/>'
            )
        for p in points:
            tip = f"{s.name}, {p.x.isoformat()}: {fmt(p.y)}"
            if p.low is not None and p.high is not None:
                tip += f" (95% CI {fmt(p.low)} to {fmt(p.high)})"
            if not p.complete:
                tip += " (period not over)"
            mark = (
                f'class="point" r="2.5" fill="{color}"'
                if p.complete
                else f'class="point partial" r="3.5" fill="#ffffff" stroke="{color}" '
                'stroke-width="1.5"'
            )
            parts.append(
                f'<circle {mark} cx="{x_of(p.x):.1f}" cy="{y_of(p.y):.1f}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    if target is not None:
        parts.append(_target_across(y_of(target), left, width - right, f"target {fmt(target)}"))
    if legend:
        parts.append(
            _legend([(s.name, c) for s, c in zip(drawn, colors, strict=True)], legend_at, legend_y)
        )
    if partial:
        parts.append(
            f'<g class="partial-note"><circle cx="{left + 5}" cy="{note_y:.1f}" r="3.5" '
            f'fill="#ffffff" stroke="{TEXT_COLOR}" stroke-width="1.5"/>'
            + _text(left + 14, note_y, PARTIAL_NOTE, extra=' font-size="11"')
            + "</g>"
        )
    parts.append(tail)
    return "".join(parts)

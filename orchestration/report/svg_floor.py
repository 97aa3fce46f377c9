"""Charts of the floor's view: a local day interval by interval (bars on a 24-hour axis,
partial intervals pale, the target as a dashed line) and estimates with their 95%
intervals (a point and its interval per group, on one axis), from the primitives of
:mod:`orchestration.report.svg`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from orchestration.report import svg

# --------------------------------------------------------------------------- intraday

MINUTES_PER_DAY = 24 * 60
NOT_FINAL_NOTE = "pale bar, dashed outline: interval not final (the day still receives files)"


@dataclass(frozen=True)
class IntervalBar:
    """One interval of a local day: its wall-clock start in minutes after midnight."""

    start_minute: int
    value: float
    complete: bool = True  # False: the interval's day is still receiving files


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def intraday_bar_chart(
    bars: Sequence[IntervalBar],
    *,
    title: str,
    interval_minutes: int,
    fmt: svg.Formatter = svg._plain,
    tick_fmt: svg.Formatter | None = None,
    color: str = svg.BAR_COLOR,
    target: float | None = None,
) -> str:
    """Vertical bars over the local day, 00:00 to 24:00, one per interval with a value.

    An interval that is not final is pale with a dashed outline, and a note says so; the
    target, when given, is a dashed horizontal line.
    """
    width, height = 640, 220
    if not bars:
        return svg._empty(width, title)
    left, right, top, bottom = 48, 16, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    partial = any(not b.complete for b in bars)
    if partial:
        height += svg.LEGEND_ROW
    extremes = [b.value for b in bars] + ([target] if target is not None else [])
    ticks = svg.nice_ticks(min(0.0, *extremes), max(0.0, *extremes))
    lo, hi = ticks[0], ticks[-1]

    def x_of(minute: float) -> float:
        return left + minute / MINUTES_PER_DAY * plot_w

    def y_of(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    def span(b: IntervalBar) -> str:
        return f"{_clock(b.start_minute)}–{_clock(b.start_minute + interval_minutes)}"

    desc = "; ".join(
        f"{span(b)}: {fmt(b.value)}{'' if b.complete else ' (not final)'}" for b in bars
    )
    head, tail = svg._open_svg(width, height, title, desc, "intraday-bar")
    parts = [head]
    parts.append(svg._y_grid(ticks, y_of, left, width - right, tick_fmt or fmt))
    for hour in range(0, 25, 3):
        parts.append(
            svg._text(
                x_of(hour * 60),
                top + plot_h + 12,
                _clock(hour * 60),
                anchor="middle",
                extra=' font-size="10"',
            )
        )
    zero = y_of(0.0)
    bar_w = max(interval_minutes / MINUTES_PER_DAY * plot_w - 1.0, 1.0)
    for b in bars:
        y0, y1 = sorted((zero, y_of(b.value)))
        look = (
            f'class="bar" fill="{color}"'
            if b.complete
            else f'class="bar partial" fill="{color}" fill-opacity="0.3" stroke="{color}" '
            'stroke-dasharray="3 2"'
        )
        tip = f"{span(b)}: {fmt(b.value)}{'' if b.complete else ' (not final)'}"
        parts.append(
            f'<rect {look} data-start="{_clock(b.start_minute)}" data-value="{b.value:.6g}" '
            f'x="{x_of(b.start_minute) + 0.5:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" '
            f'height="{max(y1 - y0, 1.0):.1f}"><title>{escape(tip)}</title></rect>'
        )
    parts.append(
        f'<line x1="{left}" y1="{zero:.1f}" x2="{width - right}" y2="{zero:.1f}" '
        f'stroke="{svg.AXIS_COLOR}"/>'
    )
    if target is not None:
        parts.append(svg._target_across(y_of(target), left, width - right, f"target {fmt(target)}"))
    if partial:
        note_y = height - svg.LEGEND_ROW + 4
        parts.append(
            f'<g class="partial-note"><rect x="{left}" y="{note_y - 5:.1f}" width="10" '
            f'height="10" fill="{color}" fill-opacity="0.3" stroke="{color}" '
            'stroke-dasharray="3 2"/>'
            + svg._text(left + 14, note_y, NOT_FINAL_NOTE, extra=' font-size="11"')
            + "</g>"
        )
    parts.append(tail)
    return "".join(parts)


# --------------------------------------------------------------------------- estimates


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% interval (``low``/``high`` None: none defined); ``value``
    None draws ``note`` (e.g. "suppressed (n < 5)") instead."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    note: str = ""


def estimate_chart(
    estimates: Sequence[Estimate],
    *,
    title: str,
    fmt: svg.Formatter = svg._plain,
    tick_fmt: svg.Formatter | None = None,
) -> str:
    """One row per estimate: a point at the value and a whisker over its interval, on one
    axis, so overlapping intervals show a difference that may be noise."""
    width = 640
    if not any(e.value is not None for e in estimates):
        return svg._empty(width, title)
    label_w, value_w, row, top, bottom = 110, 170, 24, 8, 22
    plot_w = width - label_w - value_w - 10
    height = top + row * len(estimates) + bottom
    ends = [
        v
        for e in estimates
        if e.value is not None
        for v in (e.value, e.low, e.high)
        if v is not None
    ]
    ticks = svg.nice_ticks(min(ends), max(ends))
    lo, hi = ticks[0], ticks[-1]

    def x_of(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    def text_of(e: Estimate) -> str:
        if e.value is None:
            return e.note or "no value"
        if e.low is None or e.high is None:
            return fmt(e.value)
        return f"{fmt(e.value)} ({fmt(e.low)} to {fmt(e.high)})"

    desc = "; ".join(f"{e.label}: {text_of(e)}" for e in estimates)
    head, tail = svg._open_svg(width, height, title, desc, "estimate")
    parts = [head]
    axis_y = top + row * len(estimates) + 4
    for t in ticks:
        parts.append(
            f'<line x1="{x_of(t):.1f}" y1="{top}" x2="{x_of(t):.1f}" y2="{axis_y}" '
            f'stroke="{svg.GRID_COLOR}"/>'
        )
        parts.append(
            svg._text(
                x_of(t), axis_y + 9, (tick_fmt or fmt)(t), anchor="middle", extra=' font-size="10"'
            )
        )
    for i, e in enumerate(estimates):
        mid = top + i * row + row / 2
        parts.append(svg._text(label_w - 8, mid, svg._truncate(e.label, 16), anchor="end"))
        if e.value is None:
            parts.append(svg._note(label_w + 6, mid, text_of(e)))
            continue
        color = svg.PALETTE[i % len(svg.PALETTE)]
        if e.low is not None and e.high is not None and e.high > e.low:  # a drawable whisker
            parts.append(
                f'<line class="band" data-label="{escape(e.label)}" x1="{x_of(e.low):.1f}" '
                f'y1="{mid:.1f}" x2="{x_of(e.high):.1f}" y2="{mid:.1f}" stroke="{color}" '
                'stroke-width="3" stroke-linecap="butt"/>'
            )
        parts.append(
            f'<circle class="point" data-label="{escape(e.label)}" data-value="{e.value:.6g}" '
            f'cx="{x_of(e.value):.1f}" cy="{mid:.1f}" r="4.5" fill="{color}">'
            f"<title>{escape(e.label)}: {escape(text_of(e))}</title></circle>"
        )
        parts.append(svg._text(width - value_w, mid, text_of(e), extra=' class="estimate-value"'))
    parts.append(tail)
    return "".join(parts)

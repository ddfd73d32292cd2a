"""Small server-rendered SVG charts (pure Python): an indicator's measurements against its
baseline and target, on an axis of round steps. Every text is escaped; colours are
presentation attributes (the CSP allows no inline style)."""

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from app.core.axes import Axis, charted, nice_axis

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 26
INK, MUTED, BRAND, OK, GRID = "#1b1f24", "#545d68", "#0b5394", "#1a7f37", "#e1e4e8"
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


def _plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


@dataclass(frozen=True)
class _Scale:
    """Where a day and a value fall on the plot."""

    axis: Axis
    first: date | None
    last: date | None

    @classmethod
    def of(cls, values: list[float], days: list[date]) -> "_Scale":
        """Round steps (1, 2 or 5 × 10^n) from zero, or the lowest value, to the highest."""
        axis = nice_axis(min(0.0, *values), max(values))
        return cls(axis, min(days, default=None), max(days, default=None))

    @property
    def span(self) -> int:
        return (self.last - self.first).days if self.first and self.last else 0

    def x(self, day: date | None) -> float:
        if not self.span or day is None or self.first is None:
            return LEFT + PLOT_W / 2
        return LEFT + (day - self.first).days / self.span * PLOT_W

    def y(self, value: float) -> float:
        return TOP + (1 - self.axis.share(charted(value))) * PLOT_H


def _value_axis(scale: _Scale, fmt: Callable[[float], str]) -> list[str]:
    """A line and a label at each round step of the vertical axis."""
    parts = []
    for tick in scale.axis.ticks:
        yy = scale.y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
            f'stroke="{MUTED if tick == scale.axis.low else GRID}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{yy + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="{INK}">{escape(fmt(tick))}</text>'
        )
    return parts


def _reference_line(scale: _Scale, value: float, colour: str, label: str) -> list[str]:
    """A dashed line across the plot at ``value`` (the baseline or the target), labelled."""
    yy = scale.y(value)
    return [
        f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
        f'stroke="{colour}" stroke-dasharray="5 4"/>',
        f'<text x="{WIDTH - RIGHT}" y="{yy - 3:.1f}" text-anchor="end" '
        f'font-size="10" fill="{colour}">{escape(label)}</text>',
    ]


def _series(scale: _Scale, points: list[tuple[date, float]]) -> list[str]:
    """The measurements as a line with a dot on each."""
    if not points:
        return []
    coords = " ".join(f"{scale.x(d):.1f},{scale.y(v):.1f}" for d, v in points)
    return [
        f'<polyline points="{coords}" fill="none" stroke="{BRAND}" stroke-width="2"/>',
        *(
            f'<circle cx="{scale.x(d):.1f}" cy="{scale.y(v):.1f}" r="3" fill="{BRAND}"/>'
            for d, v in points
        ),
    ]


def _date_axis(scale: _Scale) -> list[str]:
    """The first day under the left end, the last under the right end when they differ."""
    if not (scale.first and scale.last):
        return []
    parts = [
        f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10" fill="{INK}">'
        f"{escape(scale.first.isoformat())}</text>"
    ]
    if scale.span:
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" '
            f'font-size="10" fill="{INK}">{escape(scale.last.isoformat())}</text>'
        )
    return parts


def indicator_svg(
    *,
    chart_id: str,
    title: str,
    points: list[tuple[date, float]],
    baseline: tuple[date | None, float | None] = (None, None),
    target: tuple[date | None, float | None] = (None, None),
    labels: dict[str, str] | None = None,
    number: Callable[[float], str] | None = None,
) -> Markup:
    """An inline SVG line chart of ``points`` (date, value) with the baseline and target as
    dashed lines. ``title`` names the chart for screen readers (a table gives the figures);
    ``labels`` holds the translated words "Baseline" and "Target", ``number`` formats a value
    for the reader's language."""
    labels = labels or {"baseline": "Baseline", "target": "Target"}
    fmt = number or _plain
    points = sorted((day, value) for day, value in points if math.isfinite(value))
    references = [
        (value, colour, f"{labels[key]} {fmt(value)}")
        for (_day, value), colour, key in ((baseline, MUTED, "baseline"), (target, OK, "target"))
        if value is not None and math.isfinite(value)
    ]
    values = [v for _, v in points] + [value for value, _, _ in references]
    days = [d for d, _ in points] + [d for d in (baseline[0], target[0]) if d is not None]
    title_id = f"{chart_id}-title"
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{escape(title)}</title>'
    )
    if not values:
        return Markup(head + "</svg>")  # noqa: S704 - built from escaped parts
    scale = _Scale.of(values, days)
    parts = [head, *_value_axis(scale, fmt)]
    for value, colour, label in references:
        parts += _reference_line(scale, value, colour, label)
    parts += [*_series(scale, points), *_date_axis(scale), "</svg>"]
    return Markup("".join(parts))  # noqa: S704 - built from escaped parts

"""Small server-rendered SVG charts (pure Python): an indicator's measurements against its
baseline and target. Every text is escaped; colours are presentation attributes (the CSP
allows no inline style)."""

from collections.abc import Callable
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 26
INK, MUTED, BRAND, OK = "#1b1f24", "#545d68", "#0b5394", "#1a7f37"


def _plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"


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
    _fmt = number or _plain
    points = sorted(points)
    values = [v for _, v in points]
    for v in (baseline[1], target[1]):
        if v is not None:
            values.append(v)
    days = [d for d, _ in points] + [d for d in (baseline[0], target[0]) if d is not None]
    title_id = f"{chart_id}-title"
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{title_id}">{escape(title)}</title>'
    )
    if not values:
        return Markup(head + "</svg>")  # noqa: S704 - built from escaped parts
    low, high = min(0.0, *values), max(values)
    if high == low:
        high = low + 1
    high += (high - low) * 0.08
    first, last = (min(days), max(days)) if days else (None, None)
    span = (last - first).days if first and last else 0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date | None) -> float:
        if not span or day is None:
            return LEFT + plot_w / 2
        return LEFT + (day - first).days / span * plot_w

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * plot_h

    parts = [
        head,
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{MUTED}"/>',
        f'<text x="{LEFT - 4}" y="{y(high) + 4:.1f}" text-anchor="end" font-size="10" '
        f'fill="{INK}">{escape(_fmt(high))}</text>',
        f'<text x="{LEFT - 4}" y="{y(low) + 4:.1f}" text-anchor="end" font-size="10" '
        f'fill="{INK}">{escape(_fmt(low))}</text>',
    ]
    for (_day, value), colour, key in ((baseline, MUTED, "baseline"), (target, OK, "target")):
        if value is None:
            continue
        yy = y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" '
            f'stroke="{colour}" stroke-dasharray="5 4"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{yy - 3:.1f}" text-anchor="end" '
            f'font-size="10" fill="{colour}">{escape(labels[key])} '
            f"{escape(_fmt(value))}</text>"
        )
    if points:
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{BRAND}" stroke-width="2"/>')
        parts.extend(
            f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{BRAND}"/>' for d, v in points
        )
    if first and last:
        parts.append(
            f'<text x="{LEFT}" y="{HEIGHT - 8}" font-size="10" fill="{INK}">'
            f"{escape(first.isoformat())}</text>"
        )
        if span:
            parts.append(
                f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 8}" text-anchor="end" '
                f'font-size="10" fill="{INK}">{escape(last.isoformat())}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - built from escaped parts

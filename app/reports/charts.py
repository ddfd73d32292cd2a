"""Charts drawn on the server as SVG: they need no JavaScript, print, and embed in the PDF.

Only presentation attributes are used (no ``style``), so the page's Content-Security-Policy
holds. Each chart has a ``<title>`` and a ``<desc>``; the pages show a table alternative.
"""

from collections.abc import Callable, Sequence
from datetime import date

from markupsafe import Markup, escape

from app.core.axes import nice_axis
from app.items import workflow

COLOURS = {
    workflow.NOT_STARTED: "#8c959f",
    workflow.IN_PROGRESS: "#0b5394",
    workflow.BLOCKED: "#b3261e",
    workflow.IMPLEMENTED: "#d4a017",
    workflow.VERIFIED: "#1a7f37",
    workflow.NOT_ACCEPTED: "#6e40c9",
    workflow.NO_LONGER_RELEVANT: "#c9ced4",
}
FONT = "DejaVu Sans, Verdana, sans-serif"
INK = "#1b1f24"
MUTED = "#545d68"
GRID = "#d0d7de"


def _svg(parts: list[str]) -> Markup:
    """The chart as markup: every text that came from data went through ``escape``."""
    return Markup("".join(parts))  # noqa: S704


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="12" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}" font-weight="{weight}">{escape(text)}</text>'
    )


NARROW = set("fijlrtI.,;:!|'’ ()-")


def text_width(text: str, size: int = 12) -> float:
    """About how wide ``text`` is in DejaVu Sans at ``size`` pixels, erring wide: narrow
    letters 0.4 em, capitals and digits 0.8 em, the rest 0.65 em."""
    ems = sum(0.4 if ch in NARROW else 0.8 if ch.isupper() or ch.isdigit() else 0.65 for ch in text)
    return ems * size


def _fit(text: str, width: float, size: int = 12) -> str:
    """``text``, cut with "…" when it would be wider than ``width`` pixels."""
    if text_width(text, size) <= width:
        return text
    while len(text) > 1 and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def status_bars(
    by_status: dict[str, int],
    label: Callable[[str], str],
    title: str,
    chart_id: str = "chart-status",
) -> Markup:
    """Horizontal bars: the number of items in each status."""
    width, row, left, right = 420, 28, 156, 44
    height = row * len(by_status) + 16
    top = max(by_status.values(), default=0) or 1
    desc = "; ".join(f"{label(s)}: {n}" for s, n in by_status.items())
    out = _open(chart_id, width, height, title, desc)
    span = width - left - right
    for i, (status, count) in enumerate(by_status.items()):
        y = 8 + i * row
        bar = span * count / top
        out.append(_text(left - 8, y + 15, _fit(label(status), left - 10), anchor="end"))
        out.append(
            f'<rect x="{left}" y="{y + 3}" width="{span:.1f}" height="{row - 8}" fill="#f0f2f4"/>'
        )
        if count:
            out.append(
                f'<rect x="{left}" y="{y + 3}" width="{max(bar, 2):.1f}" '
                f'height="{row - 8}" fill="{COLOURS.get(status, MUTED)}"/>'
            )
        out.append(_text(left + span + 8, y + 15, str(count), weight="bold"))
    out.append("</svg>")
    return _svg(out)


def lead_shares(
    rows: Sequence[tuple[str, dict[str, int]]],
    label: Callable[[str], str],
    title: str,
    chart_id: str = "chart-leads",
) -> Markup:
    """One 100 % bar per organisation, split by status, with a legend."""
    width, row, left, right = 640, 24, 120, 50
    legend_rows = 2
    height = row * len(rows) + 14 + legend_rows * 18 + 8
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{label(s)} {n}" for s, n in counts.items() if n)
        for name, counts in rows
    )
    out = _open(chart_id, width, height, title, desc or title)
    span = width - left - right
    for i, (name, counts) in enumerate(rows):
        y = 6 + i * row
        total = sum(counts.values()) or 1
        x = float(left)
        out.append(_text(left - 8, y + 15, _fit(name, left - 10), anchor="end"))
        for status in workflow.STATUSES:
            n = counts.get(status, 0)
            if not n:
                continue
            w = span * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" '
                f'fill="{COLOURS[status]}"><title>{escape(name)} · '
                f"{escape(label(status))}: {n}</title></rect>"
            )
            x += w
        out.append(_text(left + span + 6, y + 15, str(sum(counts.values())), fill=MUTED))
    out.extend(_legend(6 + len(rows) * row + 10, width, label))
    out.append("</svg>")
    return _svg(out)


def _legend(y: float, width: int, label: Callable[[str], str]) -> list[str]:
    out, x, per_row = [], 10.0, 4
    for i, status in enumerate(workflow.STATUSES):
        if i and i % per_row == 0:
            y += 18
            x = 10.0
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="11" height="11" fill="{COLOURS[status]}"/>'
        )
        out.append(_text(x + 16, y + 10, label(status), size=11))
        x += (width - 20) / per_row
    return out


def trend_lines(
    days: Sequence[date],
    counts: dict[str, list[int]],
    label: Callable[[str], str],
    day_label: Callable[[date], str],
    title: str,
    *,
    chart_id: str = "chart-trend",
    number: Callable[[float], str] = lambda v: f"{v:g}",
) -> Markup:
    """One line per status across the weeks; statuses never used are left out. The vertical
    axis goes up in round steps (1, 2 or 5 × 10^n); ``number`` writes them for the reader."""
    width, height = 500, 290
    left, right, top, bottom = 40, 30, 14, 78
    shown = [s for s in workflow.STATUSES if any(counts.get(s, []))]
    peak = max((max(counts[s]) for s in shown), default=0)
    axis = nice_axis(0, peak or 1, whole=True)
    plot_w, plot_h = width - left - right, height - top - bottom
    desc = "; ".join(
        f"{day_label(d)}: " + ", ".join(f"{label(s)} {counts[s][i]}" for s in shown)
        for i, d in enumerate(days)
    )
    out = _open(chart_id, width, height, title, desc or title)

    def px(i: int) -> float:
        return left + (plot_w * i / (len(days) - 1) if len(days) > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - plot_h * axis.share(v)

    for v in axis.ticks:
        out.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, py(v) + 4, number(v), anchor="end", size=11, fill=MUTED))
    every = max(1, -(-len(days) // 6))
    last = len(days) - 1
    for i, d in enumerate(days):
        # Every few weeks and the last day, never two labels closer than half a step.
        if i == last or (i % every == 0 and last - i >= max(every / 2, 1)):
            out.append(
                _text(px(i), top + plot_h + 16, day_label(d), anchor="middle", size=10, fill=MUTED)
            )
    for status in shown:
        points = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(counts[status]))
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{COLOURS[status]}" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
        for i, v in enumerate(counts[status]):
            out.append(
                f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="2.5" fill="{COLOURS[status]}"/>'
            )
    out.extend(_line_legend(shown, label, height - bottom + 34, left, width))
    out.append("</svg>")
    return _svg(out)


def _line_legend(
    shown: list[str], label: Callable[[str], str], y: float, left: float, width: int
) -> list[str]:
    """A swatch and a label per status shown, wrapping to a new row before the edge."""
    out, x = [], float(left)
    for status in shown:
        step = 16 + text_width(label(status), 11) + 12
        if x + step > width and x > left:
            y, x = y + 18, float(left)
        out.append(f'<rect x="{x:.1f}" y="{y}" width="11" height="11" fill="{COLOURS[status]}"/>')
        out.append(_text(x + 16, y + 10, label(status), size=11))
        x += step
    return out

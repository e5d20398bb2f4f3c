"""Server-side SVG charts: children in care over time, with targets and Ofsted
judgements on the same time axis. No scripts, no fonts to fetch: the markup is the
chart, it scales to the width of a phone, and every mark says what it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from domain.values import EffectiveDate
from domain.wording import label, when
from projections.fact_wording import number_text

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 84, 16, 16, 96
BAND = 22  # height of the Ofsted strip under the plot
MARK = 18  # width of a judgement's mark in the strip

JUDGEMENT_COLOURS = {
    "outstanding": "#17692e",
    "good": "#2f6b1d",
    "requires_improvement": "#8a4b00",
    "inadequate": "#b42323",
    "none": "#56606e",
}
# Every judgement's mark carries its initial as well as its colour.
JUDGEMENT_LETTERS = {
    "outstanding": "O",
    "good": "G",
    "requires_improvement": "R",
    "inadequate": "I",
    "none": "–",
}


@dataclass(frozen=True)
class Point:
    when: date
    value: float
    official: bool
    label: str
    href: str


@dataclass(frozen=True)
class Target:
    when: date
    value: float
    label: str
    href: str


@dataclass(frozen=True)
class Rating:
    when: date
    judgement: str
    label: str
    href: str


def _year_fraction(day: date) -> float:
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


MAX_GRID_LINES = 7


def axis_step(top: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0..top into
    at most MAX_GRID_LINES - 1 intervals, whatever the magnitude of ``top``."""
    if not top > 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(top / (MAX_GRID_LINES - 1)))
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = multiple * magnitude
        if math.floor(top / step) + 1 <= MAX_GRID_LINES - 1:
            return max(step, 1.0)
    return 10.0 * magnitude  # pragma: no cover - 10 always fits


def axis_label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 10_000:
        return f"{value / 1_000:g}k"
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


def _plottable(value: float) -> bool:
    return math.isfinite(value) and value >= 0


def children_in_care_chart(
    points: list[Point], targets: list[Target], ratings: list[Rating], title: str
) -> str:
    """An SVG line chart; official figures joined by a line, reported ones as
    hollow diamonds, targets dashed, Ofsted judgements as coloured marks below."""
    # A value the axis cannot show (negative, infinite, not a number) is left off
    # the chart; the table beside it still lists it.
    points = [p for p in points if _plottable(p.value)]
    targets = [t for t in targets if _plottable(t.value)]
    if not points and not ratings:
        return ""
    days = (
        [p.when for p in points] + [t.when for t in targets] + [r.when for r in ratings]
    )
    x0 = float(min(days).year)
    if _year_fraction(min(days)) - x0 < 0.1:  # room for a mark at the very start
        x0 -= 1
    x1 = float(max(days).year + 1)
    values = [p.value for p in points] + [t.value for t in targets]
    top_value = max(values, default=1.0)
    step = axis_step(top_value)
    lines = math.floor(top_value / step) + 1
    y1 = lines * step
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return LEFT + (_year_fraction(day) - x0) / (x1 - x0) * plot_w

    def y(value: float) -> float:
        return TOP + plot_h - value / y1 * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="group" aria-labelledby="chart-title chart-desc" class="chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{len(points)} figures for children in care, '
        f"{len(targets)} targets and {len(ratings)} Ofsted judgements from "
        f"{int(x0)} to {int(x1) - 1}. The table below lists them with their "
        "sources. Each mark is a link to its fact.</desc>",
    ]
    for line in range(lines + 1):  # horizontal grid and value labels
        value = line * step
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" class="axis" '
            f'text-anchor="end">{axis_label(value)}</text>'
        )
    years = int(x1 - x0)
    every = 1 if years <= 10 else 2 if years <= 20 else 5
    for year in range(int(x0), int(x1), every):
        px = x(date(year, 1, 1))
        parts.append(
            f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'class="grid"/><text x="{px:.1f}" y="{TOP + plot_h + 26}" class="axis" '
            f'text-anchor="middle">{year}</text>'
        )
    official = sorted((p for p in points if p.official), key=lambda p: p.when)
    if len(official) > 1:
        path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in official)
        parts.append(f'<polyline points="{path}" class="official-line"/>')
    for t in targets:
        parts.append(
            f'<a href="{escape(t.href)}" aria-label="{escape(t.label)}">'
            f'<line x1="{x(t.when):.1f}" '
            f'x2="{WIDTH - RIGHT}" y1="{y(t.value):.1f}" y2="{y(t.value):.1f}" '
            f'class="target"><title>{escape(t.label)}</title></line></a>'
        )
    for p in sorted(points, key=lambda p: p.when):
        cx, cy = x(p.when), y(p.value)
        if p.official:
            mark = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" class="official">'
        else:
            d = (
                f"M{cx:.1f},{cy - 6:.1f} L{cx + 6:.1f},{cy:.1f} L{cx:.1f},{cy + 6:.1f} "
                f"L{cx - 6:.1f},{cy:.1f} Z"
            )
            mark = f'<path d="{d}" class="reported">'
        parts.append(
            f'<a href="{escape(p.href)}" aria-label="{escape(p.label)}" '
            f'class="point" data-value="{p.value:g}">'
            f"{mark}<title>{escape(p.label)}</title>"
            f"{'</circle>' if p.official else '</path>'}</a>"
        )
    band_y = TOP + plot_h + 38
    parts.append(
        f'<text x="{LEFT - 6}" y="{band_y + 15}" class="axis" '
        'text-anchor="end">Ofsted</text>'
    )
    for r in sorted(ratings, key=lambda r: r.when):
        colour = JUDGEMENT_COLOURS.get(r.judgement, "#56606e")
        letter = JUDGEMENT_LETTERS.get(r.judgement, "?")
        left = x(r.when) - MARK / 2
        parts.append(
            f'<a href="{escape(r.href)}" class="rating" aria-label="{escape(r.label)}">'
            f'<rect x="{left:.1f}" y="{band_y}" width="{MARK}" height="{BAND}" '
            f'rx="2" fill="{colour}"><title>{escape(r.label)}</title></rect>'
            f'<text x="{left + MARK / 2:.1f}" y="{band_y + 16}" class="letter" '
            f'text-anchor="middle" aria-hidden="true">{letter}</text></a>'
        )
    legend_y = HEIGHT - 10
    parts.append(
        f'<g class="legend" aria-hidden="true"><circle cx="{LEFT + 6}" '
        f'cy="{legend_y - 4}" r="4.5" '
        f'class="official"/><text x="{LEFT + 16}" y="{legend_y}">official statistics'
        f'</text><path d="M{LEFT + 166},{legend_y - 10} L{LEFT + 172},{legend_y - 4} '
        f'L{LEFT + 166},{legend_y + 2} L{LEFT + 160},{legend_y - 4} Z" '
        'class="reported"/>'
        f'<text x="{LEFT + 178}" y="{legend_y}">reported figures</text>'
        f'<line x1="{LEFT + 320}" x2="{LEFT + 350}" y1="{legend_y - 4}" '
        f'y2="{legend_y - 4}" class="target"/><text x="{LEFT + 356}" y="{legend_y}">'
        f"target</text></g>"
    )
    parts.append("</svg>")
    return "".join(parts)


def children_in_care_of(
    counts: list[dict[str, Any]],
    targets: list[dict[str, Any]],
    ratings: list[dict[str, Any]],
    name: str,
) -> str:
    """The chart of an authority's facts: its counts of children in care (each
    marked ``official`` or not), the targets set for them and its Ofsted
    judgements, each mark labelled and linked to its fact."""
    return children_in_care_chart(
        [
            Point(
                _day(d),
                float(d["fields"]["value"]),
                d["official"],
                f"{number_text(d['fields']['value'])} children in care, {_when(d)} "
                f"({d['source']['publisher']})",
                f"/facts/{d['fact_id']}",
            )
            for d in counts
        ],
        [
            Target(
                _day(d),
                float(d["fields"]["value"]),
                f"target: {number_text(d['fields']['value'])} children in care "
                f"(set {_when(d)})",
                f"/facts/{d['fact_id']}",
            )
            for d in targets
        ],
        [
            Rating(
                _day(d),
                d["fields"]["judgement"],
                f"Ofsted, {_when(d)}: {label(d['fields']['judgement'])} "
                f"({d['source']['publisher']})",
                f"/facts/{d['fact_id']}",
            )
            for d in ratings
        ],
        f"Children in care in {name}",
    )


def _day(doc: dict[str, Any]) -> date:
    return EffectiveDate.parse(doc["effective"]["date"]).first_day


def _when(doc: dict[str, Any]) -> str:
    effective = doc["effective"]
    text = effective["date"] + ("~" if effective["approximate"] else "")
    return when(EffectiveDate.parse(text))


@dataclass(frozen=True)
class Bar:
    name: str
    value: float
    role: str  # authority, neighbour or england
    label: str
    href: str


BAR_WIDTH, BAR_ROW, BAR_NAMES, BAR_VALUES = 480, 26, 170, 70


def comparison_chart(bars: list[Bar], title: str, chart_id: str) -> str:
    """A horizontal bar per authority (the authority itself, its neighbours,
    England), each bar a link to its fact, its value written beside it."""
    bars = [b for b in bars if math.isfinite(b.value)]
    if not bars:
        return ""
    low = min(0.0, *(b.value for b in bars))
    high = max(0.0, *(b.value for b in bars))
    span = (high - low) or 1.0
    plot = BAR_WIDTH - BAR_NAMES - BAR_VALUES
    height = BAR_ROW * len(bars) + 8

    def x(value: float) -> float:
        return BAR_NAMES + (value - low) / span * plot

    ident = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BAR_WIDTH} {height}" '
        f'role="group" aria-labelledby="{ident}-title" class="bars">',
        f'<title id="{ident}-title">{escape(title)}</title>',
    ]
    for i, b in enumerate(bars):
        top = 4 + i * BAR_ROW
        left, right = sorted((x(0.0), x(b.value)))
        role = "own" if b.role == "authority" else b.role
        name = b.name if len(b.name) <= 22 else b.name[:21] + "…"
        parts.append(
            f'<a href="{escape(b.href)}" aria-label="{escape(b.label)}">'
            f'<text x="{BAR_NAMES - 6}" y="{top + 17}" text-anchor="end" '
            f'class="{role}-name">{escape(name)}</text>'
            f'<rect x="{left:.1f}" y="{top + 4}" width="{max(right - left, 1):.1f}" '
            f'height="{BAR_ROW - 8}" class="bar {role}">'
            f"<title>{escape(b.label)}</title></rect>"
            f'<text x="{max(right, x(0.0)) + 4:.1f}" y="{top + 17}">'
            f"{escape(axis_number(b.value))}</text></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def axis_number(value: float) -> str:
    """A bar's value as written beside it: thousands separated, at most two
    decimals."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")

"""Server-side SVG charts: children in care over time, with targets and Ofsted
judgements on the same time axis, and a measure compared as bars. No scripts, no
fonts to fetch: the markup is the chart, it scales to the width of a phone, and
every mark says what it is. Here each mark is placed (numbers to coordinates);
the markup is the templates ``children_in_care_chart.svg`` and
``comparison_chart.svg``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.values import EffectiveDate
from domain.wording import label, when
from projections.fact_wording import number_text
from service.templating import chart_templates

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


@dataclass(frozen=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True)
class YearLine:
    x: float
    year: int


@dataclass(frozen=True)
class TimeChart:
    """The children in care chart laid out: every mark where it stands."""

    title: str
    first_year: int
    last_year: int
    bottom: int  # of the plot
    band: int  # top of the Ofsted strip
    grid: list[GridLine]
    years: list[YearLine]
    line: list[tuple[float, float]]  # the official figures, joined
    targets: list[tuple[float, float, Target]]
    points: list[tuple[float, float, Point]]
    ratings: list[tuple[float, str, str, Rating]]  # left, colour, letter


def children_in_care_chart(
    points: list[Point], targets: list[Target], ratings: list[Rating], title: str
) -> str:
    """An SVG line chart; official figures joined by a line, reported ones as
    hollow diamonds, targets dashed, Ofsted judgements as coloured marks below."""
    chart = time_chart(points, targets, ratings, title)
    if chart is None:
        return ""
    return _render(
        "children_in_care_chart.svg",
        chart=chart,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=RIGHT,
        top=TOP,
        mark=MARK,
        band=BAND,
    )


def time_chart(
    points: list[Point], targets: list[Target], ratings: list[Rating], title: str
) -> TimeChart | None:
    """Where each mark of the chart stands, on a time axis of whole years and a
    value axis of round steps; None when there is nothing to chart."""
    # A value the axis cannot show (negative, infinite, not a number) is left off
    # the chart; the table beside it still lists it.
    points = [p for p in points if _plottable(p.value)]
    targets = [t for t in targets if _plottable(t.value)]
    if not points and not ratings:
        return None
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

    years = int(x1 - x0)
    every = 1 if years <= 10 else 2 if years <= 20 else 5
    official = sorted((p for p in points if p.official), key=lambda p: p.when)
    return TimeChart(
        title=title,
        first_year=int(x0),
        last_year=int(x1) - 1,
        bottom=TOP + plot_h,
        band=TOP + plot_h + 38,
        grid=[
            GridLine(y(line * step), axis_label(line * step))
            for line in range(lines + 1)
        ],
        years=[
            YearLine(x(date(year, 1, 1)), year)
            for year in range(int(x0), int(x1), every)
        ],
        line=[(x(p.when), y(p.value)) for p in official],
        targets=[(x(t.when), y(t.value), t) for t in targets],
        points=[(x(p.when), y(p.value), p) for p in sorted(points, key=_when_of)],
        ratings=[
            (
                x(r.when) - MARK / 2,
                JUDGEMENT_COLOURS.get(r.judgement, "#56606e"),
                JUDGEMENT_LETTERS.get(r.judgement, "?"),
                r,
            )
            for r in sorted(ratings, key=_when_of)
        ],
    )


def _when_of(mark: Point | Rating) -> date:
    return mark.when


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


@dataclass(frozen=True)
class PlacedBar:
    top: int
    left: float
    width: float
    value_x: float  # where its value is written
    value_text: str
    role: str  # own, neighbour or england
    name: str  # cut short to fit
    bar: Bar


def comparison_chart(bars: list[Bar], title: str, chart_id: str) -> str:
    """A horizontal bar per authority (the authority itself, its neighbours,
    England), each bar a link to its fact, its value written beside it."""
    placed = bar_chart(bars)
    if not placed:
        return ""
    return _render(
        "comparison_chart.svg",
        bars=placed,
        title=title,
        chart_id=chart_id,
        width=BAR_WIDTH,
        height=BAR_ROW * len(placed) + 8,
        names=BAR_NAMES,
        row=BAR_ROW,
    )


def bar_chart(bars: list[Bar]) -> list[PlacedBar]:
    """Where each bar stands, on one axis from the lowest value (or 0) to the
    highest (or 0); a value the axis cannot show is left off."""
    bars = [b for b in bars if math.isfinite(b.value)]
    if not bars:
        return []
    low = min(0.0, *(b.value for b in bars))
    high = max(0.0, *(b.value for b in bars))
    span = (high - low) or 1.0
    plot = BAR_WIDTH - BAR_NAMES - BAR_VALUES

    def x(value: float) -> float:
        return BAR_NAMES + (value - low) / span * plot

    placed = []
    for i, b in enumerate(bars):
        left, right = sorted((x(0.0), x(b.value)))
        placed.append(
            PlacedBar(
                top=4 + i * BAR_ROW,
                left=left,
                width=max(right - left, 1),
                value_x=max(right, x(0.0)) + 4,
                value_text=axis_number(b.value),
                role="own" if b.role == "authority" else b.role,
                name=b.name if len(b.name) <= 22 else b.name[:21] + "…",
                bar=b,
            )
        )
    return placed


def axis_number(value: float) -> str:
    """A bar's value as written beside it: thousands separated, at most two
    decimals."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _render(template: str, **context: Any) -> str:
    return chart_templates().get_template(template).render(**context)

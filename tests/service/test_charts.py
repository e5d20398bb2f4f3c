"""The chart costs the same whatever the values: a fixed number of grid lines,
and only what the axis can show is plotted."""

from __future__ import annotations

import re
from datetime import date

import pytest

from service.charts import MAX_GRID_LINES, Point, axis_label, children_in_care_chart


def _grid_labels(svg: str) -> list[str]:
    return re.findall(r'class="axis" text-anchor="end">([^<]+)</text>', svg)[:-1]


def _chart(*values: float) -> str:
    points = [
        Point(date(2020 + i, 3, 31), v, True, f"{v} children", "/facts/x")
        for i, v in enumerate(values)
    ]
    return children_in_care_chart(points, [], [], "Children in care")


@pytest.mark.parametrize(
    "top", [0, 1, 7, 540, 2317, 20_000_000, 10_000_000_000, 2**64 - 1, 1e300]
)
def test_the_value_axis_has_a_bounded_number_of_grid_lines(top: float) -> None:
    labels = _grid_labels(_chart(float(top), 1.0))
    assert 2 <= len(labels) <= MAX_GRID_LINES


def test_the_axis_steps_are_round_and_cover_the_largest_value() -> None:
    assert _grid_labels(_chart(540.0, 483.0)) == [
        "0", "100", "200", "300", "400", "500", "600"
    ]  # fmt: skip
    assert axis_label(25_000_000) == "25M"
    assert axis_label(12_500) == "12.5k"
    assert axis_label(2_500) == "2,500"


def test_values_the_axis_cannot_show_are_left_off_the_chart() -> None:
    svg = _chart(540.0, float("inf"), float("nan"), -3.0)
    assert svg.count('class="point"') == 1
    assert (
        children_in_care_chart(
            [Point(date(2020, 3, 31), float("inf"), True, "x", "/x")], [], [], "t"
        )
        == ""
    )

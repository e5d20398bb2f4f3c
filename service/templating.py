"""The templates' environments: the pages', with the filters they write values
with (figures with thousands separators, dates in words, money in pounds), and
the SVG charts'."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html import escape
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from domain.values import EffectiveDate, Money
from domain.vocabulary import FRAMEWORK_NAMES, QUALIFIER_WORDS
from domain.wording import label, pounds, when
from projections.evidence import evidence_label
from projections.fact_wording import number_text


def templates() -> Environment:
    """The page templates (built once per application, in create_app)."""
    environment = Environment(
        loader=PackageLoader("service", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["label"] = label
    environment.filters["number"] = number_text
    environment.filters["ordinal"] = ordinal
    environment.filters["figures"] = figures
    environment.filters["highest"] = lambda n: (
        "the highest" if n == 1 else f"the {ordinal(n)} highest"
    )
    environment.filters["evidence"] = evidence_label
    environment.filters["qualifier"] = lambda q: (
        QUALIFIER_WORDS[q] + " " if q in QUALIFIER_WORDS else ""
    )
    environment.filters["framework"] = lambda f: FRAMEWORK_NAMES.get(f, label(f))
    environment.filters["when"] = lambda edtf: when(EffectiveDate.parse(_edtf(edtf)))
    environment.filters["money"] = lambda m: pounds(
        Money.parse(m["amount"], m["currency"])
    )
    return environment


def _edtf(value: str | dict[str, Any]) -> str:
    """EDTF text of a date, also from its JSON object (a source's ``published``)."""
    if isinstance(value, dict):
        return str(value["date"]) + ("~" if value["approximate"] else "")
    return value


def figures(summary: str, fields: dict[str, Any]) -> str:
    """A fact's summary with its own figures (its value, its rate) written with
    thousands separators, as everywhere else on the pages; nothing else in it
    changes (a year stays 2023)."""
    for name in ("value", "rate_per_10000"):
        raw = fields.get(name)
        if raw is None or isinstance(raw, bool):
            continue
        text, nice = str(raw), number_text(raw)
        if nice != text:
            pattern = rf"(?<![\d.,]){re.escape(text)}(?![\d])"
            summary = re.sub(pattern, nice, summary, count=1)
    return summary


def ordinal(n: int) -> str:
    """1 -> '1st', 22 -> '22nd', 113 -> '113th'."""
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n:,}{suffix}"


@cache
def chart_templates() -> Environment:
    """The charts' templates: written over many lines for reading, each rendered
    as one line (a line break and the indentation after it are dropped), every
    text escaped with :func:`html.escape`, numbers written by filters."""
    environment = Environment(loader=_OneLine("service", "templates"), autoescape=False)
    environment.filters["text"] = escape
    environment.filters["xy"] = lambda v: f"{v:.1f}"  # a coordinate
    environment.filters["g"] = lambda v: f"{v:g}"
    return environment


class _OneLine(PackageLoader):
    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        return re.sub(r"\n[ \t]*", "", source), filename, uptodate

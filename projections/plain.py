"""Stored event values as plain JSON-ready data, the one shape every view serves.

Dates stay EDTF strings; decimals (a rate, a percentage, an amount of money)
become :class:`~decimal.Decimal` and money an object of an amount and a currency.
A Decimal is written to JSON as a number with exactly its digits
(:func:`json_default`), so a JSON client reads a number, never a numeric string,
and nothing is lost on the way.
"""

from __future__ import annotations

import calendar
from decimal import Decimal
from typing import Any

import orjson


def plain(value: Any) -> Any:
    """A stored value (see :mod:`projections.logged_events`) as plain JSON data."""
    if type(value) is dict:
        data = value.get("_data_")
        if data is not None and len(value) == 2 and "_type_" in value:
            kind = value["_type_"]
            if kind == "money":
                amount, currency = data.split(" ")
                return {"amount": Decimal(amount), "currency": currency}
            if kind == "decimal_str":
                return Decimal(data)
            return data
        return {k: plain(v) for k, v in value.items()}
    if type(value) is list:
        return [plain(v) for v in value]
    return value


def json_default(value: object) -> object:
    """What orjson writes for the values it does not know: a Decimal as a JSON
    number with its own digits (``166.5``, ``764000.00``)."""
    if isinstance(value, Decimal):
        return orjson.Fragment(format(value, "f"))
    raise TypeError(f"{type(value).__name__} is not JSON")


def edtf_end(edtf: str) -> str:
    """The last day of an EDTF date's period: '2023-02~' -> '2023-02-28'."""
    text = edtf.rstrip("~")
    if len(text) == 4:
        return text + "-12-31"
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        return f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return text


def edtf_start(edtf: str) -> str:
    """The first day of an EDTF date's period: '2023-07~' -> '2023-07-01'."""
    text = edtf.rstrip("~")
    if len(text) == 4:
        return text + "-01-01"
    if len(text) == 7:
        return text + "-01"
    return text


def effective_json(edtf: str) -> dict[str, object]:
    """{'date': '2023-07', 'precision': 'month', 'approximate': False}."""
    text = edtf.rstrip("~")
    precision = "year" if len(text) == 4 else "month" if len(text) == 7 else "day"
    return {"date": text, "precision": precision, "approximate": edtf.endswith("~")}

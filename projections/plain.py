"""Stored event values as plain JSON-ready data, the one shape every view serves.

Dates stay EDTF strings, money becomes an object of a decimal string and a
currency, decimals stay strings (exact), so any JSON client reads them without loss.
"""

from __future__ import annotations

import calendar
from typing import Any


def plain(value: Any) -> Any:
    """A stored value (see :mod:`projections.logged_events`) as plain JSON data."""
    if type(value) is dict:
        data = value.get("_data_")
        if data is not None and len(value) == 2 and "_type_" in value:
            if value["_type_"] == "money":
                amount, currency = data.split(" ")
                return {"amount": amount, "currency": currency}
            return data
        return {k: plain(v) for k, v in value.items()}
    if type(value) is list:
        return [plain(v) for v in value]
    return value


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

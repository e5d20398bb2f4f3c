"""Words for what a fact says, from its plain JSON fields (:mod:`projections.plain`).

The feed's entries and a fact's page both describe a fact's value, the date it
refers to and a changed field in these words, so a reader sees the same sentence
wherever the fact appears. Everything is written from the fields; nothing comes
from the text of the source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from domain.values import EffectiveDate, Money
from domain.vocabulary import QUALIFIER_WORDS
from domain.wording import label, pounds, when

FRAMEWORKS = {
    "child_protection": "inspection of child protection arrangements",
    "sif": "single inspection framework (SIF)",
    "ilacs": "inspection of local authority children's services (ILACS)",
    "ilacs_2026": "inspection of local authority children's services, 2026 framework",
}
_COUNTED = frozenset({"children", "count", "posts"})


def edtf_text(edtf: str) -> str:
    """'2023-07~' -> 'about July 2023'."""
    return when(EffectiveDate.parse(edtf))


def date_text(effective: Mapping[str, Any]) -> str:
    """An effective date as served (date, precision, approximate) in words."""
    return edtf_text(str(effective["date"]) + ("~" if effective["approximate"] else ""))


def money_text(value: Mapping[str, Any]) -> str:
    return pounds(Money.parse(value["amount"], value["currency"]))


_PLAIN_NUMBER = re.compile(r"(-?)([0-9]+)(\.[0-9]+)?")


def number_text(value: object) -> str:
    """A number as a reader is used to it, with thousands separators: 2317 and
    "2317" -> "2,317", "81770.5" -> "81,770.5"; anything else as it is."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value)
    if len(text) > 40:
        return text
    match = _PLAIN_NUMBER.fullmatch(text)
    if match is None:
        return text
    sign, whole, fraction = match.groups()
    if fraction and len(fraction) > 13:
        # A figure written from a binary float ("18.829999999999998", as some
        # official files give it) reads as the shortest decimal that is the same
        # float ("18.83"); the record keeps the digits the source gave.
        shortest = repr(abs(float(text)))
        if "e" not in shortest:
            whole, _, rest = shortest.partition(".")
            fraction = "." + rest if rest and rest != "0" else ""
    return f"{sign}{int(whole):,}{fraction or ''}"


def field_text(name: str, value: object) -> str:
    """One field's value in words, for a list of what a correction changed."""
    if value is None:
        return "not given"
    if isinstance(value, Mapping) and "amount" in value:
        return money_text(value)
    if name in ("effective", "by", "inspection_start", "inspection_end"):
        return edtf_text(str(value))
    if name in ("judgement", "role", "category", "action", "measure", "unit"):
        return label(str(value))
    if name == "framework":
        return FRAMEWORKS.get(str(value), label(str(value)))
    if name == "sub_judgements" and isinstance(value, Mapping):
        return "; ".join(f"{label(k)}: {_judgement(v)}" for k, v in value.items())
    if isinstance(value, Mapping):
        return "; ".join(f"{label(k)}: {field_text(k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return number_text(value)


def _judgement(code: object) -> str:
    return "no overall grade" if code == "none" else label(str(code))


def value_text(
    kind: str, fields: Mapping[str, Any], measure_name: str | None = None
) -> str:
    """What was reported, value first: '540 children in care', '£764,000 grant
    from ...', 'inadequate, under the single inspection framework (SIF)'."""
    text = _value_text(kind, fields, measure_name)
    qualifier = fields.get("qualifier")
    return f"{QUALIFIER_WORDS[qualifier]} {text}" if qualifier else text


def _value_text(
    kind: str, fields: Mapping[str, Any], measure_name: str | None = None
) -> str:
    f = fields
    if kind == "count_reported":
        what = measure_name or label(str(f["measure"]))
        unit, value = f.get("unit"), number_text(f["value"])
        text = f"{value} {what}" if unit in _COUNTED else f"{what}: {value}"
        if unit == "percent":
            text += "%"
        if f.get("rate_per_10000"):
            rate = number_text(f["rate_per_10000"])
            text += f" (a rate of {rate} per 10,000 children)"
        return text
    if kind == "rating_given":
        framework = field_text("framework", f["framework"])
        text = f"{_judgement(f['judgement'])}, under the {framework}"
        if f.get("inspection_type"):
            text += f", {f['inspection_type']} inspection"
        if f.get("sub_judgements"):
            text += f"; {field_text('sub_judgements', f['sub_judgements'])}"
        return text
    if kind == "office_holder_appointed":
        return f"{f['person']} appointed {label(str(f['role']))}"
    if kind == "office_holder_left":
        return f"{f['person']} left the post of {label(str(f['role']))}"
    if kind == "office_holder_in_post":
        return f"{f['person']}, named as {label(str(f['role']))}"
    if kind == "grant_received":
        text = f"{money_text(f['amount'])}, a grant from {f['funder']}"
        return text + (f" ({f['purpose']})" if f.get("purpose") else "")
    if kind == "money_reported":
        text = f"{money_text(f['amount'])}, {label(str(f['category']))}"
        text += f" ({f['period']})" if f.get("period") else ""
        return text + (f": {f['description']}" if f.get("description") else "")
    if kind == "target_set":
        text = f"target of {number_text(f['value'])} {label(str(f['measure']))}"
        return text + (f" by {edtf_text(str(f['by']))}" if f.get("by") else "")
    if kind == "intervention_recorded":
        text = label(str(f["action"])) + (f" by {f['by']}" if f.get("by") else "")
        return text + (f": {f['details']}" if f.get("details") else "")
    if kind == "milestone_recorded":
        text = f"{f['title']} ({label(str(f['category']))})"
        return text + (f": {f['details']}" if f.get("details") else "")
    if kind == "neighbours_listed":
        codes = list(f["neighbours"])
        return f"{len(codes)} statistical neighbours: {', '.join(codes)}"
    return "; ".join(f"{label(k)}: {field_text(k, v)}" for k, v in f.items())


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """(field, old value, new value) in words for each field that differs."""
    names = [*before, *(k for k in after if k not in before)]
    return [
        (name, field_text(name, before.get(name)), field_text(name, after.get(name)))
        for name in names
        if before.get(name) != after.get(name)
    ]

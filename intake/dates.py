"""Dates in an article, resolved against its publication date.

A grammar of the ways local news dates things: a day ("Friday February 22", "22
February 2019"), a month ("in March this year", "July last year", "in January"),
a relative month or year ("later this month", "last year"), a year ("in 2019")
and financial years ("the current financial year", "2023/24"), which end on 31
March. Each mention keeps its offsets, its precision, whether the wording hedges
it ("late March", "around") and, for a relative year, how many years back.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from domain.errors import DomainError
from domain.values import EffectiveDate, Precision


class InvalidPublishedError(ValueError):
    """The publication date is not an ISO 8601 date (2014, 2014-09, 2014-09-08)."""


def parse_published(published: str) -> EffectiveDate:
    try:
        return EffectiveDate.parse(published, False, "published")
    except DomainError as error:
        raise InvalidPublishedError(error.message) from None


MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_ABBREVIATED = {
    name[:3]: number for name, number in MONTHS.items() if len(name) > 3
} | {"Sept": 9}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

_MONTH = (
    r"(?P<m>January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_MONTH2 = _MONTH.replace("?P<m>", "?P<m2>")
# "Monday, January 9", "Monday January 9" and "Monday (January 9)".
_WEEKDAY = (
    r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:,?\s+|\s+\())?"
)
_YEAR = r"(?P<y>(?:19|20)\d\d)\b"
_HEDGE = (
    r"(?P<hedge>early|mid|late|the end of|the start of|the beginning of|"
    r"end of|start of|around|about)?[\s-]*"
)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        # "this time last year": the same month a year before
        "same_time",
        re.compile(
            r"(?:this|the\s+same)\s+time\s+(?P<which>last|a)\s+year(?:\s+ago)?",
            re.IGNORECASE,
        ),
    ),
    (
        # "the start of 2021", "the end of 2022": the year's first or last month
        "year_edge",
        re.compile(
            r"(?:the\s+)?(?P<edge>start|beginning|end|close)\s+of\s+(?P<y>(?:19|20)\d\d)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "fy_range",
        re.compile(
            r"(?:(?:the\s+)?(?:financial\s+year\s+)?)(?P<y1>20\d\d)\s*[/-]\s*"
            r"(?P<y2>20\d\d|\d\d)\b(?!\s*[/-]\s*\d)(?:\s+financial\s+year)?"
        ),
    ),
    (
        "fy_relative",
        re.compile(
            r"(?:the\s+)?(?P<which>current|this|last|previous|past|next|coming)\s+"
            r"(?:financial|budget)\s+year",
            re.IGNORECASE,
        ),
    ),
    (
        "day_month",
        re.compile(
            _WEEKDAY
            + r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH
            + r"(?:,?\s+"
            + _YEAR
            + ")?"
        ),
    ),
    (
        "month_day",
        re.compile(
            _WEEKDAY + _MONTH + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:per|%))"
            r"(?:,?\s+" + _YEAR + ")?"
        ),
    ),
    (
        # "February and March last year": the first month takes the year too
        "month_pair_year",
        re.compile(
            r"(?i:"
            + _HEDGE
            + r")"
            + _MONTH
            + r"\s+(?:and|or|to)\s+"
            + _MONTH2
            + r",?\s+"
            r"(?:of\s+)?(?:" + _YEAR + r"|(?P<rel>(?i:this|last|next)\s+year))"
        ),
    ),
    (
        "month_year",
        re.compile(
            r"(?i:" + _HEDGE + r")" + _MONTH + r",?\s+(?:of\s+)?"
            r"(?:" + _YEAR + r"|(?P<rel>(?i:this|last|next)\s+year))"
        ),
    ),
    (
        "month",
        re.compile(
            r"(?i:\b(?P<prep>in|since|from|by|during|until|till|before|after|of|last|"
            r"this|next|between|and)\s+)(?i:" + _HEDGE + r")" + _MONTH
        ),
    ),
    (
        "relative_month",
        re.compile(
            r"(?P<hedge>later|earlier|at the end of|the end of|by the end of|"
            r"the start of|the beginning of)?\s*(?P<which>this|last|next|the previous)"
            r"\s+month\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "two-and-a-half years ago", "18 months ago": to the month, hedged
        "months_ago",
        re.compile(
            r"(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
            r"(?P<half>-and-a-half|\s+and\s+a\s+half)\s+years?\s+(?:ago|earlier|before)|"
            r"(?P<months>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|"
            r"eighteen|eighteen)\s+months\s+(?:ago|earlier|before)",
            re.IGNORECASE,
        ),
    ),
    (
        "years_ago",
        re.compile(
            r"(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
            r"years?\s+(?:ago|earlier|before)|(?P<twelve>twelve|12)\s+months\s+"
            r"(?:ago|earlier|before)",
            re.IGNORECASE,
        ),
    ),
    (
        "relative_year",
        re.compile(
            r"(?P<hedge>later|earlier|at the end of|the end of|by the end of)?\s*"
            r"(?P<which>this|last|next|the previous|the past|the new)\s+year\b"
            r"(?!\s+honours)",
            re.IGNORECASE,
        ),
    ),
    (
        "year",
        re.compile(
            r"(?i:\b(?:in|since|from|by|during|until|of|for|before|after|between|"
            r"and|early|late|mid)[\s-]+)(?P<y>(?:19|20)\d\d)\b(?![/-]\d)"
        ),
    ),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date the text gives: offsets within the sentence, the date (ISO 8601 with
    reduced precision), whether hedged, and what sort of mention it is."""

    start: int
    end: int
    iso: str
    approximate: bool
    sort: str  # day, month, year, financial_year, relative_year
    years_back: int | None = None  # for "last year" (1), "this year" (0)
    fy_label: str | None = None  # "2023-24" for a financial year
    since: bool = False  # "since 2013": the start of a span, not when a thing was

    @property
    def precision(self) -> Precision:
        return (
            Precision.YEAR
            if len(self.iso) == 4
            else Precision.MONTH
            if len(self.iso) == 7
            else Precision.DAY
        )


def financial_year_ending(year: int) -> tuple[str, str]:
    """The last day of the financial year ending in March ``year``, and its label."""
    return f"{year:04d}-03-31", f"{year - 1:04d}-{year % 100:02d}"


def current_financial_year_end(published: EffectiveDate) -> int:
    day = published.first_day
    return day.year if day.month <= 3 else day.year + 1


_FUTURE = re.compile(
    r"\b(?:will|due|expected|next|plans? to|is to|are to|set to|going to|aims? to"
    r"|starting|starts|to start|to join|would\s+(?:retire|step\s+down|stand\s+down|"
    r"leave|quit|start|join|take\s+up|begin)|(?:is|are)\s+(?:stepping\s+down|leaving|"
    r"retiring|quitting|standing\s+down|departing))\b",
    re.IGNORECASE,
)


# A sentence that reports what had happened: "by December" there is the last
# December ("had risen to 442 by the end of December"), not the next.
_PAST = re.compile(
    r"\b(?:had|was|were)\s+(?:\w+\s+)?(?:risen|rose|fallen|fell|reached|grown|dropped|"
    r"increased|decreased|climbed|gone\s+up|gone\s+down|stood|been)\b",
    re.IGNORECASE,
)


_PAST_VERB = re.compile(
    r"\b(?:was|were|had|rated|judged|graded|found|published|issued|appointed|joined|"
    r"began|started|left|resigned|retired|took\s+over|inspected|visited)\b",
    re.IGNORECASE,
)


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return MONTHS.get(name) or _ABBREVIATED[name[:4] if name == "Sept" else name[:3]]


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _nearest_year(
    month: int, day: int | None, weekday: int | None, ref: date, future: bool
) -> int:
    candidates = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        last = calendar.monthrange(year, month)[1]
        actual = date(year, month, min(day or 1, last))
        if weekday is not None and day is not None and actual.weekday() != weekday:
            continue
        candidates.append((year, actual))
    if not candidates:
        return ref.year
    if weekday is None:
        month_start = date(ref.year, ref.month, 1)
        if future:
            after = [c for c in candidates if c[1] >= month_start]
            candidates = after or candidates
        else:
            before = [c for c in candidates if c[1] <= ref or c[1] < month_start]
            if day is None:
                before = [c for c in candidates if (c[1].year, c[1].month) <= _ym(ref)]
            candidates = before or candidates
    return min(candidates, key=lambda c: abs((c[1] - ref).days))[0]


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def find_dates(text: str, published: EffectiveDate) -> list[DateMention]:
    """Every date mention in ``text`` (one sentence), in order, none overlapping."""
    ref = published.first_day
    future = _FUTURE.search(text) is not None
    past = _PAST.search(text) is not None
    # The tense of the words just before a date decides which way it is read
    # ("was rated inadequate in July and is due to move to a trust next year":
    # that July is the last one); the sentence's tense where none come first.
    tenses = sorted(
        [(m.end(), True) for m in _FUTURE.finditer(text)]
        + [(m.end(), False) for m in _PAST_VERB.finditer(text)]
    )
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for sort, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            before = [f for at, f in tenses if start - 60 <= at <= start]
            local = before[-1] if before else future
            mention = _resolve(sort, match, published, ref, local, past)
            if mention is None:
                continue
            # Leading white space is part of some patterns: trim it from the span.
            lead = len(match.group()) - len(match.group().lstrip())
            since = bool(
                re.search(
                    r"\bsince\s*$|\bsince\s+(?:the|its|their|an?)\s+(?:[\w'-]+\s+){0,4}$",
                    text[max(0, start + lead - 60) : start + lead],
                    re.IGNORECASE,
                )
                or re.match(r"\s*since\b", match.group(), re.IGNORECASE)
            )
            mention = DateMention(
                start + lead,
                end,
                mention.iso,
                mention.approximate,
                mention.sort,
                mention.years_back,
                mention.fy_label,
                since,
            )
            taken.append((start, end))
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _hedged(match: re.Match[str]) -> bool:
    groups = match.groupdict()
    hedge = groups.get("hedge")
    return bool(hedge and hedge.strip())


def _resolve(
    sort: str,
    match: re.Match[str],
    published: EffectiveDate,
    ref: date,
    future: bool,
    past: bool = False,
) -> DateMention | None:
    g = match.groupdict()
    if sort == "same_time":
        if published.precision is Precision.YEAR:
            return DateMention(0, 0, f"{ref.year - 1:04d}", False, "year")
        return DateMention(0, 0, f"{ref.year - 1:04d}-{ref.month:02d}", False, "month")
    if sort == "year_edge":
        month = 12 if g["edge"].lower() in ("end", "close") else 1
        return DateMention(0, 0, f"{int(g['y']):04d}-{month:02d}", True, "month")
    if sort == "fy_range":
        first, second = int(g["y1"]), int(g["y2"])
        if second < 100:
            second += first // 100 * 100
        if second != first + 1:
            return None
        iso, label = financial_year_ending(second)
        return DateMention(0, 0, iso, False, "financial_year", None, label)
    if sort == "fy_relative":
        end_year = current_financial_year_end(published)
        which = g["which"].lower()
        end_year += {
            "last": -1,
            "previous": -1,
            "past": -1,
            "next": 1,
            "coming": 1,
        }.get(which, 0)
        iso, label = financial_year_ending(end_year)
        return DateMention(0, 0, iso, False, "financial_year", None, label)
    if sort in ("day_month", "month_day"):
        month = _month_number(g["m"])
        day = int(g["d"])
        weekday = WEEKDAYS.get((g.get("wd") or "").lower())
        year = (
            int(g["y"])
            if g.get("y")
            else _nearest_year(month, day, weekday, ref, future)
        )
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return DateMention(0, 0, f"{year:04d}-{month:02d}-{day:02d}", False, "day")
    if sort in ("month_year", "month_pair_year"):
        month = _month_number(g["m"])
        if g.get("y"):
            year = int(g["y"])
        else:
            rel = g["rel"].lower().split()[0]
            year = ref.year + {"this": 0, "last": -1, "next": 1}[rel]
        return DateMention(0, 0, f"{year:04d}-{month:02d}", _hedged(match), "month")
    if sort == "month":
        month = _month_number(g["m"])
        prep = g["prep"].lower()
        if prep == "last":
            year = ref.year if month < ref.month else ref.year - 1
        elif prep == "next":
            year = ref.year if month > ref.month else ref.year + 1
        elif prep == "this":
            year = ref.year
        else:
            year = _nearest_year(
                month, None, None, ref, future or (prep == "by" and not past)
            )
        return DateMention(0, 0, f"{year:04d}-{month:02d}", _hedged(match), "month")
    if sort == "relative_month":
        if published.precision is Precision.YEAR:
            return None
        which = g["which"].lower()
        by = -1 if which in ("last", "the previous") else 1 if which == "next" else 0
        year, month = _shift_month(ref.year, ref.month, by)
        return DateMention(0, 0, f"{year:04d}-{month:02d}", False, "month")
    if sort == "months_ago":
        words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
        words |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
        words |= {"eleven": 11, "eighteen": 18}
        if g.get("months"):
            written = g["months"].lower()
            back = int(written) if written.isdigit() else words[written]
        else:
            written = g["n"].lower()
            back = (int(written) if written.isdigit() else words[written]) * 12 + 6
        if published.precision is Precision.YEAR:
            return DateMention(0, 0, f"{ref.year - (back + 6) // 12:04d}", True, "year")
        year, month = _shift_month(ref.year, ref.month, -back)
        return DateMention(0, 0, f"{year:04d}-{month:02d}", True, "month")
    if sort == "years_ago":
        words = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
        words |= {"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
        written = (g.get("n") or "1").lower()
        back = (
            1
            if g.get("twelve")
            else int(written)
            if written.isdigit()
            else words[written]
        )
        if published.precision is Precision.YEAR:
            return DateMention(0, 0, f"{ref.year - back:04d}", back > 1, "year")
        return DateMention(
            0, 0, f"{ref.year - back:04d}-{ref.month:02d}", back > 1, "month"
        )
    if sort == "relative_year":
        which = g["which"].lower()
        if which == "the past":
            return None  # "over the past year": a span up to now, not a date
        back = (
            1
            if which in ("last", "the previous", "the past")
            else (-1 if which == "next" else 0)
        )
        if which == "the new":  # "in the new year": the coming one, late in a year
            back = -1 if ref.month >= 9 else 0
            if back == -1 and published.precision is not Precision.YEAR:
                # the turn of the year: its first month
                return DateMention(
                    0, 0, f"{ref.year + 1:04d}-01", True, "relative_year", years_back=-1
                )
        return DateMention(
            0, 0, f"{ref.year - back:04d}", True, "relative_year", years_back=back
        )
    if sort == "year":
        year = int(g["y"])
        if not 1990 <= year <= ref.year + 10:
            return None
        return DateMention(0, 0, f"{year:04d}", False, "year")
    return None


def at_precision(iso: str, precision: Precision) -> str:
    """A date cut to a coarser precision: 2019-02-22 to 2019-02 or 2019."""
    return iso[: {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[precision]]

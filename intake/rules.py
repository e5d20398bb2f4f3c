"""The rules that read candidate facts out of an article, sentence by sentence.

Each rule looks for a kind of fact in the words local news uses for it: a figure
beside what it counts, an amount beside what it was (overspent, forecast, a grant
from a named funder), a judgement beside the words of inspection, a name beside
an office, the words of a government intervention, and the meetings, plans,
boards, panels, reviews and inspection visits a council reports. A figure with
nothing beside it to say what it is yields nothing: precision over coverage.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from domain.values import EffectiveDate
from domain.vocabulary import (
    Framework,
    InterventionAction,
    Judgement,
    MilestoneCategory,
    MoneyCategory,
    Role,
    Unit,
)
from intake import authorities
from intake.dates import (
    DateMention,
    current_financial_year_end,
    financial_year_ending,
    find_dates,
)
from intake.figures import Figure, amounts, numbers, plain
from intake.text import Sentence


@dataclass
class Found:
    """A candidate as a rule finds it: offsets are into the whole text."""

    kind: str
    fields: dict[str, str | int | bool]
    effective: str
    approximate: bool
    start: int
    end: int
    confidence: float
    key: tuple[object, ...] = field(default=())


@dataclass(frozen=True)
class Article:
    text: str  # normalised
    sentences: list[Sentence]
    published: EffectiveDate
    authority: str | None = None  # the one the article is about, where known
    _memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def dates(self, sentence: Sentence) -> list[DateMention]:
        return _dates(sentence.text, self.published)

    def position(self, sentence: Sentence) -> int:
        """The index of one of the article's sentences, found by its offset."""
        starts = self._memo.get("starts")
        if not isinstance(starts, list):
            starts = self._memo["starts"] = [s.start for s in self.sentences]
        return bisect.bisect_left(starts, sentence.start)

    def anywhere(self, pattern: str) -> bool:
        """Whether the pattern is found anywhere in the text (read once)."""
        key = "re:" + pattern
        found = self._memo.get(key)
        if not isinstance(found, bool):
            found = self._memo[key] = _search(pattern, self.text) is not None
        return found


_DATE_CACHE: dict[tuple[str, str], list[DateMention]] = {}


def _dates(text: str, published: EffectiveDate) -> list[DateMention]:
    key = (text, published.edtf)
    cached = _DATE_CACHE.get(key)
    if cached is None:
        if len(_DATE_CACHE) > 4096:
            _DATE_CACHE.clear()
        cached = _DATE_CACHE[key] = find_dates(text, published)
    return cached


def _search(pattern: str, text: str) -> re.Match[str] | None:
    return _compiled(pattern).search(text)


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern, re.IGNORECASE)
    return compiled


# -- dates of a fact -----------------------------------------------------------


def _point(mention: DateMention) -> tuple[str, bool]:
    return mention.iso, mention.approximate


def sentence_date(
    article: Article,
    sentence: Sentence,
    *,
    exclude: Iterable[DateMention] = (),
    prefer_day: bool = False,
) -> tuple[str, bool] | None:
    """The date a sentence gives for what it reports, if any: its first date
    (its most precise one with ``prefer_day``), leaving out financial years,
    relative years and the mentions in ``exclude``."""
    skipped = set(exclude)
    mentions = [
        m
        for m in article.dates(sentence)
        if m not in skipped and m.sort in ("day", "month", "year") and not m.since
    ]
    if not mentions:
        return None
    if prefer_day:
        mentions.sort(key=lambda m: -len(m.iso))
    return _point(mentions[0])


def date_near(
    article: Article,
    sentence: Sentence,
    start: int,
    end: int,
    reach: int = 40,
    *,
    since: bool = False,
) -> tuple[str, bool] | None:
    """The date written closest to a phrase: just after it ("issued in April"),
    else just before it ("In April, the council was issued ..."), else the
    sentence's only date."""
    mentions = [
        m
        for m in article.dates(sentence)
        if m.sort in ("day", "month", "year") and (since or not m.since)
    ]
    after = [m for m in mentions if end <= m.start <= end + reach]
    if after:
        return _point(after[0])
    before = [m for m in mentions if start - reach <= m.end <= start]
    if before:
        return _point(before[-1])
    inside = [m for m in mentions if start <= m.start < end]
    if inside:
        return _point(inside[0])
    return None


def published_point(article: Article) -> tuple[str, bool]:
    return article.published.iso, False


def date_or_published(
    article: Article, sentence: Sentence, prefer_day: bool = False
) -> tuple[str, bool]:
    return sentence_date(article, sentence, prefer_day=prefer_day) or published_point(
        article
    )


# -- counts and targets ------------------------------------------------------

_CARE = (
    r"(?:in (?:the )?(?:council'?s |local authority |its |their |our |"
    r"[\w-]+(?: [\w-]+)?'s )?care\b|"
    r"looked[- ]after|care system|(?:put|taken|placed|brought)\s+into\s+care|"
    r"under\s+(?:the\s+|its\s+|their\s+|the\s+council'?s\s+)?care\b|"
    # "children cared for by the council", "looked after by the authority"
    r"(?:cared\s+for|looked\s+after)\s+by\s+(?:the\s+)?(?:council|authority|local\s+"
    r"authority|county|borough|city|department|(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*))?"
    r"\s+(?:County\s+|City\s+|Borough\s+)?Council))"
)
_CHILDREN = r"(?:children|young people|youngsters|kids|child)"

# What follows a number and says what it counts: (pattern, measure, unit).
_AFTER_NUMBER: list[tuple[str, str, Unit | None]] = [
    (
        rf"^\s*(?:more |fewer |extra |new |additional |other )?{_CHILDREN}"
        rf"(?: and young people)?(?: (?:are|were|currently|now|living|who are|being|"
        rf"then|still))*\s+{_CARE}",
        "children_in_care",
        None,
    ),
    (
        r"^\s*(?:looked[- ]after children|children looked after|children in care|"
        r"cared[- ]for children|children in the care)",
        "children_in_care",
        None,
    ),
    (
        rf"^\s*(?:{_CHILDREN}\s+)?(?:(?:are|were|currently|now)\s+)*"
        r"(?:on|subject to)\s+(?:a\s+)?child protection plans?",
        "children_on_child_protection_plans",
        None,
    ),
    (r"^\s*care leavers", "care_leavers", None),
    (
        r"^\s*(?:unaccompanied )?asylum[- ]seeking children",
        "unaccompanied_asylum_seeking_children",
        None,
    ),
    (r"^\s*children in need", "children_in_need", None),
    (
        r"^\s*(?:more |new |extra |additional )(?:social work(?:er)? )?posts",
        "social_worker_posts_added",
        Unit.POSTS,
    ),
    (
        r"^\s*(?:social worker |social work )?vacancies",
        "social_worker_vacancies",
        Unit.POSTS,
    ),
    (r"^\s*agency (?:social )?(?:workers|staff)", "agency_social_workers", Unit.COUNT),
    (
        r"^\s*(?:(?:new|more|approved|registered|mainstream|in-house|active|local|"
        r"council|its own|extra|additional)\s+)*foster(?:ing)? (?:carers|households|"
        r"families)",
        "foster_carers",
        Unit.COUNT,
    ),
    (r"^\s*referrals", "referrals", Unit.COUNT),
]

_RECRUITED = (
    r"^\s*(?:new |extra |additional |more |qualified |experienced |permanent |"
    r"full-time |overseas |international |newly qualified )*social workers"
)
_RECRUIT_CUE = (
    r"\b(?:recruit\w*|hired?|hiring|employ(?:ed|ing)|taken on|joined|offered\s+"
    r"(?:positions|jobs|posts|roles|contracts)\s+to)\b"
)

_BEFORE_CARE_NUMBER = (
    r"(?:total of|number(?:s)?\b[\w\s'-]{0,40}?\b(?:to|at|of|from|was|is|stood at|"
    r"stands at|standing at)|rose to|risen to|rise\b[\w\s']{0,40}?\bto|fell to|"
    r"fallen to|(?:stood|stands|standing|now)\s+at|totall?ing|"
    r"down to|up to|dropped to|increased to|reduced to|reached|hit|from|to|"
    r"(?:high|low|total|peak|figure)\s+of|compared\s+(?:with|to)|against|"
    r"looks?\s+after|looked\s+after|cares?\s+for|caring\s+for)\s*$"
)

_TARGET = (
    r"(?:target of|aim(?:s|ed|ing)?\b[\w\s']{0,40}?\b(?:to|for|of|below|under)|"
    r"goal of|ambition\b[\w\s']{0,30}?\bto|hopes? to reach a target of|"
    r"target\b[\w\s']{0,20}?\bof|reduce\b[\w\s']{0,40}?\bto)\s*$"
)

_EXCLUDED_AFTER = re.compile(
    r"^(?:\s*|-)(?:months?|weeks?|years?|days?|hours?|minutes?|-year|-week|"
    r"-month|per 10,?000|of the population|times|councils|authorities|local "
    r"authorities|miles|am|pm|a\.m|p\.m|per cent of the|x)\b",
    re.IGNORECASE,
)
_EXCLUDED_BEFORE = re.compile(
    r"(?:aged|age|per|ages|under|over the|top|within|in|next|last|past|"
    r"first|No\.?|number|page|route|channel)\s*$",
    re.IGNORECASE,
)


def _number_date(
    article: Article,
    sentence: Sentence,
    figure: Figure,
    others: list[Figure],
    mentions: list[DateMention],
) -> DateMention | None:
    """A date written just after a number ("533 in March this year")."""
    for mention in mentions:
        gap = sentence.text[figure.end : mention.start]
        if mention.start < figure.end or len(gap) > 25:
            continue
        if any(figure.end <= o.start < mention.start for o in others):
            continue
        if mention.sort in ("day", "month", "year", "relative_year"):
            return mention
    return None


_QUOTE = re.compile(r"\"|(?<![A-Za-z])'|'(?![A-Za-z])")


def counts(article: Article) -> list[Found]:
    found: list[Found] = []
    for quoted in article.sentences:
        # Quotes around what a number counts ("396 'looked after children'") are
        # read as spaces, offsets kept.
        sentence = Sentence(
            quoted.start, quoted.end, _QUOTE.sub(" ", quoted.text), quoted.paragraph
        )
        text = sentence.text
        figures = [f for f in numbers(text) if f.value != 0]
        if not figures:
            continue
        mentions = article.dates(sentence)
        bound: dict[int, DateMention] = {}
        for figure in figures:
            mention = _number_date(article, sentence, figure, figures, mentions)
            if mention is not None:
                bound[figure.start] = mention
        for figure in figures:
            if any(m.start <= figure.number_start < m.end for m in mentions):
                continue
            result = _count_of(article, sentence, figure, figures, bound, mentions)
            if result is not None:
                found.append(result)
    return _counts_without_headline_repeats(article, found)


def _counts_without_headline_repeats(
    article: Article, found: list[Found]
) -> list[Found]:
    """A headline's round number ("Over 300 children in care") repeats one the
    body gives exactly (346): keep the body's."""
    if not article.sentences or article.sentences[0].text.endswith(
        (".", "!", "?", '"', "'")
    ):
        return found
    headline = article.sentences[0].start
    body = [f for f in found if f.start != headline]
    kept = []
    for item in found:
        if item.start == headline and any(
            other.fields["measure"] == item.fields["measure"]
            and abs(int(other.fields["value"]) - int(item.fields["value"]))
            <= int(item.fields["value"]) * 0.25
            for other in body
        ):
            continue
        kept.append(item)
    return kept


def _count_measure(text: str, figure: Figure) -> tuple[str, Unit | None, float] | None:
    after = text[figure.end :]
    before = text[: figure.start]
    if figure.percent:
        window = after[:90]
        direction = _search(
            r"^\s*(?:fewer|less|reduction|drop|fall|decrease|lower)\b", window
        )
        rise = _search(r"^\s*(?:more|increase|rise|higher)\b", window)
        entering = _search(
            r"(?:into|enter|entering|coming into|go into|going into|starting) care",
            window,
        )
        if (direction or rise) and entering and _search(_CHILDREN, window):
            return (
                "children_entering_care_" + ("reduction" if direction else "increase"),
                Unit.PERCENT,
                0.7,
            )
        if _search(r"^\s*of (?:the )?cases (?:were |was )?re-?opened", window):
            return "reviewed_cases_reopened", Unit.PERCENT, 0.6
        return None
    for pattern, measure, unit in _AFTER_NUMBER:
        if _search(pattern, after):
            return measure, unit, 0.85
    if _search(_RECRUITED, after) and _search(_RECRUIT_CUE, text):
        return "social_workers_recruited", Unit.COUNT, 0.75
    if (
        figure.value >= 10
        and _search(r"child protection plans?", before)
        and _search(_BEFORE_CARE_NUMBER, before[-60:])
        and not _search(_CARE, before)
    ):
        return "children_on_child_protection_plans", None, 0.7
    if (
        figure.value >= 10
        and (
            _search(_CARE, text)
            or _search(r"\blooks?\s+after\b|\bcar(?:es|ing)\s+for\b", text)
        )
        and _search(_CHILDREN + r"|numbers", text)
        and _search(_BEFORE_CARE_NUMBER, before[-60:])
        and (
            not _search(
                r"^\s*(?:[a-z]+\s+){0,2}(?:" + _CHILDREN + r"|social|staff|"
                r"families|cases|referrals|councils|posts|people|" + _OTHER_NOUNS + ")",
                after,
            )
            or (
                _search(r"(?:looks?|looked|cares?|caring)\s+(?:after|for)\s*$", before)
                and _search(_CHILDREN_NEXT, after)
            )
        )
    ):
        return "children_in_care", None, 0.7
    return None


# What a council also looks after or counts: a number before one of these
# counts it, not children ("480 schools").
_OTHER_NOUNS = (
    r"schools?|academies|pupils|students|nurseries|homes|centres|libraries|roads|"
    r"beds|places|sites|buildings|properties|residents|households|teams|"
    r"councillors|employees|carers|providers|settings|services|miles|acres"
)
# After "looks after": the noun after the number decides ("480 schools" is not).
_CHILDREN_NEXT = r"^\s*(?:[a-z]+\s+){0,2}?" + _CHILDREN + r"\b|^\s*[.,;]"


def _count_of(
    article: Article,
    sentence: Sentence,
    figure: Figure,
    figures: list[Figure],
    bound: dict[int, DateMention],
    mentions: list[DateMention],
) -> Found | None:
    text = sentence.text
    after = text[figure.end :]
    before = text[: figure.start]
    if _EXCLUDED_AFTER.match(after) or _EXCLUDED_BEFORE.search(before):
        return None
    if _search(r"^[^.;,]{0,40}?\bper\s+(?:1|10|100),?000\b", after):
        return None  # "76 children in care per 10,000": a rate, not a count
    if _search(
        r"^[^.;,]{0,50}?\b(?:nationally|in\s+England|across\s+England|across\s+the\s+"
        r"country|in\s+the\s+country|in\s+the\s+UK|across\s+the\s+UK)\b",
        after,
    ):
        return None  # a national figure, not the council's
    written = text[figure.number_start : figure.end].strip().lower()
    if written in ("one", "a hundred", "a thousand") or (
        figure.value != figure.value.to_integral() and not figure.percent
    ):
        return None
    if 1900 <= figure.value <= 2100 and not figure.percent and "," not in written:
        return None  # a year the date grammar did not take
    measured = _count_measure(text, figure)
    target = _search(_TARGET, before[-70:]) is not None
    if measured is None:
        if target and (_search(_CARE, text) or article.anywhere(_CARE)):
            measured = ("children_in_care", None, 0.7)
        else:
            return None
    measure, unit, confidence = measured
    mention = bound.get(figure.start)
    since = [m for m in mentions if m.since and m.end <= figure.start]
    if mention is None and since and _search(r"\bfrom\s*$", before):
        mention = since[-1]  # "since 2012, from 610 to 760": 610 in 2012
    if (
        mention is None
        and _search(r"\bfrom\s*$", before)
        and _search(
            r"\b(?:over|in|during)\s+(?:the\s+)?(?:past|last)\s+(?:year|12\s+months)\b",
            text,
        )
        and _search(r"^\s*(?:[\w-]+\s+){0,3}?to\s+[\d,]+", after)
    ):
        # "climbed from 491 to 570 over the past year": 491 a year before
        year, month = int(article.published.iso[:4]) - 1, article.published.iso[5:7]
        effective, approximate = (
            (f"{year:04d}-{month}" if month else f"{year:04d}"),
            True,
        )
    elif mention is not None:
        effective, approximate = _point(mention)
    else:
        taken = set(bound.values())
        effective, approximate = sentence_date(
            article, sentence, exclude=taken
        ) or published_point(article)
    fields: dict[str, str | int | bool] = {
        "measure": measure,
        "value": int(figure.value),
    }
    if unit is not None:
        fields["unit"] = unit.value
    if (
        target
        and mention is not None
        and mention.sort in ("day", "month")
        and mention.iso[:7] < article.published.iso[:7]
        and _search(r"\b(?:were|was|had\s+been|have\s+been|has\s+been)\b", before)
        and not _search(r"\bby\s*$", text[: mention.start])
    ):
        target = False  # "measures were taken to reduce the number to 559 in
        # December": a number reached, before the news
    if target:
        by = _search(r"\bby\s*$", text[: mention.start]) if mention else None
        if mention is not None and by is not None:
            fields["by"] = mention.iso
            effective, approximate = published_point(article)
        return Found(
            "target_set",
            fields,
            effective,
            approximate,
            sentence.start,
            sentence.end,
            confidence,
            ("target_set", measure, int(figure.value)),
        )
    if figure.qualifier is not None:
        fields["qualifier"] = figure.qualifier.value
    return Found(
        "count_reported",
        fields,
        effective,
        approximate,
        sentence.start,
        sentence.end,
        confidence,
        ("count_reported", measure, int(figure.value), effective),
    )


# -- money and grants ----------------------------------------------------------

_MONEY_CUES: list[tuple[str, str]] = [
    (
        "grant",
        r"\bgrants?\b|\bawarded\b|\bfunding\b|\bfunded by\b|"
        r"\breceiv(?:e|es|ed|ing)\b|\bsecured\b",
    ),
    ("savings", r"\bsav(?:e|es|ed|ing|ings)\b|\bcuts?\b"),
    (
        "overspend",
        r"\boverspen(?:d|ds|t|ding)\b|\bover budget\b|\bdeficit\b|\bshortfall\b|"
        r"\bin the red\b|\bwent over\b|\bblack hole\b|\boverspill\w*\b|"
        r"\bover-?budget\b|\bshort\s+of\s+(?:the|its|their|a)\b",
    ),
    (
        "investment",
        r"\binvest(?:ed|ing|ment|ments|s)?\b|\badditional (?:resources|funding|money|"
        r"cash)\b|\bextra (?:resources|funding|money|cash)\b|\binjection\b|\bboost\b|"
        r"\bpump(?:ed|ing)?\b|\ballocated\b|\bearmarked\b|\b(?:put|set) aside\b|"
        r"\btransfer(?:s|red|ring)?\b|\binject(?:s|ed|ing)?\b|\bplough(?:s|ed|ing)?\b|"
        r"\bcommit(?:s|ted|ting)?\b|\badd(?:s|ed|ing)?\s+£|\bredirect\w*\b|"
        r"\bto\s+fund\s+(?:a|an|the)?\s*£",
    ),
    ("budget", r"\bbudget\b"),
    (
        "spend",
        r"\bspen(?:d|ds|t)\b|\bspending\b|\bcosts?\b|\bcosting\b|\bpaid\b|\bbill\b|"
        r"\bto pay\b|\bfees?\b",
    ),
]
_FORECAST = (
    r"\b(?:forecast\w*|project(?:ed|ion|ions)|predict\w*|expect\w*|on course|"
    r"on track|set to|heading for|anticipated|likely|will|would|could\s+(?:reach|hit|"
    r"top|rise\s+to|be))\b|"
    # The year's position as it stands, reported before the year ends: "is over
    # budget by", "currently", "at quarter two", "so far this year".
    r"\b(?:is|are)\s+(?:now\s+|currently\s+|already\s+)?(?:over\s+budget|"
    r"overspending|running\s+(?:at|over))\b|\bcurrently\b|\bin-year\b|"
    r"\b(?:at|in|by)\s+(?:the\s+end\s+of\s+)?(?:quarter\s+(?:one|two|three|[123])|"
    r"the\s+(?:first|second|third)\s+quarter|Q[123])\b|\bso\s+far\s+this\s+"
    r"(?:financial\s+)?year\b"
)
# An amount a figure changed by, not the figure: "the budget increased by £10m
# to £95m", "pressures have increased the overspend by £4.6m".
_CHANGED_BY = re.compile(
    r"\b(?:increased|increases|increase|rose|risen|rises|grown|grew|up|down|cut|"
    r"reduced|fell|fallen|dropped|raised|boosted|climbed|jumped|swelled|widened|"
    r"narrowed|upped|topped\s+up)\s+(?:(?:[\w'-]+\s+){0,4}?by\s+)?(?:another\s+|"
    r"a\s+further\s+|an\s+extra\s+|some\s+|around\s+|about\s+|nearly\s+|almost\s+|"
    r"more\s+than\s+|over\s+)?$",
    re.IGNORECASE,
)
# A budget for the year under way: "its annual budget of £53.2m".
_THIS_YEARS_BUDGET = (
    r"\b(?:annual|yearly|this\s+year'?s|this\s+financial\s+year'?s|current|in-year)"
    r"\s+(?:[\w'-]+\s+){0,2}?budget\b|\bbudget\s+for\s+(?:this|the\s+current)\s+"
    r"(?:financial\s+)?year\b"
)
_BUDGET_CHANGE = re.compile(
    r"\b(?:upped|increased|raised|boosted|cut|reduced|trimmed|grown|topped\s+up)\s+"
    r"(?:its|the|their)\s+budget\b[^£]{0,60}?\bby\s+(?:another\s+|a\s+further\s+)?$",
    re.IGNORECASE,
)
_POST_PAY = re.compile(
    r"\b(?:salary|salaries|pay\s+(?:grade|band|scale)|wage|recruitment\s+process|"
    r"advertis\w+\s+(?:the\s+)?(?:post|position|role|job))\b",
    re.IGNORECASE,
)
_FUNDERS: list[tuple[str, str]] = [
    (
        r"Department for Education|\bDfE\b|education department",
        "Department for Education",
    ),
    (
        r"Department of Health(?: and Social Care)?|\bDHSC\b",
        "Department of Health and Social Care",
    ),
    (r"Home Office", "Home Office"),
    (
        r"Ministry of Housing,? Communities and Local Government|\bMHCLG\b",
        "Ministry of Housing, Communities and Local Government",
    ),
    (
        r"Department for Levelling Up,? Housing and Communities|\bDLUHC\b",
        "Department for Levelling Up, Housing and Communities",
    ),
    (r"Youth Endowment Fund", "Youth Endowment Fund"),
    (
        r"National Lottery(?: Community Fund)?|Big Lottery Fund",
        "National Lottery Community Fund",
    ),
    (r"NHS England|\bNHS\b", "NHS"),
    (r"Police and Crime Commissioner", "Police and Crime Commissioner"),
    (r"Supporting Families", "Supporting Families programme"),
    (r"\b[A-Z][\w&]+(?: [A-Z][\w&]+){0,3} (?:Foundation|Fund)\b", ""),
    (r"\b(?:the )?[Gg]overnment\b|\bministers\b|\bWhitehall\b", "Government"),
]


_UNIT_COST = re.compile(
    r"\s*(?:a|per|each|an|every)\s+(?P<per>week|year|day|child|month|hour|head|"
    r"placement|night|young person)\b",
    re.IGNORECASE,
)
_MORE_THAN_PLANNED = re.compile(
    r"\s+(?:more\s+than|over|above)\s+(?:was\s+)?(?:planned|budgeted|expected|"
    r"(?:its|the|their)\s+budget|allocated|set\s+aside)",
    re.IGNORECASE,
)
_OWN_YEAR = re.compile(
    r"\s*(?:in|for|during)\s+(?:the\s+)?(?:(?:19|20)\d\d|financial\s+year)",
    re.IGNORECASE,
)
_EARLIER = re.compile(
    r"(?:(?:up|down|rising|rose|risen|increased|fell|fallen|dropped)\s+from|"
    r"compared\s+(?:with|to)|the year before|from)\s*$",
    re.IGNORECASE,
)


def _funder(text: str) -> str | None:
    for pattern, name in _FUNDERS:
        match = re.search(pattern, text)
        if match:
            return name or match.group()
    return None


def _nearest_cue(text: str, figure: Figure) -> str | None:
    best: tuple[int, int, str] | None = None
    # A cue further than 90 characters away does not count: only the words
    # around the figure are read (with room for a cue's own length).
    low, high = max(0, figure.start - 130), min(len(text), figure.end + 130)
    for order, (category, pattern) in enumerate(_MONEY_CUES):
        for match in _compiled(pattern).finditer(text, low, high):
            if match.end() <= figure.start:
                distance = figure.start - match.end()
            elif match.start() >= figure.end:
                distance = match.start() - figure.end
            else:
                distance = 0
            if text[
                min(match.end(), figure.end) : max(match.start(), figure.start)
            ].count("£"):
                distance += 60  # another amount stands between them
            if best is None or (distance, order) < best[:2]:
                best = (distance, order, category)
    if best is None or best[0] > 90:
        return None
    return best[2]


_DESCRIPTION = re.compile(
    r"^(?:\s+(?:has|have|had|was|were|will|is|are|being|been|also|now|already|"
    r"be|spent|invested|allocated|earmarked|set aside|used))*\s+(?:on|for|to fund|"
    r"to pay for|towards|to set up|to support|to recruit)\s+(?P<d>[a-z][\w'-]*(?:\s+"
    r"[a-z][\w'-]*){0,4})",
)
_DESCRIPTION_STOP = frozenset(
    [
        "which",
        "that",
        "where",
        "who",
        "while",
        "but",
        "and",
        "from",
        "by",
        "with",
        "in",
        "at",
        "as",
        "more",
        "than",
        "over",
        "around",
        "the",
        "a",
        "an",
        "of",
        "to",
        "its",
        "their",
        "this",
    ]
)


def _description(text: str, figure: Figure) -> str | None:
    match = _DESCRIPTION.match(text[figure.end :])
    if match is None:
        if re.search(r"children'?s services|children'?s social care", text, re.I):
            return "children's services"
        return None
    words = match["d"].split()
    kept: list[str] = []
    for word in words:
        if word.lower() in _DESCRIPTION_STOP and kept:
            break
        if word.lower() not in _DESCRIPTION_STOP:
            kept.append(word)
    return " ".join(kept) if kept else None


def money(article: Article) -> list[Found]:
    found: list[Found] = []
    for index, sentence in enumerate(article.sentences):
        text = sentence.text
        previous_cue: str | None = None
        for figure in amounts(text):
            cue = _nearest_cue(text, figure)
            own_year = _OWN_YEAR.match(text[figure.end :])
            if own_year and previous_cue and _EARLIER.search(text[: figure.start]):
                cue = previous_cue  # "spent £68m in 2021-22, up from £51m in 2017-18"
            if (
                cue is None
                and previous_cue
                and _search(
                    r"\b(?:equates?|equating|amounts?|amounting|adds?\s+up|works?\s+out|"
                    r"comes?\s+to)\s+to\s+$|\b(?:a\s+total\s+of|totalling|totaling)\s+$",
                    text[max(0, figure.start - 30) : figure.start],
                )
            ):
                cue = previous_cue  # "£150,000 a week, which equates to £7.8m a year"
            previous_cue = cue
            if cue is None or cue == "savings" or figure.value <= 0:
                continue
            if _POST_PAY.search(text):
                continue  # what a post pays, or cost to fill: not the service's money
            if cue == "budget" and _search(
                r"\b(?:add(?:s|ed|ing)?|put(?:s|ting)?|inject(?:s|ed|ing)?)\s+$",
                text[max(0, figure.start - 20) : figure.start],
            ):
                cue = "investment"  # "has added £4.2m to its budget"
            if cue in ("spend", "budget") and _search(
                r"\b(?:an\s+)?(?:extra|additional)\s+$",
                text[max(0, figure.start - 20) : figure.start],
            ):
                cue = "investment"  # "an extra £4.2m is to be spent on ..."
            if cue == "budget" and _BUDGET_CHANGE.search(text[: figure.start]):
                continue  # a budget raised by an amount: a change, not the budget
            if cue in ("budget", "spend", "overspend") and _CHANGED_BY.search(
                text[max(0, figure.start - 80) : figure.start]
            ):
                continue  # what the figure changed by, not the figure
            unit_cost = _UNIT_COST.match(text[figure.end :])
            if (
                unit_cost
                and unit_cost["per"].lower() == "year"
                and figure.value >= 10**6
            ):
                unit_cost = None  # "£120m a year" is what a service spends in a year
            if unit_cost or (_EARLIER.search(text[: figure.start]) and not own_year):
                continue  # a cost per week or per child, or the figure compared with
            if cue == "grant":
                nearby = " ".join(
                    s.text for s in article.sentences[max(0, index - 1) : index + 2]
                )
                funder = _funder(text) or _funder(nearby)
                if funder == "Government":
                    funder = _funder(nearby) or funder  # the department named nearby
                if funder is None:
                    if _search(r"\b(?:extra|additional|new)\s+funding\b", text):
                        found.append(
                            _money_fact(article, sentence, figure, "investment")
                        )
                    continue
                effective, approximate = date_or_published(article, sentence)
                fields: dict[str, str | int | bool] = {
                    "amount": plain(figure.value),
                    "funder": funder,
                }
                if figure.qualifier is not None:
                    fields["qualifier"] = figure.qualifier.value
                found.append(
                    Found(
                        "grant_received",
                        fields,
                        effective,
                        approximate,
                        sentence.start,
                        sentence.end,
                        0.8,
                        ("grant_received", funder, plain(figure.value)),
                    )
                )
                continue
            found.append(_money_fact(article, sentence, figure, cue))
    return _once_each(_without_headline_repeats(article, found))


def _once_each(found: list[Found]) -> list[Found]:
    """One amount of one kind for one date is one fact, however often the
    article repeats it ("more than £15m over budget ... an overspend of £15m is
    forecast"): its first mention is kept."""
    kept: list[Found] = []
    seen: set[tuple[object, ...]] = set()
    for item in found:
        key = (
            item.kind,
            item.fields.get("category"),
            item.fields["amount"],
            item.effective,
        )
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return kept


def _without_headline_repeats(article: Article, found: list[Found]) -> list[Found]:
    """A headline's rounded amount ("a £9m black hole") repeats one the body
    gives exactly (£9.1m): keep the body's."""
    if not article.sentences or article.sentences[0].text.endswith(
        (".", "!", "?", '"', "'")
    ):
        return found  # the text opens with its body, not a headline
    headline = article.sentences[0]

    def amount(item: Found) -> Decimal:
        return Decimal(str(item.fields["amount"]))

    kept = []
    for item in found:
        if item.start != headline.start:
            kept.append(item)
            continue
        body = [f for f in found if f.start != headline.start and f.kind == item.kind]
        if any(
            abs(amount(other) - amount(item)) <= amount(item) / 10 for other in body
        ):
            continue
        kept.append(item)
    return kept


def _money_fact(
    article: Article, sentence: Sentence, figure: Figure, cue: str
) -> Found:
    text = sentence.text
    if _MORE_THAN_PLANNED.match(text, figure.end):
        cue = "overspend"  # "spent £7.8m more than planned"
    category = {
        "overspend": MoneyCategory.OVERSPEND,
        "investment": MoneyCategory.INVESTMENT,
        "budget": MoneyCategory.BUDGET,
        "spend": MoneyCategory.SPEND,
    }[cue]
    mentions = article.dates(sentence)
    financial = sorted(
        (m for m in mentions if m.sort == "financial_year"),
        key=lambda m: (m.start < figure.end, abs(m.start - figure.end)),
    )
    # "£4.1m this year, after £2.9m last year": each amount its own year.
    relative = sorted(
        (m for m in mentions if m.sort == "relative_year"),
        key=lambda m: (m.start < figure.end, abs(m.start - figure.end)),
    )
    past = bool(relative and relative[0].years_back and relative[0].years_back > 0)
    if (
        category is MoneyCategory.OVERSPEND
        and _search(_FORECAST, text)
        and not past
        and not (financial and financial[0].iso < _current_fy_iso(article))
    ):
        category = MoneyCategory.FORECAST_OVERSPEND
    fields: dict[str, str | int | bool] = {
        "category": category.value,
        "amount": plain(figure.value),
    }
    if figure.qualifier is not None:
        fields["qualifier"] = figure.qualifier.value
    approximate = False
    if financial:
        effective = financial[0].iso
        fields["period"] = financial[0].fy_label or ""
    elif relative and category is not MoneyCategory.INVESTMENT:
        end_year = current_financial_year_end(article.published) - (
            relative[0].years_back or 0
        )
        effective, label = financial_year_ending(end_year)
        fields["period"] = label
        approximate = True
    elif category is MoneyCategory.FORECAST_OVERSPEND:
        effective, label = financial_year_ending(
            current_financial_year_end(article.published)
        )
        fields["period"] = label
        approximate = True
    elif category is MoneyCategory.BUDGET and _search(_THIS_YEARS_BUDGET, text):
        effective, label = financial_year_ending(
            current_financial_year_end(article.published)
        )
        fields["period"] = label
    else:
        effective, approximate = date_or_published(article, sentence)
    description = _description(text, figure)
    if description:
        fields["description"] = description[:200]
    return Found(
        "money_reported",
        fields,
        effective,
        approximate,
        sentence.start,
        sentence.end,
        0.75,
        ("money_reported", category.value, plain(figure.value), effective),
    )


def _current_fy_iso(article: Article) -> str:
    return financial_year_ending(current_financial_year_end(article.published))[0]


# -- Ofsted judgements ---------------------------------------------------------

_JUDGEMENT = (
    r"(?P<j>outstanding|good|requires? improvement(?: to be good)?|inadequate|"
    r"failing|required improvement|requiring improvement)"
)
_RATED = (
    r"\b(?:rated|judged|graded|branded|deemed|labelled|classed|found to be|ruled|"
    r"assessed as|declared|ranked|rating (?:of|as)|judgement of|grade of|verdict of)\b"
)
_AT_PLACE = r"(?:\s+(?:in|at)(?:\s+(?-i:[A-Z][\w'-]*)){1,4})?"
# What the inspectors said of the services: "Ofsted said services in Hull were
# good", "the watchdog found the council's children's services are good".
_SAID_OF_SERVICES = (
    r"\b(?:ofsted|inspectors|the\s+watchdog|the\s+inspectorate|(?:the|its|their)\s+"
    r"report)\s+(?:has\s+|had\s+)?(?:said|found|concluded)\s+(?:that\s+)?(?:the\s+)?"
    r"(?:(?-i:[A-Z][\w'-]*)\s+){0,3}(?:council'?s\s+)?(?:children'?s\s+)?"
    r"(?:social\s+care\s+)?services" + _AT_PLACE + r"(?:\s+for\s+children)?\s+(?:are|"
    r"were|was|is|remain|remained)\s+(?:still\s+|now\s+)?[\"']?"
)
_RATING_PATTERNS = [
    re.compile(
        r"\b(?:found|judged|rated|considered|deemed|declared)\b(?:\s+[\w']+){0,12}?"
        r"(?<!improvement)\s+to\s+be\s+[\"']?" + _JUDGEMENT + r"\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:downgraded|upgraded|dropped|fallen|fell|moved|improved|risen|rose|"
        r"climbed|slipped|plunged)\b[^.]{0,60}?\bto\s+[\"']?" + _JUDGEMENT + r"\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:still\s+|continues?\s+to\s+|continuing\s+to\s+|now\s+)?"
        r"(?P<j>requires?\s+improvement\s+to\s+be\s+good)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bfrom\s+[\"']?(?:outstanding|good|requires? improvement(?: to be good)?|"
        r"inadequate)[\"']?\s+to\s+[\"']?" + _JUDGEMENT,
        re.IGNORECASE,
    ),
    re.compile(
        _RATED + r"(?:\W+(?!and\b|but\b)[\w'-]+){0,12}?\W+[\"']?" + _JUDGEMENT + r"\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:an?|the|its|their)\s+(?:overall\s+)?[\"']?"
        + _JUDGEMENT
        + r"[\"']?\s+(?:Ofsted\s+)?(?:rating|judgement|grade|verdict)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\brating\s+(?:them|it|the\s+(?:council|authority|services?))\s+(?:as\s+)?"
        r"[\"']?" + _JUDGEMENT + r"\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bchildren'?s\s+(?:social\s+care\s+)?services" + _AT_PLACE + r"\s+(?:(?:are|"
        r"were|is|was|remain|remains|have\s+been|has\s+been|still|now)\s+)*[\"']"
        + _JUDGEMENT
        + r"\b|"
        r"\bchildren'?s\s+(?:social\s+care\s+)?services" + _AT_PLACE + r"\s+(?:(?:are|"
        r"were|is|was|remain|remains|have\s+been|has\s+been|still|now)\s+)+"
        r"(?P<j2>inadequate|outstanding)\b|"
        r"\bchildren'?s\s+(?:social\s+care\s+)?services\s+(?:still\s+|now\s+|"
        r"continue\s+to\s+)?(?P<j4>requires?\s+improvement(?:\s+to\s+be\s+good)?)|"
        r"\bthe\s+[\"'](?P<j3>outstanding|good|requires? improvement(?: to be good)?|"
        r"inadequate)[\"']\s+(?:children'?s\s+)?services",
        re.IGNORECASE,
    ),
    re.compile(_SAID_OF_SERVICES + _JUDGEMENT + r"\b", re.IGNORECASE),
    re.compile(
        r"\b(?P<j>lowest|worst|highest|best|top)(?: possible)?\s+(?:Ofsted\s+)?"
        r"(?:rating|grade|judgement)",
        re.IGNORECASE,
    ),
    # Local news's word for a council judged inadequate and put under the
    # department's watch: "placed in special measures in 2013".
    re.compile(
        r"\b(?:placed|put|plunged|went|go(?:ne|ing)?|forced|thrust)\s+(?:in|into|under)\s+"
        r"(?P<j>special\s+measures)\b",
        re.IGNORECASE,
    ),
    # The earlier judgement an upgrade or downgrade moved from: "upgraded to
    # good from the assessment of requires improvement it gave it in 2014".
    re.compile(
        r"\bfrom\s+(?:the|its|an?|their)\s+(?:[\w-]+\s+){0,2}?(?:assessment|rating|"
        r"judgement|grade|verdict)\s+of\s+[\"']?" + _JUDGEMENT + r"\b",
        re.IGNORECASE,
    ),
]
# Words before a judgement that say the services are no longer judged so:
# "Ofsted lifted its inadequate judgement", "moved out of its inadequate rating".
_NO_LONGER = re.compile(
    r"\b(?:lift(?:ed|s|ing)?|remov(?:ed|es|ing)|shed|sh(?:ake|ook|aken)\s+off|"
    r"escap(?:e|ed|es|ing)|(?:out|free)\s+of|no\s+longer|emerg(?:e|ed|es|ing)\s+from|"
    r"left\s+behind)\s+(?:(?:its|the|their|an?|that)\s+)?(?:[\w-]+\s+){0,1}?[\"']?$",
    re.IGNORECASE,
)
# Before an undated judgement: one the services had before, which the
# article does not date ("they were previously rated requires improvement").
_BEFORE_NOW = re.compile(
    r"\b(?:previously|formerly|once|before\s+that|had\s+been|had\s+last\s+been|"
    r"twice|three\s+times|repeatedly)\b[^.]{0,30}$|"
    # "since Ofsted graded them inadequate", "after they were given an
    # inadequate rating": the judgement before what is reported
    r"\bsince\s+(?:ofsted|inspectors|the\s+watchdog|they|it)\b[^.]{0,30}$|"
    r"\bafter\s+(?:they|it|the\s+(?:council|services?|department))\s+(?:were|was|had\s+been)"
    r"\b[^.]{0,30}$",
    re.IGNORECASE,
)
_HOPED_FOR = (
    r"\b(?:before\s+(?:they|it|inspectors|ofsted)\s+(?:can|could|will|would)|"
    r"(?:aims?|aiming|hopes?|hoping|wants?|ambition|bid|push|drive|plans?|target|goal)"
    r"\s+(?:is\s+)?to\s+(?:get|achieve|gain|secure|earn|win|reach|move\s+to|have)|"
    r"(?:in\s+order\s+)?to\s+(?:achieve|gain|secure|earn|win)|"
    r"(?:can|could|would|might)\s+(?:give|award|rate|get|achieve))\b"
)
_OTHER_PROVIDERS = (
    r"\bschools?\b|\bnurser(?:y|ies)\b|\bacadem(?:y|ies)\b|\bchildren'?s homes?\b|"
    r"\bcare homes?\b|\bproviders?\b|\bcolleges?\b|\bhospitals?\b|\bhomes\b"
)
_CURRENT = (
    r"\b(?:new|latest|today|this\s+week|just|now|still|published\s+(?:on|this|"
    r"yesterday|today))\b"
)
_EARLIER_TIME = r"\b(?:second|third|fourth|again|previous\w*|last|former\w*|once)\b"
_JUDGEMENT_WORDS = {
    "outstanding": Judgement.OUTSTANDING,
    "good": Judgement.GOOD,
    "inadequate": Judgement.INADEQUATE,
    "failing": Judgement.INADEQUATE,
    "lowest": Judgement.INADEQUATE,
    "worst": Judgement.INADEQUATE,
    "highest": Judgement.OUTSTANDING,
    "best": Judgement.OUTSTANDING,
    "top": Judgement.OUTSTANDING,
    "special measures": Judgement.INADEQUATE,
}


def _date_before(
    article: Article, sentence: Sentence, start: int, reach: int = 40
) -> tuple[str, bool] | None:
    before = [
        m
        for m in article.dates(sentence)
        if m.sort in ("day", "month", "year") and start - reach <= m.end <= start
    ]
    return _point(before[-1]) if before else None


def _judgement_word(match: re.Match[str]) -> str:
    """The judgement a pattern matched, from whichever of its groups took it."""
    names = [n for n in ("j", "j2", "j3", "j4") if n in match.re.groupindex]
    return next(word for word in (match.group(n) for n in names) if word)


def _year_near(
    article: Article, sentence: Sentence, start: int, end: int
) -> tuple[str, bool] | None:
    """A year counted from publication beside a judgement ("inspected the
    services last year, rating them good", "rated inadequate last year"), or
    opening its clause ("...; last year inspectors found progress but ruled the
    services still required improvement")."""
    clause = sentence.text.rfind(";", 0, start)
    for mention in article.dates(sentence):
        if (
            mention.sort == "relative_year"
            and (
                start - 40 <= mention.end <= start
                or start <= mention.start <= end + 40
                or (0 <= clause < mention.start < start)
            )
            and (mention.years_back or 0) > 0
            and not (
                mention.end <= start
                and _search(
                    r"\bsince\b",
                    sentence.text[max(0, mention.start - 40) : mention.start],
                )
            )  # "its first inspection since its formation last year"
        ):
            return mention.iso, False
    return None


_MONTHS_AFTER = re.compile(
    r"\b(?:comes?|came|coming|follows?|followed|following)\s+(?:just\s+|only\s+)?"
    r"(?P<n>a\s+few|a\s+couple\s+of|several|a|one|two|three|four|five|six|\d{1,2})"
    r"\s+months?\s+(?:after|since)\b",
    re.IGNORECASE,
)
_MONTH_COUNTS = {"a few": 3, "a couple of": 2, "several": 4, "a": 1, "one": 1}
_MONTH_COUNTS |= {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


_YEARS_AFTER = re.compile(
    r"\b(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years\s+after\s+"
    r"(?:being|they\s+were|it\s+was|the\s+(?:council|authority|service)\s+was)\s+$",
    re.IGNORECASE,
)
_YEAR_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_YEAR_COUNTS |= {"eight": 8, "nine": 9, "ten": 10}


def _months_before(article: Article, before: str) -> tuple[str, bool] | None:
    """A judgement the news reached "a few months after" it: that many months
    before publication, approximately ("The appointment comes just a few months
    after inspectors rated the services inadequate"); one "three years after
    being rated" good, that many years before."""
    years = _YEARS_AFTER.search(before)
    if years is not None:
        word = years["n"].lower()
        back = int(word) if word.isdigit() else _YEAR_COUNTS[word]
        return f"{int(article.published.iso[:4]) - back:04d}", True
    match = _MONTHS_AFTER.search(before)
    if match is None or len(article.published.iso) < 7:
        return None
    word = " ".join(match["n"].lower().split())
    back = int(word) if word.isdigit() else _MONTH_COUNTS[word]
    year, month = int(article.published.iso[:4]), int(article.published.iso[5:7])
    total = year * 12 + month - 1 - back
    return f"{total // 12:04d}-{total % 12 + 1:02d}", True


def _judgement(word: str) -> Judgement:
    word = " ".join(word.lower().split())
    if word.startswith("requir"):
        return Judgement.REQUIRES_IMPROVEMENT
    return _JUDGEMENT_WORDS[word]


def framework_on(effective: str) -> Framework:
    if effective < "2013-11":
        return Framework.CHILD_PROTECTION
    if effective < "2018":
        return Framework.SIF
    if effective < "2026-04":
        return Framework.ILACS
    return Framework.ILACS_2026


# An inspection carried out: "Ofsted carried out a full inspection in July",
# "inspectors visited in February this year", "Ofsted assessed the services
# between 4 and 22 July", "a focused visit in February 2020".
_INSPECTED = (
    r"\b(?:(?:full|two-week|three-week|two-day|week-long|focused|monitoring|"
    r"unannounced|latest|recent|last|most\s+recent|ofsted|standard|short|"
    r"re-?inspection)\s+)*(?:inspections?|visits?)\b(?!\s+(?:report|framework|regime|"
    r"(?:was|were|is|has\s+been)\s+published|published))|"
    r"\b(?:ofsted|inspectors|the\s+watchdog)\s+(?:[\w'-]+\s+){0,2}?(?:assessed|"
    r"inspected|visited|returned|were\s+on\s+site|carried\s+out|examined|looked\s+at|"
    r"spent\s+(?:a|one|two|three|four|\d)\s+(?:weeks?|days?))\b|"
    r"\bcarried\s+out\s+by\s+(?:a\s+team\s+of\s+)?(?:ofsted\s+)?inspectors\b"
)
_INSPECTION_CONTEXT = r"\bofsted\b|\binspect|\bwatchdog\b"
_INSPECTION_AHEAD = (
    r"\b(?:will|due|expected|next|upcoming|forthcoming|future|awaiting|await|"
    r"prepar\w+\s+for|ahead\s+of|before)\b[^.]{0,30}$"
)


_VISITS: dict[int, tuple[Article, list[tuple[Sentence, int, int, str, bool]]]] = {}


def inspection_visits(article: Article) -> list[tuple[Sentence, int, int, str, bool]]:
    """Each inspection the article says was carried out, with the date given
    beside it: (sentence, start, end, date, approximate), in order. An
    inspection still to come, or one the sentence gives no date for, is left
    out. Read once an article."""
    cached = _VISITS.get(id(article))
    if cached is not None and cached[0] is article:
        return cached[1]
    if len(_VISITS) > 64:
        _VISITS.clear()
    found: list[tuple[Sentence, int, int, str, bool]] = []
    _VISITS[id(article)] = (article, found)
    for sentence in article.sentences:
        text = sentence.text
        if not _search(_INSPECTION_CONTEXT, text):
            continue
        for match in _compiled(_INSPECTED).finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            done = _search(
                r"\b(?:visited|inspected|returned|assessed|examined|carried\s+out)\b",
                match.group(),
            )  # "before Ofsted visited in February": a visit made
            if (_search(_INSPECTION_AHEAD, before) and not done) or _search(
                r"^\s+(?:is|are|was|were)\s+(?:due|expected|set)\b|^\s+will\b",
                text[match.end() :],
            ):
                continue
            near = date_near(article, sentence, match.start(), match.end(), reach=70)
            if near is None or near[0] > article.published.iso + "~":
                continue
            found.append((sentence, match.start(), match.end(), near[0], near[1]))
    return found


_REPORT_OUT = (
    r"\b(?:judgements?|report|findings|verdict|inspection\s+report)\s+(?:was\s+|were\s+|"
    r"has\s+been\s+|is\s+)?published\s+(?:today\s+|yesterday\s+|on\s+)?"
)


def _report_published(article: Article) -> tuple[str, bool] | None:
    """The day the article says the inspection report came out ("The
    judgement published today (Friday, 19 February 2016)"): the judgement's date."""
    for sentence in article.sentences:
        match = _compiled(_REPORT_OUT).search(sentence.text)
        if match is None:
            continue
        after = [
            m
            for m in article.dates(sentence)
            if match.end() - 2 <= m.start <= match.end() + 12 and m.sort == "day"
        ]
        if after:
            return _point(after[0])
    return None


def _when_clause(
    article: Article, sentence: Sentence, start: int
) -> tuple[str, bool] | None:
    """A date that a 'when' clause hangs on dates what the clause says ("in
    2013, when Ofsted rated the department inadequate")."""
    for mention in reversed(article.dates(sentence)):
        if mention.end > start or mention.sort not in ("day", "month", "year"):
            continue
        if _search(r"^\W*,?\s*when\b[^.;]{0,90}$", sentence.text[mention.end : start]):
            return _point(mention)
        return None
    return None


def _inspected(article: Article, sentence: Sentence) -> tuple[str, bool] | None:
    """The date of the inspection a judgement comes from, where the judgement
    is not dated itself: the inspection in its own sentence, else the latest
    the article reports in the two years to publication."""
    visits = [
        v
        for v in inspection_visits(article)
        if not _search(r"monitoring|focused|visit", v[0].text[v[1] : v[2]])
    ]  # a visit between inspections gives no judgement
    own = [v for v in visits if v[0] is sentence]
    if own:
        return own[-1][3], own[-1][4]
    published = article.published.iso
    recent = [
        v
        for v in visits
        if int(published[:4]) - int(v[3][:4]) <= 1 and v[3] <= published + "~"
    ]
    if not recent:
        return None
    latest = max(recent, key=lambda v: v[3])
    return latest[3], latest[4]


def ratings(article: Article) -> list[Found]:
    found: list[Found] = []
    for sentence in article.sentences:
        text = sentence.text
        if not _search(
            r"\bofsted\b|\binspect|\brated\b|\brating\b|\bjudged\b|\bwatchdog\b|"
            r"\bgraded\b|\bbranded\b|\brequires? improvement to be good|\bruled\b|"
            r"\bspecial\s+measures\b",
            text,
        ):
            continue
        if _search(r"\bfailing\b", text) and not _search(r"\bofsted\b|\binspect", text):
            continue
        # A sentence may give two judgements, a current and an earlier one
        # ("... said the services are inadequate ... since it received a 'good'
        # rating in 2015"): each at its own words.
        taken: list[tuple[int, int, str]] = []
        matches = [m for pattern in _RATING_PATTERNS for m in pattern.finditer(text)]
        for match in matches:
            if _search(_OTHER_PROVIDERS, text) and not _search(
                r"children'?s services|social care|the council|the authority|"
                r"the department",
                text,
            ):
                break
            if _search(_HOPED_FOR, text[max(0, match.start() - 50) : match.start()]):
                break  # "before they can give the council a good rating"
            word = _judgement_word(match)
            if _NO_LONGER.search(text[max(0, match.start() - 40) : match.start()]):
                continue  # "Ofsted lifted its inadequate judgement"
            judgement = _judgement(word)
            if judgement is Judgement.OUTSTANDING and word.lower() in (
                "best",
                "top",
            ):
                break
            if any(
                judgement.value == j or (match.start() < end and start < match.end())
                for start, end, j in taken
            ):
                continue
            earlier_one = _search(
                r"^\W*(?:up|down|improved|moved|risen|fallen)?\s*from\b",
                text[match.end() :],
            )  # "good, up from requires improvement in 2017": that date is the earlier
            dated = (
                (
                    _date_before(article, sentence, match.start())
                    if earlier_one
                    else date_near(
                        article, sentence, match.start(), match.end(), since=True
                    )
                )
                or _year_near(article, sentence, match.start(), match.end())
                or _months_before(article, text[: match.start()])
            )
            # "rated outstanding since 2014": since that inspection
            if _search(
                r"\bsince\s*$", text[max(0, match.start() - 12) : match.start()]
            ):
                dated = None  # "... in 2019 and has since improved to good": now
            if dated is None:
                dated = _when_clause(article, sentence, match.start())
            if dated is None and (
                _BEFORE_NOW.search(text[max(0, match.start() - 50) : match.start()])
                or _search(
                    r"^\W*(?:twice|three\s+times|repeatedly)\b", text[match.end() :]
                )
            ):
                continue  # an earlier judgement the article does not date
            if dated is None and not taken:
                dated = _report_published(article) or _inspected(article, sentence)
            if taken and (
                dated is None
                or _search(
                    r"^\W*(?:rating\s+|judgement\s+|grade\s+)?for\s+(?:its|the|their)"
                    r"\s+(?:adoption|care\s+leavers|leadership|help|children)",
                    text[match.end() :],
                )
            ):
                continue  # a second judgement must say when, and of the whole
            effective, approximate = dated or (article.published.iso, True)
            framework = framework_on(effective)
            if framework is Framework.ILACS_2026:
                break
            fields: dict[str, str | int | bool] = {
                "judgement": judgement.value,
                "framework": framework.value,
            }
            if _search(r"\bunannounced\b", text):
                fields["inspection_type"] = "unannounced"
            elif _search(r"\bshort inspection\b", text):
                fields["inspection_type"] = "short"
            found.append(
                Found(
                    "rating_given",
                    fields,
                    effective,
                    approximate,
                    sentence.start,
                    sentence.end,
                    0.85 if dated else 0.6,
                    (
                        "rating_given",
                        judgement.value,
                        dated is not None,
                        dated is None
                        and _search(_CURRENT, text) is not None
                        and _search(_EARLIER_TIME, text) is None,
                    ),
                )
            )
            taken.append((match.start(), match.end(), judgement.value))
            if len(taken) == 2:
                break
    return _merge_ratings(found)


def _within_year_before(earlier: str, published: str) -> bool:
    """Whether the month of ``earlier`` falls in the twelve months to ``published``
    (a date given only to the year is not)."""
    if len(earlier) < 7:
        return False
    then = int(earlier[:4]) * 12 + int(earlier[5:7])
    now = int(published[:4]) * 12 + int(published[5:7] or 12)
    return 0 <= now - then < 12


def _merge_ratings(found: list[Found]) -> list[Found]:
    """One rating per judgement and date; an undated mention of a judgement a
    dated one gives is the same inspection."""
    dated = [f for f in found if f.key[2]]
    undated = [f for f in found if not f.key[2]]
    kept: list[Found] = []
    seen: set[tuple[object, ...]] = set()
    for candidate in dated:
        key = (candidate.fields["judgement"], candidate.effective)
        if key not in seen:
            seen.add(key)
            kept.append(candidate)
    judged = {f.fields["judgement"] for f in kept}
    for candidate in undated:
        if candidate.key[3] and any(
            f.fields["judgement"] == candidate.fields["judgement"]
            and _within_year_before(f.effective, candidate.effective)
            for f in kept
        ):
            continue  # "now rated good ... in the September inspection": that one
        if candidate.key[3] or candidate.fields["judgement"] not in judged:
            judged.add(candidate.fields["judgement"])
            kept.append(candidate)
    return kept


# -- office holders ------------------------------------------------------------

# Between the verb's parts: "has today been named", "has formally appointed".
_ADVERB = (
    r"(?:today|now|officially|formally|finally|recently|yesterday|this\s+week|"
    r"last\s+week|this\s+month)"
)
_TITLE_WORDS = frozenset(
    {"Mr", "Mrs", "Ms", "Miss", "Dr", "Coun", "Cllr", "Councillor", "Sir", "Dame"}
    | {"Lord", "Lady", "Baroness", "Professor", "Prof"}
)
_NAME_TOKEN = r"(?:Mc|Mac|O'|D')?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_PERSON = (
    r"(?P<title>(?:Coun|Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Professor|Prof|"
    r"Lord|Baroness)\.?\s+)?(?P<name>" + _NAME_TOKEN + r"(?:\s+(?:[A-Z]\.\s+)?(?:"
    r"(?:de|van|von|da|di|le|la|du|St)\s+)?" + _NAME_TOKEN + r"){1,2})"
)
# One name or several: "Jane Smith and John Brown", "A B, C D and E F".
_PERSON_NAMES = (
    _NAME_TOKEN
    + r"(?:\s+"
    + _NAME_TOKEN
    + r"){1,2}(?:(?:,\s+|\s+and\s+)"
    + _NAME_TOKEN
    + r"(?:\s+"
    + _NAME_TOKEN
    + r"){1,2}){0,3}"
)
# Between a name and its verb: ", 52," or ", CBE, a former director of
# children's services in East Sussex,".
_ASIDE = r"(?:(?:\s*,[^,]{1,100}){1,2},)?"
_NOT_NAMES = frozenset(
    [
        "Council",
        "Councils",
        "Children",
        "Childrens",
        "Child",
        "Services",
        "Service",
        "Ofsted",
        "Department",
        "Education",
        "Borough",
        "County",
        "City",
        "The",
        "This",
        "That",
        "Director",
        "Trust",
        "Committee",
        "Panel",
        "Board",
        "Government",
        "Minister",
        "Commissioner",
        "Leader",
        "Chief",
        "Executive",
        "Social",
        "Care",
        "Safeguarding",
        "Partnership",
        "Authority",
        "Local",
        "News",
        "School",
        "Schools",
        "Police",
        "Health",
        "Cabinet",
        "Scrutiny",
        "Member",
        "Members",
        "Labour",
        "Conservative",
        "Tory",
        "Liberal",
        "Democrat",
        "Green",
        "Reform",
        "Independent",
        *calendar.month_name[1:],
        *calendar.day_name,
        "England",
        "British",
        "English",
        "Her",
        "His",
        "Their",
        "Our",
        "We",
        "They",
        "She",
        "He",
        "It",
        "In",
        "On",
        "At",
        "For",
        "And",
        "But",
        "Mayor",
        "Interim",
        "Acting",
        "New",
        "Young",
        "People",
        "Family",
        "Families",
        "Support",
        "Improvement",
        "Plan",
        "Strategy",
        "Audit",
        "Review",
        "Report",
        "Office",
        "Secretary",
        "State",
        "Hall",
        "Town",
        "Assistant",
        "Corporate",
        "Head",
        "Deputy",
        "Lead",
        "Portfolio",
        "Holder",
        "Adult",
        "Adults",
        "Early",
        "Help",
        "Fostering",
        "Adoption",
        "Agency",
        "Unit",
        "Centre",
        "Center",
        "Court",
        "Family",
        "Hub",
        "Inspectors",
        "Inspector",
        "Royal",
        "Metropolitan",
        "District",
        "Parliament",
        "MP",
        "Whitehall",
        "Lottery",
        "Fund",
        "Foundation",
        "Chair",
        "Chairman",
        "Chairwoman",
        "Senior",
        "Principal",
        "Group",
        "Team",
        "Teams",
        "Read",
        "More",
        "Related",
        "Picture",
        "Photo",
        "Watch",
        "Sign",
        "Register",
    ]
)

_DCS = (
    r"(?:(?:interim|acting|new|permanent|corporate|executive|strategic|incoming)\s+)*"
    r"(?:director|head|executive director|corporate director|strategic director)\s+"
    r"(?:of|for)\s+(?:(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*)){0,2}(?:'s)?\s+"
    r"(?:(?-i:[a-z][\w-]*)\s+)?)?"
    r"(?:children(?:'s)?(?:\s+services|\s+and\s+(?:young\s+people|"
    r"families)(?:'s services)?|\s+and\s+adult(?:'s|s'?)?\s+services|"
    r",\s+(?:young\s+people|families|schools|education|communities)"
    r"(?:,?\s+(?:and\s+)?(?:young\s+people|families|schools|education|learning|skills|"
    r"communities))*)?)"
    r"|children'?s services (?:director|boss|chief|head)|\bDCS\b|"
    r"(?:interim|acting)\s+director(?!\s+(?:of|for)\s+(?!children))"
)
_ROLES: list[tuple[Role, str]] = [
    (Role.DIRECTOR_OF_CHILDRENS_SERVICES, _DCS),
    (
        Role.COUNCIL_LEADER,
        r"(?:(?-i:[A-Z][\w-]*\s+)?(?-i:Leader)(?=\s+(?:Cllr|Councillor|Coun)\b|"
        r"\s+(?-i:[A-Z][a-z]+\s+[A-Z][a-z]+))|"
        r"council\s+leader|leader\s+of\s+(?:the\s+)?(?:(?-i:[A-Z][\w-]*)\s+){0,4}"
        r"(?:County\s+|City\s+|Borough\s+)?[Cc]ouncil|the\s+council'?s\s+leader|"
        r"(?:(?-i:[A-Z][\w-]*)\s+){1,3}(?:County\s+|City\s+|Borough\s+)?Council'?s\s+"
        r"leader|(?:the\s+)?leader\s+of\s+the\s+council)",
    ),
    (
        # "leader of the Conservative opposition", "opposition leader": a
        # councillor, not the council's leader
        Role.COUNCILLOR,
        r"(?:leader\s+of\s+the\s+(?:(?-i:[A-Z][\w-]*)\s+){1,3}(?:opposition|group|"
        r"members|councillors)|(?:opposition|group)\s+leader|(?-i:[A-Z][\w-]*)\s+"
        r"(?:group\s+)?leader(?=\s+(?:Cllr|Councillor|Coun)\b))",
    ),
    (
        Role.CHIEF_EXECUTIVE,
        r"(?:(?:interim|acting|new)\s+)?chief\s+executive(?:\s+of\s+(?:the\s+)?"
        r"(?:[A-Z][\w-]*\s+){0,4}(?:[Cc]ouncil|Trust))?",
    ),
    (
        Role.LEAD_MEMBER,
        r"(?:(?:cabinet|lead|executive)\s+member|councillor)\s+(?:for|responsible\s+for)\s+"
        r"(?:[\w']+,?\s+(?:and\s+)?){0,3}?(?:children|young\s+people|education)"
        r"(?:'s\s+services|(?:,?\s+(?:and\s+)?(?:families|young\s+people|education|"
        r"schools|skills|learning|safeguarding))+)?|portfolio\s+holder\s+for\s+(?:[\w']+,?\s+(?:and\s+)?)"
        r"{0,3}?children(?:'s\s+services)?|"
        # where committees govern: "chair of the children, young people and
        # skills committee"
        r"chair(?:man|woman)?\s+of\s+the\s+(?:council'?s\s+)?children(?:'s)?"
        r"(?:,?\s+(?:and\s+)?[\w']+){0,4}?\s+committee",
    ),
    (
        Role.COMMISSIONER,
        r"(?<!Children's )(?:(?:independent|government-appointed|DfE-appointed|"
        r"government|children's\s+services|children'?s|education|improvement)\s+)*"
        r"commissioner(?!\s+for\s+England)",
    ),
    (
        Role.PANEL_CHAIR,
        r"(?:independent\s+)?chair(?:man|woman)?\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,5}"
        r"(?:panel|board)|(?:panel|board)'?s?\s+chair(?:man|woman)?|independent\s+chair",
    ),
    (
        Role.MINISTER,
        r"(?:children'?s|education|schools|childcare|children\s+and\s+families)\s+minister|"
        r"education\s+secretary|secretary\s+of\s+state\s+for\s+education",
    ),
]
_LEFT_FUTURE = (
    r"\b(?:due|set|going|expected|about)\s+to\s+(?:retire|step\s+down|leave|stand\s+"
    r"down|depart|quit)|\bwill\s+(?:retire|step\s+down|leave|stand\s+down|depart)|"
    r"\b(?:is|are)\s+(?:retiring|stepping\s+down|leaving|standing\s+down|departing|"
    r"quitting|bowing\s+out|moving\s+on)|"
    r"\b(?:is|are)\s+to\s+(?:retire|step\s+down|leave|stand\s+down|depart|quit)\b|"
    r"\b(?:would|was\s+to|were\s+to|intends\s+to|plans\s+to|decided\s+to)\s+"
    r"(?:retire|step\s+down|leave|stand\s+down|depart|quit)\b|"
    r"\b(?:announced|confirmed|handed\s+in|tendered)\s+(?:her|his|their)\s+"
    r"(?:resignation|retirement|departure|notice)\b|"
    r"\bwill\s+be\s+(?:retiring|stepping\s+down|leaving|standing\s+down|departing)"
)
_LEFT_PAST = (
    r"\b(?:has|have|had)\s+(?:retired|resigned|left|stepped\s+down|stood\s+down|quit|"
    r"departed)|\b(?:resigned|retired|stepped\s+down|stood\s+down|quit|was\s+sacked|"
    r"was\s+dismissed|left\s+(?:the|her|his|their)\s+(?:council|authority|role|post|"
    r"job|position))\b|"
    r"\bformer\s+"
)
_APPOINTED = (
    r"\b(?:has|have|had)\s+(?:appointed|named|chosen|selected|recruited|hired|"
    r"confirmed)\b|"
    r"\b(?:has|have|had)\s+been\s+(?:appointed|named|confirmed|chosen|selected|"
    r"recruited|hired)|\b(?:was|were|is|will\s+be)\s+(?:appointed|named|confirmed)|"
    r"(?<!-)\bappoint(?:ed|s|ment\s+of)\b|\bwill\s+(?:join|take\s+up)\b|"
    r"\bwill\s+(?:start|begin)\s+(?:as|in|on|her|his|work)\b|"
    r"\b(?:joins|joined|started|took\s+up|takes\s+up)\b|"
    r"\b(?:has|have|had)\s+(?:been\s+)?(?:sent|brought|parachuted)\s+in\b|"
    r"\bnew(?:ly\s+appointed)?\s+(?:\w+\s+)?(?:director|chief|head|leader|chair)|"
    r"\bincoming\b"
)
_APPOINTED_NEAR = 40


_NAME_TITLES = _TITLE_WORDS


def _clean_name(name: str) -> str | None:
    tokens = name.split()
    while tokens and tokens[0].rstrip(".") in _NAME_TITLES:
        tokens.pop(0)
    while tokens and tokens[-1].rstrip("'s") in _NOT_NAMES:
        tokens.pop()
    while tokens and tokens[0] in _NOT_NAMES:
        tokens.pop(0)
    if len(tokens) < 2 or any(t.rstrip(".") in _NOT_NAMES for t in tokens):
        return None
    if tokens[-1].endswith("'s"):
        return None
    return " ".join(tokens)


@dataclass(frozen=True)
class _Holder:
    role: Role
    person: str
    sentence: Sentence
    start: int  # of the role phrase within the sentence
    end: int
    appointed: bool = False  # the words themselves report the appointment
    # The sentence reporting the appointment, where the one naming the person
    # says only what they will do ("Jane Smith will report by November").
    dated_by: Sentence | None = None
    left: bool = False  # the words themselves report the departure


def _person(match: re.Match[str], place_names: frozenset[str]) -> str | None:
    """The person a pattern named, cleaned; None for no name, or a place's."""
    person = _clean_name(match["name"])
    return None if person is None or person in place_names else person


def _named(
    match: re.Match[str],
    place_names: frozenset[str],
    role: Role,
    sentence: Sentence,
    *,
    appointed: bool = False,
    dated_by: Sentence | None = None,
    left: bool = False,
) -> _Holder | None:
    """The holder of ``role`` that ``match`` names in ``sentence``, over the
    span it matched; None when it names no person (see :func:`_person`)."""
    person = _person(match, place_names)
    if person is None:
        return None
    return _Holder(
        role, person, sentence, match.start(), match.end(), appointed, dated_by, left
    )


def _holders_in(
    sentence: Sentence, place_names: frozenset[str], bare_director: bool = False
) -> list[_Holder]:
    text = sentence.text
    holders: list[_Holder] = []
    for role, bare_pattern in _ROLES:
        # A deputy or an assistant does not hold the office itself.
        role_pattern = (
            "(?i:(?<!deputy )(?<!assistant )(?<!vice )(?<!deputy-)(?:"
            + bare_pattern
            + "))"
        )
        patterns = [
            # role, then the name: "Director of children's services Jane Smith"
            r"(?P<role>" + role_pattern + r")\s*,?\s+" + _PERSON,
            # the name, then the role: "Jane Smith, the council's director of ..."
            _PERSON
            + r"\s*,\s*(?:who\s+(?:is|was|has\s+been|had\s+been|will\s+be|became|"
            r"becomes)\s+)?(?:the\s+|a\s+|an\s+|its\s+|"
            r"their\s+|(?:[A-Z][\w-]*\s+(?:&\s+|and\s+)?){0,3}[A-Z][\w-]*'s\s+|"
            r"the\s+council'?s\s+)?"
            r"(?:[\w-]+\s+){0,2}?(?P<role>" + role_pattern + r")",
            # "Jane Smith has been appointed (as) interim director of ...",
            # "... has been named by the county council as its new director"
            _PERSON + _ASIDE + r"\s+(?:has|have|had|was|is|will)\s+"
            r"(?:"
            + _ADVERB
            + r"\s+)?(?:(?:set|due|expected|likely|poised|going)\s+to\s+)?"
            r"(?:been\s+|be\s+)?(?:" + _ADVERB + r"\s+)?"
            r"(?:appointed|named|confirmed|announced|chosen|selected|made|become|"
            r"became|joined|join)\s+(?:by\s+(?:the\s+)?(?:[A-Z][\w'-]*\s+){1,4}"
            r"(?i:council)\s+)?(?:as\s+)?(?:the\s+)?(?:council'?s\s+|authority'?s\s+|its\s+|"
            r"(?:[A-Z][\w-]*\s+){0,3}[A-Z][\w-]*'s\s+)?"
            r"(?:[\w-]+\s+){0,3}?(?P<role>" + role_pattern + r")",
            # "appointed Jane Smith as its new director of ..."
            r"(?:appointed|appointment\s+of|named|hired|recruited)\s+"
            + _PERSON
            + r"\s+(?:as\s+|to\s+the\s+(?:role|post|position|job)\s+of\s+)?"
            r"(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?(?P<role>"
            + role_pattern
            + r")",
        ]
        appointing = [
            # "took up her post as director of ...", "Jane Smith, who ..., took up"
            _PERSON + _ASIDE + r"\s+(?:took|takes|has\s+taken|will\s+take|"
            r"is\s+taking)\s+up\s+(?:her|his|their|the)\s+(?:new\s+)?(?:post|role|"
            r"position|job)\s+(?:as\s+)?(?:the\s+)?(?:council'?s\s+|its\s+)?"
            r"(?:[\w-]+\s+){0,2}?(?P<role>" + role_pattern + r")",
            # "Jane Smith will take over as director of ...", "... becomes the new"
            _PERSON + _ASIDE + r"\s+(?:will\s+|has\s+|is\s+to\s+)?"
            r"(?:(?:take|takes|took|taken)\s+over\s+as|(?:step|steps|stepped)\s+up\s+as|"
            r"(?:joined|joins|join)\s+(?:the\s+(?:council|authority)|(?:[A-Z][\w-]*\s+){1,3}"
            r"(?:Council|council))?\s*as|"
            r"become|becomes|became)\s+(?:the\s+)?"
            r"(?:council'?s\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?P<role>"
            + role_pattern
            + r")",
            # "Jane Smith is the new director of ...", "... new director of
            # children's services is Jane Smith"
            _PERSON + r"\s+(?:is|will\s+be)\s+(?:the\s+|its\s+)?(?:council'?s\s+)?"
            r"new\s+(?:[\w-]+\s+){0,2}?(?P<role>" + role_pattern + r")",
            r"(?i:\bnew\s+)(?P<role>"
            + role_pattern
            + r")\s+(?:is|will\s+be)\s+"
            + _PERSON
            + r"\b",
            # "have made former social care chief Jane Smith the director for ..."
            r"\bmade\s+(?:(?:[a-z][\w'-]*|[A-Z][\w'-]*\s+(?=[a-z]))\s+){0,5}?"
            + _PERSON
            + r"\s+(?:the|its|their)\s+(?:new\s+)?(?P<role>"
            + role_pattern
            + r")",
        ]
        leaving = [
            # "Jane Smith has resigned as the independent chair of ..."
            _PERSON
            + _ASIDE
            + r"\s+(?:has|have|had)\s+(?:now\s+)?(?:resigned|stepped\s+down|"
            r"stood\s+down|quit|retired)\s+(?:from\s+(?:her|his|their)\s+(?:role|post|"
            r"position)\s+)?as\s+"
            r"(?:the\s+|its\s+)?(?:council'?s\s+)?(?:[\w-]+\s+){0,2}?(?P<role>"
            + role_pattern
            + r")",
            # "Jane Smith's resignation as director of ... was announced"
            _PERSON
            + r"'s\s+(?:resignation|departure|retirement|exit|sacking|dismissal)\s+"
            r"as\s+(?:the\s+|its\s+)?(?:council'?s\s+)?(?:[\w-]+\s+){0,2}?(?P<role>"
            + role_pattern
            + r")",
        ]
        acting = [
            # "Jane Smith and John Brown will act as commissioners"
            r"(?P<names>" + _PERSON_NAMES + r")\s+(?:will\s+|would\s+|to\s+)?"
            r"(?:act|acts|serve|serves|work|works|continue)\s+as\s+(?:the\s+|joint\s+)*"
            r"(?P<role>" + role_pattern + r")",
        ]
        for pattern in acting:
            for match in _compiled_case(pattern).finditer(text):
                for name in re.split(r",\s+|\s+and\s+", match["names"]):
                    person = _clean_name(name)
                    if person is None or person in place_names:
                        continue
                    holders.append(
                        _Holder(role, person, sentence, match.start(), match.end())
                    )
        for pattern in leaving:
            for match in _compiled_case(pattern).finditer(text):
                holder = _named(match, place_names, role, sentence, left=True)
                if holder is not None:
                    holders.append(holder)
        for pattern in patterns + appointing:
            for match in _compiled_case(pattern).finditer(text):
                holder = _named(
                    match, place_names, role, sentence, appointed=pattern in appointing
                )
                if holder is None:
                    continue
                if _OTHER_BODY.match(text, match.end("role")) or _search(
                    r"\b(?:of|at|for)\s+(?:a|an|another)\b", match["role"]
                ):
                    continue  # "chief executive of a neighbouring council"
                if _search(
                    r"\b(?:former|ex-|previous)\s*(?:[\w-]+\s+)?$",
                    text[max(0, match.start("role") - 20) : match.start("role")],
                ) and _compiled_case(r"\s+(?:in|at|for)\s+(?:the\s+)?[A-Z]").match(
                    text, match.end("role")
                ):
                    continue  # "a former director of children's services in
                    # East Sussex": a post held elsewhere
                if role is Role.CHIEF_EXECUTIVE and _search(
                    r"\b(?:trust|company|charity|partnership)(?:'s)?\s+$",
                    text[: match.start("role")],
                ):
                    continue  # "the Children's Services Trust chief executive"
                if (
                    role is Role.COMMISSIONER
                    and _search(r"children's commissioner$", text[: match.end("role")])
                    and "Children's Commissioner" in match["role"]
                ):
                    continue
                holders.append(holder)
    for match in _compiled_case(
        r"(?:Coun|[Cc]ouncillor|Cllr)\.?\s+(?P<name>"
        + _NAME_TOKEN
        + r"(?:\s+"
        + _NAME_TOKEN
        + r"){1,2})"
    ).finditer(text):
        person = _clean_name(match["name"])
        if person is not None:
            # "councillor Jane Smith, who is responsible for children's services"
            role = (
                Role.LEAD_MEMBER
                if _compiled(_RESPONSIBLE).match(text, match.end())
                else Role.COUNCILLOR
            )
            holders.append(_Holder(role, person, sentence, match.start(), match.end()))
    # "The trust will be chaired by Jane Smith": the chair of a board or panel.
    for match in _compiled_case(
        r"(?i:\b(?P<when>will\s+be|to\s+be|is|was|is\s+being|has\s+been)\s+chaired\s+by)"
        r"\s+" + _PERSON
    ).finditer(text):
        will = bool(_search(r"will|to", match["when"]))
        holder = _named(match, place_names, Role.PANEL_CHAIR, sentence, appointed=will)
        if holder is not None:
            holders.append(holder)
    if bare_director:
        # "the director, Jane Smith": in an article about children's services,
        # the director is theirs.
        for match in _compiled_case(
            r"(?i:\b(?:the|its|their|our|(?-i:[A-Z][\w-]*)'s)\s+(?:(?:interim|acting|"
            r"previous|former|outgoing|new|permanent)\s+)?|\b(?:previous|former|outgoing|"
            r"interim|acting|permanent)\s+)(?P<role>director)"
            r",?\s+" + _PERSON
        ).finditer(text):
            director = Role.DIRECTOR_OF_CHILDRENS_SERVICES
            holder = _named(match, place_names, director, sentence)
            if holder is not None and all(h.person != holder.person for h in holders):
                holders.append(holder)
    return holders


_RESPONSIBLE = (
    r",\s+who\s+(?:is|was|has\s+been)\s+(?:the\s+(?:cabinet\s+|lead\s+)?member\s+)?"
    r"responsible\s+for\s+(?:children'?s\s+(?:social\s+care|services)|the\s+services?|"
    r"children(?:\s+and\s+(?:families|young\s+people))?)\b"
)


_NAMED_ROLE = (
    r"\b(?:has|have|had)\s+(?:(?i:" + _ADVERB + r")\s+)?(?:appointed|named|chosen|"
    r"selected|recruited|hired)|"
    r"\b(?:names|appoints)\b|'s\b"
)
_STEPS_IN = (
    r"\s+(?:(?:has|have|had|is|was|will)\s+(?:been\s+|be\s+)?)?(?:stepped\s+up|"
    r"stepping\s+up|steps?\s+up|taking\s+over|takes?\s+over|taken\s+over|took\s+over|"
    r"promoted|appointed|chosen|selected|named|moved\s+up|moving\s+up|joins?|joined|"
    r"joining|takes?\s+up|took\s+up|taking\s+up|taken\s+up|start\w*|fill\w*|"
    r"arriv\w+|becom\w+|became)\b"
)


_SUCCESSOR_NAMED = (
    # "This appointment of Jane Smith follows ...", "Jane Smith will be
    # responsible for ...": the next sentence names who fills the office.
    r"^(?i:(?:the|this|her|his)\s+appointment\s+of\s+)" + _PERSON + r"\b",
    r"^"
    + _PERSON
    + r"(?:,[^.]{1,160}?)?\s+(?i:will\s+(?:now\s+)?(?:be\s+(?:accountable|"
    r"responsible|in\s+charge)|lead|head|oversee|run|report|assess|advise|work)\b)",
)
# The offices whose holder a following sentence may name: a council's
# officers, and the commissioner the government sends in.
_SUCCEEDED_ROLES = [
    (role, pattern)
    for role, pattern in _ROLES
    if role
    in (
        Role.DIRECTOR_OF_CHILDRENS_SERVICES,
        Role.COUNCIL_LEADER,
        Role.CHIEF_EXECUTIVE,
        Role.COMMISSIONER,
    )
]


def _successors(
    article: Article, holders: list[_Holder], place_names: frozenset[str]
) -> list[_Holder]:
    """An appointment that names the office in one sentence and the person in
    the next ("The council has appointed a new director of children's services.
    Jane Smith has stepped up from ..."): the person first named as stepping in
    within the next two sentences holds the office."""
    named = {(h.sentence.start, h.role) for h in holders}
    more: list[_Holder] = []
    for index, sentence in enumerate(article.sentences):
        if not _search(
            _NAMED_ROLE + r"|\bbeen\s+(?:appointed|named)|\b(?:the|its|their)\s+new\b",
            sentence.text,
        ):
            continue
        for role, bare_pattern in _SUCCEEDED_ROLES:
            office = (
                _compiled_case(
                    r"(?i:(?:"
                    + _NAMED_ROLE
                    + r")\s+(?:a|an|its|their|the|(?=new\b))\s*(?:[\w-]+\s+){0,3}?"
                    r"(?<!deputy )(?<!assistant )(?:" + bare_pattern + r"))"
                ).search(sentence.text)
                or _compiled_case(
                    # "A new director of children's services has been appointed"
                    r"(?i:\b(?:(?:a|an)\s+(?:new\s+)?|(?:its|their|the)\s+new\s+)"
                    r"(?:[\w-]+\s+){0,2}?(?:"
                    + bare_pattern
                    + r")(?:\s+(?:for|of)\s+[\w'\s]{3,40}?)?\s+(?:has|have|had|was|"
                    r"is)\s+(?:now\s+)?been\s+(?:appointed|named|chosen|selected|"
                    r"recruited))"
                ).search(sentence.text)
                or _compiled_case(
                    # "The new leader of the council is looking to ...": a new
                    # holder the next sentence names as taking over
                    r"(?i:^(?:the|its|their)\s+new\s+(?:" + bare_pattern + r"))"
                ).search(sentence.text)
            )
            if office is None or (sentence.start, role) in named:
                continue
            for following in article.sentences[index + 1 : index + 3]:
                stepping = _compiled_case(
                    r"^"
                    + _PERSON
                    + r"(?:,\s+\d{2},|\s*,[^,]{1,100},)?(?i:"
                    + _STEPS_IN
                    + r")"
                )
                match = stepping.match(following.text)
                dated_by = None
                if match is None:
                    match = next(
                        (
                            found_name
                            for pattern in _SUCCESSOR_NAMED
                            if (
                                found_name := _compiled_case(pattern).match(
                                    following.text
                                )
                            )
                        ),
                        None,
                    )
                    dated_by = sentence
                if match is None:
                    continue
                holder = _named(
                    match,
                    place_names,
                    role,
                    following,
                    appointed=True,
                    dated_by=dated_by,
                )
                if holder is not None:
                    more.append(holder)
                break
    return more


def _elsewhere(article: Article, holder: _Holder) -> bool:
    """Whether the office is at another authority than the article's: "chief
    executive of children's services at Kingston", "director in Leeds"."""
    if article.authority is None or holder.role in (Role.COUNCILLOR, Role.COMMISSIONER):
        return False
    text = holder.sentence.text
    end = holder.end + 100
    for start, stop, code, _council in authorities.mentions(text[:end]):
        if (
            code != article.authority
            and stop <= holder.start
            and re.match(
                r"\s*(?:(?:City|County|Borough|Metropolitan|District|Council)(?:'s)?\s*)*$",
                text[stop : holder.start],
            )
        ):
            return True  # "Leicester City chief executive Jane Smith"
        if code == article.authority or start < holder.end:
            continue  # (the place qualifying the office, just before it, is above)
        if _search(
            r"\b(?:at|in|for|of|with)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$",
            text[max(0, start - 40) : start],
        ):
            return True
    return False


def _leavers(
    article: Article, holders: list[_Holder], place_names: frozenset[str]
) -> list[_Holder]:
    """A departure that names the office in one sentence and the person in the
    next ("The director of children's services is stepping down. Jane Smith is
    leaving the council in March after six years"): the person first named as
    leaving, within the next two sentences, held the office."""
    named = {h.sentence.start for h in holders}
    leaving = "(?:" + _LEFT_FUTURE + "|" + _LEFT_PAST + ")"
    more: list[_Holder] = []
    for index, sentence in enumerate(article.sentences):
        if sentence.start in named or not _search(leaving, sentence.text):
            continue
        for role, bare_pattern in _SUCCEEDED_ROLES:
            office = _compiled(
                r"\b(?:the|its|their|(?-i:[A-Z][\w-]*)'s)\s+(?:[\w-]+\s+){0,2}?"
                r"(?<!deputy )(?<!assistant )(?:" + bare_pattern + r")"
            ).search(sentence.text)
            if office is None:
                continue
            for following in article.sentences[index + 1 : index + 3]:
                match = _compiled_case(
                    r"^"
                    + _PERSON
                    + _ASIDE
                    + r"\s+(?i:(?:(?:has|have|had|is|was)\s+)?"
                    + leaving
                    + r")"
                ).match(following.text)
                if match is None:
                    continue
                holder = _named(match, place_names, role, following, dated_by=sentence)
                if holder is not None:
                    more.append(holder)
                break
            break
    return more


_REPLACED_BY = (
    r"^(?:He|She|They)\s+(?:will\s+be|has\s+been|is\s+to\s+be|is\s+being|was)\s+"
    r"(?i:(?:temporarily\s+)?(?:replaced|succeeded)\s+(?:[\w-]+\s+){0,5}?by\s+)"
    + _PERSON
)


def _replacements(
    article: Article, holders: list[_Holder], place_names: frozenset[str]
) -> list[_Holder]:
    """A holder's successor named in the next sentence ("Jane Smith will retire
    in March. She will be replaced on an interim basis by John Brown")."""
    more: list[_Holder] = []
    for index, sentence in enumerate(article.sentences[1:], start=1):
        match = _compiled_case(_REPLACED_BY).match(sentence.text)
        if match is None:
            continue
        person = _clean_name(match["name"])
        previous = article.sentences[index - 1]
        held = [
            h
            for h in holders
            if h.sentence is previous and h.role is not Role.COUNCILLOR
        ]
        if person is None or person in place_names or len(held) != 1:
            continue
        more.append(
            _Holder(
                held[0].role,
                person,
                sentence,
                match.start(),
                match.end(),
                True,
                previous,
            )
        )
    return more


_OTHER_BODY = re.compile(
    r"\s+(?:of|at|for)\s+(?:another\b|(?:a|an)\s+(?!meeting\b|time\b|period\b|year\b|"
    r"month\b|salary\b|cost\b)(?:[\w'-]+\s+){0,3}?(?:council|authority|trust|company|"
    r"charity|organisation|organization|borough|county|city|firm|agency|partnership|"
    r"department|body|service)s?\b)|\s+elsewhere\b",
    re.IGNORECASE,
)
_CASE_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled_case(pattern: str) -> re.Pattern[str]:
    """Matched as written: names by their capitals (role words sit in (?i:) groups)."""
    compiled = _CASE_PATTERNS.get(pattern)
    if compiled is None:
        compiled = _CASE_PATTERNS[pattern] = re.compile(pattern)
    return compiled


def office_holders(article: Article, place_names: frozenset[str]) -> list[Found]:
    holders: list[_Holder] = []
    bare_director = article.anywhere(r"children'?s (?:social care|services)")
    for sentence in article.sentences:
        holders += _holders_in(sentence, place_names, bare_director)
    holders += _successors(article, holders, place_names)
    holders += _leavers(article, holders, place_names)
    # One mention read by two patterns, one of them an appointment's: the
    # appointment ("Jane Smith, a former director elsewhere, will become ...").
    holders = [h for h in holders if not _elsewhere(article, h)]
    appointing = {(h.person, h.role, h.sentence.start) for h in holders if h.appointed}
    holders = [
        h
        for h in holders
        if h.appointed or (h.person, h.role, h.sentence.start) not in appointing
    ]
    holders += _replacements(article, holders, place_names)
    roles_of: dict[str, set[Role]] = {}
    for holder in holders:
        roles_of.setdefault(holder.person, set()).add(holder.role)
    found: list[Found] = []
    seen: set[tuple[object, ...]] = set()
    for holder in holders:
        if holder.role is Role.COUNCILLOR and len(roles_of[holder.person]) > 1:
            continue
        if holder.role is Role.COMMISSIONER and not article.anywhere(
            r"children|intervention|department|government|dfe|minister"
        ):
            continue
        for found_one in _holder_facts(article, holder):
            key = (found_one.kind, holder.role.value, holder.person)
            if key in seen:
                continue
            seen.add(key)
            found.append(found_one)
    found += _replaced(article, found, seen)
    # An appointment reported makes a report of being in post redundant.
    appointed = {
        (f.fields["role"], f.fields["person"])
        for f in found
        if f.kind == "office_holder_appointed"
    }
    return [
        f
        for f in found
        if not (
            f.kind == "office_holder_in_post"
            and (f.fields["role"], f.fields["person"]) in appointed
        )
    ]


_REPLACES = re.compile(
    r"\b(?:replaces|replacing|succeeds|succeeding|tak(?:es|ing|en)\s+over\s+"
    r"(?:(?:the|her|his)\s+(?:role|post|job|position)\s+)?from|vacated\s+by|"
    r"will\s+replace|"
    r"will\s+succeed|(?:departure|resignation|retirement|exit)\s+of)\s+(?:the\s+)?"
    r"(?:(?-i:[A-Z][a-z]+)\s+){0,2}?(?-i:" + _PERSON + ")",
    re.IGNORECASE,
)
_WENT = re.compile(
    r"\b(?:left|retired|resigned|stepped\s+down|stood\s+down|departed|quit|retires|"
    r"retiring|leaves|steps\s+down|stands\s+down)\b",
    re.IGNORECASE,
)


def _left_date(
    article: Article, sentence: Sentence, person: str, at: int
) -> tuple[str, bool]:
    """When a predecessor left: a date beside the words of leaving in a sentence
    that names them, else beside their name, else publication."""
    surname = person.split()[-1]
    for other in article.sentences:
        if surname not in other.text:
            continue
        went = _WENT.search(other.text)
        if went is not None:
            near = date_near(article, other, went.start(), went.end())
            if near is not None:
                return near
    after = [
        m
        for m in article.dates(sentence)
        if at <= m.start <= at + 60 and m.sort in ("day", "month", "year")
    ]
    return _point(after[0]) if after else published_point(article)


def _replaced(
    article: Article, found: list[Found], seen: set[tuple[object, ...]]
) -> list[Found]:
    """The predecessor an appointee replaces has left the appointee's office."""
    appointed = [f for f in found if f.kind == "office_holder_appointed"]
    if not appointed:
        return []
    role = appointed[0].fields["role"]
    more: list[Found] = []
    for sentence in article.sentences:
        for match in _REPLACES.finditer(sentence.text):
            person = _clean_name(match["name"])
            if person is None or ("office_holder_left", role, person) in seen:
                continue
            seen.add(("office_holder_left", role, person))
            effective, approximate = _left_date(article, sentence, person, match.end())
            more.append(
                Found(
                    "office_holder_left",
                    {"role": role, "person": person},
                    effective,
                    approximate,
                    sentence.start,
                    sentence.end,
                    0.6,
                )
            )
    return more


_STARTS = (
    r"\b(?:take\s+up|takes\s+up|took\s+up|start\w*|join\w*|begin\w*|began|"
    r"arriv\w*|tak\w+\s+over|in\s+post)\b"
)


def _start_date(article: Article, holder: _Holder) -> tuple[str, bool]:
    """When an appointee starts: a date beside the start ("will take up the
    post in November"), in the sentence of the appointment or one of the next
    two that names them; else the date of the sentence, else publication."""
    if holder.dated_by is not None:
        return sentence_date(article, holder.dated_by) or published_point(article)
    surname = holder.person.split()[-1]
    index = article.position(holder.sentence)
    for sentence in article.sentences[index : index + 3]:
        if (
            sentence is not holder.sentence
            and surname not in sentence.text
            and not re.match(r"(?:She|He|They)\b", sentence.text)
        ):
            continue
        start = _search(_STARTS, sentence.text)
        if start is None:
            continue
        near = date_near(article, sentence, start.start(), start.end())
        if (
            near is not None
            and sentence is not holder.sentence
            and int(article.published.iso[:4]) - int(near[0][:4]) > 1
        ):
            continue  # "He joined another council in 2015": an earlier post
        if near is not None:
            return near
    # A date just after a predecessor's name dates their leaving, not the start.
    leaving = [
        m
        for m in article.dates(holder.sentence)
        for replaced in _REPLACES.finditer(holder.sentence.text)
        if replaced.end() <= m.start <= replaced.end() + 30
    ]
    return sentence_date(article, holder.sentence, exclude=leaving) or published_point(
        article
    )


def _leaving_date(article: Article, sentence: Sentence) -> tuple[str, bool]:
    """When an office holder is to leave: the date just after the words of
    leaving, a coming year among them ("will be leaving in the new year"), else
    the sentence's date, else publication."""
    leaving = _search(_LEFT_FUTURE, sentence.text)
    if leaving is not None:
        for mention in article.dates(sentence):
            if (
                leaving.end() <= mention.start <= leaving.end() + 30
                and mention.sort == "relative_year"
                and (mention.years_back or 0) <= 0
            ):
                return mention.iso, True
    return date_or_published(article, sentence)


_SPEAKS = (
    r"^\W*(?:[\w'-]+\s+){0,2}?(?:told|said|says|added|explained|warned|admitted|"
    r"presented|spoke|insisted|stressed|revealed|confirmed|described)\b"
)
# How long a leaver held the office: "after six years at the helm".
_TENURE = re.compile(
    r"\bafter\s+(?:(?:almost|nearly|more\s+than|over|just\s+over|around)\s+)?"
    r"(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
    r"years\s+(?:at\s+the\s+helm|in\s+(?:the|her|his|their)\s+(?:post|role|job)|"
    r"in\s+post|in\s+charge|as\s+(?:the\s+council'?s\s+|its\s+)?(?:director|DCS|"
    r"chief\s+executive|leader))",
    re.IGNORECASE,
)
_TENURE_YEARS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_TENURE_YEARS |= {"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _tenure_start(tenure: re.Match[str], leaving: str) -> tuple[str, bool]:
    word = tenure["n"].lower()
    years = int(word) if word.isdigit() else _TENURE_YEARS[word]
    if tenure.groupdict().get("half") and len(leaving) >= 7:
        months = int(leaving[:4]) * 12 + int(leaving[5:7]) - 1 - years * 12 - 6
        return f"{months // 12:04d}-{months % 12 + 1:02d}", True
    return f"{int(leaving[:4]) - years:04d}", True


# "had been in the position for two and a half years", said of a leaver.
_HELD_FOR = re.compile(
    r"\b(?:had|has)\s+been\s+(?:in\s+(?:the|her|his|their)?\s*(?:position|post|role|job|"
    r"charge)|with\s+the\s+(?:council|authority))\s+for\s+(?:(?:almost|nearly|more\s+than|over|just\s+over|around)\s+)?"
    r"(?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
    r"(?P<half>\s+and\s+a\s+half|-and-a-half)?\s+years",
    re.IGNORECASE,
)


def _add_tenure(
    article: Article,
    holder: _Holder,
    around: str,
    leaving: str,
    add: Callable[[str, tuple[str, bool], float], None],
) -> None:
    """The appointment a leaver's tenure dates: "after six years at the helm"
    beside them, or "had been in the post for two years" in a sentence soon
    after that names them."""
    tenure = _TENURE.search(around)
    if tenure is None:
        surname = holder.person.split()[-1]
        index = article.position(holder.sentence)
        for sentence in article.sentences[index + 1 : index + 4]:
            if surname in sentence.text or re.match(r"(?:She|He)\b", sentence.text):
                tenure = _HELD_FOR.search(sentence.text)
                if tenure is not None:
                    break
    if tenure is not None:
        add("office_holder_appointed", _tenure_start(tenure, leaving), 0.55)


_AFTER_LEAVING = (
    r"\b(?:after|having)\s+(?:(?:he|she|they)\s+)?(?:had\s+)?(?:retired|retiring|"
    r"resigned|resigning|left|leaving|stepped\s+down|stepping\s+down|quit|quitting)\b|"
    r"\bsince\s+(?:(?:he|she|they)\s+(?:retired|resigned|left|stepped\s+down|quit)|"
    r"retiring|resigning|leaving|stepping\s+down|quitting)\b"
)


def _holder_facts(article: Article, holder: _Holder) -> list[Found]:
    sentence = holder.sentence
    text = sentence.text
    name_at = text.find(holder.person)
    after_name = text[name_at + len(holder.person) : name_at + len(holder.person) + 160]
    # What a person says is not about them: "... said: 'she will be leaving'".
    speech = _compiled(
        r"\b(?:said|says|added|told)\b|:\s*[\"']|\s[\"'](?=[A-Z])"
    ).search(after_name)
    if speech is not None:
        after_name = after_name[: speech.start()]
    around = text[max(0, name_at - 80) : name_at] + holder.person + after_name
    # A departure in an "after" clause came before what is reported ("has been
    # appointed, two months after he retired from the same job elsewhere").
    around = _compiled(_AFTER_LEAVING).sub(" ", around)
    fields: dict[str, str | int | bool] = {
        "role": holder.role.value,
        "person": holder.person,
    }
    facts: list[Found] = []

    def add(kind: str, when: tuple[str, bool], confidence: float) -> None:
        facts.append(
            Found(
                kind,
                dict(fields),
                when[0],
                when[1],
                sentence.start,
                sentence.end,
                confidence,
            )
        )

    pub = published_point(article)
    window = text[max(0, holder.start - _APPOINTED_NEAR) : holder.end + 30]
    cues = [m.group().lower() for m in _compiled(_APPOINTED).finditer(window)]
    # "New director Jane Smith told the committee ...": reported at work, in
    # post; the appointment itself is not what is reported.
    only_new = bool(cues) and all(c.startswith(("new", "incoming")) for c in cues)
    speaking = only_new and _search(_SPEAKS, text[holder.end :]) is not None
    own = text[holder.start : holder.end]
    if not holder.left and _search(
        r"\b(?:has|have|had|was|were|is)\s+(?:" + _ADVERB + r"\s+)?(?:been\s+)?"
        r"(?:appointed|named|chosen|selected)\s+(?:as\s+)?",
        own,
    ):
        # "Former chief executive elsewhere Jane Smith was today appointed as
        # interim director": the appointment, not the earlier post
        holder = _Holder(
            holder.role,
            holder.person,
            holder.sentence,
            holder.start,
            holder.end,
            True,
            holder.dated_by,
        )
    if holder.left:
        add("office_holder_left", date_or_published(article, sentence), 0.6)
        _add_tenure(article, holder, around, published_point(article)[0], add)
    elif holder.appointed:
        add("office_holder_appointed", _start_date(article, holder), 0.7)
        then = _compiled(r"\b(?:but|and)\s+(?:" + _LEFT_FUTURE + r")").search(
            after_name
        )
        if then is not None:
            # "joined as director in February but is to leave on 25 October"
            near = date_near(
                article,
                sentence,
                text.find(then.group()),
                text.find(then.group()) + len(then.group()),
            )
            add("office_holder_left", near or published_point(article), 0.6)
    elif _search(_LEFT_FUTURE, around):
        add("office_holder_in_post", pub, 0.75)
        leaves = _leaving_date(article, sentence)
        if holder.dated_by is not None and leaves == pub:
            leaves = _leaving_date(article, holder.dated_by)  # the office's sentence
        add("office_holder_left", leaves, 0.65)
        _add_tenure(article, holder, around, leaves[0], add)
    elif _search(_LEFT_PAST, around):
        add("office_holder_left", date_or_published(article, sentence), 0.6)
        _add_tenure(article, holder, around, published_point(article)[0], add)
    elif (
        holder.role is not Role.COUNCILLOR
        and cues
        and not speaking
        and not _search(r"\b(?:government|dfe)-appointed\b|\bappointed by\b", text)
    ):
        add("office_holder_appointed", _start_date(article, holder), 0.7)
    else:
        add(
            "office_holder_in_post",
            pub,
            0.8 if holder.role is not Role.COUNCILLOR else 0.6,
        )
    return facts


# -- government intervention ---------------------------------------------------

_NOT_DONE = (
    r"\b(?:battl\w+|fight\w*|bid\w*|shape|plan\w*|aim\w*|seek\w*|efforts?|push\w*|hop(?:e|es|ing)|attempt\w*|tr(?:y|ies|ying)|"
    r"could|may|might|whether|unless|presumption|if|consider\w*|threat\w*|risk\w*|"
    r"warn\w*|fear\w*)\b"
)
_INTERVENTIONS: list[tuple[InterventionAction, str, str | None]] = [
    (
        InterventionAction.IMPROVEMENT_NOTICE_LIFTED,
        r"improvement notice\b.{0,60}\b(?:lifted|removed|withdrawn|ended|revoked)|"
        r"(?:lift\w*|remov\w*|withdr\w*|end\w*)\s+(?:of\s+)?(?:the|its|an)\s+"
        r"improvement notice",
        None,
    ),
    (
        InterventionAction.IMPROVEMENT_NOTICE,
        r"(?:issued|served|given|handed|placed under|subject to|received|issues|"
        r"issue)\s+(?:(?-i:[A-Z][\w']*)\s+){0,4}(?:with\s+)?(?:an?\s+|the\s+)?"
        r"(?:formal\s+)?improvement notice|"
        r"improvement notice\b.{0,40}\b(?:issued|served|imposed)",
        None,
    ),
    (
        InterventionAction.DIRECTION_LIFTED,
        r"(?:statutory\s+)?direction\b.{0,60}\b(?:lifted|removed|revoked|ended|"
        r"withdrawn)|(?:lift\w*|remov\w*|revok\w*|withdr\w*)\s+(?:of\s+)?(?:the|its|an?)"
        r"\s+(?:revised\s+)?statutory direction|no\s+longer\s+(?:under|subject\s+to)\s+"
        r"(?:a\s+|the\s+)?(?:statutory\s+direction|government\s+(?:control|intervention))",
        None,
    ),
    (
        InterventionAction.DIRECTION_REVISED,
        r"revised\s+(?:statutory\s+)?direction|direction\b.{0,40}\brevised",
        None,
    ),
    (
        InterventionAction.STATUTORY_DIRECTION,
        r"(?:issued|served|given|imposed|placed under|subject to|received|issues|"
        r"issue|been\s+under|is\s+under|are\s+under|remains\s+under)\s+"
        r"(?:(?-i:[A-Z][\w']*)\s+){0,4}(?:with\s+)?"
        r"(?:an?\s+|the\s+)?statutory direction|statutory "
        r"direction\b.{0,40}\b(?:issued|served|imposed|given)|"
        # "under a direction from the education secretary"
        r"\bunder\s+a\s+(?:statutory\s+)?direction\s+(?:from|by|issued\s+by)\s+"
        r"(?:the\s+)?(?:education\s+secretary|secretary\s+of\s+state|minister|"
        r"government|department|dfe)|"
        # "the government took control of the authority"
        r"\b(?:government|ministers|whitehall)\s+(?:took|has\s+taken|had\s+taken)\s+"
        r"(?:over\s+)?control\s+of\s+(?:the\s+)?(?:authority|council)",
        r"\b(?:could|may|might|whether|unless|if|threat\w*)\b",
    ),
    (
        InterventionAction.TRUST_DIRECTED,
        r"(?:will|would|must|to)\s+be\s+(?:[\w',-]+\s+){0,14}?(?:run|taken over|"
        r"transferred|moved|handed|managed|delivered|operated)\s+(?:\w+\s+){0,3}?"
        r"(?:by|to|into)\s+(?:an?\s+|the\s+)?"
        r"(?:new\s+|independent\s+|not-for-profit\s+|arm's-length\s+|voluntary\s+)*"
        r"(?:[\w']+\s+){0,3}?(?:trust|company)\b|"
        r"(?:ordered|directed|told|instructed)\s+(?:[\w']+\s+){0,4}?to\s+(?:hand|"
        r"transfer|pass|move)\s+(?:over\s+)?(?:[\w'-]+\s+){0,5}?to\s+(?:an?\s+|the\s+)?"
        r"(?:[\w'-]+\s+){0,3}?(?:trust|company)\b|"
        r"(?:ordered|directed|told)\s+(?:\w+\s+){0,4}?(?:to\s+)?(?:set up|create|form|"
        r"hand\s+\w+\s+to|transfer\s+\w+\s+to)\s+(?:an?\s+)?(?:[\w'-]+\s+){0,3}?"
        r"(?:trust|company)\b|"
        r"(?:trust|company)\s+(?:will|is to|is set to|is due to)\s+(?:be\s+set\s+up|"
        r"take\s+over|run)|"
        # "the services will transfer to a new children's trust next April"
        r"\b(?:will|are\s+to|are\s+set\s+to|are\s+due\s+to)\s+(?:transfer|move|pass)\s+"
        r"(?:over\s+)?to\s+(?:an?\s+|the\s+)?(?:new\s+|independent\s+)*"
        r"(?:[\w']+\s+){0,3}?(?:trust|company)\b|"
        # "the council was stripped of its children's services in 2013"
        r"\bstripped\s+of\s+(?:(?:its|the|their)\s+)?(?:children'?s\s+services|role|"
        r"responsibility|control)",
        r"\b(?:could|may|might|whether|unless|if|consider\w*)\b",
    ),
    (
        InterventionAction.SERVICES_TRANSFERRED,
        r"(?:trust|company),?\s+(?:(?:which|that)\s+)?(?:(?:has|have|had)\s+)?"
        r"(?:(?:was|were)\s+(?:eventually|finally|formally|officially|then|later)\s+"
        r"(?:launched|set\s+up|created|established)|(?:has|have)\s+been\s+(?:set\s+up|"
        r"launched|created|established)|took\s+over|taken\s+over|"
        r"began\s+running|started\s+running|launched|went\s+live|was\s+set\s+up|"
        r"was\s+created|was\s+established|has\s+run|has\s+been\s+running|runs)\b|"
        r"(?:were|was|have\s+been|has\s+been)\s+(?:transferred|moved|handed\s+over)\s+"
        r"to\s+(?:an?\s+|the\s+)?(?:[\w'-]+\s+){0,4}?(?:trust|company)\b",
        r"\b(?:will|could|may|might|whether|unless|if|consider\w*)\b",
    ),
    (
        InterventionAction.COMMISSIONER_APPOINTED,
        r"commissioner(?:\s+(?:for|of)\s+[\w'\s]{3,40}?)?\s+(?:has\s+(?:now\s+)?been|was|"
        r"had\s+(?:now\s+)?been)\s+(?:appointed|sent\s+in|"
        r"installed|brought\s+in)|(?<!-)(?:appointed|installed|sent\s+in)\s+(?:an?\s+)?"
        r"(?:[\w'-]+\s+){0,3}?commissioner",
        r"\b(?:will|to be|due|could|may|might)\b",
    ),
    (
        InterventionAction.COMMISSIONER_DUE,
        r"commissioner\s+(?:is\s+|was\s+|will\s+be\s+)?(?:due|set|expected|going|to)"
        r"\s+(?:to\s+)?be\s+appointed|(?:will|to)\s+(?:be\s+)?appoint\w*\s+(?:an?\s+)?"
        r"(?:[\w'-]+\s+){0,3}?commissioner|commissioner\s+will\s+be\s+(?:appointed|"
        r"sent\s+in)|(?:intends?|intend(?:ed|ing)|plans?|planning|is\s+set|are\s+set|"
        r"decided|will|would|could|to)\s+(?:to\s+)?(?:send|bring|put)\s+in\s+(?:an?\s+)?"
        r"(?:[\w'-]+\s+){0,2}?commissioner|\bplan\s+to\s+send\s+(?:an?\s+)?"
        r"commissioner",
        None,
    ),
    (
        InterventionAction.CONTROL_RETAINED,
        r"(?:can|will|to|allowed\s+to|be\s+allowed\s+to|should)\s+(?:retain|keep|"
        r"continue\s+(?:running|to\s+run|providing|to\s+provide))\s+(?:control|"
        r"(?:its\s+|the\s+)?children'?s|responsibility)|no\s+need\s+for\s+further\s+"
        r"intervention|(?:remain|stay)\s+(?:in\s+)?(?:council|local\s+authority)\s+"
        r"control",
        _NOT_DONE,
    ),
]


_LIFTED = (
    InterventionAction.IMPROVEMENT_NOTICE_LIFTED,
    InterventionAction.DIRECTION_LIFTED,
)


_FORMED = re.compile(
    r"\b(?:set\s+up|launched|created|established|formed|formation)\s+"
    r"(?:\w+\s+)?(?:last|the\s+previous)\s+year\b",
    re.IGNORECASE,
)


def _formed_year(article: Article) -> tuple[str, bool] | None:
    """The year a trust or company began, where the article counts it from
    publication ("It was set up last year", "since its formation last year")."""
    if not article.anywhere(r"\b(?:trust|company)\b"):
        return None
    for sentence in article.sentences:
        formed = _FORMED.search(sentence.text)
        if formed is None:
            continue
        for mention in article.dates(sentence):
            if (
                mention.sort == "relative_year"
                and formed.start() <= mention.start < formed.end()
            ):
                return mention.iso, True
    return None


def interventions(article: Article) -> list[Found]:
    found: dict[str, Found] = {}
    # "The notice was issued in 2017": the notice (or direction) the article names.
    earlier_actions = [
        (
            _search(r"\bimprovement\s+notice\b", article.text) is not None,
            InterventionAction.IMPROVEMENT_NOTICE,
            r"\bthe\s+(?:improvement\s+)?notice,?\s+(?:(?:which|that)\s+)?(?:(?:was|"
            r"had\s+been|first)\s+)*(?:issued|served|imposed|given|placed)",
        ),
        (
            _search(r"\bstatutory\s+direction\b", article.text) is not None,
            InterventionAction.STATUTORY_DIRECTION,
            r"\bthe\s+direction\s+(?:was|had\s+been)\s+(?:first\s+)?(?:issued|served|"
            r"imposed|given|made)",
        ),
    ]
    for sentence in article.sentences:
        text = sentence.text
        spans: list[tuple[int, int]] = []
        for named, action, earlier_words in earlier_actions:
            if not named:
                continue
            issued = _search(earlier_words, text)
            if issued and action.value not in found:
                near = date_near(article, sentence, issued.start(), issued.end())
                effective, approximate = near or published_point(article)
                found[action.value] = Found(
                    "intervention_recorded",
                    {"action": action.value},
                    effective,
                    approximate,
                    sentence.start,
                    sentence.end,
                    0.65,
                    (near is not None,),
                )
        for action, pattern, unless in _INTERVENTIONS:
            match = _search(pattern, text)
            if match is None:
                continue
            if any(match.start() < e and s < match.end() for s, e in spans):
                continue
            lead = text[max(0, match.start() - 60) : match.end()]
            if unless is not None and _search(unless, lead):
                continue
            spans.append(match.span())
            transfer = action is InterventionAction.SERVICES_TRANSFERRED
            near = date_near(
                article,
                sentence,
                match.start(),
                match.end(),
                60 if transfer else 40,
                since=transfer,  # "has run the services since April 2018"
            )
            told = _search(
                r"\b(?:told|ordered|directed|instructed|informed)\b(?=.*$)",
                text[: match.start()],
            )
            if near is None and action is InterventionAction.TRUST_DIRECTED and told:
                # "told by the department in July 2014 that ... would be run by"
                near = date_near(article, sentence, told.start(), told.end(), 60)
            if action in _LIFTED and _search(
                r"\b(?:issued|served|imposed|given|made)\s+(?:to\s+(?:the\s+)?"
                r"(?:[A-Z][\w'-]*\s+){1,3})?(?:in|on|last|back\s+in)\b",
                text[match.start() : match.end() + 40],
            ):
                near = None  # "lifted the notice issued in 2017": when it was issued
            if near is None and transfer:
                near = _formed_year(article)
            effective, approximate = near or published_point(article)
            candidate = Found(
                "intervention_recorded",
                {"action": action.value},
                effective,
                approximate,
                sentence.start,
                sentence.end,
                0.75,
                (near is not None,),
            )
            earlier = found.get(action.value)
            # A mention with a date of its own beats one dated by publication;
            # of two dated, the earlier date is when it happened first.
            if (
                earlier is None
                or (near is not None and earlier.key[:1] != (True,))
                or (
                    near is not None and candidate.effective[:4] < earlier.effective[:4]
                )
            ):
                found[action.value] = candidate
    return list(found.values())


# -- milestones ----------------------------------------------------------------

_SMALL = frozenset(
    ["a", "an", "and", "of", "the", "for", "to", "in", "on", "at", "by", "with"]
)


def _title(words: str) -> str:
    words = re.sub(r"\s+", " ", words.strip(" ,.;:'\""))
    parts = words.split(" ")
    out = []
    for index, part in enumerate(parts):
        if index and part.lower() in _SMALL:
            out.append(part.lower())
        elif part[:1].islower():
            out.append(part[:1].upper() + part[1:])
        else:
            out.append(part)
    return " ".join(out)


def _no_article(words: str) -> str:
    return re.sub(r"^(?:an?|the|its|their|new)\s+", "", words.strip(), flags=re.I)


def _sentence_case(words: str) -> str:
    words = re.sub(r"\s+", " ", words.strip(" ,.;:'\""))
    return words[:1].upper() + words[1:]


def _meeting_title(words: str) -> str:
    words = " ".join(words.lower().split())
    words = re.sub(r"^full\s+", "", words)
    if words in ("cabinet", "council", "councillors"):
        return "Cabinet meeting" if words == "cabinet" else "Council meeting"
    return _title(words)


_WEEKDAY_NUMBERS = {name.lower(): n for n, name in enumerate(calendar.day_name)}


def _weekday_date(article: Article, words: str) -> tuple[str, bool] | None:
    """The day a weekday names, from a publication date to the day: the
    coming one ("on Wednesday", "next Wednesday"), the same week's for "this"."""
    if article.published.precision.value != "day":
        return (article.published.iso, True) if words else None
    day = article.published.first_day
    if _search(r"\bweek\b", words):
        ahead = 7 if _search(r"\bnext\b", words) else 0
        return (day + timedelta(days=ahead)).isoformat(), True
    found = _search(
        r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", words
    )
    if found is None:
        return None
    ahead = (_WEEKDAY_NUMBERS[found.group(1).lower()] - day.weekday()) % 7
    if ahead == 0:
        ahead = 7  # the news would say "today" of its own day
    return (day + timedelta(days=ahead)).isoformat(), True


_MILESTONES: list[tuple[MilestoneCategory, str, Callable[[re.Match[str]], str]]] = [
    (
        MilestoneCategory.MEETING,
        r"(?:meeting\s+of|told|heard\s+by|addressed|(?:to|at|before)\s+(?:a|the)\s+meeting\s+of)"
        r"\s+(?:a\s+|the\s+)?(?:meeting\s+of\s+)?"
        r"(?:the\s+)?(?:council'?s\s+|[A-Z][\w-]*\s+(?:County\s+|City\s+|Borough\s+)?"
        r"Council'?s\s+)?(?P<t>(?:[\w'&-]+,?\s+){0,8}?(?:committee|cabinet|full\s+council))\b",
        lambda m: _title(m["t"]),
    ),
    (
        MilestoneCategory.MEETING,
        r"(?:the\s+)?(?:council'?s\s+)?(?P<t>(?:(?-i:[A-Z])[\w'&-]*\s+(?:and\s+|of\s+|"
        r"for\s+)?){1,6}(?:Committee|Cabinet))\s+(?:heard|was told|met|meeting|agreed|"
        r"approved|discussed|will)",
        lambda m: _title(m["t"]),
    ),
    (
        MilestoneCategory.MEETING,
        r"\b(?:councillors|members)\s+(?:on|of|at|sitting\s+on)\s+(?:the\s+)?"
        r"(?:council'?s\s+)?(?P<t>(?:[\w'&-]+,?\s+){0,6}?(?:committee|cabinet))\s+"
        r"(?:were|heard|was|have|had|agreed|voted|approved|backed|asked|questioned|"
        r"quizzed|challenged|criticised|raised|pressed)|"
        r"\b(?:a|the)\s+report\s+to\s+"
        r"(?:the\s+|a\s+)?(?:council'?s\s+)?(?:meeting\s+of\s+(?:the\s+)?)?"
        r"(?P<t2>(?:[\w'&-]+\s+){0,5}?(?:committee|cabinet))\b",
        lambda m: _title(m["t"] or m["t2"]),
    ),
    (
        # "its Member Appointment Panel met on Friday", "the next full meeting of
        # councillors on October 22", "Cabinet members will consider the plans at
        # a meeting on Wednesday"
        MilestoneCategory.MEETING,
        r"(?-i:\b(?P<t>(?:[A-Z][\w'-]*\s+){1,4}(?:Panel|Board|Committee)))\s+(?:met|meets|"
        r"will\s+meet)\b|"
        r"\b(?:its|the|a)\s+(?:next\s+)?(?P<t2>full)\s+(?:council\s+)?meeting\b|"
        r"\b(?P<t3>cabinet|committee|council)\s+(?:members\s+|councillors\s+)?"
        r"(?:will|are\s+to|are\s+due\s+to|is\s+to|is\s+due\s+to)\s+(?:consider|discuss|"
        r"debate|decide\s+on|vote\s+on|look\s+at)\b[^.]{0,60}?\bat\s+a\s+meeting\s+"
        r"(?P<when>on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday)|next\s+week)",
        lambda m: (
            _title(m["t"])
            if m["t"]
            else "Council meeting"
            if m["t2"]
            else _meeting_title(m["t3"])
        ),
    ),
    (
        # "at next week's cabinet meeting", "Tuesday's scrutiny committee meeting"
        MilestoneCategory.MEETING,
        r"\b(?P<when>(?:(?:next|this|last)\s+)?(?:week|Monday|Tuesday|Wednesday|Thursday|"
        r"Friday))'s\s+(?:full\s+)?(?P<t>cabinet|council|full\s+council|(?:[\w'-]+\s+){0,3}?"
        r"committee)\s+meeting\b",
        lambda m: _meeting_title(m["t"]),
    ),
    (
        MilestoneCategory.MEETING,
        r"\b(?:a|the|at|to)\s+(?:full\s+)?meeting\s+of\s+(?:the\s+)?(?:full\s+)?"
        r"(?:county\s+|city\s+|borough\s+|district\s+)?(?P<t>council)\b(?!'s)",
        lambda m: "Council meeting",
    ),
    (
        # A report put to a meeting on a day: "to be discussed by cabinet on
        # Wednesday", "will go before councillors next week", "due to go before
        # next Wednesday's cabinet meeting".
        MilestoneCategory.MEETING,
        r"\b(?:discussed|considered|debated|presented|scrutini[sz]ed|go(?:es)?\s+before|"
        r"put\s+(?:to|before)|brought\s+before|taken\s+to|heard)\s+(?:by\s+|at\s+|to\s+)?"
        r"(?:a\s+|the\s+)?(?:meeting\s+of\s+(?:the\s+)?)?(?:council'?s\s+)?"
        r"(?:ruling\s+|full\s+|senior\s+)?(?P<t>cabinet|council|councillors|"
        r"(?:[\w'-]+\s+){0,3}?committee)(?:\s+members)?\s+(?P<when>(?:on|next|this)\s+"
        r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month))\b|"
        r"\b(?:go|goes|going)\s+before\s+(?P<when2>(?:(?:next|this)\s+)?(?:Monday|"
        r"Tuesday|Wednesday|Thursday|Friday))'s\s+"
        r"(?P<t2>cabinet|council|(?:[\w'-]+\s+){0,3}?committee)(?:\s+meeting)?\b",
        lambda m: _meeting_title(m["t"] or m["t2"]),
    ),
    (
        # "Plans are being drawn up to open six new children's homes"
        MilestoneCategory.PLAN,
        r"\bplans?\s+(?:are|is|have\s+been|has\s+been|were|was)\s+(?:being\s+)?(?:drawn\s+up|"
        r"drafted|developed|unveiled|announced|approved|agreed|put\s+forward)\s+to\s+"
        r"(?P<t>[a-z][\w'-]*(?:\s+[\w'-]+){1,5})",
        lambda m: "Plan to " + m["t"].strip(),
    ),
    (
        MilestoneCategory.PLAN,
        r"(?:plan|strategy|blueprint|programme)\b[^.]{0,60}?\bcalled\s+[\"'](?P<t>[^\"']{3,80})[\"']",
        lambda m: m["t"],
    ),
    (
        MilestoneCategory.PLAN,
        r"\b(?:a|an|the|its|their)\s+(?:new\s+|draft\s+|revised\s+)*(?P<t>(?:(?:\d+|one|"
        r"two|three|four|five|six|seven|eight|nine|ten|twelve)-(?:week|"
        r"month|year|point)\s+|improvement\s+|action\s+|recovery\s+|transformation\s+|"
        r"sufficiency\s+)(?:[\w-]+\s+){0,2}?(?:improvement\s+|action\s+)?(?:plan|strategy))\b",
        lambda m: _sentence_case(m["t"]),
    ),
    (
        MilestoneCategory.PLAN,
        r"\b(?:a|an)\s+new\s+(?P<t>(?:[\w-]+\s+){1,2}?(?:plan|strategy))\s+(?:will|would|"
        r"is|was|has|had|to\s+be|setting|sets|being)\b",
        lambda m: _sentence_case(m["t"]),
    ),
    (
        MilestoneCategory.PLAN,
        r"\b(?:a|an|the)\s+(?:new\s+)?draft\s+"
        r"(?P<t>(?-i:(?:[A-Z][\w'-]*\s+){1,5}(?:Strategy|Plan)))",
        lambda m: m["t"],
    ),
    (
        MilestoneCategory.BOARD,
        r"\b(?P<t>(?:(?<!')[\w-]+\s+)?(?:improvement|partnership|transformation|oversight|"
        r"recovery)\s+board)\b[^.]{0,80}?\b(?:(?:has\s+been|have\s+been|was|were|"
        r"will\s+be|had\s+been)\s+)?(?:set\s+up|established|created|formed|launched|"
        r"convened)\b|"
        r"(?:set\s+up|established|created|formed|convened)\s+(?:a|an)\s+"
        r"(?:new\s+|provisional\s+|shadow\s+)?[\"'“‘]?"
        r"(?P<t2>(?:[\w'’-]+\s+){0,2}board)",
        lambda m: _sentence_case(_no_article(m["t"] or m["t2"])),
    ),
    (
        MilestoneCategory.PANEL,
        r"\b(?:a|an|the)\s+(?:new\s+)?(?P<t>(?:[\w-]+\s+){0,4}?panel)\b,?\s+(?:has\s+been\s+|"
        r"was\s+|will\s+be\s+|had\s+been\s+)?(?:set\s+up|established|created|formed|"
        r"convened)|(?:set\s+up|established|created|formed|convened)\s+(?:a|an)\s+"
        r"(?:new\s+)?(?P<t2>(?:[\w-]+\s+){0,4}?panel)\b",
        lambda m: _sentence_case(m["t"] or m["t2"]),
    ),
    (
        MilestoneCategory.REVIEW,
        r"\b(?:a|an)\s+(?:independent\s+|full\s+|new\s+|urgent\s+)?review\s+(?:will|is\s+to|"
        r"is\s+due\s+to|has\s+been\s+ordered|has\s+been\s+commissioned|was\s+ordered)"
        r"[^.]{0,40}?\b(?:into|of)\s+(?P<t>[^.,;]{3,90})|(?:commissioned|ordered|"
        r"announced|launched)\s+(?:a|an)\s+(?:independent\s+)?review\s+(?:into|of)\s+"
        r"(?P<t2>[^.,;]{3,90})",
        lambda m: "Review of " + (m["t"] or m["t2"]).strip(),
    ),
    (
        MilestoneCategory.INSPECTION_DUE,
        r"\b(?:Ofsted|inspectors)\b[^.]{0,40}?\b(?:are|is|were|was)\s+(?:due|expected|"
        r"set)\s+(?:back|to\s+return|to\s+visit|to\s+inspect|to\s+carry\s+out)|"
        r"\b(?:Ofsted|inspectors)\s+will\s+(?:return|visit|be\s+back|inspect)",
        lambda m: (
            "Ofsted return visit"
            if _search(r"back|return", m.group())
            else "Ofsted inspection"
        ),
    ),
    (
        MilestoneCategory.INSPECTION_VISIT,
        r"\bmonitoring\s+visit\b|\binspectors\s+(?:visited|were\s+on\s+site|returned)",
        lambda m: (
            "Ofsted monitoring visit"
            if "monitoring" in m.group().lower()
            else "Ofsted visit"
        ),
    ),
    (
        MilestoneCategory.STAFFING,
        r"\b(?:a|an)\s+(?P<t>(?:new\s+|permanent\s+|interim\s+)+(?:head|manager|principal"
        r"\s+social\s+worker|assistant\s+director|service\s+manager)(?:\s+of\s+[\w'\s]{3,40}?)?)"
        r"\s+(?:has|have)\s+(?:also\s+)?been\s+(?:appointed|recruited|hired)",
        lambda m: _sentence_case(re.sub(r"^new\s+", "", m["t"])),
    ),
    (
        MilestoneCategory.SERVICE_CHANGE,
        r"\b(?:a|an)\s+new\s+(?P<t>(?:[\w-]+\s+){0,3}?(?:system|service|hub|model|"
        r"approach|team|unit))\s+(?:had\s+been|has\s+been|was|will\s+be|is\s+being|"
        r"have\s+been)\s+(?:introduced|launched|set\s+up|created|brought\s+in|"
        r"rolled\s+out|opened)",
        lambda m: _sentence_case("new " + m["t"]),
    ),
    (
        # "has also established a team to challenge high-cost placements"
        MilestoneCategory.SERVICE_CHANGE,
        r"\b(?:set\s+up|established|created|launched|formed|introduced)\s+(?:a|an)\s+"
        r"(?:new\s+|dedicated\s+|specialist\s+)*(?P<t>(?:[\w-]+\s+){0,2}?(?:team|unit|hub|"
        r"service)\s+to\s+[\"']?[a-z]+(?:\s+[\w'-]+){0,3})",
        lambda m: _sentence_case(
            re.sub(
                r"(?:\s+(?:and|or|to|the|a|an|of|for|in|with))+$",
                "",
                m["t"].replace('"', "").replace("'", " ").replace("  ", " "),
            )
        ),
    ),
]


def milestones(article: Article) -> list[Found]:
    found: list[Found] = []
    seen: dict[tuple[str, str], int] = {}
    undated: set[int] = set()  # found at publication, for want of a date
    for sentence in article.sentences:
        text = sentence.text
        for category, pattern, titled in _MILESTONES:
            match = _compiled(pattern).search(text)
            if match is None:
                continue
            title = titled(match).strip()[:200]
            title = re.sub(  # "next Wednesday's Cabinet": the cabinet
                r"^(?:(?:next|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                r"Saturday|Sunday)'s\s+",
                "",
                title,
                flags=re.IGNORECASE,
            )
            if category is MilestoneCategory.MEETING and _search(
                r"^(?:the\s+)?(?:committee|cabinet)$", title
            ):
                title = (
                    "Committee meeting" if "ommittee" in title else "Cabinet meeting"
                )
            if category is MilestoneCategory.PLAN and _search(
                r"child protection|care plan|pathway plan|financial plan|budget",
                title,
            ):
                continue
            if len(title) < 3:
                continue
            if category is MilestoneCategory.INSPECTION_VISIT and any(
                f.start == sentence.start
                and f.fields["category"] == MilestoneCategory.INSPECTION_DUE.value
                for f in found
            ):
                continue
            near = date_near(article, sentence, match.start(), match.end())
            if category is MilestoneCategory.INSPECTION_DUE:
                # the date just after the words ("due back next month"), else
                # the sentence's most precise one
                after = [
                    m
                    for m in article.dates(sentence)
                    if match.end() <= m.start <= match.end() + 30
                    and m.sort in ("day", "month", "year")
                ]
                near = (
                    _point(after[0])
                    if after
                    else sentence_date(article, sentence, prefer_day=True)
                )
            elif category is MilestoneCategory.MEETING and near and len(near[0]) < 10:
                near = None  # a month or year beside a meeting dates something else
            if (
                category is MilestoneCategory.MEETING
                and near
                and _search(
                    r"\bas\s+(?:of|at)\s+(?:\w+\s+)?" + re.escape(near[0][:4]), text
                )
            ):
                near = None
            if category is MilestoneCategory.MEETING and near is None:
                when = match.groupdict().get("when") or match.groupdict().get("when2")
                if when:
                    near = _weekday_date(article, when)
            effective, approximate = near or published_point(article)
            key = (category.value, _generic(category, title))
            candidate = Found(
                "milestone_recorded",
                {"category": category.value, "title": title},
                effective,
                approximate,
                sentence.start,
                sentence.end,
                0.6,
            )
            if key in seen:
                earlier = found[seen[key]]
                if near is not None and seen[key] in undated:
                    undated.discard(seen[key])  # a later mention says when
                    earlier.effective = effective
                    earlier.approximate = approximate
                elif len(effective) > len(earlier.effective):
                    earlier.effective = effective
                    earlier.approximate = approximate
                continue
            seen[key] = len(found)
            if near is None:
                undated.add(len(found))
            found.append(candidate)
    return _with_inspections(article, found)


def _with_inspections(article: Article, found: list[Found]) -> list[Found]:
    """Each dated inspection the article reports is a visit of its own (one a
    month): a visit found undated in a sentence that dates it takes that date."""
    report = _report_published(article)
    if report is not None and not any(
        f.fields["category"] == MilestoneCategory.REPORT_PUBLISHED.value for f in found
    ):
        for sentence in article.sentences:
            if _compiled(_REPORT_OUT).search(sentence.text):
                found.append(
                    Found(
                        "milestone_recorded",
                        {
                            "category": MilestoneCategory.REPORT_PUBLISHED.value,
                            "title": "Ofsted inspection report",
                        },
                        report[0],
                        report[1],
                        sentence.start,
                        sentence.end,
                        0.6,
                    )
                )
                break
    visits = inspection_visits(article)
    dated_at = {v[0].start for v in visits}
    kept = [
        f
        for f in found
        if not (
            f.fields["category"] == MilestoneCategory.INSPECTION_VISIT.value
            and f.start in dated_at
        )
    ]
    months = {
        f.effective[:7]
        for f in kept
        if f.fields["category"] == MilestoneCategory.INSPECTION_VISIT.value
    }
    for sentence, start, end, iso, approximate in visits:
        if iso[:7] in months:
            continue
        months.add(iso[:7])
        words = sentence.text[start:end].lower()
        kept.append(
            Found(
                "milestone_recorded",
                {
                    "category": MilestoneCategory.INSPECTION_VISIT.value,
                    "title": "Ofsted monitoring visit"
                    if "monitoring" in words
                    else "Ofsted visit"
                    if "visit" in words
                    else "Ofsted inspection",
                },
                iso,
                approximate,
                sentence.start,
                sentence.end,
                0.6,
            )
        )
    return kept


def _generic(category: MilestoneCategory, title: str) -> str:
    """Mentions of one panel, board or visit are one milestone, however named."""
    if category in (
        MilestoneCategory.PANEL,
        MilestoneCategory.BOARD,
        MilestoneCategory.INSPECTION_DUE,
        MilestoneCategory.INSPECTION_VISIT,
    ):
        return category.value
    return title.lower()


def all_rules(article: Article, place_names: frozenset[str]) -> list[Found]:
    return [
        *ratings(article),
        *office_holders(article, place_names),
        *counts(article),
        *money(article),
        *interventions(article),
        *milestones(article),
    ]


__all__ = ["Article", "Found", "all_rules"]

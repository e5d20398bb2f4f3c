"""Which authority an article is about, from the register's names.

The names are the register's own (the Data to Insight lookup and ONS's list of
upper-tier authorities, shipped with the seeds), with the short forms articles
use ("Bristol" for "Bristol, City of", "Hull", "BCP", "Durham"). An article is
about the authority it names most, weighted by where and how: in the title or
the opening, or as a council ("Kent County Council", "Sandwell Children's
Trust") counts more than a passing mention ("towns such as Hull and Torbay").
An article that names no authority is about the place in its publisher's name.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from seeds.paths import OFFICIAL

LOOKUP = OFFICIAL / "la_code_lookup_ofsted_dfe_gss.csv"
ONS = OFFICIAL / "ons_upper_tier_la_codes.csv"

# Names that are also everyday words or common surnames count only beside a
# word that makes them a place's council.
_NEEDS_COUNCIL = frozenset({"Reading", "Bury", "Sutton", "Kent", "Derby", "Halton"})
_TITLES = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Coun",
        "Cllr",
        "Councillor",
        "Sir",
        "Dame",
        "Lord",
        "Lady",
        "Professor",
        "Prof",
    ]
)
_COUNCIL_AFTER = re.compile(
    r"(?:'s)?\s+(?:(?:County|City|Borough|Metropolitan Borough|District)\s+)?"
    r"(?:Council|council|Children's Trust|Children's Services|children's services|"
    r"Safeguarding)\b"
)
_COUNCIL_BEFORE = re.compile(
    r"(?:Council of|Borough of|City of|County of|council in|council for)\s+$"
)
_ABOUT_WORDS = re.compile(r"[A-Z][A-Za-z'.-]*$")


@dataclass(frozen=True)
class Register:
    names: dict[str, str]  # a name as written in articles -> GSS code
    pattern: re.Pattern[str]


def _variants(name: str) -> set[str]:
    name = name.strip()
    found = {name}
    place, _, kind = name.partition(", ")
    if kind in ("City of", "County of"):  # "Bristol, City of"
        found |= {place, f"{kind} {place}"}
    for variant in list(found):
        found.add(variant.replace("St. ", "St "))
        found.add(variant.replace(" upon ", " Upon "))
        found.add(variant.replace(" Upon ", " upon "))
        if variant.startswith("County "):
            found.add(variant.removeprefix("County "))
        if variant.startswith("Kingston upon ") or variant.startswith("Kingston Upon "):
            found.add(variant.split()[-1])
        if " and " in variant:
            found.add(variant.replace(" and ", " & "))
        if variant.endswith(" upon Thames"):
            found.add(variant.removesuffix(" upon Thames"))  # Kingston, Richmond
        if variant == "East Riding of Yorkshire":
            found.add("East Riding")
        if "-on-" in variant and not variant.startswith("Stockton"):
            found.add(variant.split("-on-")[0])  # Stoke-on-Trent, Southend-on-Sea
    return {v for v in found if len(v) > 2}


# Short names local news gives authorities whose register names are longer.
_SHORT_NAMES = {
    "Brighton and Hove": "Brighton",
    "Telford and Wrekin": "Telford",
    "Redcar and Cleveland": "Redcar",
    "Blackburn with Darwen": "Blackburn",
    "Windsor and Maidenhead": "Windsor",
    "Newcastle upon Tyne": "Newcastle",
    "Stockton-on-Tees": "Stockton",
    "Bath and North East Somerset": "BANES",
}


@lru_cache(maxsize=1)
def register() -> Register:
    names: dict[str, str] = {}
    current: set[str] = set()
    with ONS.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["CTRYNM"] == "England":
                current.add(row["UTLACD"])
                for variant in _variants(row["UTLANM"]):
                    names.setdefault(variant, row["UTLACD"])
    with LOOKUP.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["la_code_new"].strip()
            written = [row["local_authority_ons_name"], row["utla23nm"]]
            written += row["also_known_as"].strip("[]").split(",")
            for name in written:
                for variant in _variants(name.strip()):
                    # A current authority keeps a name an abolished one shared.
                    if variant not in names or code in current:
                        names.setdefault(variant, code)
    for full, short in _SHORT_NAMES.items():
        if full in names:
            names.setdefault(short, names[full])
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![A-Za-z-])(?:"
        + "|".join(re.escape(n) for n in ordered)
        + r")(?![A-Za-z-])"
    )
    return Register(names, pattern)


def authority_names() -> dict[str, str]:
    """Every name the detector knows, with its GSS code."""
    return dict(register().names)


def _previous_word(text: str, start: int) -> str:
    match = _ABOUT_WORDS.search(text[:start].rstrip())
    return match.group() if match and text[:start].endswith(" ") else ""


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in '.!?"\n:'


def mentions(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, GSS code, as a council) for each mention of an authority."""
    found = []
    reg = register()
    for match in reg.pattern.finditer(text):
        name = match.group()
        start, end = match.span()
        council = bool(_COUNCIL_AFTER.match(text, end)) or bool(
            _COUNCIL_BEFORE.search(text[max(0, start - 20) : start])
        )
        previous = _previous_word(text, start)
        if previous in _TITLES:
            continue
        if (
            previous
            and previous[0].isupper()
            and not council
            and not _sentence_start(text, start - len(previous) - 1)
            and previous not in ("North", "South", "East", "West", "The", "In")
        ):
            continue  # a surname (Helen Lincoln) or part of another proper name
        if name in _NEEDS_COUNCIL and not council:
            continue
        found.append((start, end, reg.names[name], council))
    return found


def _first_sentence_end(text: str) -> int:
    """Where the body's first sentence ends (a headline line counts as one)."""
    body = text.lstrip()
    offset = len(text) - len(body)
    match = re.search(r"[.!?](?:\s|$)|\n", body)
    return offset + (match.end() if match else len(body))


def about(
    text: str, title: str | None = None, publisher: str | None = None
) -> str | None:
    """The GSS code of the authority the article is about, or None. A local
    paper writes of "the town" or "the council" and names its place only in its
    own name (the Barnsley Chronicle): where neither the text nor the title
    names an authority, the publisher's name is read."""
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    opening = max(300, len(text) // 5)
    lead = _first_sentence_end(text)
    for start, _end, code, council in mentions(text):
        weight = 2.0 if council else 1.0
        if start < opening:
            weight *= 1.5
        if start < lead:
            weight *= 1.5  # the news's own subject is named first
        scores[code] = scores.get(code, 0.0) + weight
        first.setdefault(code, start)
    for _start, _end, code, council in mentions(title or ""):
        scores[code] = scores.get(code, 0.0) + (4.0 if council else 3.0)
        first.setdefault(code, -1)
    if not scores and publisher:
        for _start, _end, code, _council in mentions(publisher):
            scores[code] = scores.get(code, 0.0) + 1.0
            first.setdefault(code, -1)
    if not scores:
        return None
    return min(scores, key=lambda code: (-scores[code], first[code], code))

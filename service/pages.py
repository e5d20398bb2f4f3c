"""Pages for people: the authority list and an authority's page, rendered on the
server from templates, with the chart as inline SVG. A browser asking for HTML at
``/``, ``/authorities`` or ``/authorities/{code}`` gets these; ``?format=json``
(or an Accept header without text/html) gets the JSON.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import Response

from domain.values import EffectiveDate, Money
from domain.vocabulary import FRAMEWORK_NAMES, QUALIFIER_WORDS
from domain.wording import label, pounds, when
from projections import registry
from projections.db import Cursor
from projections.evidence import OFFICIAL_STATISTICS, evidence_label
from projections.fact_wording import number_text
from projections.facts import FactRow, hydrate, visible_facts
from projections.ranking import measures_with_counts
from projections.state import OFFICE_KINDS, pick_current
from projections.tenures import tenures
from service import charts, comparison
from service.http.params import (
    AS_OF,
    CURSOR,
    KNOWN_AT,
    LEVEL,
    LIMIT,
    MIN_POSITION,
    PUBLISHED_BY,
    Param,
    query,
)
from service.http.responses import json_response
from service.http.views import cached_view, not_found, runtime

HTML = "text/html; charset=utf-8"
SORTS = ("name", "region", "judgement", "children")
JUDGEMENT_ORDER = {
    "outstanding": 0,
    "good": 1,
    "requires_improvement": 2,
    "inadequate": 3,
    "none": 4,
}


def _text(name: str, description: str, limit: int = 80) -> Param:
    def parse(value: str) -> str:
        if len(value) > limit:
            from domain.errors import DomainError

            raise DomainError(f"{name} is longer than {limit} characters")
        return value.strip()

    return Param(name, description, {"type": "string", "maxLength": limit}, parse)


FORMAT = Param(
    "format",
    "json or html; without it, the Accept header decides.",
    {"type": "string", "enum": ["json", "html"]},
    lambda v: v if v in ("json", "html") else _bad_format(v),
)
SEARCH = _text("q", "Only authorities whose name contains this (HTML list).")
REGION = _text("region", "Only authorities in this region (HTML list).")
SORT = Param(
    "sort",
    "name, region, judgement or children (HTML list).",
    {"type": "string", "enum": list(SORTS)},
    lambda v: v if v in SORTS else _bad_sort(v),
)


def _bad_format(value: str) -> str:
    from domain.errors import DomainError

    raise DomainError(f"format {value!r} is not json or html")


def _bad_sort(value: str) -> str:
    from domain.errors import DomainError

    raise DomainError(f"sort {value!r} is not one of: {', '.join(SORTS)}")


def wants_html(request: Request) -> bool:
    """True for ``?format=html``, or an Accept header preferring HTML to JSON."""
    scope = request.scope
    if b"format=" in scope["query_string"]:
        return request.query_params.get("format") == "html"
    accept = next((v for k, v in scope["headers"] if k == b"accept"), None)
    if accept is None or b"text/html" not in accept:
        return False  # the fast path: programs rarely ask for HTML
    weights: dict[str, float] = {}
    for part in accept.decode("latin-1").split(","):
        media, _, rest = part.strip().partition(";")
        weight = 1.0
        for parameter in rest.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[media.strip().lower()] = weight
    html = weights.get("text/html", 0.0)
    return html > 0 and html >= weights.get("application/json", 0.0)


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


def _page(request: Request, template: str, **context: Any) -> bytes:
    environment: Environment = request.app.state.templates
    return environment.get_template(template).render(**context).encode()


async def authority_list(request: Request) -> Response:
    params = query(
        request, [FORMAT, SEARCH, REGION, SORT, LEVEL, MIN_POSITION, LIMIT, CURSOR]
    )
    # The page lists every authority: the JSON list's paging means nothing here.
    params.pop("limit", None)
    params.pop("cursor", None)
    rt = runtime(request)

    def build(cur: Cursor) -> bytes:
        rows = overview(cur, rt.ledger)
        regions = sorted({r["region"] for r in rows if r["region"]})
        text = (params.get("q") or "").lower()
        region = params.get("region") or ""
        shown = [
            r
            for r in rows
            if text in r["name"].lower() and (not region or r["region"] == region)
        ]
        shown.sort(key=_sort_key(params.get("sort", "name")))
        return _page(
            request,
            "authorities.html",
            rows=shown,
            total=len(rows),
            regions=regions,
            q=params.get("q") or "",
            region=region,
            sort=params.get("sort", "name"),
            base=rt.settings.base_url,
        )

    return await cached_view(request, params, build, variant="h", media=HTML)


def _sort_key(sort: str) -> Any:
    if sort == "region":
        return lambda r: (r["region"] or "", r["name"])
    if sort == "judgement":
        return lambda r: (judgement_rank(r["judgement"], r["areas"]), r["name"])
    if sort == "children":
        return lambda r: (-(r["children"] or -1), r["name"])
    return lambda r: r["name"]


def judgement_rank(judgement: str | None, areas: dict[str, str]) -> float:
    """Where a judgement sorts: by its grade; a result with no overall grade by
    its lowest area judgement, just after the grade it equals (so never below
    inadequate); no judgement last."""
    if judgement is None:
        return 9
    if judgement != "none":
        return JUDGEMENT_ORDER.get(judgement, 9)
    if not areas:
        return 8  # no grade and no areas: after every graded result, explained
    return max(JUDGEMENT_ORDER.get(g, 3) for g in areas.values()) + 0.5


def overview(cur: Cursor, log: Any) -> list[dict[str, Any]]:
    """Every current authority with its judgement, children in care (with the
    rate per 10,000 children) and director of children's services."""
    authorities = [
        a for a in registry.list_authorities(cur) if a["status"] == "current"
    ]
    chosen: dict[tuple[str, str], FactRow] = {}
    for part, rows in (
        ("rating", visible_facts(cur, subject="ofsted_rating")),
        (
            "children",
            visible_facts(cur, subject="children_in_care", kind="count_reported"),
        ),
    ):
        grouped: dict[str, list[FactRow]] = defaultdict(list)
        for row in rows:
            grouped[row.authority].append(row)
        for code, group in grouped.items():
            best = pick_current(group)
            if best is not None:
                chosen[(code, part)] = best
    offices: dict[str, list[FactRow]] = defaultdict(list)
    for row in visible_facts(cur, subject="director_of_childrens_services"):
        if row.kind in OFFICE_KINDS:
            offices[row.authority].append(row)
    picked = list(chosen.values()) + [r for g in offices.values() for r in g]
    docs = dict(
        zip((r.position for r in picked), hydrate(cur, log, picked), strict=True)
    )
    today = date.today()
    result = []
    for authority in authorities:
        code = authority["code"]
        rating = chosen.get((code, "rating"))
        children = chosen.get((code, "children"))
        areas: dict[str, str] = (
            docs[rating.position]["fields"].get("sub_judgements") or {}
            if rating
            else {}
        )
        children_fields = docs[children.position]["fields"] if children else {}
        result.append(
            {
                "code": code,
                "name": authority["name"],
                "region": authority["region"],
                "judgement": docs[rating.position]["fields"]["judgement"]
                if rating
                else None,
                "areas": areas,
                "lowest_area": min(
                    areas.values(),
                    key=lambda g: -JUDGEMENT_ORDER.get(g, 3),
                    default=None,
                ),
                "rated": rating.effective if rating else None,
                "children": children_fields.get("value"),
                "children_rate": children_fields.get("rate_per_10000"),
                "children_when": children.effective if children else None,
                **_director(offices.get(code, []), docs, today),
            }
        )
    return result


def _director(
    rows: list[FactRow], docs: dict[int, dict[str, Any]], on: date
) -> dict[str, Any]:
    """The director as the authority's page shows them: the one in post by the
    tenure rule, else the latest known holder and how they stand."""
    holders, _ = tenures(rows, docs, [], on)
    if not holders:
        return {"director": None, "director_note": None}
    holder = holders[0]  # in post first, then the latest tenure
    note = None
    if holder["status"] in ("left", "succeeded") and holder["until"]:
        note = f"until {when(EffectiveDate.parse(holder['until']))}"
    elif not holder["in_post"]:
        last = holder["last_reported"] or holder["since"]
        note = "not reported in post since " + when(EffectiveDate.parse(last))
    return {"director": holder["person"], "director_note": note}


async def authority_page(request: Request, code: str) -> Response:
    params = query(request, [FORMAT, AS_OF, PUBLISHED_BY, KNOWN_AT, MIN_POSITION])
    rt = runtime(request)
    as_of: date | None = params.get("as_of")
    known_at: int | None = params.get("known_at")
    # The page "as it stood on" a date shows what had been reported by then too.
    published_by: date | None = params.get("published_by", as_of)

    def build(cur: Cursor) -> bytes:
        authority = registry.get_authority(cur, code)
        if authority is None:
            raise not_found(f"no authority has code {code} (see /authorities)")
        rows = [
            r
            for r in visible_facts(
                cur, code, as_of=as_of, known_at=known_at, published_by=published_by
            )
            if not r.subject.startswith("lait:") and r.kind != "neighbours_listed"
        ]
        docs = hydrate(cur, rt.ledger, rows)
        current = {
            subject: pick_current(r for r in rows if r.subject == subject and kinds(r))
            for subject, kinds in (
                ("ofsted_rating", lambda r: True),
                ("children_in_care", lambda r: r.kind == "count_reported"),
                ("director_of_childrens_services", lambda r: r.kind in OFFICE_KINDS),
            )
        }
        by_position = {r.position: d for r, d in zip(rows, docs, strict=True)}
        now = {k: by_position[v.position] if v else None for k, v in current.items()}
        holders, also_named = tenures(
            [r for r in rows if r.kind in OFFICE_KINDS],
            by_position,
            [
                (r, by_position[r.position]["fields"]["action"])
                for r in rows
                if r.kind == "intervention_recorded"
            ],
            as_of or date.today(),
        )
        directors = [
            h for h in holders if h["role"] == "director_of_childrens_services"
        ]
        compared = comparison.compare(
            cur,
            rt.ledger,
            code,
            comparison.FIRST_MEASURE,
            as_of=as_of,
            known_at=known_at,
            published_by=published_by,
        )
        return _page(
            request,
            "authority.html",
            authority=authority,
            as_of=as_of,
            published_by=published_by,
            base=rt.settings.base_url,
            now=now,
            director=directors[0] if directors else None,
            holders=holders,
            also_named=also_named,
            **_sections(rows, docs, authority["name"]),
            compared=comparison.section(
                cur, authority, compared, comparison.FIRST_MEASURE, "compare-cic"
            )
            if compared
            else None,
            measures=measures_with_counts(cur, code),
            statistics=sum(1 for _ in visible_facts(cur, code, kind="count_reported"))
            - sum(1 for r in rows if r.kind == "count_reported"),
        )

    return await cached_view(request, params, build, variant="h", media=HTML)


def _mark_rivals(money: list[dict[str, Any]]) -> None:
    """Give each amount the different amounts other sources gave for the same
    thing (the same funder's grant in a year, the same overspend and period)."""
    same: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for d in money:
        f = d["fields"]
        year = d["effective"]["date"][:4]
        key = (d["kind"], f.get("funder") or f.get("category") or "", f.get("period")
               or year, f.get("description") or "")  # fmt: skip
        same[key].append(d)
    for group in same.values():
        for d in group:
            d["also"] = [
                o
                for o in group
                if o["source"]["id"] != d["source"]["id"]
                and o["fields"]["amount"] != d["fields"]["amount"]
            ]


def _sections(
    rows: list[FactRow], docs: list[dict[str, Any]], name: str
) -> dict[str, Any]:
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row, doc in zip(rows, docs, strict=True):
        # Only official statistics make the official series; a figure an
        # inspection report quotes (the council's own, a count on the day) does not.
        doc["official"] = doc["evidence_class"] == OFFICIAL_STATISTICS
        by_kind[row.kind].append(doc)
    cic = [d for d in by_kind["count_reported"] if d["subject"] == "children_in_care"]
    targets = [d for d in by_kind["target_set"] if d["subject"] == "children_in_care"]
    ratings = by_kind["rating_given"]
    chart = charts.children_in_care_chart(
        [
            charts.Point(
                EffectiveDate.parse(d["effective"]["date"]).first_day,
                float(d["fields"]["value"]),
                d["official"],
                f"{number_text(d['fields']['value'])} children in care, {when_of(d)} "
                f"({d['source']['publisher']})",
                f"/facts/{d['fact_id']}",
            )
            for d in cic
        ],
        [
            charts.Target(
                EffectiveDate.parse(d["effective"]["date"]).first_day,
                float(d["fields"]["value"]),
                f"target: {number_text(d['fields']['value'])} children in care "
                f"(set {when_of(d)})",
                f"/facts/{d['fact_id']}",
            )
            for d in targets
        ],
        [
            charts.Rating(
                EffectiveDate.parse(d["effective"]["date"]).first_day,
                d["fields"]["judgement"],
                f"Ofsted, {when_of(d)}: {label(d['fields']['judgement'])} "
                f"({d['source']['publisher']})",
                f"/facts/{d['fact_id']}",
            )
            for d in ratings
        ],
        f"Children in care in {name}",
    )
    offices = [d for kind in OFFICE_KINDS for d in by_kind[kind]]
    offices.sort(key=lambda d: (d["subject"], d["effective"]["date"]))
    counts = [
        d for d in by_kind["count_reported"] if d["subject"] != "children_in_care"
    ]
    money = by_kind["money_reported"] + by_kind["grant_received"]
    money.sort(key=lambda d: d["effective"]["date"])
    _mark_rivals(money)
    return {
        "chart": chart,
        "children": cic,
        "targets": targets,
        "ratings": ratings,
        "offices": offices,
        "counts": counts,
        "money": money,
        "interventions": by_kind["intervention_recorded"],
        "milestones": by_kind["milestone_recorded"],
    }


def when_of(doc: dict[str, Any]) -> str:
    effective = doc["effective"]
    text = effective["date"] + ("~" if effective["approximate"] else "")
    return when(EffectiveDate.parse(text))


async def index(request: Request) -> Response:
    """``/``: the authority list for browsers, a map of the API for programs."""
    if wants_html(request):
        return await authority_list(request)
    query(request, [FORMAT, SEARCH, REGION, SORT])
    return json_response(
        {
            "name": "carefacts",
            "links": {
                "authorities": "/authorities",
                "sources": "/sources",
                "events": "/events",
                "feed": "/feed",
                "openapi": "/openapi.json",
            },
        }
    )

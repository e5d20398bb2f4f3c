"""The seeds: loaded through the ledger, idempotent, and true to their sources."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from projections.facts import hydrate, visible_facts
from seeds.loader import load_default, read_toml
from seeds.paths import NEWS, OFFICIAL
from service.composition import Carefacts

FINGERPRINTS = Path(__file__).parent.parent / "data" / "article_fingerprints.txt"
ARTICLE_SOURCES = {
    "gazette-2018-06-care-numbers",
    "gazette-2023-07-care-reduction",
    "gazette-2012-09-care-panel",
    "gazette-2019-02-keep-control",
    "cypn-2021-03-12-retain-control",
}


def _facts_of(core: Carefacts, source: str) -> list[dict[str, Any]]:
    with core.views.read() as cur:
        return hydrate(cur, core.ledger, visible_facts(cur, source=source))


def test_loading_the_seeds_again_records_nothing_new(seeded: Carefacts) -> None:
    position = seeded.ledger.last_position()
    reports = load_default(seeded.ledger)
    assert sum(r.recorded for r in reports) == 0
    assert sum(r.present for r in reports) > 3000
    assert seeded.ledger.last_position() == position


def test_the_five_articles_are_sources_with_publisher_url_and_date(
    seeded: Carefacts,
) -> None:
    sources = {s["source_id"]: s for s in read_toml(NEWS / "sources.toml")["sources"]}
    assert set(sources) >= ARTICLE_SOURCES
    for source_id in ARTICLE_SOURCES:
        source = sources[source_id]
        assert source["url"].startswith("http") and source["publisher"]
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", source["published"])


# Every figure, name and dated event each article gives about Blackpool.
EXPECTED: dict[str, list[tuple[str, str, object]]] = {
    "gazette-2018-06-care-numbers": [
        ("count_reported", "children_in_care", 533),
        ("money_reported", "overspend", "5000000.00"),
        ("milestone_recorded", "plan", "The Journey of the Child"),
        ("milestone_recorded", "plan", "Dedicated teams around schools"),
        (
            "milestone_recorded",
            "meeting",
            "Resilient Communities and Children's Scrutiny Committee",
        ),
        ("office_holder_in_post", "director_of_childrens_services", "Diane Booth"),
        ("office_holder_in_post", "councillor", "David Owen"),
    ],
    "gazette-2023-07-care-reduction": [
        ("count_reported", "children_in_care", 540),
        ("count_reported", "children_in_care", 651),
        ("money_reported", "forecast_overspend", "6600000.00"),
        ("money_reported", "overspend", "5000000.00"),
        ("grant_received", "grant", "764000.00"),
        ("target_set", "children_in_care", 500),
        ("count_reported", "children_entering_care_reduction", 30),
        ("office_holder_in_post", "director_of_childrens_services", "Victoria Gent"),
        ("milestone_recorded", "meeting", "Audit Committee"),
        ("milestone_recorded", "service_change", "Spending tracked per child"),
        ("milestone_recorded", "plan", "Whole-family social work teams"),
    ],
    "gazette-2012-09-care-panel": [
        ("rating_given", "ofsted_rating", "inadequate"),
        (
            "milestone_recorded",
            "panel",
            "Joint executive and scrutiny panel on children's services",
        ),
        ("office_holder_in_post", "panel_chair", "Ivan Taylor"),
        ("office_holder_in_post", "council_leader", "Simon Blackburn"),
        ("office_holder_in_post", "director_of_childrens_services", "Sue Harrison"),
        ("money_reported", "spend", "90000.00"),
        ("money_reported", "spend", "84000.00"),
        ("count_reported", "social_worker_posts_added", 2),
        ("count_reported", "reviewed_cases_reopened", 12),
        ("count_reported", "children_in_care", 452),
        ("milestone_recorded", "plan", "Family Support Strategy"),
        (
            "milestone_recorded",
            "review",
            "Review of the Children's Trust and the Safeguarding Board",
        ),
    ],
    "gazette-2019-02-keep-control": [
        ("rating_given", "ofsted_rating", "inadequate"),
        ("milestone_recorded", "inspection_due", "Ofsted return visit"),
        ("intervention_recorded", "intervention", "commissioner_due"),
        ("office_holder_in_post", "director_of_childrens_services", "Diane Booth"),
        ("milestone_recorded", "plan", "12-week improvement plan"),
        ("money_reported", "investment", "1000000.00"),
        ("milestone_recorded", "staffing", "Permanent head of children's safeguarding"),
        ("milestone_recorded", "board", "Improvement board"),
    ],
    "cypn-2021-03-12-retain-control": [
        ("rating_given", "ofsted_rating", "inadequate"),
        ("intervention_recorded", "intervention", "control_retained"),
        ("office_holder_in_post", "commissioner", "Helen Lincoln"),
        ("money_reported", "investment", "4000000.00"),
        ("count_reported", "social_workers_recruited", 100),
        ("office_holder_in_post", "council_leader", "Lynn Williams"),
        ("office_holder_left", "director_of_childrens_services", "Diane Booth"),
    ],
}


def _value(fact: dict[str, Any]) -> object:
    fields = fact["fields"]
    for name in ("value", "person", "title", "judgement", "action"):
        if name in fields:
            return fields[name]
    return str(fields["amount"]["amount"])  # a Decimal, to the penny


def test_every_value_the_articles_report_is_a_fact_tied_to_its_article(
    seeded: Carefacts,
) -> None:
    for source, expected in EXPECTED.items():
        found = {
            (f["kind"], f["subject"], _value(f)) for f in _facts_of(seeded, source)
        }
        missing = [item for item in expected if item not in found]
        assert not missing, f"{source} lacks {missing}"


def _runs(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9£%']+", text.lower().replace("\u2019", "'"))
    return {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}


def test_the_seeds_repeat_no_sentence_of_an_article() -> None:
    """Facts and figures come from the articles; their wording does not. The
    articles are not in the project: only fingerprints of their 8-word runs
    (scripts/article_fingerprints.py) are."""
    fingerprints = {
        line
        for line in FINGERPRINTS.read_text().splitlines()
        if not line.startswith("#")
    }
    assert len(fingerprints) > 1000
    titles = {s["title"] for s in read_toml(NEWS / "sources.toml")["sources"]}
    text = "\n".join(
        p.read_text() for p in [*NEWS.glob("*.toml"), *OFFICIAL.glob("*.toml")]
    )
    for title in titles:  # a title is a citation, not copied prose
        text = text.replace(title, "")
    copied = [
        run
        for run in _runs(text)
        if hashlib.sha1(run.encode()).hexdigest()[:12] in fingerprints
    ]
    assert not copied, f"seed text repeats article wording: {copied[:3]}"

"""The search view: what it finds, how it ranks, corrections and retractions, and
a rebuild by replay that gives the same rows (SQLite FTS5 and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from projections.facts import hydrate
from projections.search import SearchFilters, search_page
from projections.search_words import parse_query
from seeds.loader import load_default
from service.composition import Carefacts
from service.settings import Settings
from tests.builders import appointment_body, count_body, source_body


def find(
    core: Carefacts, q: str, filters: SearchFilters | None = None
) -> list[tuple[int, int]]:
    """(tier, position) of every hit, in ranked order."""
    with core.views.read() as cur:
        page = search_page(
            cur, core.views.dialect, parse_query(q), filters or SearchFilters()
        )
        return [(hit.tier, hit.row.position) for hit in page.items]


def summaries(core: Carefacts, q: str) -> list[str]:
    """The summary of every hit (as corrected), in ranked order."""
    with core.views.read() as cur:
        page = search_page(cur, core.views.dialect, parse_query(q), SearchFilters())
        docs = hydrate(cur, core.ledger, [hit.row for hit in page.items])
    return [doc["summary"] for doc in docs]


def test_a_person_is_found_by_name_and_a_source_by_its_publisher(
    core: Carefacts,
) -> None:
    core.ledger.record_fact(appointment_body(summary="A new director started."))
    core.ledger.record_fact(count_body(summary="Fewer children in care."))
    core.worker.catch_up()
    assert summaries(core, "victoria GENT") == ["A new director started."]
    assert summaries(core, "director of childrens services") == [
        "A new director started."
    ]
    # The source's publisher, "Test Gazette": every fact it reported.
    assert sorted(summaries(core, "gazette")) == [
        "A new director started.",
        "Fewer children in care.",
    ]


def test_facts_matching_in_their_own_words_rank_before_those_found_by_their_source(
    core: Carefacts,
) -> None:
    core.ledger.record_fact(count_body(summary="Care numbers fell."))
    core.ledger.record_fact(
        count_body(effective="2022-07", summary="The Gazette counted 651 in care.")
    )
    core.ledger.record_fact(count_body(effective="2021-07", summary="Still many."))
    core.worker.catch_up()
    assert summaries(core, "gazette") == [
        "The Gazette counted 651 in care.",
        "Still many.",  # then by their source only, the newest recorded first
        "Care numbers fell.",
    ]
    assert [tier for tier, _ in find(core, "gazette")] == [0, 1, 1]


def test_a_correction_is_found_by_its_new_words_and_a_retracted_fact_not_at_all(
    core: Carefacts,
) -> None:
    kept = core.ledger.record_fact(count_body(summary="About 540 in care.")).id
    gone = core.ledger.record_fact(appointment_body(summary="A director was named.")).id
    core.worker.catch_up()
    core.ledger.correct_fact(
        UUID(kept), {"summary": "Exactly 541 in care."}, "a typing error", None
    )
    core.ledger.retract_fact(UUID(gone), "the wrong council")
    core.worker.catch_up()
    assert summaries(core, "541") == ["Exactly 541 in care."]
    assert summaries(core, "540") == []
    assert summaries(core, "director") == []
    assert summaries(core, "victoria gent") == []


def test_filters_narrow_the_hits_by_authority_kind_and_the_two_dates(
    core: Carefacts,
) -> None:
    core.ledger.register_source(
        source_body(source_id="later-article", published="2024-02")
    )
    core.ledger.record_fact(count_body(effective="2019-03", summary="Care in 2019."))
    core.ledger.record_fact(
        count_body(source="later-article", effective="2023-03", summary="Care now.")
    )
    core.ledger.record_fact(appointment_body(summary="A director, in care."))
    core.worker.catch_up()
    assert len(find(core, "care")) == 3
    assert len(find(core, "care", SearchFilters(kind="count_reported"))) == 2
    assert find(core, "care", SearchFilters(authority="E06000001")) == []
    assert len(find(core, "care", SearchFilters(as_of=date(2021, 12, 31)))) == 2
    # The test source is published 2023-07, the later article 2024-02.
    assert len(find(core, "care", SearchFilters(published_by=date(2024, 1, 31)))) == 2
    assert len(find(core, "care", SearchFilters(published_by=date(2024, 2, 29)))) == 3
    assert find(core, "care", SearchFilters(published_by=date(2023, 6, 30))) == []


def test_text_that_is_no_query_syntax_finds_nothing_and_raises_nothing(
    core: Carefacts,
) -> None:
    core.ledger.record_fact(count_body(summary="Children in care."))
    core.ledger.record_fact(count_body(effective="2022", summary="Care AND money."))
    core.worker.catch_up()
    for q in ['"', "-", "(", "*", ":", "^", "{}", "", "--", '-"', "OR", "or or"]:
        assert find(core, q) == [], q
    # FTS5's operators are words like any other.
    assert summaries(core, "AND") == ["Care AND money."]
    assert summaries(core, '"money." -NOT(') == ["Care AND money."]
    assert summaries(core, "care* -money:") == ["Children in care."]


def test_a_rebuild_of_the_search_view_gives_the_same_rows(core: Carefacts) -> None:
    fact = core.ledger.record_fact(count_body(summary="About 540 in care.")).id
    core.worker.catch_up()
    core.ledger.correct_fact(UUID(fact), {"value": 541}, "typing", None)
    core.ledger.record_fact(appointment_body())
    core.worker.catch_up()
    incremental = core.worker.checksum(["search"])
    core.worker.reset(["search"])
    core.worker.catch_up()
    assert core.worker.checksum(["search"]) == incremental
    assert summaries(core, "about 540") == ["About 540 in care."]


def test_the_same_queries_find_the_same_facts_in_sqlite_and_postgresql(
    sqlite_settings: Settings, pg_settings: Settings
) -> None:
    queries = [
        "Lincoln",
        "Gazette",
        '"helen lincoln" -essex',
        "commissioner or director",
        "children in care",
        "Zoë -",
        '- " AND OR NEAR( * :',
    ]
    found = []
    for settings in (sqlite_settings, pg_settings):
        core = Carefacts.open(settings)
        try:
            load_default(core.ledger)
            core.worker.catch_up()
            found.append({q: summaries(core, q) for q in queries})
        finally:
            core.close()
    sqlite, postgres = found
    assert sqlite == postgres
    assert sqlite["Lincoln"] and sqlite["Gazette"]

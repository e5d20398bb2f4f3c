"""A full rebuild into a new generation of the SQLite views gives exactly the rows
the batched path keeps, hands over to the live worker, and never shows readers a
half-built view."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from uuid import UUID

import pytest

from domain.drafts import draft_fact
from projections import generations, rebuild
from projections.db import SQLiteViews
from projections.facts import visible_facts
from projections.search import SearchFilters, search_page
from projections.search_words import parse_query
from service.composition import Carefacts
from service.settings import Settings
from tests.builders import (
    BLACKPOOL,
    appointment_body,
    count_body,
    grant_body,
    rating_body,
    source_body,
)


def _file(app: Carefacts) -> Path:
    assert isinstance(app.views, SQLiteViews)
    return app.views.path


def _changes_in_the_same_batch_as_their_reports(app: Carefacts, tag: str) -> None:
    """Facts of several kinds, each changed before the worker sees its report:
    a double correction, a correction then a retraction, a moved date."""
    ledger = app.ledger
    drafts = [
        draft_fact(count_body(measure=f"test:{tag}", value=10)),
        draft_fact(rating_body(effective="2021-03-04", summary=f"Rating {tag}.")),
        draft_fact(grant_body(funder=f"Funder {tag}")),
        draft_fact(appointment_body(person=f"Person {tag}")),
    ]
    ledger.record_facts(drafts)
    ids = [UUID(str(d.fact_id)) for d in drafts]
    ledger.correct_fact(ids[0], {"value": 11}, "typing error")
    ledger.correct_fact(ids[0], {"value": 12, "effective": "2023-06"}, "again")
    ledger.correct_fact(ids[1], {"judgement": "good"}, "misread")
    ledger.retract_fact(ids[1], "withdrawn")
    ledger.correct_fact(ids[2], {"effective": "2022"}, "misdated")
    ledger.retract_fact(ids[3], "never appointed")


def test_a_rebuild_of_a_mixed_log_gives_the_rows_the_batched_path_keeps(
    seeded: Carefacts,
) -> None:
    seeded.ledger.register_source(source_body())
    _changes_in_the_same_batch_as_their_reports(seeded, "first")
    seeded.worker.catch_up()
    incremental = seeded.worker.checksum()
    live = _file(seeded)

    assert seeded.worker.rebuild() == seeded.ledger.last_position()

    assert _file(seeded) != live  # a new generation, now the current one
    assert generations.current(seeded.settings.views_path) == _file(seeded)
    assert not live.exists()  # nothing holds the old one any more
    assert seeded.worker.checksum() == incremental
    assert seeded.worker.position == seeded.ledger.last_position()


def test_a_rebuilt_generation_advanced_by_the_live_worker_equals_a_full_rebuild(
    seeded: Carefacts,
) -> None:
    seeded.ledger.register_source(source_body())
    seeded.worker.rebuild()
    _changes_in_the_same_batch_as_their_reports(seeded, "later")
    seeded.worker.catch_up()  # the batched path, on the rebuilt file
    advanced = seeded.worker.checksum()

    seeded.worker.rebuild()

    assert seeded.worker.checksum() == advanced


def test_a_read_under_way_during_a_rebuild_finishes_on_the_old_views(
    seeded: Carefacts,
) -> None:
    seeded.ledger.register_source(source_body())
    with seeded.views.read() as before:
        seen = len(visible_facts(before, BLACKPOOL))
        seeded.ledger.record_fact(count_body(measure="test:during", value=3))
        seeded.worker.rebuild()
        assert len(visible_facts(before, BLACKPOOL)) == seen
    with seeded.views.read() as after:
        assert len(visible_facts(after, BLACKPOOL)) == seen + 1


def test_another_process_moves_to_a_generation_rebuilt_elsewhere(
    seeded: Carefacts,
) -> None:
    other = Carefacts.open(seeded.settings)  # as a server beside `carefacts replay`
    try:
        seeded.ledger.register_source(source_body())
        seeded.ledger.record_fact(count_body(measure="test:elsewhere", value=4))
        old = _file(other)
        seeded.worker.rebuild()
        assert old.exists()  # still held by the other process

        other.worker.refresh()

        assert _file(other) == _file(seeded)
        assert not old.exists()  # the last process to leave it removed it
        assert other.worker.position == seeded.ledger.last_position()
        assert other.worker.checksum() == seeded.worker.checksum()
    finally:
        other.close()


def test_feeds_numbered_the_slow_way_equal_those_numbered_along_the_indexes(
    seeded: Carefacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.ledger.register_source(source_body())
    _changes_in_the_same_batch_as_their_reports(seeded, "slow")
    seeded.worker.rebuild()
    along_the_indexes = seeded.worker.checksum()
    # As for a log where some fact came before its authority's registration.
    monkeypatch.setattr(rebuild, "_registered_first", lambda _cur: False)

    seeded.worker.rebuild()

    assert seeded.worker.checksum() == along_the_indexes


def test_reports_extracted_on_two_cores_give_the_rows_of_one(
    seeded: Carefacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded.ledger.register_source(source_body())
    _changes_in_the_same_batch_as_their_reports(seeded, "halves")
    seeded.worker.catch_up()
    incremental = seeded.worker.checksum()
    monkeypatch.setattr(rebuild, "SPLIT_FROM", 0)  # the seeds are a short log
    # Beside the search view, as when some reports are worth moving over too.
    monkeypatch.setattr(rebuild, "SHARE_BESIDE_SEARCH", 0.5)

    seeded.worker.rebuild()

    assert seeded.worker.checksum() == incremental
    assert not list(seeded.settings.data_dir.glob("*-reports"))


def _fts_consistent(app: Carefacts) -> None:
    """FTS5's own check that its index and its rows agree (raises if not)."""
    with app.views.write() as cur:
        cur.execute("INSERT INTO search_text (search_text) VALUES ('integrity-check')")


def _hits(app: Carefacts, q: str) -> list[int]:
    with app.views.read() as cur:
        page = search_page(cur, "sqlite", parse_query(q), SearchFilters())
    return [hit.row.position for hit in page.items]


def test_a_search_view_built_on_the_other_core_is_moved_in_whole(
    seeded: Carefacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = seeded.ledger
    ledger.register_source(source_body())
    _changes_in_the_same_batch_as_their_reports(seeded, "words")
    renamed = ledger.record_fact(appointment_body(person="Ottoline Quarrie")).id
    ledger.correct_fact(UUID(renamed), {"person": "Ottilie Quarry"}, "misspelt")
    seeded.worker.catch_up()
    incremental = seeded.worker.checksum()
    monkeypatch.setattr(rebuild, "SPLIT_FROM", 0)  # the seeds are a short log

    seeded.worker.rebuild()

    assert seeded.worker.checksum() == incremental
    _fts_consistent(seeded)
    # The corrected fact by its new name and by the old one, once.
    assert _hits(seeded, "Ottilie Quarry") == _hits(seeded, "ottoline") != []
    assert not list(seeded.settings.data_dir.glob("*-words"))
    # The live worker goes on writing into the moved table as into its own.
    later = ledger.record_fact(count_body(measure="test:moved", summary="Zebra 7."))
    ledger.correct_fact(UUID(later.id), {"summary": "Zebra eight."}, "recount")
    seeded.worker.catch_up()
    _fts_consistent(seeded)
    assert len(_hits(seeded, "zebra")) == 1
    advanced = seeded.worker.checksum()
    monkeypatch.setattr(rebuild, "SPLIT_FROM", 10**12)  # all in one process

    seeded.worker.rebuild()

    assert seeded.worker.checksum() == advanced


def test_feeds_of_many_short_pages_rebuilt_equal_those_kept_batched(
    seeded_settings: Settings,
) -> None:
    # A new page size is a new shape of the feed view: rebuilt at start, in bulk.
    app = Carefacts.open(replace(seeded_settings, feed_page_size=3))
    try:
        app.ledger.register_source(source_body())
        _changes_in_the_same_batch_as_their_reports(app, "pages")
        app.worker.rebuild()
        rebuilt = app.worker.checksum(["feed"])
        with app.views.read() as cur:
            cur.execute("SELECT COUNT(*) FROM feed_pages WHERE page > 2")
            assert cur.fetchone()[0] > 10  # feeds of several pages

        app.worker.reset()
        app.worker.catch_up()

        assert app.worker.checksum(["feed"]) == rebuilt
    finally:
        app.close()

"""The recorders' own reads of the log, against SQLite and PostgreSQL alike: they
read what the library's recorder stored, in its order."""

from __future__ import annotations

from uuid import UUID, uuid4

from service.application import Ledger
from service.eventstore import LogRecorder, PostgresLogRecorder, SQLiteLogRecorder
from tests.builders import count_body


def test_the_ledger_stores_through_the_log_recorder_of_its_database(
    ledger: Ledger,
) -> None:
    expected = (
        PostgresLogRecorder if ledger.settings.uses_postgres else SQLiteLogRecorder
    )
    assert isinstance(ledger.recorder, LogRecorder)
    assert type(ledger.recorder) is expected


def test_the_log_reads_match_the_librarys_notifications(ledger: Ledger) -> None:
    ledger.record_fact(count_body())
    ledger.record_fact(count_body(value=12, effective="2022-03-31"))
    notifications = ledger.recorder.select_notifications(start=None, limit=100)
    assert len(notifications) >= 2
    stored = [
        (n.id, n.originator_id, n.originator_version, n.topic) for n in notifications
    ]

    events = ledger.read(0, 100)
    assert [
        (e.position, UUID(e.originator_id), e.version, e.topic) for e in events
    ] == stored
    assert [e.data for e in events] == [bytes(n.state) for n in notifications]
    assert ledger.positions(0, 100) == [n.id for n in notifications]
    assert ledger.last_position() == notifications[-1].id

    first, last = notifications[0].id, notifications[-1].id
    assert [e.position for e in ledger.read_at([last, first])] == [first, last]
    assert ledger.read(last, 100) == []
    assert ledger.read_at([]) == []
    assert [e.position for e in ledger.read(first, 1)] == [notifications[1].id]


def test_select_created_finds_first_events_of_recorded_ids_only(
    ledger: Ledger,
) -> None:
    recorded = ledger.record_fact(count_body())
    key = UUID(recorded.id).hex
    found = ledger.recorder.select_created([key, uuid4().hex])
    assert list(found) == [key]
    topic, state = found[key]
    assert topic == "CountReported"
    assert b'"value":540' in state.replace(b" ", b"")

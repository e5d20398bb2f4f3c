"""A fact's CSV record is the same whether it is built from the fact's row and
what the log says of it (listings) or from its document (JSON, comparisons), for
every kind in the seeds and for corrected and retracted versions; and a text cell
a spreadsheet would run as a formula is written as text."""

from __future__ import annotations

from uuid import UUID

from projections.fact_records import cell, fact_record, own_columns, version_record
from projections.facts import hydrate, versions_said, visible_facts
from service.composition import Carefacts


def test_records_from_rows_equal_records_from_documents(seeded: Carefacts) -> None:
    ledger = seeded.ledger
    with seeded.views.read() as cur:
        first = visible_facts(cur, "E06000009", limit=3)
    corrected, retracted = first[0].fact_id, first[1].fact_id
    ledger.correct_fact(UUID(corrected), {"summary": "Said again."}, "reworded", None)
    ledger.correct_fact(
        UUID(corrected), {"summary": "Said a third time."}, "again", None
    )
    ledger.retract_fact(UUID(retracted), "withdrawn")
    seeded.worker.catch_up()
    own = own_columns(None)
    with seeded.views.read() as cur:
        rows = visible_facts(cur, history=True)
        said = versions_said(cur, ledger, rows)
        docs = hydrate(cur, ledger, rows)
    kinds = {row.kind for row in rows}
    assert len(kinds) >= 6
    assert {row.version for row in rows if row.fact_id == corrected} == {1, 2, 3}
    for row, one, doc in zip(rows, said, docs, strict=True):
        from_row = version_record(row, one.fields, one.current.recorded_at, "X", own)
        assert from_row == fact_record(doc, "X", own), row


def test_a_formula_is_written_as_text_and_a_number_as_a_number() -> None:
    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("-1") == "'-1"
    assert cell(-1) == -1
    assert cell(True) == "true"
    assert cell({"amount": 1}) == '{"amount":1}'
    assert cell(None) is None

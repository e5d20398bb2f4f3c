"""Official data: the register, Ofsted outcomes and children looked after match
the files they were imported from, for every authority."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from domain.errors import DomainError
from domain.registry import AuthorityDetails
from projections import registry
from projections.facts import hydrate, visible_facts
from projections.state import current_state
from seeds.importers import cla, lait, ofsted
from seeds.importers.codes import code_resolver, import_register
from seeds.importers.csvfile import ImportFormatError
from seeds.loader import load_sources
from seeds.paths import OFFICIAL
from seeds.report import ImportReport
from service.composition import Carefacts
from service.settings import Settings

JUDGEMENTS = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires_improvement",
    "Inadequate": "inadequate",
}


def _rows(name: str) -> list[dict[str, str]]:
    with (OFFICIAL / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_register_holds_every_english_authority_and_marks_abolished_ones(
    seeded: Carefacts,
) -> None:
    with seeded.views.read() as cur:
        authorities = {a["code"]: a for a in registry.list_authorities(cur)}
    ons = {
        r["UTLACD"]
        for r in _rows("ons_upper_tier_la_codes.csv")
        if r["CTRYNM"] == "England"
    }
    assert len(ons) == 153
    assert ons <= set(authorities)
    assert {c for c, a in authorities.items() if a["status"] == "current"} == ons
    assert authorities["E10000006"]["status"] == "abolished"  # Cumbria
    assert authorities["E06000009"]["dfe_number"] == "890"


def test_every_abolished_authority_names_the_current_ones_that_replaced_it(
    seeded: Carefacts,
) -> None:
    with seeded.views.read() as cur:
        authorities = {a["code"]: a for a in registry.list_authorities(cur)}
    abolished = {c: a for c, a in authorities.items() if a["status"] == "abolished"}
    assert set(abolished) == {"E06000028", "E06000029", "E10000006", "E10000021"}
    for code, authority in abolished.items():
        successors = authority["replaced_by"]
        assert successors, code
        for successor in successors:
            assert authorities[successor["code"]]["status"] == "current", code
            assert successor["name"] == authorities[successor["code"]]["name"]
        assert authority["replaced_on"] and authority["replaced_on"] <= "2023-04-01"
    cumbria = abolished["E10000006"]
    assert [s["name"] for s in cumbria["replaced_by"]] == [
        "Cumberland",
        "Westmorland and Furness",
    ]
    assert cumbria["replaced_on"] == "2023-04-01"
    assert all(
        (a["replaced_by"], a["replaced_on"]) == ([], None)
        for a in authorities.values()
        if a["status"] == "current"
    )


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"replaced_by": ["E06000058"]}, "only an abolished authority"),
        ({"status": "abolished", "replaced_by": "E06000058"}, "list of 1 to 10"),
        ({"status": "abolished", "replaced_by": ["Poole"]}, "GSS"),
        ({"status": "abolished", "replaced_by": ["E06000029"]}, "cannot replace"),
        ({"status": "abolished", "replaced_on": "2019-04"}, "must be a day"),
    ],
)
def test_a_succession_that_cannot_be_is_refused(
    body: dict[str, object], words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        AuthorityDetails.parse({"code": "E06000029", "name": "Poole", **body})
    assert words in refused.value.message


def test_the_ofsted_judgement_at_31_march_2025_matches_the_official_file(
    seeded: Carefacts,
) -> None:
    expected = _rows("ofsted_inspections_as_at_31_march_2025.csv")
    assert len(expected) == 153
    resolve = code_resolver()
    with seeded.views.read() as cur:
        for row in expected:
            code = resolve(
                row["Local authority area code"], row["Local authority name"]
            )
            state = current_state(cur, seeded.ledger, code, as_of=date(2025, 5, 31))
            rating = state["rating"]
            assert rating is not None, code
            assert rating["effective"]["date"] == row["Publication date"], code
            assert (
                rating["fields"]["judgement"]
                == JUDGEMENTS[row["Overall effectiveness"]]
            )


def test_the_current_judgement_is_the_official_one_unless_a_later_report_is_recorded(
    seeded: Carefacts,
) -> None:
    expected = _rows("ofsted_inspections_as_at_31_march_2025.csv")
    later = {"E06000009"}  # Blackpool: the July 2026 report is in the curated facts
    resolve = code_resolver()
    with seeded.views.read() as cur:
        for row in expected:
            code = resolve(
                row["Local authority area code"], row["Local authority name"]
            )
            rating = current_state(cur, seeded.ledger, code)["rating"]
            if code in later:
                assert rating["effective"]["date"] > row["Publication date"]
            else:
                assert (
                    rating["fields"]["judgement"]
                    == JUDGEMENTS[row["Overall effectiveness"]]
                )


def test_children_in_care_at_31_march_2025_match_the_dfe_file(
    seeded: Carefacts,
) -> None:
    rows = [
        r
        for r in _rows("dfe_children_looked_after_2021_2025.csv")
        if r["time_period"] == "2025"
        and r["geographic_level"] == "Local authority"
        and r["population_type"] == "Children looked after on 31 March each year"
        and r["children_count"].isdigit()
    ]
    assert len(rows) > 140
    numbers = {
        r["la_code"]: r["la_code_new"]
        for r in _rows("la_code_lookup_ofsted_dfe_gss.csv")
    }
    with seeded.views.read() as cur:
        for row in rows:
            code = numbers.get(row["old_la_code"], row["new_la_code"])
            facts = visible_facts(
                cur, code, subject="children_in_care", source="dfe-cla-2025"
            )
            at_2025 = [f for f in facts if f.effective == "2025-03-31"]
            assert len(at_2025) == 1, code
            (doc,) = hydrate(cur, seeded.ledger, at_2025)
            assert doc["fields"]["value"] == int(row["children_count"]), code
            assert doc["fields"]["rate_per_10000"] == Decimal(row["rate_per_10000"])


def test_blackpools_timeline_shows_official_and_reported_figures_each_with_its_source(
    seeded: Carefacts,
) -> None:
    with seeded.views.read() as cur:
        docs = hydrate(
            cur,
            seeded.ledger,
            visible_facts(
                cur, "E06000009", subject="children_in_care", kind="count_reported"
            ),
        )
    by_source = {
        (d["effective"]["date"], d["source"]["id"]): d["fields"]["value"] for d in docs
    }
    assert by_source[("2025-03-31", "dfe-cla-2025")] == 531
    assert by_source[("2023-07", "gazette-2023-07-care-reduction")] == 540
    assert by_source[("2018-03-31", "dfe-lait")] == 533


def _import_again_records_nothing(core: Carefacts, run: object) -> None:
    position = core.ledger.last_position()
    report = run(core.ledger)  # type: ignore[operator]
    assert report.recorded == 0 and report.present > 0
    assert core.ledger.last_position() == position


def test_importing_any_official_file_again_records_nothing(seeded: Carefacts) -> None:
    _import_again_records_nothing(
        seeded,
        lambda ledger: ofsted.import_history(
            ledger, OFFICIAL / "ofsted_ilacs_inspection_history_2025.csv"
        ),
    )
    _import_again_records_nothing(
        seeded,
        lambda ledger: cla.import_cla(
            ledger, OFFICIAL / "dfe_children_looked_after_2021_2025.csv"
        ),
    )


def test_a_broken_row_is_reported_by_its_line_and_skipped(
    seeded: Carefacts, tmp_path: Path
) -> None:
    source = OFFICIAL / "dfe_children_looked_after_2021_2025.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    broken = lines[5].split(",")
    broken[12] = "-40"  # children_count
    lines[5] = ",".join(broken)
    path = tmp_path / "cla.csv"
    path.write_text("\n".join(lines[:10]) + "\n")
    report = cla.import_cla(seeded.ledger, path)
    assert any(
        p.startswith("cla.csv line 6:") and "negative" in p for p in report.problems
    )
    assert report.skipped["malformed row (see problems)"] == 1


def test_a_file_of_another_format_stops_with_a_clear_error(
    seeded: Carefacts, tmp_path: Path
) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("a,b,c\n1,2,3\n")
    position = seeded.ledger.last_position()
    with pytest.raises(ImportFormatError, match="missing column"):
        cla.import_cla(seeded.ledger, path)
    assert seeded.ledger.last_position() == position


def test_suppressed_values_are_counted_not_recorded(seeded: Carefacts) -> None:
    report = cla.import_cla(
        seeded.ledger, OFFICIAL / "dfe_children_looked_after_2021_2025.csv"
    )
    assert report.skipped["suppressed value z (not applicable)"] == 56
    assert report.skipped["suppressed value c (confidential)"] == 2


@pytest.fixture
def lait_sample(tmp_path: Path) -> Path:
    """The first 3,000 rows of the LAIT file, with its dictionary beside it."""
    import gzip

    with gzip.open(
        OFFICIAL / "lait_measures_long.csv.gz", "rt", encoding="utf-8"
    ) as src:
        head = [next(src) for _ in range(3001)]
    path = tmp_path / "lait_sample.csv"
    path.write_text("".join(head))
    shutil.copy(OFFICIAL / "lait_data_dictionary.csv.gz", tmp_path)
    return path


@pytest.mark.parametrize("processes", [1, 2])
def test_lait_imports_measures_and_values_and_a_second_run_records_nothing(
    seeded_settings: Settings, lait_sample: Path, processes: int
) -> None:
    core = Carefacts.open(seeded_settings)
    try:
        report = lait.import_lait(core.ledger, lait_sample, processes=processes)
        assert report.recorded > 2000
        assert report.skipped["no value ('-')"] > 0
        again = lait.import_lait(core.ledger, lait_sample, processes=processes)
        assert (again.recorded, again.present) == (0, report.recorded)
        core.worker.catch_up()
        with core.views.read() as cur:
            assert registry.get_measure(cur, "lait:RTA") is not None
            facts = visible_facts(cur, "E09000002", subject="lait:RTA")
        assert facts and all(f.source_id == "dfe-lait" for f in facts)
    finally:
        core.close()


def test_an_authority_no_longer_existing_is_registered_from_the_ofsted_file(
    seeded: Carefacts,
) -> None:
    with seeded.views.read() as cur:
        bournemouth = registry.get_authority(cur, "E06000028")
    assert bournemouth is not None and bournemouth["status"] == "abolished"
    assert (
        AuthorityDetails.parse({"code": "E06000028", "name": "Bournemouth"}).level
        == "authority"
    )


def test_reports_say_what_was_skipped_and_why() -> None:
    report = ImportReport("x", recorded=3, present=2)
    report.skipped["no value ('-')"] += 4
    assert report.lines()[1] == "  skipped 4: no value ('-')"


def test_a_register_loaded_before_successions_were_named_is_kept_not_a_failure(
    sqlite_settings: Settings,
) -> None:
    app = Carefacts.open(sqlite_settings)
    try:
        load_sources(app.ledger, OFFICIAL / "sources.toml")
        app.ledger.register_authority(
            {"code": "E10000006", "name": "Cumbria", "status": "abolished"}
        )
        report = import_register(app.ledger, OFFICIAL)
        assert report.skipped == {"registered before with other details": 1}
        assert report.problems == [
            "E10000006: authority E10000006 is already registered with different "
            "details"
        ]
        assert report.recorded > 150  # every other authority, region and England
        app.worker.catch_up()
        with app.views.read() as cur:
            cumbria = registry.get_authority(cur, "E10000006")
            westmorland = registry.get_authority(cur, "E06000064")
        assert cumbria is not None and cumbria["replaced_by"] == []
        assert westmorland is not None and westmorland["status"] == "current"
    finally:
        app.close()

"""The pages for people: the list's columns, numbers as people write them, a
source's page, the comparison with statistical neighbours (the same figures as
its JSON and CSV) and the recent-changes page."""

from __future__ import annotations

import csv
import gzip
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from projections.fact_wording import number_text
from seeds.importers import lait
from seeds.paths import OFFICIAL
from service.templating import figures, ordinal
from tests.builders import count_body, source_body
from tests.http.conftest import log_position, sync

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
BLACKPOOL, BIRMINGHAM, ENGLAND = "E06000009", "E08000025", "E92000001"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


class _Rows(HTMLParser):
    """The rows of the table with a given class or id: each row's attributes
    and its cells' text."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth = wanted, 0
        self.rows: list[tuple[dict[str, str | None], list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and self.wanted in (
            found.get("id"),
            *(found.get("class") or "").split(),
        ):
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append((found, []))
        elif self.depth and tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _rows(html: str, wanted: str) -> list[tuple[dict[str, str | None], list[str]]]:
    parser = _Rows(wanted)
    parser.feed(html)
    return [(attrs, cells) for attrs, cells in parser.rows if cells]


def test_numbers_are_written_with_thousands_separators() -> None:
    assert number_text(2317) == "2,317"
    assert number_text("81770") == "81,770"
    assert number_text("1234567.25") == "1,234,567.25"
    assert number_text("-4500") == "-4,500"
    assert number_text("531") == "531"
    assert number_text("about 12") == "about 12"  # not a number: as it is
    # A figure a source wrote from a binary float reads as the decimal it stands for.
    assert number_text("18.829999999999998") == "18.83"
    assert number_text("1250.5") == "1,250.5"
    # A summary's own figures are written so too; its years and other numbers not.
    assert (
        figures("2023: 2317 in care, 12317 before (79.5 per 10,000)", {"value": 2317})
        == "2023: 2,317 in care, 12317 before (79.5 per 10,000)"
    )
    assert figures("1250 left; rate 1250.5", {"value": "1250.5"}) == (
        "1250 left; rate 1,250.5"
    )
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 1000)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd",
        "101st", "1,000th",
    ]  # fmt: skip


def test_the_list_shows_ratings_children_with_rates_and_directors(
    client: TestClient,
) -> None:
    page = client.get("/", headers=BROWSER)
    assert page.status_code == 200
    rows = {cells[0]: cells for _, cells in _rows(page.text, "authorities")[1:]}
    assert len(rows) == 153
    birmingham = rows["Birmingham"]
    assert birmingham[3].startswith("2,317 (79 per 10,000) 31 March 2025")
    assert "good" in birmingham[2]
    counts = [r[3].split()[0] for r in rows.values() if r[3][:1].isdigit()]
    assert len(counts) >= 150
    assert all(re.fullmatch(r"\d{1,3}(,\d{3})*", c) for c in counts), counts
    # Blackpool's director, by the same rule as its page: named, not reported
    # in post for more than three years.
    state = client.get(f"/authorities/{BLACKPOOL}").json()["state"]
    named = next(
        p
        for p in state["office_holders"]
        if p["role"] == "director_of_childrens_services"
    )
    assert rows["Blackpool"][4].startswith(named["person"])
    assert "not reported in post since July 2023" in rows["Blackpool"][4]
    # Every other authority: none named, and the caption says why the cell is blank.
    blank = [r for r in rows.values() if r[4].startswith("—")]
    assert len(blank) == 152
    assert "a dash where no recorded source names one yet" in _text(page.text)
    # The sorted column says so on its header cell, not on the link inside it.
    assert '<th scope="col" aria-sort="ascending"><a href' in page.text
    by_children = client.get("/?sort=children", headers=BROWSER).text
    assert 'aria-sort="descending"' in by_children


def test_every_figure_on_an_authority_page_has_its_thousands_separated(
    client: TestClient,
) -> None:
    page = client.get(f"/authorities/{ENGLAND}", headers=BROWSER).text
    text = _text(page[page.index('id="other-counts"') :])
    assert "children ceased to be looked after in the year to 31 March 2025" in text
    assert re.search(r"31 March 2025: \d{2},\d{3} children ceased", text)
    assert not re.search(r"\b\d{5,}\b", text)
    cards = _text(page[page.index('id="current-children"') :][:2000])
    assert re.search(r"Children in care \d{2},\d{3} 31 March 2025", cards)


def test_a_source_has_a_page_with_its_publisher_date_original_and_paged_facts(
    client: TestClient,
) -> None:
    source = "dfe-cla-2025"
    first = client.get(f"/sources/{source}?limit=40", headers=BROWSER)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    text = _text(first.text)
    meta = client.get(f"/sources/{source}").json()["source"]
    assert f"Published by {meta['publisher']}" in text
    assert "Published about 2025" in text
    assert f'<a href="{meta["url"]}" id="original">' in first.text
    assert "What it is Statistics" in text
    # Its facts a page at a time, linked as the JSON listing links them.
    link = first.headers["link"]
    following = re.fullmatch(r'<([^>]+)>; rel="next"', link)
    assert following is not None
    next_url = following.group(1)
    assert f'<a rel="next" href="{next_url.replace("&", "&amp;")}">' in first.text
    second = client.get(next_url, headers=BROWSER)
    assert second.status_code == 200

    def fact_ids(html: str) -> list[str]:
        found = re.findall(
            r'<li>[^<]*<a href="/facts/([0-9a-f-]+)\?format=html">', html
        )
        return found

    shown = fact_ids(first.text) + fact_ids(second.text)
    listed = client.get(f"/sources/{source}?limit=40").json()
    listed_next = client.get(listed["next"]).json()
    assert shown == [f["fact_id"] for f in listed["facts"] + listed_next["facts"]]
    assert len(set(shown)) == 80
    # A JSON client still gets JSON, whatever else it accepts.
    for accept in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        assert client.get(f"/sources/{source}", headers=accept).json()["source"]
    # Every "record" link on an authority page opens this page, not raw JSON.
    authority = client.get(f"/authorities/{BLACKPOOL}", headers=BROWSER).text
    record = re.search(r'<a href="(/sources/[^"]+)">record</a>', authority)
    assert record is not None
    opened = client.get(record.group(1), headers=BROWSER)
    assert opened.headers["content-type"].startswith("text/html")
    assert "Facts it reported" in opened.text


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=100000", "cursor=not-a-cursor", "format=xml"],
)
def test_a_bad_request_for_a_source_page_is_a_problem(
    client: TestClient, query: str
) -> None:
    response = client.get(f"/sources/dfe-cla-2025?{query}", headers=BROWSER)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def _compared(client: TestClient, code: str, measure: str) -> dict[str, Any]:
    body: dict[str, Any] = client.get(
        f"/authorities/{code}/neighbours/{measure}"
    ).json()
    return body


def _expected_rows(body: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """(code, figure, rank) in the order the page lists them."""
    own = (body["authority"]["code"], body["value"], body["rank"]["rank"])
    listed = [(n["code"], n["fact"], n["rank"]) for n in body["neighbours"]]
    england = (ENGLAND, body["england"]["fact"], None)
    return [
        (
            code,
            number_text(fact["fields"]["value"]) if fact else None,
            ordinal(rank) if rank else None,
        )
        for code, fact, rank in [own, *listed, england]
    ]


def test_the_comparison_section_shows_what_the_neighbours_json_says(
    client: TestClient,
) -> None:
    body = _compared(client, BLACKPOOL, "children_in_care")
    page = client.get(f"/authorities/{BLACKPOOL}", headers=BROWSER).text
    section = page[page.index('<section class="comparison" id="children_in_care"') :]
    section = section[: section.index("</section>")]
    rows = _rows(section, "compared")[1:]
    assert len(body["neighbours"]) == 10 and len(rows) == 12
    shown = []
    for attrs, cells in rows:
        figure = cells[1] if not cells[1].startswith("no figure") else None
        place = cells[3].split()[0] if cells[3][:1].isdigit() else None
        shown.append((attrs["data-code"], figure, place))
    assert shown == _expected_rows(body)
    # The rank sentence, the rate's rank, and links to each fact and source.
    words = _text(section)
    assert (
        f"Blackpool's figure is the {ordinal(body['rank']['rank'])} highest of the "
        f"{body['rank']['of']} authorities in England" in words
    )
    assert body["rate_rank"]["rank"] == 1
    assert "Its rate per 10,000 children is the highest of" in words
    for fact in [body["value"], *(n["fact"] for n in body["neighbours"])]:
        assert f'href="/facts/{fact["fact_id"]}"' in section
        assert f'href="/sources/{fact["source"]["id"]}"' in section
    # The chart: one bar per authority, each a link to its fact, with a name.
    chart = section[section.index("<svg") : section.index("</svg>")]
    bars = re.findall(r'<a href="/facts/([0-9a-f-]+)" aria-label="([^"]+)">', chart)
    assert [b[0] for b in bars] == [body["value"]["fact_id"]] + [
        n["fact"]["fact_id"] for n in body["neighbours"]
    ] + [body["england"]["fact"]["fact_id"]]
    assert bars[0][1].startswith("Blackpool: 184 per 10,000 children")
    csv_link = f"/authorities/{BLACKPOOL}/neighbours/children_in_care?format=csv"
    assert f'href="{csv_link}"' in section


def test_the_rank_is_the_place_among_every_authoritys_figure_that_day(
    client: TestClient,
) -> None:
    body = _compared(client, BLACKPOOL, "children_in_care")
    authorities = {
        a["code"] for a in client.get("/authorities?limit=1000").json()["authorities"]
    }
    values: dict[str, float] = {}
    url: str | None = "/sources/dfe-cla-2025?limit=1000"
    while url:
        page = client.get(url).json()
        for f in page["facts"]:
            if (
                f["subject"] == "children_in_care"
                and f["effective"]["date"] == body["date"]
                and f["authority"] in authorities
            ):
                values[f["authority"]] = float(f["fields"]["value"])
        url = page["next"]
    own = values[BLACKPOOL]
    assert body["rank"] == {
        "rank": 1 + sum(1 for v in values.values() if v > own),
        "of": len(values),
        "order": "highest first",
    }


def test_the_comparison_as_csv_has_the_rows_of_its_json(client: TestClient) -> None:
    body = _compared(client, BLACKPOOL, "children_in_care")
    response = client.get(
        f"/authorities/{BLACKPOOL}/neighbours/children_in_care",
        headers={"Accept": "text/csv"},
    )
    assert response.headers["content-type"].startswith("text/csv")
    records = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["role"] for r in records] == ["authority"] + ["neighbour"] * 10 + [
        "england"
    ]
    assert [
        (r["code"], r["fact_id"], r["rank"] or None, r["value"]) for r in records
    ] == [
        (
            code,
            fact["fact_id"],
            str(rank) if rank else None,
            str(fact["fields"]["value"]),
        )
        for code, fact, rank in [
            (BLACKPOOL, body["value"], body["rank"]["rank"]),
            *((n["code"], n["fact"], n["rank"]) for n in body["neighbours"]),
            (ENGLAND, body["england"]["fact"], None),
        ]
    ]
    assert records[0]["ranked"] == str(body["rank"]["of"])
    assert records[0]["source_id"] == body["value"]["source"]["id"]
    same = client.get(
        f"/authorities/{BLACKPOOL}/neighbours/children_in_care?format=csv"
    ).text
    assert same == response.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/authorities/{BLACKPOOL}/neighbours/children_in_care?format=xml", 422),
        (f"/authorities/{BLACKPOOL}/neighbours/children_in_care?as_of=tomorrow", 422),
        (f"/authorities/{BLACKPOOL}/neighbours/no_such_measure", 404),
        ("/authorities/E06999999/neighbours/children_in_care", 404),
    ],
)
def test_a_bad_comparison_request_is_a_problem_for_a_browser_too(
    client: TestClient, path: str, status: int
) -> None:
    for headers in (BROWSER, {"Accept": "text/csv"}, {}):
        response = client.get(path, headers=headers)
        assert response.status_code == status, (path, headers)
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.fixture
def lait_client(client: TestClient, tmp_path: Path) -> TestClient:
    """The seeded client with the first rows of the LAIT file imported."""
    sample = tmp_path / "lait_sample.csv"
    with gzip.open(OFFICIAL / "lait_measures_long.csv.gz", "rt", encoding="utf-8") as f:
        sample.write_text("".join(next(f) for _ in range(6001)))
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    lait.import_lait(ledger, sample, OFFICIAL / "lait_data_dictionary.csv.gz")
    sync(client)
    return client


def test_each_lait_measure_with_data_opens_its_comparison_page(
    lait_client: TestClient,
) -> None:
    page = lait_client.get(f"/authorities/{BLACKPOOL}", headers=BROWSER).text
    listed = re.findall(
        rf'<a href="/authorities/{BLACKPOOL}/neighbours/(lait:[^"]+)">', page
    )
    facts = lait_client.get(
        f"/authorities/{BLACKPOOL}/facts?kind=count_reported&limit=1000"
    ).json()["facts"]
    assert sorted(listed) == sorted(
        {f["subject"] for f in facts if f["subject"].startswith("lait:")}
    )
    assert len(listed) >= 3
    for measure in listed:
        body = _compared(lait_client, BLACKPOOL, measure)
        html = lait_client.get(
            f"/authorities/{BLACKPOOL}/neighbours/{measure}", headers=BROWSER
        )
        assert html.headers["content-type"].startswith("text/html")
        rows = _rows(html.text, "compared")[1:]
        shown = [
            (
                attrs["data-code"],
                cells[1] if not cells[1].startswith("no figure") else None,
                cells[2].split()[0] if cells[2][:1].isdigit() else None,
            )
            for attrs, cells in rows
        ]
        assert shown == _expected_rows(body), measure
        assert "<svg" in html.text and 'class="bars"' in html.text


def test_recent_changes_is_a_page_linked_from_the_front_page(
    client: TestClient,
) -> None:
    front = client.get("/", headers=BROWSER).text
    assert '<a href="/changes">recent changes</a>' in front
    before = log_position(client)
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_source(source_body())
    recorded = ledger.record_fact(count_body(value=2468)).id
    sync(client)
    page = client.get("/changes", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert "Recent changes" in text and "Recorded on or after" in text
    since = client.get(f"/changes?since={before}", headers=BROWSER)
    assert f'href="/facts/{recorded}"' in since.text
    assert "Blackpool 1 count reported 1" in _text(since.text)
    body = client.get(f"/changes?since={before}").json()
    assert [c["fact_id"] for c in body["changes"]] == [recorded]
    # Paged as the JSON is: a Link to the next page, and a link at the foot.
    paged = client.get("/changes?since=0&limit=3", headers=BROWSER)
    assert 'rel="next"' in paged.headers["link"]
    assert '<a rel="next" href="/changes?since=0&amp;limit=3&amp;cursor=' in (
        paged.text
    )
    assert len(re.findall(r"<li><strong>Reported</strong>", paged.text)) == 3


@pytest.mark.parametrize(
    "query",
    ["since_date=yesterday", "since=-1", "limit=0", "format=xml", "cursor=zz"],
)
def test_a_bad_request_for_recent_changes_is_a_problem(
    client: TestClient, query: str
) -> None:
    response = client.get(f"/changes?{query}", headers=BROWSER)
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")

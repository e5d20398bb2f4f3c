"""Feed entries a person can read: XHTML bodies with the value, the date it refers
to and the source, a page to open, tombstones for withdrawn facts, feeds by kind,
and the licence. Read as a feed reader would, with feedparser."""

from __future__ import annotations

import re
from typing import Any

import feedparser
import orjson
from lxml import etree
from starlette.testclient import TestClient

from tests.http.conftest import TOKEN, log_position, sync

ATOM = "http://www.w3.org/2005/Atom"
CF = "tag:carefacts,2026:ns"
AT = "http://purl.org/atompub/tombstones/1.0"
FEEDS = ("/feed", "/authorities/E06000009/feed", "/kinds/count_reported/feed")
BASE64_RUN = re.compile(rb"[A-Za-z0-9+/]{80,}={0,2}")


def _pages(client: TestClient, path: str) -> list[bytes]:
    """Every page of a feed, oldest first."""
    working = client.get(path).content
    count = len(
        [
            link
            for link in etree.fromstring(working).findall(f"{{{ATOM}}}link")
            if link.get("rel") == "prev-archive"
        ]
    )
    pages = []
    if count:
        url = next(
            link.get("href")
            for link in etree.fromstring(working).findall(f"{{{ATOM}}}link")
            if link.get("rel") == "prev-archive"
        )
        last = int(url.rsplit("/", 1)[1])
        pages = [client.get(f"{path}/archive/{n}").content for n in range(1, last + 1)]
    return [*pages, working]


def _entries(client: TestClient, path: str) -> list[Any]:
    return [e for page in _pages(client, path) for e in feedparser.parse(page).entries]


def _by_title(client: TestClient, path: str, start: str) -> Any:
    return next(e for e in _entries(client, path) if e.title.startswith(start))


def test_an_entry_shows_the_value_the_date_it_refers_to_and_the_source(
    reader_client: TestClient,
) -> None:
    entry = _by_title(reader_client, "/feed", "Blackpool: 540 children in care")
    assert entry.title == (
        "Blackpool: 540 children in care (July 2023), reported by Test Gazette"
    )
    content = entry.content[0]
    assert content.type == "application/xhtml+xml"
    text = re.sub(r"<[^>]+>", "", content.value)
    assert "540 children in care" in text
    assert "Refers to: July 2023" in text and "known to the month" in text
    assert "Test Gazette: A test article about children in care" in text
    assert "Evidence: press report" in text
    assert 'href="https://news.example/test-article"' in content.value


def test_an_official_judgement_reads_as_an_inspection_outcome_with_its_licence(
    reader_client: TestClient,
) -> None:
    entry = _by_title(reader_client, "/kinds/rating_given/feed", "Blackpool: Ofsted")
    text = re.sub(r"<[^>]+>", "", entry.content[0].value)
    assert "inadequate, under the inspection of local authority children's" in text
    assert "Refers to: 17 January 2019" in text
    assert "Evidence: inspection finding" in text
    assert entry.rights == "Open Government Licence v3.0"


def test_no_entry_holds_base64_or_json_content_in_any_feed(
    reader_client: TestClient,
) -> None:
    for path in (*FEEDS, "/kinds/grant_received/feed"):
        for page in _pages(reader_client, path):
            assert BASE64_RUN.search(page) is None, path
            for entry in feedparser.parse(page).entries:
                assert [c.type for c in entry.content] == ["application/xhtml+xml"]
    for path in ("/feed.json", "/kinds/count_reported/feed.json"):
        assert BASE64_RUN.search(reader_client.get(path).content) is None


def test_each_entry_links_first_to_a_page_that_answers_html_then_to_its_json(
    reader_client: TestClient,
) -> None:
    entries = _entries(reader_client, "/feed")
    assert len(entries) == log_position(reader_client)
    for entry in entries:
        page = reader_client.get(entry.link)  # as a reader opens it: no Accept
        assert page.status_code == 200, entry.link
        assert page.headers["content-type"].startswith("text/html")
        alternates = [link for link in entry.links if link.rel == "alternate"]
        assert alternates[0].type == "text/html"
        assert alternates[1].type == "application/json"
        data = reader_client.get(alternates[1].href)
        assert data.headers["content-type"] == "application/json"


def test_a_correction_gives_the_old_and_new_values_and_the_reason(
    reader_client: TestClient,
) -> None:
    entry = _by_title(reader_client, "/feed", "Corrected: Blackpool: 5 children")
    text = re.sub(r"<[^>]+>", "", entry.content[0].value)
    assert "Value: was 5, now 6" in text
    assert "Reason: a typing error" in text
    assert "Now: 6 children in care" in text and "January 2022" in text


def test_a_retraction_says_what_was_withdrawn_and_why(
    reader_client: TestClient,
) -> None:
    entry = _by_title(reader_client, "/feed", "Retracted: Blackpool: grant")
    text = re.sub(r"<[^>]+>", "", entry.content[0].value)
    assert "Withdrawn: £764,000, a grant from Department for Education" in text
    assert "Reason: the article was withdrawn" in text
    assert "Test Gazette" in text


def _tombstones(page: bytes) -> list[Any]:
    return list(etree.fromstring(page).iter(f"{{{AT}}}deleted-entry"))


def test_a_retracted_fact_has_a_tombstone_in_each_feed_that_carried_it(
    reader_client: TestClient,
) -> None:
    for path in ("/feed", "/authorities/E06000009/feed", "/kinds/grant_received/feed"):
        pages = _pages(reader_client, path)
        entries = [e for page in pages for e in feedparser.parse(page).entries]
        report = next(e for e in entries if e.title.startswith("Blackpool: grant"))
        retraction = next(e for e in entries if e.title.startswith("Retracted:"))
        stones = [s for page in pages for s in _tombstones(page)]
        assert [s.get("ref") for s in stones] == [report.id], path
        assert stones[0].get("when") == retraction.updated
        assert stones[0].findtext(f"{{{AT}}}comment") == (
            "Retracted: the article was withdrawn"
        )
        link = stones[0].find(f"{{{ATOM}}}link")
        assert link.get("href") == retraction.link
        # The tombstone is on the page that holds the retraction's entry.
        holder = next(p for p in pages if _tombstones(p))
        assert retraction.id in [e.id for e in feedparser.parse(holder).entries]


def test_the_tombstone_stays_on_its_page_when_that_page_closes(
    reader_client: TestClient,
) -> None:
    working = reader_client.get("/kinds/grant_received/feed").content
    assert len(_tombstones(working)) == 1
    for month in range(1, 4):  # two more entries close the page of four
        body = {
            "kind": "grant_received",
            "authority": "E06000009",
            "source": "test-gazette-2023-07",
            "effective": f"2024-0{month}",
            "amount": "1000.00",
            "funder": f"Funder {month}",
        }
        assert reader_client.post("/facts", json=body, headers=TOKEN).status_code == 201
    sync(reader_client)
    closed = reader_client.get("/kinds/grant_received/feed/archive/1")
    assert "immutable" in closed.headers["cache-control"]
    stones = _tombstones(closed.content)
    assert [s.get("ref") for s in stones] == [
        s.get("ref") for s in _tombstones(working)
    ]
    assert _tombstones(reader_client.get("/kinds/grant_received/feed").content) == []


def test_a_kind_feed_holds_that_kind_with_its_corrections_and_retractions(
    reader_client: TestClient,
) -> None:
    counts = _entries(reader_client, "/kinds/count_reported/feed")
    assert [e.tags[0].term for e in counts] == [
        "CountReported",
        "CountReported",
        "FactCorrected",
    ]
    ratings = _entries(reader_client, "/kinds/rating_given/feed")
    assert [e.tags[0].term for e in ratings] == ["RatingGiven"]
    root = etree.fromstring(reader_client.get("/kinds/rating_given/feed").content)
    assert root.findtext(f"{{{ATOM}}}title") == "carefacts: Ofsted judgements"


def test_kind_feeds_are_archived_in_immutable_pages_with_conditional_gets(
    reader_client: TestClient,
) -> None:
    for month in range(1, 3):
        body = {"kind": "count_reported", "authority": "E06000009",
                "source": "test-gazette-2023-07", "effective": f"2021-0{month}",
                "measure": "children_in_care", "value": 500 + month}  # fmt: skip
        assert reader_client.post("/facts", json=body, headers=TOKEN).status_code == 201
    sync(reader_client)
    closed = reader_client.get("/kinds/count_reported/feed/archive/1")
    assert closed.headers["cache-control"] == "public, max-age=31536000, immutable"
    rels = {
        link.get("rel"): link.get("href")
        for link in etree.fromstring(closed.content).findall(f"{{{ATOM}}}link")
    }
    assert rels["next-archive"].endswith("/kinds/count_reported/feed/archive/2")
    assert rels["current"].endswith("/kinds/count_reported/feed")
    etag = closed.headers["etag"]
    again = reader_client.get(
        "/kinds/count_reported/feed/archive/1", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert reader_client.get("/kinds/count_reported/feed/archive/1").content == (
        closed.content
    )


def test_feeds_name_the_licences_of_their_data(reader_client: TestClient) -> None:
    for path in FEEDS:
        parsed = feedparser.parse(reader_client.get(path).content)
        assert "Open Government Licence v3.0" in parsed.feed.rights
        assert "compiled by carefacts" in parsed.feed.rights
    data = orjson.loads(reader_client.get("/feed.json").content)
    assert "Open Government Licence v3.0" in data["_carefacts"]["rights"]


def test_entries_carry_their_dates_and_position_as_extension_elements(
    reader_client: TestClient,
) -> None:
    page = reader_client.get("/kinds/count_reported/feed").content
    entry = next(etree.fromstring(page).iter(f"{{{ATOM}}}entry"))
    effective = entry.find(f"{{{CF}}}effective")
    assert (effective.text, effective.get("precision")) == ("2023-07", "month")
    published = entry.find(f"{{{CF}}}published")
    assert (published.text, published.get("precision")) == ("2023-07", "month")
    assert published.get("approximate") is None
    assert entry.findtext(f"{{{CF}}}position") == "4"
    assert entry.findtext(f"{{{CF}}}evidence") == "press_report"
    event = orjson.loads(entry.findtext(f"{{{CF}}}event"))
    assert event["fact"]["fields"]["value"] == 540
    assert event["fact"]["evidence_class"] == "press_report"


def _problem(client: TestClient, path: str, status: int, words: str) -> None:
    before = log_position(client)
    response = client.get(path)
    assert response.status_code == status, path
    assert response.headers["content-type"] == "application/problem+json"
    assert words in response.json()["detail"]
    assert log_position(client) == before


def test_an_unknown_kind_or_page_is_a_clear_problem_and_records_nothing(
    reader_client: TestClient,
) -> None:
    _problem(reader_client, "/kinds/rumour/feed", 404, "no kind of fact")
    _problem(reader_client, "/kinds/rumour/feed.json", 404, "rating_given")
    _problem(reader_client, "/kinds/rating_given/feed/archive/9", 404, "page 9")
    _problem(reader_client, "/feed/archive/x1.json", 404, "page number")
    _problem(reader_client, "/kinds/rating_given/feed.json?wait=99", 422, "wait")
    _problem(reader_client, "/kinds/rating_given/feed?colour=red", 400, "colour")

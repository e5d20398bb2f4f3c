"""The pages feed entries link to: one per fact (every version, its source, its
feeds) and one per source; and the feeds every page advertises."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from starlette.testclient import TestClient

from tests.http.conftest import log_position

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


class _Links(HTMLParser):
    """The <link rel="alternate"> elements of a page: (type, href)."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates.append((found["type"] or "", found["href"] or ""))


def _alternates(html: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.alternates


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _fact_id(client: TestClient, title: str) -> str:
    facts = client.get("/authorities/E06000009/facts?include=history").json()["facts"]
    return str(next(f["fact_id"] for f in facts if f["summary"].startswith(title)))


def test_a_browser_gets_a_page_with_the_fact_its_date_source_and_feeds(
    reader_client: TestClient,
) -> None:
    fact_id = _fact_id(reader_client, "540")
    page = reader_client.get(f"/facts/{fact_id}", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert "Blackpool: 540 children in care" in text
    assert "July 2023 (the date the number refers to, known to the month)" in text
    assert "Evidence press report" in text
    assert "Test Gazette: A test article about children in care" in text
    assert 'href="https://news.example/test-article"' in page.text
    assert 'href="/sources/test-gazette-2023-07?format=html"' in page.text
    base = "http://127.0.0.1:8000"
    assert set(_alternates(page.text)) >= {
        ("application/atom+xml", f"{base}/authorities/E06000009/feed"),
        ("application/feed+json", f"{base}/authorities/E06000009/feed.json"),
        ("application/atom+xml", f"{base}/kinds/count_reported/feed"),
        ("application/feed+json", f"{base}/kinds/count_reported/feed.json"),
        ("application/atom+xml", f"{base}/feed"),
        ("application/feed+json", f"{base}/feed.json"),
    }


def test_the_fact_page_lists_each_version_with_old_and_new_values_and_reasons(
    reader_client: TestClient,
) -> None:
    corrected = _fact_id(reader_client, "5 children")
    text = _text(reader_client.get(f"/facts/{corrected}?format=html").text)
    assert "Reported" in text and "Corrected" in text
    assert "Value: was 5, now 6" in text
    assert "Reason: a typing error" in text
    assert "Status corrected" in text
    retracted = _fact_id(reader_client, "grant of")
    text = _text(reader_client.get(f"/facts/{retracted}?format=html").text)
    assert "Retracted" in text and "the article was withdrawn" in text
    assert "£764,000, a grant from Department for Education" in text


def test_programs_still_get_the_fact_as_json(reader_client: TestClient) -> None:
    fact_id = _fact_id(reader_client, "540")
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = reader_client.get(f"/facts/{fact_id}", headers=headers)
        assert response.headers["content-type"] == "application/json"
        assert response.json()["fact"]["fields"]["value"] == 540
    forced = reader_client.get(f"/facts/{fact_id}?format=json", headers=BROWSER)
    assert forced.headers["content-type"] == "application/json"
    page = reader_client.get(f"/facts/{fact_id}?format=html")
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["vary"] == "Accept"


def test_a_source_page_shows_the_document_and_links_the_facts_it_reported(
    reader_client: TestClient,
) -> None:
    page = reader_client.get("/sources/test-ofsted-outcomes", headers=BROWSER)
    assert page.headers["content-type"].startswith("text/html")
    text = _text(page.text)
    assert "Test inspection outcomes" in text and "Ofsted" in text
    assert "Open Government Licence v3.0" in text
    assert "25 September 2025" in text
    fact_id = _fact_id(reader_client, "Ofsted")
    assert f'href="/facts/{fact_id}?format=html"' in page.text
    assert "1 in all" in text
    json = reader_client.get("/sources/test-ofsted-outcomes")
    assert json.headers["content-type"] == "application/json"


def test_the_authority_pages_advertise_their_feeds_in_both_formats(
    reader_client: TestClient,
) -> None:
    base = "http://127.0.0.1:8000"
    listing = _alternates(reader_client.get("/", headers=BROWSER).text)
    assert ("application/atom+xml", f"{base}/feed") in listing
    assert ("application/feed+json", f"{base}/feed.json") in listing
    assert ("application/atom+xml", f"{base}/kinds/rating_given/feed") in listing
    authority = _alternates(
        reader_client.get("/authorities/E06000009", headers=BROWSER).text
    )
    assert ("application/feed+json", f"{base}/authorities/E06000009/feed.json") in (
        authority
    )
    assert ("application/atom+xml", f"{base}/feed") in authority


def test_a_missing_fact_or_source_page_is_a_clear_problem_and_records_nothing(
    reader_client: TestClient,
) -> None:
    before = log_position(reader_client)
    for path, status, words in (
        ("/facts/6f1c3f7e-0000-5000-8000-000000000000", 404, "no fact has id"),
        ("/facts/not-a-uuid?format=html", 404, "not a fact id"),
        ("/sources/no-such-source?format=html", 404, "no source has id"),
        ("/facts/6f1c3f7e-0000-5000-8000-000000000000?format=pdf", 422, "format"),
    ):
        response = reader_client.get(path, headers=BROWSER)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/problem+json"
        assert words in response.json()["detail"]
    assert log_position(reader_client) == before

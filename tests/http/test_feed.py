"""The Atom feed: valid, archived in immutable pages, followable, conditional."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import feedparser
import orjson
import pytest
from lxml import etree
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings
from tests.builders import authority_body, count_body, source_body
from tests.http.conftest import TOKEN

CF = "tag:carefacts,2026:ns"
FH = "http://purl.org/syndication/history/1.0"
ATOM = "http://www.w3.org/2005/Atom"


@pytest.fixture
def small_pages(sqlite_settings: Settings) -> Settings:
    return replace(sqlite_settings, feed_page_size=10)


@pytest.fixture
def feed_client(small_pages: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(small_pages)) as client:
        ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
        ledger.register_authority(authority_body())
        ledger.register_source(source_body())
        for month in range(1, 13):
            ledger.record_fact(
                count_body(effective=f"2020-{month:02d}", value=500 + month)
            )
        _sync(client)
        yield client


def _sync(client: TestClient) -> None:
    position = client.get("/healthz").json()["log_position"]
    client.get("/authorities", params={"min_position": position})


def _post(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        "/facts", json=body, headers={"Authorization": "Bearer test-token"}
    )
    assert response.status_code == 201
    data: dict[str, Any] = response.json()
    return data


def _entries(xml: bytes) -> list[Any]:
    return list(etree.fromstring(xml).iter(f"{{{ATOM}}}entry"))


def test_every_page_is_well_formed_atom_that_feedparser_reads_cleanly(
    feed_client: TestClient,
) -> None:
    first = feed_client.get("/feed")
    assert first.headers["content-type"].startswith("application/atom+xml")
    pages = [first.content]
    for number in range(1, 3):
        pages.append(feed_client.get(f"/feed/archive/{number}").content)
    pages.append(feed_client.get("/authorities/E06000009/feed").content)
    pages.append(feed_client.get("/authorities/E06000009/feed/archive/1").content)
    for page in pages:
        etree.fromstring(page)
        parsed = feedparser.parse(page)
        assert not parsed.bozo, parsed.get("bozo_exception")


def test_an_entry_has_a_tag_id_times_category_numbers_links_and_json(
    feed_client: TestClient,
) -> None:
    xml = feed_client.get("/feed/archive/1").content
    entry = _entries(xml)[
        2
    ]  # the first fact: AuthorityRegistered, SourceRegistered, ...
    assert entry.findtext(f"{{{ATOM}}}id").startswith("tag:carefacts,2026:event:")
    assert entry.findtext(f"{{{ATOM}}}published") == entry.findtext(
        f"{{{ATOM}}}updated"
    )
    assert entry.find(f"{{{ATOM}}}category").get("term") == "CountReported"
    assert entry.findtext(f"{{{CF}}}sequence") == "3"
    assert entry.findtext(f"{{{CF}}}position") == "3"
    title = entry.findtext(f"{{{ATOM}}}title")
    assert (
        title
        == "Blackpool: 501 children in care (January 2020), reported by Test Gazette"
    )
    alternates = [
        link for link in entry.iter(f"{{{ATOM}}}link") if link.get("rel") == "alternate"
    ]
    assert [a.get("type") for a in alternates] == ["text/html", "application/json"]
    fact_url = alternates[1].get("href")
    assert fact_url.startswith("http://127.0.0.1:8000/facts/")
    assert alternates[0].get("href") == fact_url + "?format=html"
    links = {link.get("rel"): link for link in entry.iter(f"{{{ATOM}}}link")}
    assert links["related"].get("href").endswith("/sources/test-gazette-2023-07")
    assert links["via"].get("href") == "https://news.example/test-article"
    assert entry.find(f"{{{ATOM}}}content").get("type") == "xhtml"
    event = entry.find(f"{{{CF}}}event")
    assert event.get("type") == "application/json"
    data = orjson.loads(event.text)
    assert data["fact"]["fields"]["value"] == 501 and data["position"] == 3


def test_closed_pages_link_both_ways_and_say_they_are_archived(
    feed_client: TestClient,
) -> None:
    page = etree.fromstring(feed_client.get("/feed/archive/1").content)
    rels = {
        link.get("rel"): link.get("href") for link in page.findall(f"{{{ATOM}}}link")
    }
    assert rels["self"].endswith("/feed/archive/1")
    assert rels["current"].endswith("/feed")
    assert rels["next-archive"].endswith("/feed/archive/2")
    assert "prev-archive" not in rels
    assert page.find(f"{{{FH}}}archive") is not None
    working = etree.fromstring(feed_client.get("/feed").content)
    rels = {
        link.get("rel"): link.get("href") for link in working.findall(f"{{{ATOM}}}link")
    }
    assert rels["via"].endswith("/feed/archive/2") and rels["prev-archive"].endswith(
        "/archive/1"
    )
    assert working.find(f"{{{FH}}}archive") is None
    again = etree.fromstring(feed_client.get("/feed/archive/2").content)
    rels = {
        link.get("rel"): link.get("href") for link in again.findall(f"{{{ATOM}}}link")
    }
    assert rels["via"].endswith("/feed") and rels["self"].endswith("/feed/archive/2")


def test_caching_headers_for_closed_and_working_pages(feed_client: TestClient) -> None:
    closed = feed_client.get("/feed/archive/1")
    assert closed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert closed.headers["last-modified"].endswith("GMT")
    working = feed_client.get("/feed")
    assert "must-revalidate" in working.headers["cache-control"]
    assert feed_client.get("/feed/archive/3").status_code == 404


def test_a_repeated_conditional_get_is_304(feed_client: TestClient) -> None:
    for path in ("/feed", "/feed/archive/1", "/authorities/E06000009/feed"):
        etag = feed_client.get(path).headers["etag"]
        again = feed_client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag


def test_head_gives_the_headers_without_the_body(feed_client: TestClient) -> None:
    response = feed_client.head("/feed/archive/1")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["etag"]


def test_closed_pages_do_not_change_after_new_events_or_a_restart(
    small_pages: Settings, feed_client: TestClient
) -> None:
    before = feed_client.get("/feed/archive/1").content
    _post(feed_client, count_body(effective="2021-01", value=1))
    _sync(feed_client)
    assert feed_client.get("/feed/archive/1").content == before
    with TestClient(create_app(small_pages)) as restarted:
        assert restarted.get("/feed/archive/1").content == before


def test_corrections_and_retractions_are_entries_pointing_at_their_fact(
    feed_client: TestClient,
) -> None:
    fact_id = _post(feed_client, count_body(effective="2022-01", value=5))["fact_id"]
    auth = {"Authorization": f"Bearer {TOKEN['Authorization'].split()[1]}"}
    feed_client.post(
        f"/facts/{fact_id}/corrections",
        json={"value": 6, "reason": "typo"},
        headers=auth,
    )
    feed_client.post(
        f"/facts/{fact_id}/retraction", json={"reason": "withdrawn"}, headers=auth
    )
    _sync(feed_client)
    entries = _entries(feed_client.get("/authorities/E06000009/feed").content)
    kinds = [e.find(f"{{{ATOM}}}category").get("term") for e in entries[-2:]]
    assert kinds == ["FactCorrected", "FactRetracted"]
    titles = [e.findtext(f"{{{ATOM}}}title") for e in entries[-2:]]
    assert titles[0].startswith(
        "Corrected: Blackpool: 5 children in care (January 2022)"
    )
    assert titles[1].startswith("Retracted: Blackpool:")
    for entry in entries[-2:]:
        alternate = [
            link
            for link in entry.iter(f"{{{ATOM}}}link")
            if link.get("rel") == "alternate"
        ]
        assert alternate[0].get("href").endswith(f"/facts/{fact_id}?format=html")


class Subscriber:
    """A feed reader: follows the subscription document back through the archive,
    caching closed pages, and remembers the last position it has seen."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cache: dict[str, bytes] = {}
        self.seen: list[int] = []
        self.requests = 0

    def _get(self, url: str) -> bytes:
        self.requests += 1
        response = self.client.get(url)
        assert response.status_code == 200
        if "immutable" in response.headers["cache-control"]:
            self.cache[url] = response.content
        return response.content

    def poll(self) -> None:
        last = self.seen[-1] if self.seen else 0
        pages: list[bytes] = []
        url: str | None = "http://127.0.0.1:8000/feed"
        while url is not None:
            page = self.cache[url] if url in self.cache else self._get(url)
            pages.append(page)
            root = etree.fromstring(page)
            positions = [int(e.findtext(f"{{{CF}}}position")) for e in _entries(page)]
            if positions and positions[0] <= last:
                break
            url = next(
                (
                    link.get("href")
                    for link in root.findall(f"{{{ATOM}}}link")
                    if link.get("rel") == "prev-archive"
                ),
                None,
            )
            if url is not None and url in self.cache and last:
                cached = [
                    int(e.findtext(f"{{{CF}}}position"))
                    for e in _entries(self.cache[url])
                ]
                if cached and cached[-1] <= last:
                    break
        for page in reversed(pages):
            for entry in _entries(page):
                position = int(entry.findtext(f"{{{CF}}}position"))
                if position > last:
                    self.seen.append(position)
                    last = position


def test_a_subscriber_sees_every_event_once_in_order_and_catches_up_cheaply(
    feed_client: TestClient,
) -> None:
    reader = Subscriber(feed_client)
    reader.poll()
    total = feed_client.get("/healthz").json()["log_position"]
    assert reader.seen == list(range(1, total + 1))
    for value in range(3):
        _post(feed_client, count_body(effective=f"2023-0{value + 1}", value=value))
    _sync(feed_client)
    reader.requests = 0
    reader.poll()
    assert reader.seen == list(range(1, total + 4))
    assert reader.requests <= 2
    for value in range(8):  # enough to close the working page
        _post(feed_client, count_body(effective=f"2024-0{value + 1}", value=value))
    _sync(feed_client)
    reader.requests = 0
    reader.poll()
    assert reader.seen == list(range(1, total + 12))
    assert reader.requests <= 2


def test_a_page_assembled_from_cached_entries_equals_one_rendered_whole() -> None:
    from datetime import UTC, datetime

    from projections.entry_bodies import Body, Line
    from service import feeds

    when = datetime(2023, 7, 1, tzinfo=UTC)
    entries = tuple(
        feeds.Entry(
            id=f"tag:carefacts,2026:event:{i}",
            title=f"entry {i}",
            summary="s",
            recorded=when,
            category="CountReported",
            category_label="Count reported",
            content={"n": i},
            links=(
                feeds.Link(
                    f"https://x.example/{i}", "alternate", "application/json", "t"
                ),
            ),
            sequence=i,
            position=i,
            body=Body("lead", (Line("Value", "1", "/facts/x", " note"),)),
            base="https://x.example",
            effective={"date": "2023-07", "precision": "month", "approximate": True},
            published={"date": "2023-07", "precision": "month", "approximate": False},
            rights="Open Government Licence v3.0",
        )
        for i in range(1, 4)
    )
    page = feeds.Page(
        "tag:carefacts,2026:feed",
        "t",
        "s",
        when,
        (feeds.Link("https://x.example/feed", "self"),),
        entries,
        True,
        "https://x.example/openapi.json#events",
        rights="terms",
        tombstones=(feeds.Tombstone("tag:carefacts,2026:event:0", when, "gone"),),
    )
    fragments = [feeds.render_entry(e, page.scheme) for e in entries]
    assert feeds.assemble(page, fragments) == feeds.render(page)

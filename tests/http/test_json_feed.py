"""The JSON Feed 1.1 twins: the same pages as the Atom feeds, with their own URLs,
archive links in the ``_carefacts`` extension, and immutable closed pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import orjson
from lxml import etree
from starlette.testclient import TestClient

from projections.entry_bodies import Body, Line
from service import feeds, json_feed
from service.asgi import create_app
from service.settings import Settings
from tests.http.conftest import TOKEN, sync

ATOM = "http://www.w3.org/2005/Atom"
VERSION = "https://jsonfeed.org/version/1.1"


def _get(client: TestClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.headers["content-type"] == "application/feed+json"
    data: dict[str, Any] = orjson.loads(response.content)
    return data


def _links(page: dict[str, Any]) -> dict[str, str]:
    return {
        link["rel"]: link["href"]
        for link in page["_carefacts"]["links"]
        if link["type"] == "application/feed+json"
    }


def test_json_feed_pages_hold_the_json_feed_fields_and_readable_items(
    reader_client: TestClient,
) -> None:
    for path in (
        "/feed.json",
        "/feed/archive/1.json",
        "/authorities/E06000009/feed.json",
        "/kinds/count_reported/feed.json",
    ):
        page = _get(reader_client, path)
        assert page["version"] == VERSION
        assert page["title"].startswith("carefacts: ")
        assert page["feed_url"] == "http://127.0.0.1:8000" + path
        assert page["items"], path
        for item in page["items"]:
            assert item["id"].startswith("tag:carefacts,2026:event:")
            assert item["content_html"] and item["content_text"]
            assert item["url"].startswith("http://127.0.0.1:8000/")
    item = next(
        i
        for i in _get(reader_client, "/kinds/count_reported/feed.json")["items"]
        if i["title"].startswith("Blackpool: 540")
    )
    assert "540 children in care" in item["content_text"]
    assert "Refers to: July 2023" in item["content_text"]
    assert "Test Gazette" in item["content_text"]
    assert item["external_url"] == "https://news.example/test-article"
    extension = item["_carefacts"]
    assert extension["effective"] == {
        "date": "2023-07",
        "precision": "month",
        "approximate": False,
    }
    # The source's date in the one shape every response gives it.
    assert extension["source_published"] == {
        "date": "2023-07",
        "precision": "month",
        "approximate": False,
    }
    assert extension["event"]["fact"]["fields"]["value"] == 540


def test_json_pages_link_older_pages_and_the_archive_like_the_atom_ones(
    reader_client: TestClient,
) -> None:
    working = _get(reader_client, "/feed.json")
    assert working["next_url"].endswith("/feed/archive/2.json")  # the next older page
    assert working["expired"] is False
    links = _links(working)
    assert links["current"].endswith("/feed.json")
    assert links["via"].endswith("/feed/archive/3.json")
    assert links["prev-archive"].endswith("/feed/archive/2.json")
    first = _get(reader_client, "/feed/archive/1.json")
    assert "next_url" not in first and first["expired"] is True
    assert first["_carefacts"]["archived"] is True
    assert _links(first)["next-archive"].endswith("/feed/archive/2.json")
    closed = reader_client.get("/feed/archive/1.json")
    assert closed.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert closed.headers["last-modified"].endswith("GMT")
    again = reader_client.get(
        "/feed/archive/1.json", headers={"If-None-Match": closed.headers["etag"]}
    )
    assert again.status_code == 304


def test_json_and_atom_pages_hold_the_same_entries_and_point_at_each_other(
    reader_client: TestClient,
) -> None:
    for number in (1, 2):
        atom = etree.fromstring(reader_client.get(f"/feed/archive/{number}").content)
        ids = [e.findtext(f"{{{ATOM}}}id") for e in atom.iter(f"{{{ATOM}}}entry")]
        page = _get(reader_client, f"/feed/archive/{number}.json")
        assert [i["id"] for i in page["items"]] == ids
        twin = next(
            link.get("href")
            for link in atom.findall(f"{{{ATOM}}}link")
            if link.get("type") == "application/feed+json"
        )
        assert twin.endswith(f"/feed/archive/{number}.json")
        assert any(
            link["type"] == "application/atom+xml"
            and link["href"].endswith(f"/feed/archive/{number}")
            for link in page["_carefacts"]["links"]
        )
    assert (
        reader_client.get("/feed").headers["etag"]
        != (reader_client.get("/feed.json").headers["etag"])
    )


def test_a_retraction_shows_in_all_three_json_feeds_of_its_fact(
    reader_client: TestClient,
) -> None:
    for path in ("/feed.json", "/authorities/E06000009/feed.json"):
        page = _get(reader_client, path)
        assert [d["reason"] for d in page["_carefacts"]["deleted"]] == [
            "Retracted: the article was withdrawn"
        ]
    kind = _get(reader_client, "/kinds/grant_received/feed.json")
    report, retraction = kind["items"]
    assert kind["_carefacts"]["deleted"][0]["id"] == report["id"]
    assert kind["_carefacts"]["deleted"][0]["when"] == retraction["date_published"]
    assert retraction["title"].startswith("Retracted: Blackpool: grant")


def test_closed_json_pages_do_not_change_after_new_events_or_a_restart(
    reader_client: TestClient, sqlite_settings: Settings
) -> None:
    before = reader_client.get("/feed/archive/1.json").content
    body = {"kind": "count_reported", "authority": "E06000009",
            "source": "test-gazette-2023-07", "effective": "2021-01",
            "measure": "children_in_care", "value": 1}  # fmt: skip
    assert reader_client.post("/facts", json=body, headers=TOKEN).status_code == 201
    sync(reader_client)
    assert reader_client.get("/feed/archive/1.json").content == before
    with TestClient(create_app(replace(sqlite_settings, feed_page_size=4))) as again:
        assert again.get("/feed/archive/1.json").content == before


def test_a_json_page_assembled_from_cached_items_equals_one_rendered_whole() -> None:
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
            links=(feeds.Link(f"https://x.example/{i}", "alternate", "text/html"),),
            sequence=i,
            position=i,
            body=Body("lead", (Line("Value", "1", "/facts/x"),)),
            base="https://x.example",
        )
        for i in range(1, 4)
    )
    page = feeds.Page(
        "tag:carefacts,2026:feed", "t", "s", when,
        (feeds.Link("https://x.example/feed.json", "self", json_feed.MEDIA_TYPE),),
        entries, True, "https://x.example/openapi.json#events",
        tombstones=(feeds.Tombstone("tag:carefacts,2026:event:0", when, "gone"),),
    )  # fmt: skip
    fragments = [json_feed.render_entry(e) for e in entries]
    assert json_feed.assemble(page, fragments) == json_feed.render(page)
    assert orjson.loads(json_feed.render(page))["items"][0]["content_html"] == (
        "<div><p>lead</p><ul><li><strong>Value:</strong> "
        '<a href="https://x.example/facts/x">1</a></li></ul></div>'
    )

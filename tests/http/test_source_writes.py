"""Registering sources over HTTP: created, no-op, conflict, refused, then cited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from domain.errors import DomainError, RegistrationConflictError
from service.asgi import create_app
from service.registration import derive_source_id, register_source
from service.settings import Settings
from tests.builders import authority_body, count_body
from tests.http.conftest import TOKEN


@pytest.fixture
def sqlite_client(sqlite_settings: Settings) -> Iterator[TestClient]:
    """Refusals need no second storage: they are decided before it is touched."""
    with TestClient(create_app(sqlite_settings)) as test_client:
        yield test_client


def article(**overrides: Any) -> dict[str, Any]:
    return {
        "id": "riverside-echo-2024-05-care-figures",
        "kind": "news",
        "title": "Fewer children in care across the borough",
        "publisher": "Riverside Echo",
        "url": "https://echo.example/news/fewer-children-in-care",
        "published": "2024-05",
        **overrides,
    }


def _sources(client: TestClient) -> list[str]:
    """What the log holds: nothing was recorded if its position is still 0."""
    position = client.get("/healthz").json()["log_position"]
    if position == 0:
        return []
    listed = client.get("/sources", params={"min_position": position}).json()
    return [source["id"] for source in listed["sources"]]


def test_a_new_source_is_created_and_readable(empty_client: TestClient) -> None:
    response = empty_client.post("/sources", json=article(), headers=TOKEN)
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == "riverside-echo-2024-05-care-figures"
    assert body["created"] is True
    assert (
        response.headers["location"] == "/sources/riverside-echo-2024-05-care-figures"
    )
    assert body["source"]["published"] == {
        "date": "2024-05",
        "precision": "month",
        "approximate": False,
    }
    read = empty_client.get(
        response.headers["location"], params={"min_position": body["position"]}
    )
    assert read.status_code == 200
    assert read.json()["source"]["publisher"] == "Riverside Echo"


def test_the_same_source_again_is_a_no_op(empty_client: TestClient) -> None:
    first = empty_client.post("/sources", json=article(), headers=TOKEN).json()
    again = empty_client.post("/sources", json=article(), headers=TOKEN)
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["id"] == first["id"]
    assert again.json()["position"] >= first["position"]


def test_another_source_under_the_same_id_is_a_conflict(
    empty_client: TestClient,
) -> None:
    first = empty_client.post("/sources", json=article(), headers=TOKEN).json()
    other = empty_client.post(
        "/sources", json=article(title="A different headline"), headers=TOKEN
    )
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")
    assert "different details" in other.json()["detail"]
    stored = empty_client.get(
        "/sources/riverside-echo-2024-05-care-figures",
        params={"min_position": first["position"]},
    ).json()["source"]
    assert stored["title"] == "Fewer children in care across the borough"


def test_without_an_id_one_is_derived_from_publisher_date_and_title(
    empty_client: TestClient,
) -> None:
    body = article()
    del body["id"]
    response = empty_client.post("/sources", json=body, headers=TOKEN)
    assert response.status_code == 201
    assert response.json()["id"] == "riverside-echo-2024-05-fewer-children-care-across"
    again = empty_client.post("/sources", json=body, headers=TOKEN)
    assert again.status_code == 200
    assert again.json()["id"] == response.json()["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "blog"}, "kind"),
        ({"published": "2024-13"}, "published"),
        ({"published": "last May"}, "published"),
        ({"url": "ftp://echo.example/x"}, "url"),
        ({"url": "https://echo.example/a b"}, "url"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"publisher": 7}, "publisher"),
        ({"id": "Not A Slug"}, "id"),
        ({"approximate": "yes"}, "approximate"),
        ({"author": "someone"}, "author"),
        ({"source_id": "riverside-echo-2024-05"}, "source_id"),
    ],
)
def test_a_bad_source_is_refused_with_the_field_named_and_stores_nothing(
    sqlite_client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = sqlite_client.post("/sources", json=article(**change), headers=TOKEN)
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [error["field"] for error in problem["errors"]]
    assert _sources(sqlite_client) == []


def test_every_fault_of_a_body_is_listed(sqlite_client: TestClient) -> None:
    response = sqlite_client.post(
        "/sources",
        json=article(kind="blog", published="2024-02-30", title=""),
        headers=TOKEN,
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"kind", "published", "title"}


def test_without_an_id_or_a_date_the_source_is_refused(
    sqlite_client: TestClient,
) -> None:
    body = article()
    del body["id"], body["published"]
    response = sqlite_client.post("/sources", json=body, headers=TOKEN)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["id"]
    assert _sources(sqlite_client) == []


def test_a_body_that_is_not_an_object_is_refused(sqlite_client: TestClient) -> None:
    response = sqlite_client.post("/sources", json=["news"], headers=TOKEN)
    assert response.status_code == 422
    assert _sources(sqlite_client) == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic test-token"}],
)
def test_no_valid_token_no_write(
    sqlite_client: TestClient, headers: dict[str, str]
) -> None:
    response = sqlite_client.post("/sources", json=article(), headers=headers)
    assert response.status_code == 401
    assert "www-authenticate" in response.headers
    assert _sources(sqlite_client) == []


def test_a_fact_citing_a_newly_registered_source_is_recorded(
    empty_client: TestClient,
) -> None:
    ledger = empty_client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    fact = count_body(source="riverside-echo-2024-05-care-figures")
    refused = empty_client.post("/facts", json=fact, headers=TOKEN)
    assert refused.status_code == 422
    assert "not registered" in refused.json()["detail"]
    registered = empty_client.post("/sources", json=article(), headers=TOKEN)
    assert registered.status_code == 201
    recorded = empty_client.post("/facts", json=fact, headers=TOKEN)
    assert recorded.status_code == 201
    read = empty_client.get(
        recorded.headers["location"],
        params={"min_position": recorded.json()["position"]},
    ).json()
    assert read["fact"]["source"]["id"] == "riverside-echo-2024-05-care-figures"
    assert read["fact"]["source"]["publisher"] == "Riverside Echo"


def test_registration_is_a_function_other_code_calls(sqlite_settings: Settings) -> None:
    with TestClient(create_app(sqlite_settings)) as client:
        ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
        body = article()
        del body["id"]
        first = register_source(ledger, body)
        assert first.created is True and first.position is not None
        assert first.details.source_id == (
            "riverside-echo-2024-05-fewer-children-care-across"
        )
        again = register_source(ledger, body)
        assert (again.created, again.position) == (False, None)
        with pytest.raises(RegistrationConflictError):
            register_source(ledger, {**body, "url": "https://echo.example/other"})
        with pytest.raises(DomainError) as refused:
            register_source(ledger, {**body, "kind": "blog", "published": "May"})
        faults = getattr(refused.value, "errors", [])
        assert {fault.field for fault in faults} == {"kind", "published"}


@pytest.mark.parametrize(
    ("publisher", "published", "title", "derived"),
    [
        (
            "Blackpool Gazette",
            "2023-07",
            "Big reduction in care",
            "blackpool-gazette-2023-07-big-reduction-care",
        ),
        ("BBC News", "2024", "The figures", "bbc-news-2024-figures"),
        (
            "Children & Young People Now",
            "2021-03-12",
            "",
            "children-young-people-now-2021-03-12",
        ),
        ("Echo", "2024-13", "Title", None),
        ("", "2024", "Title", None),
        (None, "2024", "Title", None),
    ],
)
def test_a_derived_id(
    publisher: str | None, published: str, title: str, derived: str | None
) -> None:
    assert derive_source_id(publisher, published, title) == derived


def test_the_operation_is_in_the_api_description(sqlite_client: TestClient) -> None:
    document = sqlite_client.get("/openapi.json").json()
    operation = document["paths"]["/sources"]["post"]
    assert operation["security"] == [{"bearer": []}]
    assert {"200", "201", "401", "409", "422"} <= set(operation["responses"])
    body = document["components"]["schemas"]["SourceBody"]
    assert {"id", "kind", "title", "publisher", "url", "published"} <= set(
        body["properties"]
    )

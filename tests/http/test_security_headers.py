"""Every answer says ``X-Content-Type-Options: nosniff``; pages also carry a
Content Security Policy that allows only the site's own stylesheet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import Response
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings

HTML = {"Accept": "text/html"}
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    ("path", "headers", "status"),
    [
        ("/authorities/E06000009", {}, 200),
        ("/feed", {}, 200),
        ("/authorities/E06000009/feed", {}, 200),
        ("/openapi.json", {}, 200),
        ("/static/carefacts.css", {}, 200),
        ("/authorities/E99999999", {}, 404),
        ("/authorities/E06000009?as_of=2019-02-30", {}, 422),
        ("/no/such/path", HTML, 404),
    ],
)
def test_every_answer_says_nosniff(
    client: TestClient, path: str, headers: dict[str, str], status: int
) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/authorities/E06000009", "/feed"])
def test_a_not_modified_answer_says_nosniff_too(client: TestClient, path: str) -> None:
    etag = client.get(path).headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["x-content-type-options"] == "nosniff"


def test_a_write_refused_says_nosniff(client: TestClient) -> None:
    refused = client.post("/facts", json={})
    assert refused.status_code == 401
    assert refused.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/authorities", "/authorities/E06000009"])
def test_pages_carry_a_policy_allowing_only_the_sites_stylesheet(
    client: TestClient, path: str
) -> None:
    page = client.get(path, headers=HTML)
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == POLICY
    assert "<style" not in page.text and "style=" not in page.text
    assert "<script" not in page.text
    assert '<link rel="stylesheet" href="/static/carefacts.css">' in page.text


def test_json_answers_need_no_page_policy(client: TestClient) -> None:
    response = client.get("/authorities/E06000009")
    assert response.headers["content-type"].startswith("application/json")
    assert "content-security-policy" not in response.headers


def test_the_stylesheet_is_served_as_css(client: TestClient) -> None:
    sheet = client.get("/static/carefacts.css")
    assert sheet.headers["content-type"].startswith("text/css")
    assert "svg.chart" in sheet.text


@pytest.fixture
def failing_client(seeded_settings: Settings) -> Iterator[TestClient]:
    """The service with one extra route that fails as a bug would."""

    async def broken(_request: Request) -> Response:
        raise RuntimeError("a bug")

    app = create_app(seeded_settings)
    app.add_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_an_unexpected_error_says_nosniff(failing_client: TestClient) -> None:
    response = failing_client.get("/broken")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"

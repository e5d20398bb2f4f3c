"""Talking to the hub in tests: subscribing, recording a fact, finding a feed's hub
and self links, and reading the stored subscriptions."""

from __future__ import annotations

import feedparser
from starlette.testclient import TestClient

from service.subscription_store import Subscription
from tests.builders import count_body

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
WAIT = 2.0  # seconds: what the hub promises for a push


def hub_of(client: TestClient) -> object:
    return client.app.state.websub  # type: ignore[attr-defined]


def subscriptions(client: TestClient) -> list[Subscription]:
    found: list[Subscription] = hub_of(client).store.all()  # type: ignore[attr-defined]
    return found


def subscribe(
    client: TestClient, topic: str, callback: str, **more: str
) -> tuple[int, dict[str, object]]:
    form = {"hub.mode": "subscribe", "hub.topic": topic, "hub.callback": callback}
    answer = client.post("/websub", data={**form, **more}, headers=FORM)
    body = answer.json() if answer.status_code != 202 else {}
    assert hub_of(client).wait_idle(5)  # type: ignore[attr-defined]
    return answer.status_code, body


def record(client: TestClient, **fields: object) -> None:
    answer = client.post(
        "/facts",
        json=count_body(**fields),
        headers={"Authorization": "Bearer test-token"},
    )
    assert answer.status_code == 201, answer.text


def discover(client: TestClient, path: str) -> tuple[str, str]:
    parsed = feedparser.parse(client.get(path).content)
    links = {link["rel"]: link["href"] for link in parsed.feed.links}
    return links["hub"], links["self"]

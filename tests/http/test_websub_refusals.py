"""What the WebSub hub refuses, saying why, and without storing or calling
anything: bad forms, topics it does not publish, private callbacks, a host over
its bound, an unsubscription of nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.settings import Settings
from tests.http.conftest import log_position, registered
from tests.http.websub_client import (
    FORM,
    discover,
    hub_of,
    subscribe,
    subscriptions,
)
from tests.subscriber import Subscriber


def test_with_private_callbacks_not_allowed_a_loopback_one_is_refused_uncontacted(
    sqlite_settings: Settings,
) -> None:
    with TestClient(create_app(sqlite_settings)) as client, Subscriber() as subscriber:
        _, topic = discover(registered(client), "/feed")
        before = log_position(client)
        status, body = subscribe(client, topic, subscriber.url)
        assert status == 422
        assert "loopback, private or link-local" in str(body["detail"])
        assert subscriber.received == []
        assert subscriptions(client) == [] and log_position(client) == before


def test_a_host_holds_no_more_subscriptions_than_the_setting_allows(
    hub_settings: Settings,
) -> None:
    settings = replace(hub_settings, websub_max_per_host=1)
    with TestClient(create_app(settings)) as client, Subscriber() as subscriber:
        _, topic = discover(registered(client), "/feed")
        assert subscribe(client, topic, subscriber.url)[0] == 202
        assert subscribe(client, topic, subscriber.url)[0] == 202  # a renewal
        status, body = subscribe(client, topic + ".json", subscriber.url)
        assert status == 429 and "CAREFACTS_WEBSUB_MAX_PER_HOST" in str(body["detail"])
        assert len(subscriber.verifications) == 2
        assert len(subscriptions(client)) == 1


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"hub.mode": "watch"}, 422, "hub.mode must be subscribe or unsubscribe"),
        ({"hub.topic": ""}, 422, "hub.topic is required"),
        ({"hub.callback": ""}, 422, "hub.callback is required"),
        ({"hub.callback": "ftp://127.0.0.1/x"}, 422, "absolute http or https URL"),
        ({"hub.callback": "http://u:p@127.0.0.1/x"}, 422, "user name or password"),
        ({"hub.callback": "http://127.0.0.1:99999/x"}, 422, "not a URL"),
        ({"hub.callback": "http://127.0.0.1/" + "x" * 2000}, 422, "longer than 2000"),
        ({"hub.lease_seconds": "ten"}, 422, "whole number"),
        ({"hub.secret": "s" * 200}, 422, "under 200 bytes"),
        ({"hub.topic": "http://elsewhere.example/feed"}, 422, "not a feed this hub"),
        ({"hub.topic": "http://127.0.0.1:8000/feed/archive/1"}, 422, "archive pages"),
        (
            {"hub.topic": "http://127.0.0.1:8000/authorities/E09000001/feed"},
            422,
            "not a feed",
        ),
        ({"hub.topic": "http://127.0.0.1:8000/kinds/gossip/feed"}, 422, "not a feed"),
    ],
)
def test_a_bad_subscription_request_is_refused_saying_why_and_stores_nothing(
    hub_client: TestClient, form: dict[str, str], status: int, says: str
) -> None:
    with Subscriber() as subscriber:
        before = log_position(hub_client)
        good = {
            "hub.mode": "subscribe",
            "hub.topic": "http://127.0.0.1:8000/feed",
            "hub.callback": subscriber.url,
        }
        answer = hub_client.post("/websub", data={**good, **form}, headers=FORM)
        assert answer.status_code == status
        assert answer.headers["content-type"] == "application/problem+json"
        assert says in answer.json()["detail"]
        assert subscriber.received == []
    assert subscriptions(hub_client) == [] and log_position(hub_client) == before


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"hub.mode=subscribe", {"Content-Type": "application/json"}, 415),
        (b"hub.mode=subscribe&" + b"a=1&" * 3000, FORM, 413),
        (b"hub.mode=subscribe&hub.mode=unsubscribe", FORM, 400),
        (b"&".join(b"k%d=1" % i for i in range(100)), FORM, 400),
        (b"hub.mode=%ff", FORM, 400),
    ],
)
def test_a_body_that_is_not_a_small_form_is_refused_and_stores_nothing(
    hub_client: TestClient, body: bytes, headers: dict[str, str], status: int
) -> None:
    before = log_position(hub_client)
    answer = hub_client.post("/websub", content=body, headers=headers)
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert subscriptions(hub_client) == [] and log_position(hub_client) == before


def test_unsubscribing_what_was_never_subscribed_is_refused_and_calls_no_one(
    hub_client: TestClient,
) -> None:
    with Subscriber() as subscriber:
        form = {
            "hub.mode": "unsubscribe",
            "hub.topic": "http://127.0.0.1:8000/feed",
            "hub.callback": subscriber.url,
        }
        answer = hub_client.post("/websub", data=form, headers=FORM)
        assert answer.status_code == 404
        assert "has no subscription" in answer.json()["detail"]
        assert hub_of(hub_client).wait_idle(5)  # type: ignore[attr-defined]
        assert subscriber.received == []
    assert subscriptions(hub_client) == []

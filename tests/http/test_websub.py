"""The WebSub hub: discovery, subscription, verification of intent, signed pushes,
retries, unsubscription, leases, and subscriptions kept across restarts."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import feedparser
import orjson
from starlette.testclient import TestClient

from service.asgi import create_app
from service.composition import Carefacts
from service.settings import Settings
from service.subscription_store import Subscription
from tests.builders import BLACKPOOL
from tests.http.conftest import log_position, registered
from tests.http.websub_client import (
    FORM,
    WAIT,
    discover,
    hub_of,
    record,
    subscribe,
    subscriptions,
)
from tests.subscriber import Subscriber


def test_every_subscription_document_names_the_hub_and_itself(
    hub_client: TestClient,
) -> None:
    base = "http://127.0.0.1:8000"
    for path in (
        "/feed",
        f"/authorities/{BLACKPOOL}/feed",
        "/kinds/count_reported/feed",
    ):
        assert discover(hub_client, path) == (f"{base}/websub", base + path)
        item = hub_client.get(path + ".json").json()
        assert item["hubs"] == [{"type": "WebSub", "url": f"{base}/websub"}]
        assert item["feed_url"] == f"{base}{path}.json"


def test_archive_pages_name_nohub_of(hub_client: TestClient) -> None:
    parsed = feedparser.parse(hub_client.get("/feed/archive/1").content)
    assert "hub" not in {link["rel"] for link in parsed.feed.links}
    assert "hubs" not in hub_client.get("/feed/archive/1.json").json()


def test_a_subscriber_found_from_the_feed_gets_a_signed_push_of_a_new_fact(
    hub_client: TestClient,
) -> None:
    hub, topic = discover(hub_client, f"/authorities/{BLACKPOOL}/feed")
    assert hub.endswith("/websub")
    with Subscriber() as subscriber:
        status, _ = subscribe(
            hub_client, topic, subscriber.url, **{"hub.secret": "s3cret"}
        )
        assert status == 202
        (check,) = subscriber.verifications
        assert "hub.mode=subscribe" in check.path and "hub.lease_seconds=" in check.path
        record(hub_client, value=612)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
    (push,) = subscriber.pushes
    expected = hmac.new(b"s3cret", push.body, hashlib.sha256).hexdigest()
    assert push.headers["X-Hub-Signature"] == f"sha256={expected}"
    assert f'<{topic}>; rel="self"' in push.headers["Link"]
    assert 'rel="hub"' in push.headers["Link"]
    assert push.headers["Content-Type"].startswith("application/atom+xml")
    (entry,) = feedparser.parse(push.body).entries
    assert "612" in entry.title + entry.summary


def test_a_json_feed_topic_is_pushed_as_json_feed_without_a_signature_unasked(
    hub_client: TestClient,
) -> None:
    _, topic = discover(hub_client, "/kinds/count_reported/feed")
    with Subscriber() as subscriber:
        assert subscribe(hub_client, topic + ".json", subscriber.url)[0] == 202
        record(hub_client, value=613)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
    (push,) = subscriber.pushes
    document = orjson.loads(push.body)
    assert document["feed_url"] == topic + ".json"
    assert [
        i["_carefacts"]["event"]["fact"]["fields"]["value"] for i in document["items"]
    ] == [613]
    assert "X-Hub-Signature" not in push.headers


def test_a_failed_delivery_is_retried(hub_client: TestClient) -> None:
    _, topic = discover(hub_client, "/feed")
    with Subscriber(failures=1) as subscriber:
        assert subscribe(hub_client, topic, subscriber.url)[0] == 202
        record(hub_client, value=614)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 2, WAIT + 2)
        deliverer = hub_client.app.state.deliverer  # type: ignore[attr-defined]
        assert deliverer.wait_rounds(deliverer.rounds + 1, 5)  # the push is settled
    first, second = subscriber.pushes
    assert first.body == second.body
    assert subscriptions(hub_client)[0].attempts == 0


def test_an_unsubscribed_or_expired_subscriber_receives_nothing(
    hub_client: TestClient,
) -> None:
    _, topic = discover(hub_client, "/feed")
    with Subscriber() as gone, Subscriber() as expired, Subscriber() as staying:
        for subscriber in (gone, staying):
            assert subscribe(hub_client, topic, subscriber.url)[0] == 202
        form = {"hub.mode": "unsubscribe", "hub.topic": topic, "hub.callback": gone.url}
        assert hub_client.post("/websub", data=form, headers=FORM).status_code == 202
        assert hub_of(hub_client).wait_idle(5)  # type: ignore[attr-defined]
        assert "hub.mode=unsubscribe" in gone.verifications[-1].path
        store = hub_of(hub_client).store  # type: ignore[attr-defined]
        store.activate(Subscription(topic, expired.url, "127.0.0.1", None, 60, 1.0, 0))
        record(hub_client, value=615)
        assert staying.wait_for(lambda s: len(s.pushes) == 1, WAIT)
    assert gone.pushes == [] and expired.pushes == []
    assert [s.callback for s in subscriptions(hub_client)] == [staying.url]


def test_a_callback_that_does_not_echo_the_challenge_is_not_subscribed(
    hub_client: TestClient,
) -> None:
    _, topic = discover(hub_client, "/feed")
    with Subscriber(confirm=False) as subscriber:
        assert subscribe(hub_client, topic, subscriber.url)[0] == 202
        assert len(subscriber.verifications) == 1
    assert subscriptions(hub_client) == []


def test_unknown_parameters_are_ignored(hub_client: TestClient) -> None:
    _, topic = discover(hub_client, "/feed")
    with Subscriber() as subscriber:
        status, _ = subscribe(
            hub_client, topic, subscriber.url, **{"hub.x": "1", "y": "2"}
        )
    assert status == 202
    assert [s.callback for s in subscriptions(hub_client)] == [subscriber.url]


def test_subscriptions_and_their_progress_survive_a_restart_and_a_replay(
    settings: Settings,
) -> None:
    hub_settings = replace(settings, websub_allow_private=True)
    with Subscriber() as subscriber:
        with TestClient(create_app(hub_settings)) as client:
            _, topic = discover(registered(client), "/feed")
            assert subscribe(client, topic, subscriber.url)[0] == 202
        with TestClient(create_app(hub_settings)) as client:
            assert [s.callback for s in subscriptions(client)] == [subscriber.url]
            record(client, value=616)
            assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
        replayed = Carefacts.open(hub_settings)
        replayed.worker.rebuild()  # as `carefacts replay` does: on SQLite, a new file
        replayed.close()
        with TestClient(create_app(hub_settings)) as client:
            (kept,) = subscriptions(client)
            assert kept.delivered == log_position(client)  # no push is sent again


def test_the_api_description_gives_the_hub_its_form_and_no_token(
    hub_client: TestClient,
) -> None:
    operation = hub_client.get("/openapi.json").json()["paths"]["/websub"]["post"]
    form = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["required"] == ["hub.mode", "hub.topic", "hub.callback"]
    assert "security" not in operation
    assert {"202", "422", "429"} <= set(operation["responses"])


def test_entries_that_keep_failing_are_given_up_and_later_ones_still_arrive(
    hub_settings: Settings,
) -> None:
    settings = replace(hub_settings, websub_retry_seconds=0.1)
    with TestClient(create_app(settings)) as client, Subscriber(failures=2) as sub:
        _, topic = discover(registered(client), "/feed")
        assert subscribe(client, topic, sub.url)[0] == 202
        record(client, value=617)
        assert sub.wait_for(lambda s: len(s.pushes) == 2, WAIT + 2)  # tried twice
        record(client, value=618, effective="2021-05")
        assert sub.wait_for(lambda s: len(s.pushes) == 3, WAIT)
    (entry,) = feedparser.parse(sub.pushes[2].body).entries  # 617 was given up
    assert "618" in entry.title + entry.summary


def test_a_subscriber_that_answers_gone_is_unsubscribed(hub_client: TestClient) -> None:
    _, topic = discover(hub_client, "/feed")
    with Subscriber(status=410) as subscriber:
        assert subscribe(hub_client, topic, subscriber.url)[0] == 202
        record(hub_client, value=619)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
        deliverer = hub_client.app.state.deliverer  # type: ignore[attr-defined]
        assert deliverer.wait_rounds(deliverer.rounds + 1, 5)
    assert subscriptions(hub_client) == []

"""The WebSub hub: discovery, subscription, verification of intent, signed pushes,
retries, unsubscription, leases, and the refusals that keep it from being misused."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import replace

import feedparser
import orjson
import pytest
from starlette.testclient import TestClient

from service.asgi import create_app
from service.composition import Carefacts
from service.settings import Settings
from service.websub.store import Subscription
from tests.builders import BLACKPOOL, authority_body, count_body, source_body
from tests.http.conftest import log_position, sync
from tests.subscriber import Subscriber

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
WAIT = 2.0  # seconds: what the hub promises for a push


def _registered(client: TestClient) -> TestClient:
    ledger = client.app.state.runtime.ledger  # type: ignore[attr-defined]
    ledger.register_authority(authority_body())
    ledger.register_source(source_body())
    sync(client)
    return client


@pytest.fixture
def hub_settings(sqlite_settings: Settings) -> Settings:
    return replace(sqlite_settings, websub_allow_private=True)


@pytest.fixture
def hub_client(hub_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(hub_settings)) as client:
        yield _registered(client)


def _hub(client: TestClient) -> object:
    return client.app.state.websub  # type: ignore[attr-defined]


def _subscriptions(client: TestClient) -> list[Subscription]:
    found: list[Subscription] = _hub(client).store.all()  # type: ignore[attr-defined]
    return found


def _subscribe(
    client: TestClient, topic: str, callback: str, **more: str
) -> tuple[int, dict[str, object]]:
    form = {"hub.mode": "subscribe", "hub.topic": topic, "hub.callback": callback}
    answer = client.post("/websub", data={**form, **more}, headers=FORM)
    body = answer.json() if answer.status_code != 202 else {}
    assert _hub(client).wait_idle(5)  # type: ignore[attr-defined]
    return answer.status_code, body


def _record(client: TestClient, **fields: object) -> None:
    answer = client.post(
        "/facts",
        json=count_body(**fields),
        headers={"Authorization": "Bearer test-token"},
    )
    assert answer.status_code == 201, answer.text


def _discover(client: TestClient, path: str) -> tuple[str, str]:
    parsed = feedparser.parse(client.get(path).content)
    links = {link["rel"]: link["href"] for link in parsed.feed.links}
    return links["hub"], links["self"]


def test_every_subscription_document_names_the_hub_and_itself(
    hub_client: TestClient,
) -> None:
    base = "http://127.0.0.1:8000"
    for path in (
        "/feed",
        f"/authorities/{BLACKPOOL}/feed",
        "/kinds/count_reported/feed",
    ):
        assert _discover(hub_client, path) == (f"{base}/websub", base + path)
        item = hub_client.get(path + ".json").json()
        assert item["hubs"] == [{"type": "WebSub", "url": f"{base}/websub"}]
        assert item["feed_url"] == f"{base}{path}.json"


def test_archive_pages_name_no_hub(hub_client: TestClient) -> None:
    parsed = feedparser.parse(hub_client.get("/feed/archive/1").content)
    assert "hub" not in {link["rel"] for link in parsed.feed.links}
    assert "hubs" not in hub_client.get("/feed/archive/1.json").json()


def test_a_subscriber_found_from_the_feed_gets_a_signed_push_of_a_new_fact(
    hub_client: TestClient,
) -> None:
    hub, topic = _discover(hub_client, f"/authorities/{BLACKPOOL}/feed")
    assert hub.endswith("/websub")
    with Subscriber() as subscriber:
        status, _ = _subscribe(
            hub_client, topic, subscriber.url, **{"hub.secret": "s3cret"}
        )
        assert status == 202
        (check,) = subscriber.verifications
        assert "hub.mode=subscribe" in check.path and "hub.lease_seconds=" in check.path
        _record(hub_client, value=612)
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
    _, topic = _discover(hub_client, "/kinds/count_reported/feed")
    with Subscriber() as subscriber:
        assert _subscribe(hub_client, topic + ".json", subscriber.url)[0] == 202
        _record(hub_client, value=613)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
    (push,) = subscriber.pushes
    document = orjson.loads(push.body)
    assert document["feed_url"] == topic + ".json"
    assert [
        i["_carefacts"]["event"]["fact"]["fields"]["value"] for i in document["items"]
    ] == [613]
    assert "X-Hub-Signature" not in push.headers


def test_a_failed_delivery_is_retried(hub_client: TestClient) -> None:
    _, topic = _discover(hub_client, "/feed")
    with Subscriber(failures=1) as subscriber:
        assert _subscribe(hub_client, topic, subscriber.url)[0] == 202
        _record(hub_client, value=614)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 2, WAIT + 2)
        deliverer = hub_client.app.state.deliverer  # type: ignore[attr-defined]
        assert deliverer.wait_rounds(deliverer.rounds + 1, 5)  # the push is settled
    first, second = subscriber.pushes
    assert first.body == second.body
    assert _subscriptions(hub_client)[0].attempts == 0


def test_an_unsubscribed_or_expired_subscriber_receives_nothing(
    hub_client: TestClient,
) -> None:
    _, topic = _discover(hub_client, "/feed")
    with Subscriber() as gone, Subscriber() as expired, Subscriber() as staying:
        for subscriber in (gone, staying):
            assert _subscribe(hub_client, topic, subscriber.url)[0] == 202
        form = {"hub.mode": "unsubscribe", "hub.topic": topic, "hub.callback": gone.url}
        assert hub_client.post("/websub", data=form, headers=FORM).status_code == 202
        assert _hub(hub_client).wait_idle(5)  # type: ignore[attr-defined]
        assert "hub.mode=unsubscribe" in gone.verifications[-1].path
        store = _hub(hub_client).store  # type: ignore[attr-defined]
        store.activate(Subscription(topic, expired.url, "127.0.0.1", None, 60, 1.0, 0))
        _record(hub_client, value=615)
        assert staying.wait_for(lambda s: len(s.pushes) == 1, WAIT)
    assert gone.pushes == [] and expired.pushes == []
    assert [s.callback for s in _subscriptions(hub_client)] == [staying.url]


def test_a_callback_that_does_not_echo_the_challenge_is_not_subscribed(
    hub_client: TestClient,
) -> None:
    _, topic = _discover(hub_client, "/feed")
    with Subscriber(confirm=False) as subscriber:
        assert _subscribe(hub_client, topic, subscriber.url)[0] == 202
        assert len(subscriber.verifications) == 1
    assert _subscriptions(hub_client) == []


def test_unknown_parameters_are_ignored(hub_client: TestClient) -> None:
    _, topic = _discover(hub_client, "/feed")
    with Subscriber() as subscriber:
        status, _ = _subscribe(
            hub_client, topic, subscriber.url, **{"hub.x": "1", "y": "2"}
        )
    assert status == 202
    assert [s.callback for s in _subscriptions(hub_client)] == [subscriber.url]


def test_subscriptions_and_their_progress_survive_a_restart_and_a_replay(
    settings: Settings,
) -> None:
    hub_settings = replace(settings, websub_allow_private=True)
    with Subscriber() as subscriber:
        with TestClient(create_app(hub_settings)) as client:
            _, topic = _discover(_registered(client), "/feed")
            assert _subscribe(client, topic, subscriber.url)[0] == 202
        with TestClient(create_app(hub_settings)) as client:
            assert [s.callback for s in _subscriptions(client)] == [subscriber.url]
            _record(client, value=616)
            assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
        replayed = Carefacts.open(hub_settings)  # as `carefacts replay` does
        replayed.worker.reset()
        replayed.worker.catch_up()
        replayed.close()
        with TestClient(create_app(hub_settings)) as client:
            (kept,) = _subscriptions(client)
            assert kept.delivered == log_position(client)  # no push is sent again


def test_with_private_callbacks_not_allowed_a_loopback_one_is_refused_uncontacted(
    sqlite_settings: Settings,
) -> None:
    with TestClient(create_app(sqlite_settings)) as client, Subscriber() as subscriber:
        _, topic = _discover(_registered(client), "/feed")
        before = log_position(client)
        status, body = _subscribe(client, topic, subscriber.url)
        assert status == 422
        assert "loopback, private or link-local" in str(body["detail"])
        assert subscriber.received == []
        assert _subscriptions(client) == [] and log_position(client) == before


def test_a_host_holds_no_more_subscriptions_than_the_setting_allows(
    hub_settings: Settings,
) -> None:
    settings = replace(hub_settings, websub_max_per_host=1)
    with TestClient(create_app(settings)) as client, Subscriber() as subscriber:
        _, topic = _discover(_registered(client), "/feed")
        assert _subscribe(client, topic, subscriber.url)[0] == 202
        assert _subscribe(client, topic, subscriber.url)[0] == 202  # a renewal
        status, body = _subscribe(client, topic + ".json", subscriber.url)
        assert status == 429 and "CAREFACTS_WEBSUB_MAX_PER_HOST" in str(body["detail"])
        assert len(subscriber.verifications) == 2
        assert len(_subscriptions(client)) == 1


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
    assert _subscriptions(hub_client) == [] and log_position(hub_client) == before


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
    assert _subscriptions(hub_client) == [] and log_position(hub_client) == before


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
        assert _hub(hub_client).wait_idle(5)  # type: ignore[attr-defined]
        assert subscriber.received == []
    assert _subscriptions(hub_client) == []


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
        _, topic = _discover(_registered(client), "/feed")
        assert _subscribe(client, topic, sub.url)[0] == 202
        _record(client, value=617)
        assert sub.wait_for(lambda s: len(s.pushes) == 2, WAIT + 2)  # tried twice
        _record(client, value=618, effective="2021-05")
        assert sub.wait_for(lambda s: len(s.pushes) == 3, WAIT)
    (entry,) = feedparser.parse(sub.pushes[2].body).entries  # 617 was given up
    assert "618" in entry.title + entry.summary


def test_a_subscriber_that_answers_gone_is_unsubscribed(hub_client: TestClient) -> None:
    _, topic = _discover(hub_client, "/feed")
    with Subscriber(status=410) as subscriber:
        assert _subscribe(hub_client, topic, subscriber.url)[0] == 202
        _record(hub_client, value=619)
        assert subscriber.wait_for(lambda s: len(s.pushes) == 1, WAIT)
        deliverer = hub_client.app.state.deliverer  # type: ignore[attr-defined]
        assert deliverer.wait_rounds(deliverer.rounds + 1, 5)
    assert _subscriptions(hub_client) == []

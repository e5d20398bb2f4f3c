"""The response cache: bounded by bytes, not entries, and keyed on what a query
means rather than how it is spelt."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from starlette.testclient import TestClient

from service.asgi import create_app
from service.caches import Cached, ResponseCache
from service.runtime import Runtime
from service.settings import Settings

FACTS = "/authorities/E06000009/facts"


def _item(size: int, position: int = 1) -> Cached:
    return Cached(position, b"x" * size, '"j1"')


def _runtime(client: TestClient) -> Runtime:
    rt: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return rt


def test_the_cache_never_holds_more_bytes_than_its_budget() -> None:
    cache = ResponseCache(budget=100_000, largest=10_000)
    for n in range(1_000):
        cache.put(f"key {n}", _item(5_000))
        assert cache.held <= 100_000
    assert 15 <= len(cache) <= 20
    assert cache.get("key 999", 1) is not None
    assert cache.get("key 0", 1) is None


def test_the_least_recently_used_entry_is_the_first_to_go() -> None:
    one = ResponseCache(budget=0).cost("a", _item(1_000))
    cache = ResponseCache(budget=3 * one, largest=one)
    for name in ("a", "b", "c"):
        cache.put(name, _item(1_000))
    assert cache.get("a", 1) is not None  # now b is the least recently used
    cache.put("d", _item(1_000))
    assert [cache.get(k, 1) is not None for k in "abcd"] == [True, False, True, True]


def test_a_body_larger_than_the_largest_kept_is_not_cached() -> None:
    cache = ResponseCache(budget=100_000, largest=10_000)
    cache.put("small", _item(1_000))
    cache.put("large", _item(20_000))
    assert cache.get("large", 1) is None
    assert cache.get("small", 1) is not None
    assert cache.held == cache.cost("small", _item(1_000))


def test_a_replaced_entry_is_counted_once() -> None:
    cache = ResponseCache(budget=100_000)
    cache.put("key", _item(1_000, position=1))
    cache.put("key", _item(2_000, position=2))
    assert len(cache) == 1
    assert cache.held == cache.cost("key", _item(2_000))
    assert cache.get("key", 1) is None and cache.get("key", 2) is not None


def test_a_budget_of_nothing_caches_nothing() -> None:
    cache = ResponseCache(budget=0)
    cache.put("key", _item(1))
    assert len(cache) == 0 and cache.held == 0


def test_equivalent_query_strings_share_one_cache_entry(client: TestClient) -> None:
    rt = _runtime(client)
    position = client.get("/healthz").json()["log_position"]
    before = len(rt.cache)
    spellings = [
        [("known_at", "0" * zeros + str(position)), ("as_of", year)]
        for zeros in range(6)
        for year in ("2099", "2099-12", "2099-12-31")
    ]
    spellings += [list(reversed(query)) for query in spellings]
    bodies = {client.get(f"{FACTS}?{urlencode(q)}").content for q in spellings}
    assert len(bodies) == 1
    assert len(rt.cache) == before + 1


def test_many_different_answers_stay_within_the_configured_budget(
    seeded_settings: Settings,
) -> None:
    settings = replace(seeded_settings, response_cache_mib=1)
    with TestClient(create_app(settings)) as client:
        rt = _runtime(client)
        position = client.get("/healthz").json()["log_position"]
        budget = rt.cache.budget
        assert budget == 1024 * 1024 - 1024 * 1024 // 4
        assert rt.cache.largest == rt.feed_cache.largest == 1024 * 1024 // 32
        for back in range(200):
            answer = client.get(
                FACTS, params={"kind": "rating_given", "known_at": position - back}
            )
            assert answer.status_code == 200
            assert rt.cache.held <= budget
        assert len(rt.cache) > 1

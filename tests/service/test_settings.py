"""Settings from the environment: what a client may hold, the base URL, the
response cache; refusals name the variable."""

from __future__ import annotations

import socket

import pytest

from service.settings import Settings, SettingsError


def _settings(**env: str) -> Settings:
    return Settings.from_env({f"CAREFACTS_{k}": v for k, v in env.items()}, None)


def test_the_bounds_on_clients_have_documented_defaults() -> None:
    settings = _settings()
    assert settings.header_timeout == 10
    assert settings.body_timeout == 30
    assert settings.keep_alive_timeout == 5
    assert settings.max_connections == 256


def test_the_bounds_on_clients_are_read_from_the_environment() -> None:
    settings = _settings(
        HEADER_TIMEOUT="2.5",
        BODY_TIMEOUT="60",
        KEEP_ALIVE_TIMEOUT="1",
        MAX_CONNECTIONS="40",
    )
    assert (settings.header_timeout, settings.body_timeout) == (2.5, 60)
    assert (settings.keep_alive_timeout, settings.max_connections) == (1, 40)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEADER_TIMEOUT", "0"),
        ("HEADER_TIMEOUT", "nan"),
        ("BODY_TIMEOUT", "1e3"),
        ("BODY_TIMEOUT", "7200"),
        ("KEEP_ALIVE_TIMEOUT", "0.5"),
        ("MAX_CONNECTIONS", "0"),
        ("MAX_CONNECTIONS", "many"),
    ],
)
def test_a_bound_that_is_not_a_sensible_number_is_refused_by_name(
    name: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=f"CAREFACTS_{name}"):
        _settings(**{name: value})


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8100, "http://127.0.0.1:8100"),
        ("localhost", 80, "http://localhost"),
        ("::1", 8100, "http://[::1]:8100"),
        ("0.0.0.0", 8100, f"http://{socket.getfqdn()}:8100"),
    ],
)
def test_without_a_base_url_links_follow_the_address_served(
    host: str, port: int, expected: str
) -> None:
    assert _settings().served_at(host, port).base_url == expected


def test_a_base_url_that_was_set_wins_over_the_address_served() -> None:
    settings = _settings(BASE_URL="https://carefacts.example/")
    assert settings.served_at("127.0.0.1", 8100).base_url == (
        "https://carefacts.example"
    )


def test_the_response_cache_has_64_mib_unless_a_setting_says_otherwise() -> None:
    assert Settings.from_env({}, dotenv=None).response_cache_mib == 64
    env = {"CAREFACTS_RESPONSE_CACHE_MIB": "8"}
    assert Settings.from_env(env, dotenv=None).response_cache_mib == 8
    env = {"CAREFACTS_RESPONSE_CACHE_MIB": "0"}
    assert Settings.from_env(env, dotenv=None).response_cache_mib == 0


@pytest.mark.parametrize("value", ["lots", "-1", "1.5", "65537", "9" * 5000])
def test_a_response_cache_size_that_is_not_a_whole_number_of_mib_is_refused(
    value: str,
) -> None:
    with pytest.raises(SettingsError, match="CAREFACTS_RESPONSE_CACHE_MIB"):
        Settings.from_env({"CAREFACTS_RESPONSE_CACHE_MIB": value}, dotenv=None)


def test_the_hub_refuses_private_callbacks_unless_a_setting_allows_them() -> None:
    default = _settings()
    assert default.websub_allow_private is False
    assert default.websub_max_per_host == 1000
    allowed = _settings(
        WEBSUB_ALLOW_PRIVATE="true",
        WEBSUB_MAX_PER_HOST="5",
        WEBSUB_TIMEOUT="2",
        WEBSUB_RETRY_SECONDS="60",
    )
    assert allowed.websub_allow_private is True
    assert (allowed.websub_max_per_host, allowed.websub_timeout) == (5, 2.0)
    assert allowed.websub_retry_seconds == 60.0


@pytest.mark.parametrize(
    ("name", "value"),
    [("WEBSUB_ALLOW_PRIVATE", "maybe"), ("WEBSUB_MAX_PER_HOST", "0")],
)
def test_a_hub_setting_that_makes_no_sense_is_refused_by_name(
    name: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=f"CAREFACTS_{name}"):
        _settings(**{name: value})

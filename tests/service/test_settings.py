"""Settings from the environment: defaults, and refusals that name the variable."""

from __future__ import annotations

import pytest

from service.settings import Settings, SettingsError


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

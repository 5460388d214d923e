"""Settings read from the environment: the digest threshold (RESULTSBOT_DIGEST_AFTER) as the dispatcher gets it."""

from __future__ import annotations

import math

import pytest

from bot.config import BadSetting, Settings
from bot.dispatcher import DispatchSettings


def digest_after(value: str | None) -> float | None:
    environment = {} if value is None else {"RESULTSBOT_DIGEST_AFTER": value}
    settings = Settings.from_env(environment, dotenv=False)
    return DispatchSettings.of(settings, lease_seconds=5).digest_after_seconds


def test_a_channel_is_folded_after_10_s_behind_unless_set_otherwise_or_off() -> None:
    assert digest_after(None) == digest_after("") == 10.0
    assert digest_after("4") == 4.0 and digest_after(" 2.5 ") == 2.5
    assert digest_after("off") is None and digest_after("Never") is None


@pytest.mark.parametrize("value", ["soon", "-1", "nan", str(math.inf) + "x"])
def test_an_unreadable_digest_setting_is_refused_naming_it(value: str) -> None:
    with pytest.raises(BadSetting, match="RESULTSBOT_DIGEST_AFTER"):
        digest_after(value)

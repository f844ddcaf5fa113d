"""The anonymity primitives: keyed hashes, sealed ids, K and its lock, day-only dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import load_settings
from bot.errors import ConfigError, InvalidInput
from bot.services.employees import anonymity as a

SECRET = "s" * 40


def test_person_key_is_stable_keyed_and_purpose_bound() -> None:
    key = a.person_key(secret=SECRET, user_id="U1", purpose="pulse")
    assert key == a.person_key(secret=SECRET, user_id="U1", purpose="pulse") and len(key) == 64
    assert "U1" not in key
    assert key != a.person_key(secret="t" * 40, user_id="U1", purpose="pulse")  # another secret
    assert key != a.person_key(secret=SECRET, user_id="U1", purpose="suggest")  # unlinkable purposes
    assert key != a.person_key(secret=SECRET, user_id="U2", purpose="pulse")


def test_a_sealed_id_reads_back_only_with_the_secret_and_differs_each_time() -> None:
    sealed = a.seal(secret=SECRET, value="U0AUTHOR")
    assert "U0AUTHOR" not in sealed and sealed != a.seal(secret=SECRET, value="U0AUTHOR")
    assert a.unseal(secret=SECRET, sealed=sealed) == "U0AUTHOR"
    with pytest.raises(ValueError):
        a.unseal(secret="t" * 40, sealed=sealed)


def test_day_only_keeps_the_local_day() -> None:
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert a.day_only(late, ZoneInfo("Europe/Paris")) == date(2026, 11, 24)
    assert a.day_only(late, ZoneInfo("America/New_York")) == date(2026, 11, 23)
    assert a.week_of(date(2026, 11, 29)) == date(2026, 11, 23)


def test_the_threshold_defaults_to_5_and_stays_between_3_and_10(session) -> None:  # type: ignore[no-untyped-def]
    assert a.anonymity_threshold(session) == 5
    assert a.set_anonymity_threshold(session, "7") == 7 and a.anonymity_threshold(session) == 7
    for bad in ("2", "11", "five"):
        with pytest.raises(InvalidInput):
            a.set_anonymity_threshold(session, bad)
    assert a.anonymity_threshold(session) == 7


def test_a_week_with_answers_keeps_its_threshold_when_lowered_but_not_when_raised(session) -> None:  # type: ignore[no-untyped-def]
    day = date(2026, 11, 24)
    assert a.lock_threshold(session, source="pulse", day=day) == 5
    a.set_anonymity_threshold(session, 3)
    assert a.threshold_for_week(session, source="pulse", week_start=date(2026, 11, 23)) == 5
    assert a.threshold_for_week(session, source="pulse", week_start=date(2026, 11, 30)) == 3  # no answers yet
    a.set_anonymity_threshold(session, 8)
    assert a.threshold_for_week(session, source="pulse", week_start=date(2026, 11, 23)) == 8
    assert a.lock_threshold(session, source="pulse", day=day) == 8  # idempotent, lock unchanged
    assert (
        a.locked_thresholds(session, source="pulse", first=a.week_of(day), last=day)[date(2026, 11, 23)] == 5
    )


def test_employee_features_without_a_secret_stop_with_a_clear_message() -> None:
    settings = load_settings(_env_file=None, SYMMETRY_SECRET_KEY="")
    with pytest.raises(ConfigError, match="SYMMETRY_SECRET_KEY"):
        settings.require_secret()
    with pytest.raises(ConfigError, match="at least 32"):
        load_settings(_env_file=None, SYMMETRY_SECRET_KEY="short")
    assert load_settings(_env_file=None, SYMMETRY_SECRET_KEY=SECRET).require_secret() == SECRET

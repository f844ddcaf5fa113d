"""Keep a person's name, timezone, locale and Slack admin status fresh from users.info (at most daily)."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import ensure_utc
from bot.db import session_scope
from bot.entry.deps import Deps
from bot.services.people.roles import ensure_person, find_person

REFRESH = timedelta(days=1)
log = logging.getLogger(__name__)


def sync_person(deps: Deps, client: WebClient, user_id: str) -> None:
    now = deps.clock.now()
    with session_scope(deps.factory) as session:
        person = find_person(session, user_id)
        known = person is not None and person.name != user_id and person.locale  # locale: since 0011
        if known and person is not None and ensure_utc(person.updated_at) > now - REFRESH:
            return
    try:
        user = client.users_info(user=user_id, include_locale=True)["user"]
    except SlackApiError as exc:  # keep what we know; the answer still comes
        log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
        return
    with session_scope(deps.factory) as session:
        ensure_person(
            session,
            user_id,
            name=user.get("real_name") or user.get("name") or user_id,
            tz=user.get("tz"),
            is_admin=bool(user.get("is_admin")),
            is_owner=bool(user.get("is_owner")),
            now=now,
            locale=user.get("locale"),
        )

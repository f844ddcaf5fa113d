"""Who a team's round goes to: its channel's members (conversations.members, paged) without bots
and deactivated accounts, plus the people assigned to the team; each with Slack's tz and locale."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.services.employees.surveys import Member


def channel_members(client: WebClient, channel: str) -> list[str]:
    members: list[str] = []
    cursor = None
    while True:
        page = client.conversations_members(channel=channel, limit=1000, cursor=cursor)
        members += page["members"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members


def directory(client: WebClient) -> dict[str, dict]:
    """Everyone in the workspace, by id (users.list is Tier 2: one pass per opening, 1,000 a page)."""
    users: dict[str, dict] = {}
    cursor = None
    while True:
        page = client.users_list(limit=1000, cursor=cursor, include_locale=True)
        users.update({u["id"]: u for u in page["members"]})
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return users


def team_members(
    client: WebClient, *, channel: str | None, assigned: list[str], bot_user_id: str | None
) -> list[Member]:
    ids = list(dict.fromkeys([*(channel_members(client, channel) if channel else []), *assigned]))
    people = directory(client) if ids else {}
    members = []
    for user_id in ids:
        user = people.get(user_id)
        if user is None or user_id == bot_user_id or user.get("is_bot") or user.get("deleted"):
            continue
        if user.get("is_app_user") or user_id == "USLACKBOT":
            continue
        members.append(Member(user_id=user_id, tz=user.get("tz"), locale=user.get("locale")))
    return members

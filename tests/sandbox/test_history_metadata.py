"""Message metadata on chat.postMessage, read back with conversations.history / replies, as Slack does."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox import SlackStandIn

META = {"event_type": "symmetry_digest_page", "event_payload": {"run": 7, "page": 0}}


def _post(client: WebClient, n: int, **kw: object) -> str:
    return str(client.chat_postMessage(channel="C0SUPPORT", text=f"m{n}", **kw)["ts"])  # type: ignore[arg-type]


def test_metadata_comes_back_only_when_asked_for(client: WebClient) -> None:
    _post(client, 0, metadata=META)
    plain = client.conversations_history(channel="C0SUPPORT")["messages"][0]
    full = client.conversations_history(channel="C0SUPPORT", include_all_metadata=True)["messages"][0]
    assert "metadata" not in plain
    assert full["metadata"] == META


def test_history_is_newest_first_bounded_and_paged_with_a_cursor(client: WebClient) -> None:
    ts = [_post(client, n) for n in range(7)]
    assert [m["ts"] for m in client.conversations_history(channel="C0SUPPORT")["messages"]] == ts[::-1]
    between = client.conversations_history(channel="C0SUPPORT", oldest=ts[1], latest=ts[4])["messages"]
    assert [m["text"] for m in between] == ["m3", "m2"]  # bounds excluded
    inclusive = client.conversations_history(channel="C0SUPPORT", oldest=ts[1], latest=ts[4], inclusive=True)
    assert [m["text"] for m in inclusive["messages"]] == ["m4", "m3", "m2", "m1"]
    seen, cursor, pages = [], None, 0
    while True:
        page = client.conversations_history(channel="C0SUPPORT", limit=3, cursor=cursor)
        seen += [m["text"] for m in page["messages"]]
        pages += 1
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] == bool(cursor)
        if not cursor:
            break
    assert pages == 3 and seen == [f"m{n}" for n in range(6, -1, -1)]


def test_replies_show_the_thread_oldest_first_with_metadata(client: WebClient) -> None:
    parent = _post(client, 0)
    _post(client, 1, thread_ts=parent, metadata=META)
    _post(client, 2, thread_ts=parent)
    thread = client.conversations_replies(channel="C0SUPPORT", ts=parent, include_all_metadata=True)
    assert [m["text"] for m in thread["messages"]] == ["m0", "m1", "m2"]
    assert thread["messages"][1]["metadata"]["event_payload"] == {"run": 7, "page": 0}
    history = client.conversations_history(channel="C0SUPPORT")["messages"]
    assert [m["text"] for m in history] == ["m0"]  # replies are not in the channel's history


@pytest.mark.parametrize(
    "bad", [{"event_type": "x"}, {"event_payload": {}}, {"event_type": "", "event_payload": {}}, "{oops"]
)
def test_malformed_metadata_is_refused(client: WebClient, slack: SlackStandIn, bad: object) -> None:
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0SUPPORT", text="x", metadata=bad)  # type: ignore[arg-type]
    assert refused.value.response["error"] == "invalid_metadata_format"
    assert slack.messages("C0SUPPORT") == []


def test_history_refuses_bad_arguments(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as bad_cursor:
        client.conversations_history(channel="C0SUPPORT", cursor="%%%")
    assert bad_cursor.value.response["error"] == "invalid_cursor"
    with pytest.raises(SlackApiError) as unknown:
        client.conversations_replies(channel="C0SUPPORT", ts="1.000001")
    assert unknown.value.response["error"] == "thread_not_found"

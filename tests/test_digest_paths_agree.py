"""The job, the button redraw and `symmetry digest --dry-run` draw a digest page with one renderer: what
the preview prints is what the job posts, and a redraw with nothing changed gives the posted message back."""

from __future__ import annotations

import json

from bot.cli.digest import preview
from bot.db import session_scope
from bot.sandbox.render import render_message
from bot.services.customers.digest_pages import page_view
from bot.services.people.teams import get_team
from bot.slack.blocks.digest import build_page_message
from jobs.daily_digest import run_for_team
from tests.factories import add_verbatims, make_team, record


def _team(h, name: str):  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return get_team(session, name)


def _posted(harness) -> list[dict]:  # type: ignore[no-untyped-def]
    """What the job sent to chat.postMessage, in order: text and blocks exactly as posted."""
    out = []
    for call in harness.standin.calls_to("chat.postMessage"):
        blocks = call.args["blocks"]
        out.append(
            {"text": call.args["text"], "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks}
        )
    return out


def _redrawn(harness, channel: str, ts: str, now) -> dict:  # type: ignore[no-untyped-def]
    with session_scope(harness.deps.factory) as session:
        view = page_view(session, channel_id=channel, ts=ts, now=now)
    assert view is not None
    blocks, text = build_page_message(view, harness.deps.taxonomy.label)
    return {"text": text, "blocks": blocks}


def test_preview_post_and_redraw_of_a_long_digest_are_the_same_pages(harness, now) -> None:  # type: ignore[no-untyped-def]
    make_team(harness.deps.factory, now=now)
    add_verbatims(harness.deps.factory, [record(i, now=now, score=i % 11) for i in range(75)], now=now)
    printed = preview(harness.deps, _team(harness, "Care"), now=now)
    assert (
        run_for_team(harness.deps, _team(harness, "Care"), client=harness.client, now=now).status == "posted"
    )
    posted = _posted(harness)
    assert len(posted) == 6  # page 0 and five thread pages; the last 15 went in a file
    assert "and 15 more in the attached file" in str(posted[0]["blocks"])
    assert "15 more verbatims did not fit in the thread: the full list" in printed  # the file's comment
    top = harness.standin.messages("C0SUPPORT")[0]
    stored = harness.standin.thread("C0SUPPORT", top["ts"])
    for message, shown in zip(posted, [m for m in stored if m.get("blocks")], strict=True):
        assert render_message(message) in printed  # the dry run printed this very page
        assert _redrawn(harness, "C0SUPPORT", shown["ts"], now) == message  # nothing changed: same message


def test_an_empty_day_note_is_the_same_in_preview_post_and_redraw(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.standin.add_channel("C0QUIET", "quiet")
    make_team(harness.deps.factory, name="Quiet", channel="C0QUIET", now=now, empty_note=True)
    printed = preview(harness.deps, _team(harness, "Quiet"), now=now)
    run_for_team(harness.deps, _team(harness, "Quiet"), client=harness.client, now=now)
    [note] = _posted(harness)
    assert note["text"] == "Nothing new for Quiet since the last digest."
    assert render_message(note) in printed
    ts = harness.standin.messages("C0QUIET")[0]["ts"]
    assert _redrawn(harness, "C0QUIET", ts, now) == note


def test_a_french_team_previews_its_overflow_file_in_french(harness, now) -> None:  # type: ignore[no-untyped-def]
    make_team(harness.deps.factory, now=now, language="fr")
    add_verbatims(harness.deps.factory, [record(i, now=now, score=i % 11) for i in range(75)], now=now)
    printed = preview(harness.deps, _team(harness, "Care"), now=now)
    assert "15 verbatims de plus ne tenaient pas dans le fil" in printed, printed[-400:]
    assert "did not fit" not in printed

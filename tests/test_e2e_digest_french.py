"""A team set to French gets its whole digest in French: header, tiers, reasons, scores, the why of each
priority, buttons, notes, the overflow file, and the redraw and notices after a button."""

from __future__ import annotations

import json
import re

from bot.db import session_scope
from bot.services.people.teams import get_team
from jobs.daily_digest import run_for_team
from tests.conftest import wait_for
from tests.factories import add_verbatims, make_team, record

ANGRY = "Troisième appel pour mon remboursement, personne ne répond. Je vais résilier et voir mon avocat."
# Our English words that must not reach a French team (customer text above has none of them).
ENGLISH = re.compile(
    r"\b(new|detractors?|Customer digest|Why|waiting|days?|I'll take it|Treated|Highest|more pages?|"
    r"thread|attached|Detractor|Passive|Promoter|High|To read|Other|is on it|mentions|no score|by priority)\b"
)


def _team(h):  # type: ignore[no-untyped-def]
    with session_scope(h.deps.factory) as session:
        return get_team(session, "Equipe")


def _ours(message: dict) -> str:
    """The words of a message a team reads, without the customers' own text."""
    words = []
    for block in message["blocks"]:
        for part in [block.get("text") or {}, *block.get("elements", [])]:
            text = part.get("text")
            text = text.get("text") if isinstance(text, dict) else text
            words.append((text or "").split("\n")[0])  # an item's excerpt is on its second line
    return "\n".join(words)


def _load(h, now, n: int) -> None:  # type: ignore[no-untyped-def]
    make_team(h.deps.factory, name="Equipe", now=now, language="fr")
    records = [
        record(
            i,
            now=now,
            team="Equipe",
            text=ANGRY if i % 3 == 0 else f"Service correct {i}",
            score=1 if i % 3 == 0 else 8,
            hours_ago=60,
        )
        for i in range(n)
    ]
    add_verbatims(h.deps.factory, records, now=now)


def test_the_job_posts_a_french_teams_digest_all_in_french(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 75)
    assert run_for_team(harness.deps, _team(harness), client=harness.client, now=now).status == "posted"
    posted = [
        {
            **c.args,
            "blocks": json.loads(c.args["blocks"]) if isinstance(c.args["blocks"], str) else c.args["blocks"],
        }
        for c in harness.standin.calls_to("chat.postMessage")
    ]
    top, pages = _ours(posted[0]), [_ours(p) for p in posted[1:]]
    assert "Synthèse clients · Equipe · lun. 23 nov." in top
    assert "*75* nouveaux · *25* détracteurs" in top and "Les plus prioritaires d'abord." in top
    assert "5 pages de plus dans le fil, et 15 de plus dans le fichier joint." in top
    assert "Je m'en occupe" in top and "Traité" in top and "Pourquoi : détracteur 1/10" in top
    assert "en attente depuis 2 jours" in top and "*Urgent* · Remboursement · 10" in top
    assert "\nPage 2/6 · Equipe\n" in pages[0]
    assert "Synthèse clients pour Equipe, lun. 23 nov.: 75 nouveaux, 25 détracteurs" in posted[0]["text"]
    for shown in [top, *pages, *(p["text"].split("\n")[0] for p in posted)]:
        assert not ENGLISH.search(shown), ENGLISH.search(shown)
    file = harness.standin.calls_to("files.completeUploadExternal")[0].args
    assert "15 verbatims de plus ne tenaient pas dans le fil" in str(file)
    assert (
        not ENGLISH.search(str(file.get("initial_comment", "")))
        and "de plus, par priorité" in json.loads(file["files"])[0]["title"]
    )


def test_the_redraw_and_the_notices_after_a_button_stay_in_french(harness, now) -> None:  # type: ignore[no-untyped-def]
    _load(harness, now, 3)
    run_for_team(harness.deps, _team(harness), client=harness.client, now=now)
    message = harness.standin.messages("C0SUPPORT")[0]
    harness.standin.add_user("U0BEA", "bea")
    harness.sender.block_action("digest_claim", message=message, user_id="U0BEA", block_id=None)
    claimed = wait_for(
        lambda: [
            m for m in harness.standin.messages("C0SUPPORT") if "<@U0BEA> s'en occupe" in str(m["blocks"])
        ]
    )
    assert not ENGLISH.search(_ours(claimed[0])) and "Synthèse clients" in _ours(claimed[0])
    harness.sender.block_action("digest_claim", message=message, user_id="U0AGENT")
    assert wait_for(
        lambda: [
            r for r in harness.standin.responses if "Celui-ci est déjà pris par <@U0BEA>." in str(r.payload)
        ]
    )
    value = next(e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])
    harness.sender.block_action("digest_treat", value, message=claimed[0], user_id="U0BEA")
    wait_for(lambda: "✅ Traité par <@U0BEA>" in str(harness.standin.messages("C0SUPPORT")[0]["blocks"]))


def test_a_quiet_day_is_said_in_french(harness, now) -> None:  # type: ignore[no-untyped-def]
    harness.standin.add_channel("C0CALME", "calme")
    make_team(harness.deps.factory, name="Calme", channel="C0CALME", now=now, empty_note=True, language="fr")
    with session_scope(harness.deps.factory) as session:
        team = get_team(session, "Calme")
    run_for_team(harness.deps, team, client=harness.client, now=now)
    [note] = harness.standin.calls_to("chat.postMessage")
    assert note.args["text"] == "Rien de nouveau pour Calme depuis la dernière synthèse."

from datetime import UTC, date, datetime

from bot.services.customers.digest import DigestItem, DigestSummary
from bot.slack.blocks.digest import ITEMS_PER_PAGE, build_digest_page
from bot.slack.text import excerpt, truncate_words

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
SUMMARY = DigestSummary(
    team="Care", day=date(2026, 11, 23), new=12, detractors=4, nps=-20.0, nps_n=10, csat=None, csat_n=0
)


def _item(n: int, text: str, *, reason: str | None = None, status: str = "open") -> DigestItem:
    return DigestItem(
        id=n,
        priority=90 - n,
        why="detractor 1/10 · mentions cancellation",
        score=1,
        scale="nps",
        reason=reason or f"reason{n}",
        channel="phone",
        agent="<@U0BOSS>",
        text=text,
        language="en",
        received_at=NOW,
        status=status,
        claimed_by="U1" if status != "open" else None,
        treated_by=None,
    )


def test_customer_text_cannot_ping_the_channel_or_mention_anyone() -> None:
    blocks, text = build_digest_page(
        SUMMARY, [_item(1, "<!channel> <@U123> <https://x.io|win> & co")], page_no=0, total_pages=1
    )
    rendered = str(blocks)
    assert "<!channel>" not in rendered and "<@U123>" not in rendered and "<https://x.io" not in rendered
    assert "&lt;!channel&gt; &lt;@U123&gt;" in rendered and "&amp; co" in rendered
    assert "&lt;@U0BOSS&gt;" in rendered  # imported agent names are escaped too
    assert "<!channel>" not in text


def test_a_page_of_worst_case_items_stays_within_slacks_limits() -> None:
    long = "word " * 30_000  # 150 kB of text
    items = [_item(n, long) for n in range(ITEMS_PER_PAGE)]  # every item in its own group: most blocks
    blocks, text = build_digest_page(SUMMARY, items, page_no=0, total_pages=3, overflow=40)
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
    assert len(text) < 40_000


def test_excerpts_are_cut_on_a_word_with_an_ellipsis() -> None:
    cut = truncate_words("Le conseiller m'a raccroché au nez deux fois de suite", 30)
    assert (
        cut.endswith("…")
        and len(cut) <= 30
        and cut[:-1].split(" ")[-1] in "Le conseiller m'a raccroché au nez".split(" ")
    )
    assert (
        excerpt("😡 emoji, हिन्दी and 中文 stay as they are") == "> 😡 emoji, हिन्दी and 中文 stay as they are"
    )
    assert excerpt("") == "> _(no comment)_"


def test_claimed_items_show_who_and_keep_only_the_close_button() -> None:
    blocks, _ = build_digest_page(SUMMARY, [_item(1, "late", status="claimed")], page_no=0, total_pages=1)
    actions = [b for b in blocks if b["type"] == "actions"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["digest_treat"]
    assert "<@U1> is on it" in str(blocks)


def test_group_headers_and_reasons_are_in_the_teams_language_whatever_each_comment_is_in() -> None:
    # Wrong before: English tier headers held the reason label of the first comment's language.
    from dataclasses import replace

    from bot.services.customers.taxonomy import load_taxonomy

    label = load_taxonomy().label
    french_item = replace(_item(1, "Facture payée deux fois", reason="billing"), language="fr")
    english = build_digest_page(SUMMARY, [french_item], page_no=1, total_pages=2, overflow=0, label=label)[0]
    titles = [b["elements"][0]["text"] for b in english if b["type"] == "context"]
    assert f"*Urgent* · {label('billing', 'en')} · 1" in titles
    paris = replace(SUMMARY, language="fr")
    low = replace(french_item, priority=10)
    french = build_digest_page(paris, [low], page_no=1, total_pages=2, overflow=0, label=label)[0]
    titles = [b["elements"][0]["text"] for b in french if b["type"] == "context"]
    assert f"*À lire* · {label('billing', 'fr')} · 1" in titles


def test_every_why_the_priority_can_write_is_said_in_french() -> None:
    """A new word in priority.py's "why" must come with its French, or a French team reads English."""
    import itertools
    import re
    from datetime import timedelta

    from bot.services.customers.priority import compute_priority
    from bot.slack.blocks.digest_words import say

    english = re.compile(r"\b(waiting|days?|detractor|passive|promoter|negative|positive|neutral|star|"
                         r"mentions|threat|issue|contact|nothing urgent|disagree|unreadable)\b")  # fmt: skip
    cases = itertools.product(
        (("nps", s) for s in (0, 7, 10)),
        (-0.9, -0.3, 0.0, 0.3, 0.9, None),
        ((), ("churn", "legal", "safety", "repeat")),
        (0.5, 5, 30, 100),
        ("unknown", "unreadable"),
    )
    for (scale, score), sentiment, risks, hours, label in cases:
        why = compute_priority(
            score=score, scale=scale, sentiment=sentiment, sentiment_label=label, risks=risks,
            received_at=NOW - timedelta(hours=hours), now=NOW,
        ).why  # fmt: skip
        said = " · ".join(say(piece, "fr") for piece in why.split(" · "))
        assert not english.search(said), (why, said)
    for stars in (1, 2, 5):
        assert not english.search(say(f"{stars} star{'s' if stars != 1 else ''}", "fr"))

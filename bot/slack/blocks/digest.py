"""Block Kit for the daily digest. Pure: DTOs in, blocks and a text fallback out."""

from __future__ import annotations

from collections.abc import Callable

from bot import scales
from bot.services.customers.digest import DigestGroup, DigestItem, DigestSummary, tier_of
from bot.services.customers.digest_pages import PageView
from bot.slack.blocks.digest_words import say, say_count
from bot.slack.ids import DigestAction
from bot.slack.text import escape, excerpt, plain
from models.verbatim import Status

Label = Callable[[str, str], str]  # (reason key, language) -> what people read
ITEMS_PER_PAGE = 10  # worst case 3 header + 10 x (1 group + 3 item) + 1 footer = 44 blocks < 50


def _key_as_label(key: str, language: str) -> str:
    return key.replace("_", " ").capitalize() if key.islower() else key


def score_text(item: DigestItem, language: str | None = None) -> str:
    if item.score is None:
        return say("no score", language)
    if item.scale == "nps":
        return say(f"{scales.band(item.score, 'nps').capitalize()} {item.score}/{scales.NPS.high}", language)
    if item.scale == "stars":
        return say(f"{item.score} star{'s' if item.score != 1 else ''}", language)
    return f"CSAT {item.score}/{scales.CSAT.high}"


def priority_badge(priority: int) -> str:
    if priority >= scales.URGENT.floor:
        return f"🔴 *{priority}*"
    if priority >= scales.HIGH.floor:
        return f"🟠 *{priority}*"
    return f"⚪ *{priority}*"


def build_item_blocks(
    item: DigestItem, label: Label = _key_as_label, *, language: str | None = None
) -> list[dict]:
    """One verbatim; its words in `language` (the team's), else English with the reason in the comment's."""
    reason = label(item.reason, language or item.language) if item.reason else None
    facts = [score_text(item, language)] + [plain(v, 60) for v in (reason, item.channel) if v]
    if item.agent:
        facts.append(f"{say('agent', language)} {plain(item.agent, 60)}")
    head = f"{priority_badge(item.priority)}  " + " · ".join(
        f"*{facts[0]}*" if n == 0 else f for n, f in enumerate(facts)
    )
    blocks: list[dict] = [
        {
            "type": "section",
            "block_id": f"v{item.id}",
            "text": {"type": "mrkdwn", "text": f"{head}\n{excerpt(item.text)}"},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _status_line(item, language)}]},
    ]
    actions = _buttons(item, language)
    if actions:
        blocks.append({"type": "actions", "block_id": f"act{item.id}", "elements": actions})
    return blocks


def _status_line(item: DigestItem, language: str | None) -> str:
    pieces = item.why.split(" · ") if item.why else ["no signal"]  # priority.py's words, piece by piece
    why = f"{say('Why:', language)} " + plain(" · ".join(say(p, language) for p in pieces), 300)
    if item.status == Status.TREATED:
        return f"✅ {say('Treated by', language)} <@{item.treated_by}> · {why}"
    if item.status == Status.CLAIMED:
        return f"🙋 <@{item.claimed_by}> {say('is on it', language)} · {why}"
    return why


def _button(action: str, item: DigestItem, words: str, language: str | None) -> dict:
    text = {"type": "plain_text", "text": say(words, language)[:75], "emoji": True}
    return {"type": "button", "action_id": action, "value": str(item.id), "text": text}


def _buttons(item: DigestItem, language: str | None) -> list[dict]:
    if item.status == Status.TREATED:
        return []
    buttons = []
    if item.status == Status.OPEN:
        buttons.append({**_button(DigestAction.CLAIM, item, "I'll take it", language), "style": "primary"})
    buttons.append(_button(DigestAction.TREAT, item, "Treated", language))
    return buttons


def build_items_blocks(
    items: list[DigestItem], label: Label = _key_as_label, *, language: str | None = None
) -> list[dict]:
    """Items of one page with their tier/reason group titles, in the order given. With the team's
    `language`, every word of the page is in it (without, reasons are in each comment's language)."""
    blocks: list[dict] = []
    for group in group_items_in_order(items):
        reason = label(group.reason, language or group.items[0].language) if group.reason else None
        reason = reason or say("Other", language)
        title = f"*{say(group.tier, language)}* · {plain(reason, 80)} · {len(group.items)}"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": title}]})
        for item in group.items:
            blocks.extend(build_item_blocks(item, label, language=language))
    return blocks


def group_items_in_order(items: list[DigestItem]) -> list[DigestGroup]:
    """Group titles for a page whose items are already in digest order: consecutive (tier, reason) runs."""
    groups: list[DigestGroup] = []
    for item in items:
        tier = tier_of(item.priority)
        if groups and groups[-1].tier == tier and groups[-1].reason == item.reason:
            groups[-1] = DigestGroup(tier, item.reason, groups[-1].items + (item,))
        else:
            groups.append(DigestGroup(tier, item.reason, (item,)))
    return groups


def build_digest_header_blocks(summary: DigestSummary, *, total_pages: int, overflow: int) -> list[dict]:
    lang = summary.language
    kpis = []
    if summary.nps_n:
        kpis.append(f"NPS *{summary.nps:+.0f}* (n={summary.nps_n})")
    if summary.csat_n:
        kpis.append(say(f"CSAT *{summary.csat:.0f}%* (n={summary.csat_n})", lang))
    counts = [
        say_count(summary.new, "new", lang),
        say_count(summary.detractors, "detractors", lang, one="detractor"),
    ]
    day = say(f"{summary.day:%a %d %b}", lang)
    header = f"{say('Customer digest', lang)} · {summary.team} · {day}"
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": header[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": " · ".join([*counts, *kpis])}},
    ]
    if total_pages > 1 or overflow:
        pages = "more page in the thread" if total_pages == 2 else "more pages in the thread"
        more = f"{say('Highest priority first.', lang)} {total_pages - 1} {say(pages, lang)}"
        more += (
            f", {say('and', lang)} {overflow} {say('more in the attached file.', lang)}" if overflow else "."
        )
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    blocks.append({"type": "divider"})
    return blocks


def build_page_message(view: PageView, label: Label = _key_as_label) -> tuple[list[dict], str]:
    """The one renderer of a digest message: the job posts it, a button redraws it, `symmetry digest
    --dry-run` prints it. Page 0 of a day with nothing new is a one-line note."""
    if view.is_empty_note:
        return build_empty_note(view.summary)
    return build_digest_page(
        view.summary,
        view.items,
        page_no=view.page_no,
        total_pages=view.total_pages,
        overflow=view.overflow,
        label=label,
    )


def build_digest_page(
    summary: DigestSummary,
    items: list[DigestItem],
    *,
    page_no: int,
    total_pages: int,
    overflow: int = 0,
    label: Label = _key_as_label,
) -> tuple[list[dict], str]:
    """(blocks, text fallback) for page `page_no` (0 = the channel message)."""
    if page_no == 0:
        blocks = build_digest_header_blocks(summary, total_pages=total_pages, overflow=overflow)
        if not items:
            blocks.append(
                {
                    "type": "section",
                    "text": {
                        "type": "mrkdwn",
                        "text": f"{say('Nothing new since the last digest.', summary.language)} 🌤",
                    },
                }
            )
    else:
        blocks = [
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"{say('page', summary.language).capitalize()} {page_no + 1}/{total_pages}"
                        f" · {escape(summary.team)}",
                    }
                ],
            }
        ]
    blocks.extend(build_items_blocks(items, label, language=summary.language))
    return blocks, digest_fallback_text(summary, items, page_no=page_no)


def digest_fallback_text(summary: DigestSummary, items: list[DigestItem], *, page_no: int) -> str:
    lang, team = summary.language, escape(summary.team)  # an imported team name is text, never a mention
    counts = ", ".join(
        say_count(n, many, lang, one=one).replace("*", "")
        for n, many, one in ((summary.new, "new", None), (summary.detractors, "detractors", "detractor"))
    )
    head = f"{say('Customer digest for', lang)} {team}, {say(f'{summary.day:%a %d %b}', lang)}: {counts}"
    if page_no:
        head = f"{say('Digest for', lang)} {team}, {say('page', lang)} {page_no + 1}"
    lines = [head] + [f"{i.priority} · {score_text(i, lang)} · {plain(i.text, 80)}" for i in items[:5]]
    return "\n".join(lines)


def overflow_file_words(summary: DigestSummary, n: int) -> tuple[str, str]:
    """(title, comment) of the CSV of the items that did not fit in the thread."""
    lang = summary.language
    title = f"{say('Digest for', lang)} {summary.team} {summary.day}: {n} {say('more, by priority', lang)}"
    return (
        title,
        f"{n} {say('more verbatims did not fit in the thread: the full list, highest priority first.', lang)}",
    )


def claim_notice(who: str | None, *, treated: bool, language: str | None) -> str:
    """The ephemeral line when a button comes too late: `who` already has it (None: you)."""
    head = "This one is already treated by" if treated else "This one is already taken by"
    return f"{say(head, language)} {who or say('you', language)}."


def build_empty_note(summary: DigestSummary) -> tuple[list[dict], str]:
    lang = summary.language
    text = f"{say('Nothing new for', lang)} {escape(summary.team)} {say('since the last digest.', lang)}"
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"🌤 {text}"}}], text

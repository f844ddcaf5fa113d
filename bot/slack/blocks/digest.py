"""Block Kit for the daily digest. Pure: DTOs in, blocks and a text fallback out."""

from __future__ import annotations

from collections.abc import Callable

from bot import scales
from bot.services.customers.digest import DigestGroup, DigestItem, DigestSummary, tier_of
from bot.services.customers.digest_runs import PageView
from bot.slack.ids import DigestAction
from bot.slack.text import escape, excerpt, plain
from models.verbatim import Status

Label = Callable[[str, str], str]  # (reason key, language) -> what people read
ITEMS_PER_PAGE = 10  # worst case 3 header + 10 x (1 group + 3 item) + 1 footer = 44 blocks < 50


def _key_as_label(key: str, language: str) -> str:
    return key.replace("_", " ").capitalize() if key.islower() else key


def score_text(item: DigestItem) -> str:
    if item.score is None:
        return "no score"
    if item.scale == "nps":
        return f"{scales.band(item.score, 'nps').capitalize()} {item.score}/{scales.NPS.high}"
    if item.scale == "stars":
        return f"{item.score} star{'s' if item.score != 1 else ''}"
    return f"CSAT {item.score}/{scales.CSAT.high}"


def priority_badge(priority: int) -> str:
    if priority >= scales.URGENT.floor:
        return f"🔴 *{priority}*"
    if priority >= scales.HIGH.floor:
        return f"🟠 *{priority}*"
    return f"⚪ *{priority}*"


def build_item_blocks(item: DigestItem, label: Label = _key_as_label) -> list[dict]:
    reason = label(item.reason, item.language) if item.reason else None
    facts = [score_text(item)] + [plain(v, 60) for v in (reason, item.channel) if v]
    if item.agent:
        facts.append(f"agent {plain(item.agent, 60)}")
    head = f"{priority_badge(item.priority)}  " + " · ".join(
        f"*{facts[0]}*" if n == 0 else f for n, f in enumerate(facts)
    )
    blocks: list[dict] = [
        {
            "type": "section",
            "block_id": f"v{item.id}",
            "text": {"type": "mrkdwn", "text": f"{head}\n{excerpt(item.text)}"},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _status_line(item)}]},
    ]
    actions = _buttons(item)
    if actions:
        blocks.append({"type": "actions", "block_id": f"act{item.id}", "elements": actions})
    return blocks


def _status_line(item: DigestItem) -> str:
    why = f"Why: {plain(item.why, 300)}" if item.why else "Why: no signal"
    if item.status == Status.TREATED:
        return f"✅ Treated by <@{item.treated_by}> · {why}"
    if item.status == Status.CLAIMED:
        return f"🙋 <@{item.claimed_by}> is on it · {why}"
    return why


def _buttons(item: DigestItem) -> list[dict]:
    if item.status == Status.TREATED:
        return []
    buttons = []
    if item.status == Status.OPEN:
        buttons.append(
            {
                "type": "button",
                "action_id": DigestAction.CLAIM,
                "value": str(item.id),
                "style": "primary",
                "text": {"type": "plain_text", "text": "I'll take it", "emoji": True},
            }
        )
    buttons.append(
        {
            "type": "button",
            "action_id": DigestAction.TREAT,
            "value": str(item.id),
            "text": {"type": "plain_text", "text": "Treated", "emoji": True},
        }
    )
    return buttons


TIER_NAMES = {"fr": {"Urgent": "Urgent", "High": "Prioritaire", "To read": "À lire", "Other": "Autre"}}


def build_items_blocks(
    items: list[DigestItem], label: Label = _key_as_label, *, language: str | None = None
) -> list[dict]:
    """Items of one page with their tier/reason group titles, in the order given. With the team's
    `language`, every title and reason of the page is in it (not in each comment's own language)."""
    names = TIER_NAMES.get(language or "", {})
    same = (lambda key, _item_language: label(key, language)) if language else label  # noqa: E731
    blocks: list[dict] = []
    for group in group_items_in_order(items):
        reason = same(group.reason, group.items[0].language) if group.reason else names.get("Other", "Other")
        title = f"*{names.get(group.tier, group.tier)}* · {plain(reason, 80)} · {len(group.items)}"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": title}]})
        for item in group.items:
            blocks.extend(build_item_blocks(item, same))
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
    kpis = []
    if summary.nps_n:
        kpis.append(f"NPS *{summary.nps:+.0f}* (n={summary.nps_n})")
    if summary.csat_n:
        kpis.append(f"CSAT *{summary.csat:.0f}%* (n={summary.csat_n})")
    counts = f"*{summary.new}* new · *{summary.detractors}* detractor{'s' if summary.detractors != 1 else ''}"
    line = " · ".join([counts, *kpis])
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": f"Customer digest · {summary.team} · {summary.day:%a %d %b}"[:150],
            },
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": line}},
    ]
    if total_pages > 1 or overflow:
        more = f"Highest priority first. {total_pages - 1} more page(s) in the thread"
        more += f", and {overflow} more in the attached file." if overflow else "."
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
                    "text": {"type": "mrkdwn", "text": "Nothing new since the last digest. 🌤"},
                }
            )
    else:
        blocks = [
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"Page {page_no + 1}/{total_pages} · {escape(summary.team)}"}
                ],
            }
        ]
    blocks.extend(build_items_blocks(items, label, language=summary.language))
    return blocks, digest_fallback_text(summary, items, page_no=page_no)


def digest_fallback_text(summary: DigestSummary, items: list[DigestItem], *, page_no: int) -> str:
    team = escape(summary.team)  # an imported team name is text, never a mention or a link
    head = (
        f"Customer digest for {team}, {summary.day:%d %b}: {summary.new} new, {summary.detractors} detractors"
    )
    if page_no:
        head = f"{team} digest, page {page_no + 1}"
    lines = [head] + [f"{i.priority} · {score_text(i)} · {plain(i.text, 80)}" for i in items[:5]]
    return "\n".join(lines)


def build_empty_note(summary: DigestSummary) -> tuple[list[dict], str]:
    text = f"Nothing new for {escape(summary.team)} since the last digest."
    return [{"type": "section", "text": {"type": "mrkdwn", "text": f"🌤 {text}"}}], text

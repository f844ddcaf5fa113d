"""Block Kit for the survey DM (buttons in the message, redrawn after each click) and its reminder."""

from __future__ import annotations

from typing import Any

from bot.services.employees.survey_view import SurveyDm
from bot.slack.text import escape, truncate_words

ACTION_PREFIX = "survey:"
COMMENT_CALLBACK = "survey_comment"
SCORED = (("quality", "zero_ten", 0, 10), ("recommend", "zero_ten", 0, 10), ("enps", "zero_ten", 0, 10))
WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "title": "Weekly survey, {team}",
        "privacy": (
            ":lock: Anonymous: your answers are stored without your name. Knowing *that* you answered is used "
            "for one reminder only, kept apart from your answers, and deleted when the round closes. "
            'Managers see counts ("12 of 18 answered"), never names, and nothing below {k} people.'
        ),
        "open_until": "You can change any answer until {when}.",
        "progress": "Answered {done} of 5 · left: {left}",
        "all_done": ":white_check_mark: All answered, thank you! You can still change them until {when}.",
        "closed": "This round is closed. Thank you for taking part.",
        "pick": "Pick a reason",
        "comment": "Add a comment",
        "edit": "Edit comment",
        "driver": "Do you agree?",
        "you_said": '*You said, we did* (round {round}): {comments} comments; managers answered {act} "we\'ll act", '
        '{cant} "can\'t act", {thanks} "thank you", {seen} "seen".',
        "reminder": "A gentle reminder: this week's survey is open until {when}. Five clicks, under a minute, anonymous.",
        "names": {
            "quality": "service quality",
            "recommend": "recommendation",
            "enps": "working here",
            "driver": "statement",
            "reason": "complaints",
        },
    },
    "fr": {
        "title": "Sondage de la semaine, {team}",
        "privacy": (
            ":lock: Anonyme : vos réponses sont enregistrées sans votre nom. Savoir *que* vous avez répondu ne sert "
            "qu'à un seul rappel, est gardé à part de vos réponses et effacé à la clôture. Les managers voient "
            "des nombres (« 12 sur 18 ont répondu »), jamais de noms, et rien en dessous de {k} personnes."
        ),
        "open_until": "Vous pouvez changer vos réponses jusqu'au {when}.",
        "progress": "{done} réponses sur 5 · reste : {left}",
        "all_done": ":white_check_mark: Tout est répondu, merci ! Modifiable jusqu'au {when}.",
        "closed": "Ce sondage est clos. Merci de votre participation.",
        "pick": "Choisir un motif",
        "comment": "Ajouter un commentaire",
        "edit": "Modifier le commentaire",
        "driver": "Êtes-vous d'accord ?",
        "you_said": "*Vous avez dit, nous avons fait* (sondage {round}) : {comments} commentaires ; les managers ont "
        "répondu {act} « on agit », {cant} « impossible », {thanks} « merci », {seen} « vu ».",
        "reminder": "Petit rappel : le sondage de la semaine est ouvert jusqu'au {when}. Cinq clics, moins d'une "
        "minute, anonyme.",
        "names": {
            "quality": "qualité de service",
            "recommend": "recommandation",
            "enps": "travailler ici",
            "driver": "affirmation",
            "reason": "réclamations",
        },
    },
}


def _w(dm: SurveyDm) -> dict[str, Any]:
    return WORDS.get(dm.language, WORDS["en"])


def _buttons(dm: SurveyDm, key: str, low: int, high: int) -> dict[str, Any]:
    chosen = dm.answers.get(key)
    elements = []
    for value in range(low, high + 1):
        button: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": str(value)},
            "action_id": f"{ACTION_PREFIX}{key}:{value}",
            "value": f"{dm.round_id}:{value}",
        }
        if chosen == value:
            button["style"] = "primary"
        elements.append(button)
    return {"type": "actions", "block_id": f"survey_{key}", "elements": elements}


def _question(dm: SurveyDm, n: int, key: str, text: str, ends: list[str] | None) -> dict[str, Any]:
    chosen = dm.answers.get(key)
    mark = f"  :white_check_mark: *{chosen}*" if chosen is not None else ""
    scale = f"\n_{ends[0]} … {ends[1]}_" if ends else ""
    return {"type": "section", "text": {"type": "mrkdwn", "text": f"*{n}. {escape(text)}*{mark}{scale}"}}


def build_survey_dm(dm: SurveyDm, *, k: int) -> tuple[list[dict[str, Any]], str]:
    w = _w(dm)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": truncate_words(w["title"].format(team=dm.team), 150)},
        }
    ]
    if dm.you_said:
        said = dm.you_said
        text = w["you_said"].format(round=said["round"], comments=said["comments"], **said["counts"])
        text += "".join(f"\n> {escape(truncate_words(c, 140))}" for c in said["acting"])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": w["privacy"].format(k=k)}]})
    if dm.closed:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": w["closed"]}})
        return blocks, w["closed"]
    for n, (key, scale, low, high) in enumerate(SCORED, start=1):
        blocks += [_question(dm, n, key, dm.questions[key], dm.ends[scale]), _buttons(dm, key, low, high)]
    blocks += [
        _question(dm, 4, "driver", f"{w['driver']} {dm.driver_text}", dm.ends["one_five"]),
        _buttons(dm, "driver", 1, 5),
        _reason_block(dm, w),
        _comment_block(dm, w),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _progress(dm, w)}]},
    ]
    return blocks, f"{w['title'].format(team=dm.team)}: {dm.questions['quality']}"


def _reason_block(dm: SurveyDm, w: dict[str, Any]) -> dict[str, Any]:
    options = [
        {"text": {"type": "plain_text", "text": truncate_words(label, 75)}, "value": f"{dm.round_id}:{key}"}
        for key, label in dm.reasons
    ]
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": f"{ACTION_PREFIX}reason",
        "placeholder": {"type": "plain_text", "text": w["pick"]},
        "options": options,
    }
    chosen = next((o for o in options if o["value"] == f"{dm.round_id}:{dm.answers.get('reason')}"), None)
    if chosen:
        select["initial_option"] = chosen
    mark = " :white_check_mark:" if chosen else ""
    text = f"*5. {escape(dm.questions['reason'])}*{mark}"
    return {
        "type": "section",
        "block_id": "survey_reason",
        "text": {"type": "mrkdwn", "text": text},
        "accessory": select,
    }


def _comment_block(dm: SurveyDm, w: dict[str, Any]) -> dict[str, Any]:
    comment = dm.answers.get("comment")
    text = f"_{escape(dm.questions['comment'])}_"
    if comment:
        text += f"\n> {escape(truncate_words(str(comment), 300))}"
    button = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}comment",
        "text": {"type": "plain_text", "text": w["edit"] if comment else w["comment"]},
        "value": str(dm.round_id),
    }
    return {
        "type": "section",
        "block_id": "survey_comment",
        "text": {"type": "mrkdwn", "text": text},
        "accessory": button,
    }


def _progress(dm: SurveyDm, w: dict[str, Any]) -> str:
    keys = ("quality", "recommend", "enps", "driver", "reason")
    left = [w["names"][k] for k in keys if dm.answers.get(k) is None]
    if not left:
        return w["all_done"].format(when=dm.closes_on)
    return (
        w["progress"].format(done=5 - len(left), left=", ".join(left))
        + " · "
        + w["open_until"].format(when=dm.closes_on)
    )


def build_reminder(language: str, *, closes_on: str) -> str:
    return WORDS.get(language, WORDS["en"])["reminder"].format(when=closes_on)


def build_comment_modal(
    *, round_id: int, channel: str, ts: str, current: str | None, language: str
) -> dict[str, Any]:
    import json

    fr = language == "fr"
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "text",
        "multiline": True,
        "max_length": 1000,
    }
    if current:
        element["initial_value"] = current
    return {
        "type": "modal",
        "callback_id": COMMENT_CALLBACK,
        "private_metadata": json.dumps({"round": round_id, "channel": channel, "ts": ts}),
        "title": {"type": "plain_text", "text": "Commentaire" if fr else "Your comment"},
        "submit": {"type": "plain_text", "text": "Enregistrer" if fr else "Save"},
        "close": {"type": "plain_text", "text": "Annuler" if fr else "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "comment",
                "optional": True,
                "label": {
                    "type": "plain_text",
                    "text": "Anonyme, visible par les managers au-delà du seuil"
                    if fr
                    else "Anonymous; managers see it only above the threshold",
                },
                "element": element,
            }
        ],
    }

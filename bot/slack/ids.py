"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class DigestAction(StrEnum):
    CLAIM = "digest_claim"
    TREAT = "digest_treat"


class SurveyHomeAction(StrEnum):
    """The admins' "Survey rounds" buttons in the App Home (the value is the team's id)."""

    OPEN = "survey_home_open"
    CLOSE = "survey_home_close"
    STATUS = "survey_home_status"

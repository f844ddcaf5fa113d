"""Every action_id, callback_id and block_id the bot uses, in one place."""

from __future__ import annotations

from enum import StrEnum


class DigestAction(StrEnum):
    CLAIM = "digest_claim"
    TREAT = "digest_treat"

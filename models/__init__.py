"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.digest import DigestPage, DigestRun, ProcessedEvent
from models.team import Team, TeamPublic
from models.verbatim import Scale, Status, Verbatim, VerbatimIn

__all__ = [
    "DigestPage",
    "DigestRun",
    "ProcessedEvent",
    "Scale",
    "Status",
    "Team",
    "TeamPublic",
    "Verbatim",
    "VerbatimIn",
]
from models.person import Person, Role, TeamManager  # noqa: E402, F401  (people and roles)

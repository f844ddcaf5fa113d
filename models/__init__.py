"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.digest import DigestPage, DigestPageItem, DigestRun, ProcessedEvent, SeenRequest
from models.dimension import DimensionValue
from models.import_batch import BatchStatus, ImportBatch
from models.kpi_hour import KpiHour
from models.person import Person, Role, TeamManager
from models.pulse import EmployeeAtom, EmployeeRun, EmployeeWeek, PulseAnswer
from models.settings import AnonymityLock, AppSetting
from models.story import Story, StoryOfWeek, StoryVote
from models.suggestion import RecipientStatus, RelayMessage, RelayRecipient, Suggestion, SuggestionStatus
from models.survey import (
    SurveyAnswered,
    SurveyDelivery,
    SurveyPost,
    SurveyResponse,
    SurveyRound,
    SurveySchedule,
)
from models.team import Team
from models.triage_model import TriageModel
from models.verbatim import Scale, Status, Verbatim, VerbatimIn

__all__ = [
    "BatchStatus",
    "ImportBatch",
    "AnonymityLock",
    "AppSetting",
    "EmployeeAtom",
    "EmployeeRun",
    "EmployeeWeek",
    "PulseAnswer",
    "RecipientStatus",
    "RelayMessage",
    "RelayRecipient",
    "Story",
    "StoryOfWeek",
    "StoryVote",
    "Suggestion",
    "SuggestionStatus",
    "DigestPage",
    "DigestPageItem",
    "DigestRun",
    "DimensionValue",
    "KpiHour",
    "Person",
    "ProcessedEvent",
    "Role",
    "Scale",
    "SeenRequest",
    "Status",
    "SurveyAnswered",
    "SurveyDelivery",
    "SurveyPost",
    "SurveyResponse",
    "SurveyRound",
    "SurveySchedule",
    "Team",
    "TeamManager",
    "TriageModel",
    "Verbatim",
    "VerbatimIn",
]

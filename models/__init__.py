"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from models.digest import DigestPage, DigestRun, ProcessedEvent, SeenRequest
from models.dimension import DimensionValue
from models.import_batch import BatchStatus, ImportBatch
from models.kpi_hour import KpiHour
from models.person import Person, Role, TeamManager
from models.team import Team
from models.triage_model import TriageModel
from models.verbatim import Scale, Status, Verbatim, VerbatimIn

__all__ = [
    "BatchStatus",
    "ImportBatch",
    "DigestPage",
    "DigestRun",
    "DimensionValue",
    "KpiHour",
    "Person",
    "ProcessedEvent",
    "Role",
    "Scale",
    "SeenRequest",
    "Status",
    "Team",
    "TeamManager",
    "TriageModel",
    "Verbatim",
    "VerbatimIn",
]

"""Hourly NPS/CSAT tallies per team, kept exact by database triggers on verbatim (migration 0002).

Never written by the application: every insert, update or delete of a verbatim adjusts its hour's
row in the same transaction, so reading it is as exact as counting the verbatims themselves.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


class KpiHour(SQLModel, table=True):
    __tablename__ = "kpi_hour"
    __table_args__ = {"sqlite_with_rowid": False}

    scale: str = Field(primary_key=True, max_length=8)  # nps | csat
    hour: datetime = Field(sa_column=Column(UTCDateTime(), primary_key=True))  # UTC, on the hour
    team_key: int = Field(primary_key=True)  # team id, 0 for no team (NULL can't be part of a key)
    n: int = 0  # responses with a score
    top: int = 0  # promoters (9-10) or satisfied (4-5)
    bottom: int = 0  # detractors (0-6), NPS only
    total: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))  # sum of scores

"""Pulse answers (1-5 a day, stored without who) and the cached tallies of finished weeks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class PulseAnswer(SQLModel, table=True):
    """One answer per person per local day. `person_key` is an HMAC of the Slack id (never the id);
    `signed_by` is the Slack id only when the person chose to sign. Kept to the day, no time."""

    __tablename__ = "pulse_answer"
    __table_args__ = (
        UniqueConstraint("person_key", "day", name="uq_pulse_answer_person_day"),
        Index("ix_pulse_answer_day_team", "day", "team_id"),
        Index("ix_pulse_answer_team_day", "team_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_key: str = Field(max_length=64)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    day: date
    score: int  # 1-5
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    signed_by: str | None = Field(default=None, max_length=40)


class EmployeeWeek(SQLModel, table=True):
    """Tally of one finished week per (source, team): finished weeks never change, so they are counted
    once. team_key 0 is "no team"; a row with team_key -1 marks the week as counted."""

    __tablename__ = "employee_week"
    __table_args__ = (
        # a team's weeks (the "counted" marks are team -1), and the weeks under K (the small teams)
        Index("ix_employee_week_team", "source", "team_key", "week_start"),
        Index("ix_employee_week_people", "source", "people", "team_key"),
        {"sqlite_with_rowid": False},
    )

    source: str = Field(primary_key=True, max_length=16)
    week_start: date = Field(primary_key=True)
    team_key: int = Field(primary_key=True)
    n: int = 0  # answers (or stories)
    top: int = 0  # answers in the top box (4-5)
    total: int = 0  # sum of scores (pulse)
    squares: int = 0  # sum of squared scores (for the margin of the mean)
    people: int = 0  # distinct people behind them


class EmployeeAtom(SQLModel, table=True):
    """A small team's run of finished weeks, closed once it had K distinct people (or dropped after
    13 weeks without): stored once formed, so it is never re-pooled and never recomputed."""

    __tablename__ = "employee_atom"
    __table_args__ = {"sqlite_with_rowid": False}

    source: str = Field(primary_key=True, max_length=16)
    team_key: int = Field(primary_key=True)
    first_week: date = Field(primary_key=True)
    last_week: date
    n: int = 0
    top: int = 0
    total: int = 0
    squares: int = 0
    people: int = 0
    k: int  # the K it was formed under; shown only while people >= max(k, K now)


class EmployeeRun(SQLModel, table=True):
    """A small team's open run (weeks since its last atom, still short of K people), as walked up to
    `last_week`: read instead of the answers while no newer week is counted and K is unchanged."""

    __tablename__ = "employee_run"
    __table_args__ = {"sqlite_with_rowid": False}

    source: str = Field(primary_key=True, max_length=16)
    team_key: int = Field(primary_key=True)
    first_week: date
    last_week: date  # the last counted week walked
    people: int  # distinct people in the run so far (< k)
    k: int  # the K the run must reach (locked weeks' K, or K then)
    k_now: int  # K in force when it was walked: another K walks the run again

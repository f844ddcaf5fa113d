"""Company-wide settings an admin changes at run time (`symmetry settings set ...`), and the anonymity
threshold locked per reported week once answers exist."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class AppSetting(SQLModel, table=True):
    __tablename__ = "app_setting"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=200)


class AnonymityLock(SQLModel, table=True):
    """The threshold K in force for (source, week) when its first answer arrived. Never lowered."""

    __tablename__ = "anonymity_lock"

    source: str = Field(primary_key=True, max_length=16)  # pulse | stories | suggestions
    week_start: date = Field(primary_key=True)  # a Monday
    k: int

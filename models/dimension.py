"""Distinct channel and reason values seen at import, so a question can be read without scanning the store."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class DimensionValue(SQLModel, table=True):
    __tablename__ = "dimension_value"

    kind: str = Field(primary_key=True, max_length=16)  # channel | reason
    value: str = Field(primary_key=True, max_length=120)

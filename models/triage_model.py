"""A model learnt from the store's own rated comments (``symmetry triage train``), one row per version."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.types import utc_column


class TriageModel(SQLModel, table=True):
    __tablename__ = "triage_model"
    __table_args__ = (UniqueConstraint("language", "version", name="uq_triage_model_language_version"),)

    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8)
    version: int
    created_at: datetime = Field(sa_column=utc_column())
    labels: int  # rated comments it learnt from
    negatives: int
    auc_lexicons: float  # held-out AUCs on those labels (cross-validation)
    auc_model: float
    auc_blend: float
    weight: float  # the model's share in the blend; 0: the lexicons alone did as well
    buckets: int
    active: bool = False  # the version applied to new comments and by `triage rescore`
    weights: bytes = Field(sa_column=Column(LargeBinary, nullable=False))

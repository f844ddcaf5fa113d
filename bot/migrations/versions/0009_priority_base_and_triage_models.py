"""priority without age (ranked in SQL, indexed) and the models learnt from the store's rated comments

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verbatim", sa.Column("priority_base", sa.Integer(), nullable=False, server_default="0"))
    # Rows stored before: their import-time priority (age at import included) until `symmetry triage
    # rescore` recomputes them exactly.
    op.execute("UPDATE verbatim SET priority_base = priority")
    op.create_index(
        "ix_verbatim_team_imported_rank",
        "verbatim",
        ["team_id", "imported_at", "status", "priority_base", "received_at", "sentiment", "score", "scale",
         "treated_at", "reason"],
    )
    op.create_table(
        "triage_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("labels", sa.Integer(), nullable=False),
        sa.Column("negatives", sa.Integer(), nullable=False),
        sa.Column("auc_lexicons", sa.Float(), nullable=False),
        sa.Column("auc_model", sa.Float(), nullable=False),
        sa.Column("auc_blend", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("buckets", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("weights", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("language", "version", name="uq_triage_model_language_version"),
    )


def downgrade() -> None:
    op.drop_table("triage_model")
    op.drop_index("ix_verbatim_team_imported_rank", table_name="verbatim")
    op.drop_column("verbatim", "priority_base")

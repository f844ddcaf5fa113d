"""import batches (imports list / undo), history rows kept out of the digest, a team's language

Revision ID: 0008
Revises: 0003

Undo deletes a batch's rows; the kpi_hour triggers of 0002 take them out of the tallies in the same
transaction, so no tally is touched here.
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0008"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("read", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("history", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("undone_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_source"), ["source"], unique=False)
    # Plain ADD COLUMN (no table rebuild on SQLite: the kpi_hour triggers of 0002 stay as they are).
    op.add_column("verbatim", sa.Column("batch_id", sa.Integer(), nullable=True))
    op.add_column("verbatim", sa.Column("history", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_verbatim_batch_id", "verbatim", ["batch_id"], unique=False)
    op.add_column("team", sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_verbatim_batch_id", table_name="verbatim")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("language")
    with op.batch_alter_table("verbatim", schema=None) as batch_op:
        batch_op.drop_column("history")
        batch_op.drop_column("batch_id")
    op.drop_table("import_batch")

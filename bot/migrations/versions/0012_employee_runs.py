"""employee figures without reading answers: indexes on the weekly tallies, small teams' open runs

Revision ID: 0012
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_employee_week_team", "employee_week", ["source", "team_key", "week_start"])
    op.create_index("ix_employee_week_people", "employee_week", ["source", "people", "team_key"])
    op.create_table(
        "employee_run",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("first_week", sa.Date(), nullable=False),
        sa.Column("last_week", sa.Date(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("k_now", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "team_key"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("employee_run")
    op.drop_index("ix_employee_week_people", table_name="employee_week")
    op.drop_index("ix_employee_week_team", table_name="employee_week")

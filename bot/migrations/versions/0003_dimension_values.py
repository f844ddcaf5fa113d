"""dimension values: the distinct channels and reasons, filled from what is already stored

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dimension_value",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("kind", "value"),
    )
    for kind in ("channel", "reason"):
        op.execute(
            f"INSERT INTO dimension_value (kind, value) SELECT DISTINCT '{kind}', {kind} FROM verbatim "
            f"WHERE {kind} IS NOT NULL AND {kind} <> ''"
        )


def downgrade() -> None:
    op.drop_table("dimension_value")

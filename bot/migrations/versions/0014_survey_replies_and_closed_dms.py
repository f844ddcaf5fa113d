"""survey comment replies through the suggestion relay (relay_recipient), closed survey DMs redrawn

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("relay_message") as batch:
        batch.alter_column("suggestion_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("survey_response_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_relay_message_survey_response_id", "survey_response", ["survey_response_id"], ["id"]
        )
        batch.create_index(
            batch.f("ix_relay_message_survey_response_id"), ["survey_response_id"], unique=False
        )
    op.create_table(
        "relay_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("due_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("intent_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.ForeignKeyConstraint(["message_id"], ["relay_message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id", "slack_user_id", name="uq_relay_recipient_message_user"),
    )
    with op.batch_alter_table("relay_recipient") as batch:
        batch.create_index("ix_relay_recipient_due", ["status", "due_at"], unique=False)
        batch.create_index(batch.f("ix_relay_recipient_message_id"), ["message_id"], unique=False)
    op.add_column(
        "survey_delivery",
        sa.Column("closed_view", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    )


def downgrade() -> None:
    with op.batch_alter_table("survey_delivery") as batch:
        batch.drop_column("closed_view")
    op.drop_table("relay_recipient")
    with op.batch_alter_table("relay_message") as batch:
        batch.drop_index(batch.f("ix_relay_message_survey_response_id"))
        batch.drop_constraint("fk_relay_message_survey_response_id", type_="foreignkey")
        batch.drop_column("survey_response_id")
        batch.alter_column("suggestion_id", existing_type=sa.Integer(), nullable=False)

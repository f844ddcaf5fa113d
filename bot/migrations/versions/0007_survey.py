"""survey: schedules, rounds, the fan-out ledger, who answered (apart, purged at close), answers, posts

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = (
    "survey_post",
    "survey_response",
    "survey_answered",
    "survey_delivery",
    "survey_round",
    "survey_schedule",
)


def upgrade() -> None:
    op.create_table(
        "survey_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("skip_reason", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("driver", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("opened_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("remind_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("closed_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("results", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "opens_on", name="uq_survey_round_team_day"),
    )
    op.create_index("ix_survey_round_status", "survey_round", ["status", "closes_at"], unique=False)
    op.create_index(op.f("ix_survey_round_team_id"), "survey_round", ["team_id"], unique=False)
    op.create_table(
        "survey_schedule",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("days_open", sa.Integer(), nullable=False),
        sa.Column("holidays", sa.Text(), nullable=False),
        sa.Column("holiday_country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "survey_answered",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("person", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_round.id"],
        ),
        sa.PrimaryKeyConstraint("round_id", "person"),
    )
    op.create_table(
        "survey_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("due_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("intent_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("reminder", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "slack_user_id", name="uq_survey_delivery_round_user"),
    )
    op.create_index("ix_survey_delivery_due", "survey_delivery", ["status", "due_at"], unique=False)
    op.create_index(op.f("ix_survey_delivery_round_id"), "survey_delivery", ["round_id"], unique=False)
    op.create_table(
        "survey_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("intent_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ts", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("posted_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "kind", name="uq_survey_post_round_kind"),
    )
    op.create_index(op.f("ix_survey_post_round_id"), "survey_post", ["round_id"], unique=False)
    op.create_table(
        "survey_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("driver", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=True),
        sa.Column("recommend", sa.Integer(), nullable=True),
        sa.Column("enps", sa.Integer(), nullable=True),
        sa.Column("driver_score", sa.Integer(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("ack", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("ack_at", models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["survey_round.id"],
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "respondent", name="uq_survey_response_round_person"),
    )
    op.create_index(op.f("ix_survey_response_round_id"), "survey_response", ["round_id"], unique=False)
    op.create_index(op.f("ix_survey_response_team_id"), "survey_response", ["team_id"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)

"""employee voice: settings and anonymity locks, pulse answers and week tallies, stories, suggestions

Revision ID: 0006
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import models.types

revision = "0006"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "anonymity_lock",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "week_start"),
    )
    op.create_table(
        "app_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "employee_week",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("squares", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "week_start", "team_key"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "employee_atom",
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("team_key", sa.Integer(), nullable=False),
        sa.Column("first_week", sa.Date(), nullable=False),
        sa.Column("last_week", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("top", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("squares", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("source", "team_key", "first_week"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "pulse_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("signed_by", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_key", "day", name="uq_pulse_answer_person_day"),
    )
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.create_index("ix_pulse_answer_day_team", ["day", "team_id"], unique=False)
        batch_op.create_index("ix_pulse_answer_team_day", ["team_id", "day"], unique=False)

    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_key", sa.String(length=64), nullable=False),
        sa.Column("author_box", sa.String(length=200), nullable=False),
        sa.Column("signed_by", sa.String(length=40), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("channel_id", sa.String(length=40), nullable=True),
        sa.Column("ts", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_author_key"), ["author_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_team_id"), ["team_id"], unique=False)

    op.create_table(
        "relay_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("to_author", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signed_by", sa.String(length=40), nullable=True),
        sa.Column("due_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestion.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("relay_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relay_message_delivered"), ["delivered"], unique=False)
        batch_op.create_index(batch_op.f("ix_relay_message_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_relay_message_suggestion_id"), ["suggestion_id"], unique=False)

    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_key", sa.String(length=64), nullable=False),
        sa.Column("signed_by", sa.String(length=40), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("what_went_wrong", sa.Text(), nullable=False),
        sa.Column("what_i_did", sa.Text(), nullable=False),
        sa.Column("how_it_ended", sa.Text(), nullable=False),
        sa.Column("verbatim_id", sa.Integer(), nullable=True),
        sa.Column("channel_id", sa.String(length=40), nullable=True),
        sa.Column("ts", sa.String(length=40), nullable=True),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["verbatim_id"],
            ["verbatim.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_author_key"), ["author_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_story_day"), ["day"], unique=False)
        batch_op.create_index(batch_op.f("ix_story_team_id"), ["team_id"], unique=False)

    op.create_table(
        "story_of_week",
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=True),
        sa.Column("ts", sa.String(length=40), nullable=True),
        sa.Column("created_at", models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story.id"],
        ),
        sa.PrimaryKeyConstraint("week_start"),
    )
    op.create_table(
        "story_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["story.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("story_id", "voter_key", name="uq_story_vote_story_voter"),
    )
    with op.batch_alter_table("story_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_vote_story_id"), ["story_id"], unique=False)

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("managers_channel", sa.String(length=40), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_column("managers_channel")

    with op.batch_alter_table("story_vote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_vote_story_id"))

    op.drop_table("story_vote")
    op.drop_table("story_of_week")
    with op.batch_alter_table("story", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_team_id"))
        batch_op.drop_index(batch_op.f("ix_story_day"))
        batch_op.drop_index(batch_op.f("ix_story_author_key"))

    op.drop_table("story")
    with op.batch_alter_table("relay_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relay_message_suggestion_id"))
        batch_op.drop_index(batch_op.f("ix_relay_message_due_at"))
        batch_op.drop_index(batch_op.f("ix_relay_message_delivered"))

    op.drop_table("relay_message")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_team_id"))
        batch_op.drop_index(batch_op.f("ix_suggestion_day"))
        batch_op.drop_index(batch_op.f("ix_suggestion_author_key"))

    op.drop_table("suggestion")
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_pulse_answer_team_day")
        batch_op.drop_index("ix_pulse_answer_day_team")

    op.drop_table("pulse_answer")
    op.drop_table("employee_week")
    op.drop_table("employee_atom")
    op.drop_table("app_setting")
    op.drop_table("anonymity_lock")

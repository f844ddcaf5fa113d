"""leases and replays: digest run lease, page intent (before the Slack call), seen request signatures

Revision ID: 0005
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from models.types import UTCDateTime

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run") as batch:
        batch.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", UTCDateTime(), nullable=True))
    with op.batch_alter_table("digest_page") as batch:
        batch.add_column(sa.Column("intent_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("file_id", sa.String(length=40), nullable=True))
    op.create_table(
        "seen_request",
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("signature"),
    )
    op.create_index("ix_seen_request_received_at", "seen_request", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_request_received_at", table_name="seen_request")
    op.drop_table("seen_request")
    with op.batch_alter_table("digest_page") as batch:
        batch.drop_column("file_id")
        batch.drop_column("intent_at")
    with op.batch_alter_table("digest_run") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_owner")
